/** Matrix products: batched `matmul` with transpose flags, and the fused `linear` op. */
import { record } from './autograd.js';
import type { FusedActivation } from './backend.js';
import { getBackend, noGrad } from './engine.js';
import { fmtShape, ShapeError, ValueError } from './errors.js';
import { castIfNeeded, requireFloat, wrap } from './op-utils.js';
import { add, greater, mul, sub, sumToShape, where } from './ops-binary.js';
import { reshape } from './ops-shape.js';
import { gelu, leakyRelu, relu, sigmoid, tanh, unaryKernel } from './ops-unary.js';
import { broadcastShapes } from './shape.js';
import type { Tensor } from './tensor.js';

function checkMatmul(op: string, a: Tensor, b: Tensor, tA: boolean, tB: boolean): number[] {
  if (a.rank < 2 || b.rank < 2) {
    throw new ShapeError(
      `${op}: both operands need rank ≥ 2, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`,
    );
  }
  const [m, ka] = tA
    ? [a.shape[a.rank - 1]!, a.shape[a.rank - 2]!]
    : [a.shape[a.rank - 2]!, a.shape[a.rank - 1]!];
  const [kb, n] = tB
    ? [b.shape[b.rank - 1]!, b.shape[b.rank - 2]!]
    : [b.shape[b.rank - 2]!, b.shape[b.rank - 1]!];
  if (ka !== kb) {
    throw new ShapeError(
      `${op}: shapes ${fmtShape(a.shape)}${tA ? 'ᵀ' : ''} and ${fmtShape(b.shape)}${tB ? 'ᵀ' : ''} cannot be multiplied: ` +
        `the inner dimensions ${ka} (of a) and ${kb} (of b) must be equal.`,
    );
  }
  const batch = broadcastShapes(op, a.shape.slice(0, -2), b.shape.slice(0, -2));
  return [...batch, m, n];
}

function matmulRaw(a: Tensor, b: Tensor, tA: boolean, tB: boolean): Tensor {
  checkMatmul('matmul', a, b, tA, tB);
  return wrap(getBackend().matmul(a, b, tA, tB));
}

/**
 * The input gradients of op(a)·op(b), each summed back over broadcast batch dims. An input
 * that does not require grad (typically the data batch) gets null: skipping that product saves
 * a third of a linear layer's backward work.
 */
function matmulGrads(dy: Tensor, a: Tensor, b: Tensor, tA: boolean, tB: boolean): [Tensor | null, Tensor | null] {
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (a.requiresGrad) {
    if (!tA) da = tB ? matmulRaw(dy, b, false, false) : matmulRaw(dy, b, false, true);
    else da = tB ? matmulRaw(b, dy, true, true) : matmulRaw(b, dy, false, true);
  }
  if (b.requiresGrad) {
    if (!tB) db = tA ? matmulRaw(a, dy, false, false) : matmulRaw(a, dy, true, false);
    else db = tA ? matmulRaw(dy, a, true, true) : matmulRaw(dy, a, true, false);
  }
  return [da && sumToShape(da, a.shape), db && sumToShape(db, b.shape)];
}

/**
 * Matrix product with numpy batch broadcasting (`torch.matmul`). 1-D operands are treated as
 * a row (left) or column (right) vector and that dim is removed from the result.
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank === 1 || b.rank === 1) {
    const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a;
    const b2 = b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
    const y = matmul(a2, b2, transposeA && a.rank > 1, transposeB && b.rank > 1);
    const shape = y.shape.filter(
      (_, i) => !((a.rank === 1 && i === y.rank - 2) || (b.rank === 1 && i === y.rank - 1)),
    );
    return reshape(y, shape);
  }
  const af = castIfNeeded(a, 'float32');
  const bf = castIfNeeded(b, 'float32');
  const y = matmulRaw(af, bf, transposeA, transposeB);
  return record('matmul', [af, bf], y, (dy) => matmulGrads(dy, af, bf, transposeA, transposeB));
}

const activationFns: Record<FusedActivation, ((z: Tensor, alpha: number) => Tensor) | null> = {
  none: null,
  relu: (z) => relu(z),
  sigmoid: (z) => sigmoid(z),
  tanh: (z) => tanh(z),
  gelu: (z) => gelu(z),
  leakyRelu: (z, alpha) => leakyRelu(z, alpha),
};

/** d act / d z expressed from the output y where possible (no need to keep z). */
function activationGrad(act: FusedActivation, dy: Tensor, y: Tensor, z: () => Tensor, alpha: number): Tensor {
  switch (act) {
    case 'none':
      return dy;
    case 'relu':
      return mul(dy, unaryKernel('step', y));
    case 'leakyRelu':
      return mul(dy, where(greater(y, 0), 1, alpha));
    case 'sigmoid':
      return mul(dy, mul(y, sub(1, y)));
    case 'tanh':
      return mul(dy, sub(1, unaryKernel('square', y)));
    case 'gelu': {
      const zz = z();
      const cdf = mul(add(unaryKernel('erf', mul(zz, Math.SQRT1_2)), 1), 0.5);
      const pdf = mul(unaryKernel('exp', mul(unaryKernel('square', zz), -0.5)), 1 / Math.sqrt(2 * Math.PI));
      return mul(dy, add(cdf, mul(zz, pdf)));
    }
  }
}

export interface LinearOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  activation?: FusedActivation;
  /** leakyRelu's slope. */
  alpha?: number;
}

/**
 * `act(op(a)·op(b) + bias)` in one kernel where the backend has `fusedMatmul`, composed from
 * primitives otherwise; both paths give the same numbers and the same gradients.
 */
export function fusedMatmul(
  a: Tensor,
  b: Tensor,
  bias: Tensor | null = null,
  options: LinearOptions = {},
): Tensor {
  const { transposeA = false, transposeB = false, activation = 'none', alpha = 0.01 } = options;
  if (!(activation in activationFns))
    throw new ValueError(`fusedMatmul: unknown activation '${activation}'.`);
  requireFloat('fusedMatmul', a);
  requireFloat('fusedMatmul', b);
  const outShape = checkMatmul('fusedMatmul', a, b, transposeA, transposeB);
  if (bias) broadcastShapes('fusedMatmul (bias)', bias.shape, outShape);
  const backend = getBackend();
  const y = noGrad(() => {
    if (backend.fusedMatmul)
      return wrap(backend.fusedMatmul(a, b, transposeA, transposeB, bias, activation, alpha));
    const z = matmulRaw(a, b, transposeA, transposeB);
    const zb = bias ? add(z, bias) : z;
    const act = activationFns[activation];
    return act ? act(zb, alpha) : zb;
  });
  const inputs = bias ? [a, b, bias] : [a, b];
  return record('fusedMatmul', inputs, y, (dy) => {
    const recompute = () => {
      const z = matmulRaw(a, b, transposeA, transposeB);
      return bias ? add(z, bias) : z;
    };
    const dz = activationGrad(activation, dy, y, recompute, alpha);
    const [da, db] = matmulGrads(dz, a, b, transposeA, transposeB);
    return bias ? [da, db, sumToShape(dz, bias.shape)] : [da, db];
  });
}

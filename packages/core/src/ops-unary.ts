/** Elementwise unary ops and their gradients. */
import { record } from './autograd.js';
import type { UnaryAttrs, UnaryOp } from './backend.js';
import { getBackend, noGrad } from './engine.js';
import { ValueError } from './errors.js';
import { castIfNeeded, wrap } from './op-utils.js';
import {
  add,
  div,
  greater,
  greaterEqual,
  lessEqual,
  logicalAnd,
  maximum,
  minimum,
  mul,
  sub,
  where,
} from './ops-binary.js';
import { SELU_ALPHA, SELU_SCALE } from './selu-constants.js';
import type { Tensor } from './tensor.js';

/** Runs the kernel without recording (for use inside gradients and composites). */
export function unaryKernel(op: UnaryOp, x: Tensor, attrs?: UnaryAttrs): Tensor {
  return wrap(getBackend().unary(op, x, attrs));
}

type Grad = (dy: Tensor, x: Tensor, y: Tensor) => Tensor | null;

/** Float-only ops take int32 input by promoting it, as PyTorch does for `exp(intTensor)`. */
function floatOp(op: UnaryOp, grad: Grad, attrs?: UnaryAttrs) {
  return (input: Tensor): Tensor => {
    const x = castIfNeeded(input, 'float32');
    const y = unaryKernel(op, x, attrs);
    return record(op, [x === input ? input : x], y, (dy) => [grad(dy, x, y)]);
  };
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export function neg(x: Tensor): Tensor {
  const y = unaryKernel('neg', x);
  return record('neg', [x], y, (dy) => [unaryKernel('neg', dy)]);
}
export function abs(x: Tensor): Tensor {
  const y = unaryKernel('abs', x);
  return record('abs', [x], y, (dy) => [mul(dy, unaryKernel('sign', x))]);
}
export function sign(x: Tensor): Tensor {
  return unaryKernel('sign', x);
}
export function square(x: Tensor): Tensor {
  const y = unaryKernel('square', x);
  return record('square', [x], y, (dy) => [mul(dy, mul(x, 2))]);
}
export const exp = floatOp('exp', (dy, _x, y) => mul(dy, y));
export const expm1 = floatOp('expm1', (dy, _x, y) => mul(dy, add(y, 1)));
export const log = floatOp('log', (dy, x) => div(dy, x));
export const log1p = floatOp('log1p', (dy, x) => div(dy, add(x, 1)));
export const sqrt = floatOp('sqrt', (dy, _x, y) => div(dy, mul(y, 2)));
export const rsqrt = floatOp('rsqrt', (dy, _x, y) => mul(dy, mul(unaryKernel('square', y), mul(y, -0.5))));
export const reciprocal = floatOp('reciprocal', (dy, _x, y) => mul(dy, mul(unaryKernel('square', y), -1)));
export const sin = floatOp('sin', (dy, x) => mul(dy, unaryKernel('cos', x)));
export const cos = floatOp('cos', (dy, x) => mul(dy, unaryKernel('neg', unaryKernel('sin', x))));
export const tanh = floatOp('tanh', (dy, _x, y) => mul(dy, sub(1, unaryKernel('square', y))));
export const sigmoid = floatOp('sigmoid', (dy, _x, y) => mul(dy, mul(y, sub(1, y))));
export const erf = floatOp('erf', (dy, x) =>
  mul(dy, mul(unaryKernel('exp', unaryKernel('neg', unaryKernel('square', x))), TWO_OVER_SQRT_PI)),
);
export const relu = floatOp('relu', (dy, x) => mul(dy, unaryKernel('step', x)));
export const selu = floatOp('selu', (dy, x) =>
  mul(dy, where(greater(x, 0), SELU_SCALE, mul(unaryKernel('exp', x), SELU_SCALE * SELU_ALPHA))),
);
export const silu = floatOp('silu', (dy, x) => {
  const s = unaryKernel('sigmoid', x);
  return mul(dy, add(s, mul(x, mul(s, sub(1, s)))));
});
export const floor = floatOp('floor', () => null);
export const ceil = floatOp('ceil', () => null);
export const round = floatOp('round', () => null);

/** PyTorch's LeakyReLU: slope `negativeSlope` (default 0.01) for x ≤ 0. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return floatOp('leakyRelu', (dy, xx) => mul(dy, where(greater(xx, 0), 1, negativeSlope)), {
    alpha: negativeSlope,
  })(x);
}

export function elu(x: Tensor, alpha = 1): Tensor {
  return floatOp('elu', (dy, xx, y) => mul(dy, where(greater(xx, 0), 1, add(y, alpha))), { alpha })(x);
}

/** GELU, exact (`'none'`, erf form) or the tanh approximation, as PyTorch's `approximate`. */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate === 'tanh') {
    return floatOp('geluTanh', (dy, xx) => {
      const x2 = unaryKernel('square', xx);
      const inner = mul(add(xx, mul(mul(x2, xx), 0.044715)), SQRT_2_OVER_PI);
      const t = unaryKernel('tanh', inner);
      const dinner = mul(add(mul(x2, 3 * 0.044715), 1), SQRT_2_OVER_PI);
      const d = add(mul(add(t, 1), 0.5), mul(mul(mul(xx, 0.5), sub(1, unaryKernel('square', t))), dinner));
      return mul(dy, d);
    })(x);
  }
  if (approximate !== 'none')
    throw new ValueError(`gelu: approximate must be 'none' or 'tanh', got '${approximate}'.`);
  return floatOp('gelu', (dy, xx) => {
    const cdf = mul(add(unaryKernel('erf', mul(xx, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(unaryKernel('exp', mul(unaryKernel('square', xx), -0.5)), INV_SQRT_2PI);
    return mul(dy, add(cdf, mul(xx, pdf)));
  })(x);
}

/** PyTorch's Softplus: log(1 + exp(βx))/β, linear where βx > threshold. */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  return floatOp(
    'softplus',
    (dy, xx) => mul(dy, where(greater(mul(xx, beta), threshold), 1, unaryKernel('sigmoid', mul(xx, beta)))),
    { beta, threshold },
  )(x);
}

/** Clamps to [min, max]; the gradient passes where min ≤ x ≤ max (PyTorch's clamp). */
export function clip(x: Tensor, min: number, max: number): Tensor {
  if (min > max) throw new ValueError(`clip: min (${min}) must not exceed max (${max}).`);
  const y = noGrad(() => minimum(maximum(x, min), max));
  return record('clip', [x], y, (dy) => [mul(dy, logicalAnd(greaterEqual(x, min), lessEqual(x, max)))]);
}

export function isNaN(x: Tensor): Tensor {
  return unaryKernel('isNaN', x);
}
export function isFinite(x: Tensor): Tensor {
  return unaryKernel('isFinite', x);
}
export function logicalNot(x: Tensor): Tensor {
  return unaryKernel('logicalNot', x);
}

/** A copy that stays in the graph (gradient passes through). */
export function clone(x: Tensor): Tensor {
  const y = wrap(getBackend().cast(x, x.dtype));
  return record('clone', [x], y, (dy) => [dy]);
}

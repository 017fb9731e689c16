/**
 * The PyTorch golden harness: runs one case of a fixture written by `scripts/goldens/` (format in
 * scripts/goldens/README.md) on the active backend and compares the output and the gradients of
 * sum(output · cotangent) with the stored float64 answers. Backends reuse it: the fixture stays in
 * packages/core/test/fixtures and is passed in as an object.
 */

import { gradients } from './autograd.js';
import type { DType } from './backend.js';
import { assertClose, type Tolerance } from './conformance-compare.js';
import { tensor } from './creation.js';
import { tidy } from './engine.js';
import * as bin from './ops-binary.js';
import { matmul } from './ops-matmul.js';
import { avgPool2d, conv2d, logSoftmax, maxPool2d, type Padding2D, type Pair, softmax } from './ops-nn.js';
import * as red from './ops-reduce.js';
import * as shp from './ops-shape.js';
import * as un from './ops-unary.js';
import type { Tensor } from './tensor.js';

export interface GoldenTensor {
  shape: number[];
  dtype?: DType;
  data: number[];
}

export interface GoldenCase {
  name: string;
  op: string;
  inputs: GoldenTensor[];
  attrs: Record<string, unknown>;
  output: GoldenTensor;
  cotangent: GoldenTensor | null;
  grads: (GoldenTensor | null)[];
}

export interface GoldenFixture {
  generator: string;
  torch: string;
  cases: GoldenCase[];
}

/**
 * Outputs and gradients must satisfy |got − want| ≤ 1e-5 + 1e-4·|want|. The stored answers are
 * exact for the float32 inputs; a float32 computation is off by a few ulps per operation
 * (≈1e-7 relative) plus summation error (≈ n·6e-8·Σ|terms| for the ≤ 24-term sums of these
 * cases, values ≤ 3), so 1e-4 relative leaves room for backends that accumulate in float32 and use
 * their own transcendental approximations, while a wrong formula is off by far more.
 * 1e-5 absolute covers results that cancel to ≈ 0 (e.g. a gradient summed over ± terms).
 */
export const goldenTolerance: Tolerance = { rtol: 1e-4, atol: 1e-5 };

type Attrs = Record<string, any>;
type GoldenOp = (xs: Tensor[], a: Attrs) => Tensor;

const unary =
  (f: (x: Tensor) => Tensor): GoldenOp =>
  (xs) =>
    f(xs[0]!);
const binary =
  (f: (a: Tensor, b: Tensor) => Tensor): GoldenOp =>
  (xs) =>
    f(xs[0]!, xs[1]!);
const reduction =
  (f: (x: Tensor, axis: red.Axis, keepDims: boolean) => Tensor): GoldenOp =>
  (xs, a) =>
    f(xs[0]!, a.axis as red.Axis, Boolean(a.keepDims));
const pool = (a: Attrs) => ({
  kernelSize: a.kernelSize as Pair,
  stride: a.stride as Pair | undefined,
  padding: a.padding as Padding2D | undefined,
  countIncludePad: a.countIncludePad as boolean | undefined,
});

/** gradsight op for each fixture `op`, called with the case's attrs as documented in core_ops.py. */
export const goldenOps: Readonly<Record<string, GoldenOp>> = {
  neg: unary(un.neg),
  abs: unary(un.abs),
  exp: unary(un.exp),
  log: unary(un.log),
  sqrt: unary(un.sqrt),
  rsqrt: unary(un.rsqrt),
  square: unary(un.square),
  sin: unary(un.sin),
  cos: unary(un.cos),
  tanh: unary(un.tanh),
  sigmoid: unary(un.sigmoid),
  erf: unary(un.erf),
  relu: unary(un.relu),
  selu: unary(un.selu),
  silu: unary(un.silu),
  leakyRelu: (xs, a) => un.leakyRelu(xs[0]!, a.negativeSlope),
  elu: (xs, a) => un.elu(xs[0]!, a.alpha),
  gelu: (xs, a) => un.gelu(xs[0]!, a.approximate),
  softplus: (xs, a) => un.softplus(xs[0]!, a.beta, a.threshold),
  clip: (xs, a) => un.clip(xs[0]!, a.min, a.max),
  add: binary(bin.add),
  sub: binary(bin.sub),
  mul: binary(bin.mul),
  div: binary(bin.div),
  pow: binary(bin.pow),
  minimum: binary(bin.minimum),
  maximum: binary(bin.maximum),
  equal: binary(bin.equal),
  notEqual: binary(bin.notEqual),
  less: binary(bin.less),
  lessEqual: binary(bin.lessEqual),
  greater: binary(bin.greater),
  greaterEqual: binary(bin.greaterEqual),
  where: (xs) => bin.where(xs[0]!, xs[1]!, xs[2]!),
  sum: reduction(red.sum),
  mean: reduction(red.mean),
  max: reduction(red.max),
  min: reduction(red.min),
  logSumExp: reduction(red.logSumExp),
  variance: (xs, a) => red.variance(xs[0]!, a.axis, Boolean(a.keepDims), a.correction),
  argmax: (xs, a) => red.argmax(xs[0]!, a.axis, Boolean(a.keepDims)),
  argmin: (xs, a) => red.argmin(xs[0]!, a.axis, Boolean(a.keepDims)),
  matmul: (xs, a) => matmul(xs[0]!, xs[1]!, Boolean(a.transposeA), Boolean(a.transposeB)),
  reshape: (xs, a) => shp.reshape(xs[0]!, a.shape),
  transpose: (xs, a) => shp.transpose(xs[0]!, a.perm),
  expandDims: (xs, a) => shp.expandDims(xs[0]!, a.axis),
  squeeze: (xs, a) => shp.squeeze(xs[0]!, a.axis ?? undefined),
  concat: (xs, a) => shp.concat(xs, a.axis),
  stack: (xs, a) => shp.stack(xs, a.axis),
  slice: (xs, a) => shp.slice(xs[0]!, a.begin, a.size),
  gather: (xs, a) => shp.gather(xs[0]!, xs[1]!, a.axis),
  pad: (xs, a) => shp.pad(xs[0]!, a.paddings, a.value),
  oneHot: (xs, a) => shp.oneHot(xs[0]!, a.depth),
  softmax: (xs, a) => softmax(xs[0]!, a.axis),
  logSoftmax: (xs, a) => logSoftmax(xs[0]!, a.axis),
  conv2d: (xs, a) => conv2d(xs[0]!, xs[1]!, { stride: a.stride, padding: a.padding, dilation: a.dilation }),
  maxPool2d: (xs, a) => maxPool2d(xs[0]!, pool(a)),
  avgPool2d: (xs, a) => avgPool2d(xs[0]!, pool(a)),
};

const kernelOf: Record<string, string> = {
  where: 'where',
  sum: 'reduce',
  mean: 'reduce',
  max: 'reduce',
  min: 'reduce',
  logSumExp: 'reduce',
  variance: 'reduce',
  softmax: 'reduce',
  logSoftmax: 'reduce',
  argmax: 'argReduce',
  argmin: 'argReduce',
  matmul: 'matmul',
  reshape: 'storage',
  expandDims: 'storage',
  squeeze: 'storage',
  transpose: 'transpose',
  concat: 'concat',
  stack: 'concat',
  slice: 'slice',
  gather: 'gather',
  pad: 'pad',
  oneHot: 'binary',
  conv2d: 'conv2d',
  maxPool2d: 'maxPool2d',
  avgPool2d: 'avgPool2d',
  clip: 'binary',
  add: 'binary',
  sub: 'binary',
  mul: 'binary',
  div: 'binary',
  pow: 'binary',
  minimum: 'binary',
  maximum: 'binary',
  equal: 'binary',
  notEqual: 'binary',
  less: 'binary',
  lessEqual: 'binary',
  greater: 'binary',
  greaterEqual: 'binary',
};

/** The Backend kernel a golden op mainly exercises (for skip lists and the compatibility table). */
export function goldenKernel(op: string): string {
  return kernelOf[op] ?? 'unary';
}

function toTensor(t: GoldenTensor): Tensor {
  return tensor(t.data, t.shape, t.dtype ?? 'float32');
}

/**
 * Runs one golden case on the active backend; throws an Error naming the case, the output or the
 * input whose gradient differs, and the elements, when gradsight disagrees with PyTorch.
 */
export function runGoldenCase(c: GoldenCase, tol: Tolerance = goldenTolerance): void {
  const op = goldenOps[c.op];
  if (!op) throw new Error(`golden ${c.name}: no gradsight op is mapped to fixture op '${c.op}'.`);
  tidy(() => {
    const inputs = c.inputs.map(toTensor);
    const differentiable = c.cotangent !== null;
    const leaves = inputs.map((x, i) => (differentiable && c.grads[i] ? x.detach().requiresGrad_() : x));
    try {
      const out = op(leaves, c.attrs);
      const wantDType = c.output.dtype ?? 'float32';
      const got = { shape: out.shape, dtype: out.dtype, values: out.dataSync() };
      const want = { shape: c.output.shape, dtype: wantDType, values: c.output.data };
      assertClose(`golden ${c.name}: output`, got, want, wantDType === 'int32' ? { rtol: 0, atol: 0 } : tol);
      if (!differentiable) return;
      const targets = leaves.filter((_, i) => c.grads[i]);
      const grads = gradients(out, targets, toTensor(c.cotangent!));
      let k = 0;
      c.grads.forEach((g, i) => {
        if (!g) return;
        const dx = grads[k++]!;
        assertClose(
          `golden ${c.name}: gradient of input ${i}`,
          { shape: dx.shape, dtype: dx.dtype, values: dx.dataSync() },
          { shape: g.shape, dtype: 'float32', values: g.data },
          tol,
        );
      });
    } finally {
      for (let i = 0; i < leaves.length; i++) if (leaves[i] !== inputs[i]) leaves[i]!.dispose();
    }
  });
}

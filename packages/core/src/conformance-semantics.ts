/**
 * Exact oracles for the edge cases backend.ts documents. Unlike the other kernel cases, these
 * compare with values written down from the documentation, not with the reference backend, so
 * they also hold the reference backend itself to the contract.
 */
import type { Backend, Pool2DAttrs } from './backend.js';
import { assertClose, EXACT, type HostTensor, type Tolerance } from './conformance-compare.js';
import { type CaseSpec, host, type KernelCall, runOn } from './conformance-harness.js';

const nan = Number.NaN;
const inf = Number.POSITIVE_INFINITY;
const f32 = (shape: number[], v: number[]) => host(shape, 'float32', v);
const i32 = (shape: number[], v: number[]) => host(shape, 'int32', v);

interface Oracle {
  name: string;
  kernel: string;
  /** What backend.ts says, quoted in the failure message. */
  rule: string;
  inputs: HostTensor[];
  call: KernelCall;
  want: HostTensor[];
  tol?: Tolerance;
}

const pool = (k: number, s: number, p: number): Pool2DAttrs => ({
  kernelSize: [k, k],
  strides: [s, s],
  pads: [p, p, p, p],
});

const ORACLES: Oracle[] = [
  {
    name: 'reduce/max-min-propagate-nan',
    kernel: 'reduce',
    rule: 'max/min propagate NaN, wherever it sits in the reduced set',
    inputs: [f32([3, 3], [1, nan, 3, nan, 1, 2, 2, 1, nan])],
    call: (b, xs) => [
      b.reduce('max', xs[0]!, [1]),
      b.reduce('min', xs[0]!, [1]),
      b.reduce('max', xs[0]!, [0]),
    ],
    want: [f32([3], [nan, nan, nan]), f32([3], [nan, nan, nan]), f32([3], [nan, nan, nan])],
  },
  {
    name: 'reduce/empty-identities',
    kernel: 'reduce',
    rule: 'reductions over an empty axis return the identity: sum 0, prod 1, max −Infinity, min +Infinity',
    inputs: [f32([2, 0], [])],
    call: (b, xs) => (['sum', 'prod', 'max', 'min'] as const).map((op) => b.reduce(op, xs[0]!, [1])),
    want: [f32([2], [0, 0]), f32([2], [1, 1]), f32([2], [-inf, -inf]), f32([2], [inf, inf])],
  },
  {
    name: 'argReduce/ties-first-nan-wins',
    kernel: 'argReduce',
    rule: 'ties: the first index; NaN wins (its index is returned)',
    inputs: [f32([3, 4], [2, 5, 5, 1, 1, 1, nan, nan, 0, -inf, -inf, 3])],
    call: (b, xs) => [b.argReduce('argmax', xs[0]!, 1), b.argReduce('argmin', xs[0]!, 1)],
    want: [i32([3], [1, 2, 3]), i32([3], [3, 2, 1])],
  },
  {
    name: 'binary/maximum-minimum-propagate-nan',
    kernel: 'binary',
    rule: 'maximum/minimum propagate NaN (as PyTorch, unlike Math.max on some SIMD paths)',
    inputs: [f32([4], [nan, 1, nan, -inf]), f32([4], [1, nan, nan, 2])],
    call: (b, xs) => [b.binary('maximum', xs[0]!, xs[1]!), b.binary('minimum', xs[0]!, xs[1]!)],
    want: [f32([4], [nan, nan, nan, 2]), f32([4], [nan, nan, nan, -inf])],
  },
  {
    name: 'binary/comparisons-with-nan',
    kernel: 'binary',
    rule: 'comparisons with NaN are false (notEqual true)',
    inputs: [f32([2], [nan, 1]), f32([2], [nan, nan])],
    call: (b, xs) =>
      (['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const).map((op) =>
        b.binary(op, xs[0]!, xs[1]!),
      ),
    want: [
      [0, 0],
      [1, 1],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ].map((v) => i32([2], v)),
  },
  {
    name: 'binary/pow-follows-math-pow',
    kernel: 'binary',
    rule: 'pow follows Math.pow (pow(x, 0) = 1 even for NaN)',
    inputs: [f32([5], [nan, 0, -8, 2, 1]), f32([5], [0, -1, 1 / 3, 10, inf])],
    call: (b, xs) => b.binary('pow', xs[0]!, xs[1]!),
    want: [f32([5], [1, inf, nan, 1024, nan])],
  },
  {
    name: 'binary/mod-sign-of-divisor',
    kernel: 'binary',
    rule: "mod is Python's (sign of the divisor)",
    inputs: [f32([4], [-7, 7, -7, 7.5]), f32([4], [3, -3, -3, 2])],
    call: (b, xs) => b.binary('mod', xs[0]!, xs[1]!),
    want: [f32([4], [2, -2, -1, 1.5])],
  },
  {
    name: 'unary/documented-values',
    kernel: 'unary',
    rule: 'sign(0)=0, sign(NaN)=NaN, relu(NaN)=NaN, step(NaN)=NaN, log(0)=−Inf, log(x<0)=NaN, rsqrt(0)=+Inf, round half to even',
    inputs: [f32([4], [0, nan, -1, 2.5])],
    call: (b, xs) => [
      b.unary('sign', xs[0]!),
      b.unary('relu', xs[0]!),
      b.unary('step', xs[0]!),
      b.unary('log', xs[0]!),
      b.unary('rsqrt', xs[0]!),
      b.unary('round', xs[0]!),
    ],
    want: [
      f32([4], [0, nan, -1, 1]),
      f32([4], [0, nan, 0, 2.5]),
      f32([4], [0, nan, 0, 1]),
      f32([4], [-inf, nan, nan, Math.fround(Math.log(2.5))]),
      f32([4], [inf, nan, nan, Math.fround(1 / Math.sqrt(2.5))]),
      f32([4], [0, nan, -1, 2]),
    ],
    tol: { rtol: 1e-6, atol: 0 },
  },
  {
    name: 'unary/sigmoid-without-overflow',
    kernel: 'unary',
    rule: 'sigmoid = 1/(1+e^−x), computed without overflow',
    inputs: [f32([4], [-1e30, -50, 50, 1e30])],
    call: (b, xs) => b.unary('sigmoid', xs[0]!),
    want: [f32([4], [0, Math.fround(1 / (1 + Math.exp(50))), 1, 1])],
    tol: { rtol: 1e-5, atol: 0 },
  },
  {
    name: 'unary/int32-stays-int32',
    kernel: 'unary',
    rule: 'output dtype equals the input dtype except isNaN, isFinite, logicalNot (int32 0/1)',
    inputs: [i32([3], [-3, 0, 4])],
    call: (b, xs) => [
      b.unary('neg', xs[0]!),
      b.unary('abs', xs[0]!),
      b.unary('sign', xs[0]!),
      b.unary('logicalNot', xs[0]!),
    ],
    want: [i32([3], [3, 0, -4]), i32([3], [3, 0, 4]), i32([3], [-1, 0, 1]), i32([3], [0, 1, 0])],
  },
  {
    name: 'cast/truncation-and-non-finite',
    kernel: 'cast',
    rule: 'float32 → int32 truncates toward zero; NaN/±Inf → 0',
    inputs: [f32([6], [2.9, -2.9, nan, inf, -inf, -0.5])],
    call: (b, xs) => b.cast(xs[0]!, 'int32'),
    want: [i32([6], [2, -2, 0, 0, 0, 0])],
  },
  {
    name: 'where/non-zero-is-true',
    kernel: 'where',
    rule: 'cond is int32, non-zero is true',
    inputs: [i32([4], [0, 1, -1, 7]), f32([4], [1, 2, 3, 4]), f32([4], [-1, -2, -3, -4])],
    call: (b, xs) => b.where(xs[0]!, xs[1]!, xs[2]!),
    want: [f32([4], [-1, 2, 3, 4])],
  },
  {
    name: 'matmul/k0-gives-zeros',
    kernel: 'matmul',
    rule: 'K = 0 gives zeros',
    inputs: [f32([2, 0], []), f32([0, 3], [])],
    call: (b, xs) => b.matmul(xs[0]!, xs[1]!, false, false),
    want: [f32([2, 3], [0, 0, 0, 0, 0, 0])],
  },
  {
    name: 'maxPool2d/padding-never-wins',
    kernel: 'maxPool2d',
    rule: 'padded cells are −Inf (never win); a window of only padding yields −Inf; NaN wins',
    inputs: [f32([1, 2, 2, 1], [-5, -6, nan, -8])],
    call: (b, xs) => [
      b.maxPool2d(xs[0]!, pool(2, 2, 1)),
      b.maxPool2d(xs[0]!, { kernelSize: [1, 1], strides: [2, 2], pads: [1, 0, 1, 0] }),
    ],
    want: [f32([1, 2, 2, 1], [-5, -6, nan, -8]), f32([1, 2, 2, 1], [-inf, -inf, -inf, -8])],
  },
  {
    name: 'avgPool2d/count-include-pad',
    kernel: 'avgPool2d',
    rule: 'avg divides by kh·kw (countIncludePad true) or by the count of real cells',
    inputs: [f32([1, 2, 2, 1], [1, 2, 3, 4])],
    call: (b, xs) => [
      b.avgPool2d(xs[0]!, { ...pool(2, 2, 1), countIncludePad: true }),
      b.avgPool2d(xs[0]!, { ...pool(2, 2, 1), countIncludePad: false }),
    ],
    want: [f32([1, 2, 2, 1], [0.25, 0.5, 0.75, 1]), f32([1, 2, 2, 1], [1, 2, 3, 4])],
  },
  {
    name: 'scatterAdd/repeated-indices-add',
    kernel: 'scatterAdd',
    rule: 'a zero tensor into which each slice of updates is added; repeated indices add',
    inputs: [i32([4], [2, 0, 2, 2]), f32([4], [1, 10, 100, 1000])],
    call: (b, xs) => b.scatterAdd(xs[0]!, xs[1]!, [4], 0),
    want: [f32([4], [10, 0, 1101, 0])],
  },
];

function checkOracle(o: Oracle, backend: Backend): void {
  const got = runOn(backend, o.inputs, o.call, `${o.name} on '${backend.name}'`);
  o.want.forEach((w, k) => {
    assertClose(
      `${o.name} on '${backend.name}' (output ${k}; backend.ts: ${o.rule})`,
      got[k]!,
      w,
      o.tol ?? EXACT,
    );
  });
}

export function semanticsCases(): CaseSpec[] {
  return ORACLES.map((o) => ({
    name: `semantics/${o.name}`,
    kernel: o.kernel,
    run: (b) => checkOracle(o, b),
  }));
}

/** Conformance cases for the elementwise kernels: unary, binary, where, cast. */
import type { BinaryOp, UnaryAttrs, UnaryOp } from './backend.js';
import type { HostTensor, Tolerance } from './conformance-compare.js';
import { EXACT, fmtValues } from './conformance-compare.js';
import {
  type CaseSpec, type KernelCall, type SuiteContext, awayFromZero, caseRng, checkKernel, host, ints, uniform,
} from './conformance-harness.js';
import type { Generator } from './random.js';

const { NaN: nan } = Number;
const inf = Number.POSITIVE_INFINITY;
/** Ordinary values, large magnitudes and the IEEE specials. */
const SPECIALS = [0, 1, -1, 0.5, -2.5, 1e30, -1e30, inf, -inf, nan];

/** Elementwise results must agree within 1e-5 relative (≈ 80 float32 ulps), as backend.ts says. */
export const ELEMENTWISE: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/** Shapes every elementwise op runs on: scalar, size-1, empty and ordinary dims. */
const UNARY_SHAPES = [[], [1], [0, 3], [3, 4], [2, 1, 5], [2, 3, 0, 2]];

export interface UnarySpec {
  op: UnaryOp;
  label?: string;
  attrs?: UnaryAttrs;
  /** Random inputs: a [lo, hi) range, or values ≥ 0.1 away from zero (a pole). */
  domain: readonly [number, number] | 'awayFromZero';
  /** Special inputs whose result is fully determined; the rest are implementation-defined. */
  specials: readonly number[];
  int32?: boolean;
  tol?: Tolerance;
}

const without = (...xs: number[]) => SPECIALS.filter((v) => !xs.some((x) => Object.is(x, v)));
// 0·∞ products (gelu(−∞), silu(−∞)) and the range reduction of sin/cos at 1e30 are not specified.
export const UNARY: UnarySpec[] = [
  { op: 'neg', domain: [-5, 5], specials: SPECIALS, int32: true },
  { op: 'abs', domain: [-5, 5], specials: SPECIALS, int32: true },
  { op: 'sign', domain: [-5, 5], specials: SPECIALS, int32: true },
  { op: 'exp', domain: [-10, 10], specials: SPECIALS },
  { op: 'expm1', domain: [-5, 5], specials: SPECIALS },
  { op: 'log', domain: [0.01, 100], specials: SPECIALS },
  { op: 'log1p', domain: [-0.99, 100], specials: SPECIALS },
  { op: 'sqrt', domain: [0, 100], specials: SPECIALS },
  { op: 'rsqrt', domain: [0.01, 100], specials: SPECIALS },
  { op: 'square', domain: [-5, 5], specials: SPECIALS, int32: true },
  { op: 'reciprocal', domain: 'awayFromZero', specials: SPECIALS },
  { op: 'sin', domain: [-10, 10], specials: without(1e30, -1e30) },
  { op: 'cos', domain: [-10, 10], specials: without(1e30, -1e30) },
  { op: 'tanh', domain: [-6, 6], specials: SPECIALS },
  { op: 'sigmoid', domain: [-20, 20], specials: SPECIALS },
  // erf may be an approximation with |error| ≤ 1e-6 (backend.ts); gelu inherits ≤ |x|/2 of it.
  { op: 'erf', domain: [-4, 4], specials: SPECIALS, tol: { rtol: 1e-5, atol: 2e-6 } },
  { op: 'relu', domain: [-5, 5], specials: SPECIALS },
  { op: 'step', domain: [-5, 5], specials: SPECIALS },
  { op: 'leakyRelu', label: 'alpha=0.2', attrs: { alpha: 0.2 }, domain: [-5, 5], specials: SPECIALS },
  { op: 'leakyRelu', label: 'alpha=0', attrs: { alpha: 0 }, domain: [-5, 5], specials: without(-inf) },
  { op: 'elu', label: 'alpha=1', attrs: { alpha: 1 }, domain: [-5, 5], specials: SPECIALS },
  { op: 'elu', label: 'alpha=0.5', attrs: { alpha: 0.5 }, domain: [-5, 5], specials: SPECIALS },
  { op: 'selu', domain: [-5, 5], specials: SPECIALS },
  { op: 'gelu', domain: [-5, 5], specials: without(-inf), tol: { rtol: 1e-5, atol: 4e-6 } },
  { op: 'geluTanh', domain: [-5, 5], specials: without(-inf), tol: { rtol: 1e-5, atol: 2e-6 } },
  { op: 'softplus', label: 'beta=1/threshold=20', attrs: { beta: 1, threshold: 20 }, domain: [-30, 30], specials: SPECIALS },
  { op: 'softplus', label: 'beta=2/threshold=5', attrs: { beta: 2, threshold: 5 }, domain: [-10, 10], specials: SPECIALS },
  { op: 'silu', domain: [-10, 10], specials: without(-inf) },
  { op: 'floor', domain: [-5, 5], specials: SPECIALS },
  { op: 'ceil', domain: [-5, 5], specials: SPECIALS },
  // halves check round-half-to-even
  { op: 'round', domain: [-5, 5], specials: [...SPECIALS, 1.5, 2.5, -0.5, -1.5, 3.5, 0.49999997] },
  { op: 'isNaN', domain: [-5, 5], specials: SPECIALS, int32: true },
  { op: 'isFinite', domain: [-5, 5], specials: SPECIALS, int32: true },
  { op: 'logicalNot', domain: [-2, 2], specials: SPECIALS, int32: true },
];

export function unaryRandom(g: Generator, spec: UnarySpec, shape: readonly number[]): HostTensor {
  if (spec.domain === 'awayFromZero') return awayFromZero(g, shape, 0.1, 10);
  const t = uniform(g, shape, spec.domain[0], spec.domain[1]);
  // logicalNot must see exact zeros too
  if (spec.op === 'logicalNot') (t.values as Float32Array).forEach((v, i, a) => (a[i] = v < 0 ? 0 : v));
  return t;
}

function unaryCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const spec of UNARY) {
    const base = `unary/${spec.op}${spec.label ? `/${spec.label}` : ''}`;
    const tol = spec.tol ?? ELEMENTWISE;
    const call = (x: HostTensor) => [x];
    const unary: KernelCall = (b, xs) => b.unary(spec.op, xs[0]!, spec.attrs);
    out.push({
      name: base,
      kernel: 'unary',
      run: (backend) => {
        const g = caseRng(ctx, base);
        for (const shape of UNARY_SHAPES) {
          checkKernel(`${base} ${JSON.stringify(shape)}`, backend, ctx, call(unaryRandom(g, spec, shape)), unary, tol);
        }
      },
    });
    out.push({
      name: `${base}/specials`,
      kernel: 'unary',
      run: (backend) =>
        checkKernel(`${base}/specials ${fmtValues(spec.specials)}`, backend, ctx, [host([spec.specials.length], 'float32', spec.specials)], unary, tol),
    });
    if (spec.int32) {
      out.push({
        name: `${base}/int32`,
        kernel: 'unary',
        run: (backend) => {
          const g = caseRng(ctx, `${base}/int32`);
          const x = ints(g, [4, 5], -100, 100);
          (x.values as Int32Array).set([0, 1, -1, 1 << 30], 0);
          if (spec.op === 'square') (x.values as Int32Array)[3] = 40000;
          checkKernel(`${base}/int32`, backend, ctx, [x], unary, EXACT);
          checkKernel(`${base}/int32 empty`, backend, ctx, [host([0], 'int32', [])], unary, EXACT);
        },
      });
    }
  }
  return out;
}

/** Pairs of shapes that broadcast, including scalars, size-1 and empty dims. */
export const BROADCAST_PAIRS: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[2, 3], [3]],
  [[4, 1], [1, 5]],
  [[2, 1, 3], [4, 1]],
  [[], [2, 2]],
  [[2, 2], []],
  [[], []],
  [[1], [3, 1]],
  [[0, 3], [1, 3]],
  [[3, 0], [3, 1]],
  [[2, 3, 1, 1], [1, 1, 4, 5]],
  [[5, 1, 7], [5, 6, 1]],
];

export interface BinarySpec {
  op: BinaryOp;
  gen: (g: Generator, shape: readonly number[], which: 0 | 1) => HostTensor;
  int32?: boolean;
  tol?: Tolerance;
  /** Specials to pair up for b (default SPECIALS). */
  bSpecials?: readonly number[];
}

const grid = (g: Generator, shape: readonly number[]) => {
  const t = uniform(g, shape, 0, 5);
  (t.values as Float32Array).forEach((v, i, a) => (a[i] = [-1, -0.5, 0, 0.5, 1][Math.floor(v)]!));
  return t;
};
const plain = (g: Generator, shape: readonly number[]) => uniform(g, shape, -5, 5);
const exact = { tol: EXACT };

export const BINARY: BinarySpec[] = [
  { op: 'add', gen: plain, int32: true },
  { op: 'sub', gen: plain, int32: true },
  { op: 'mul', gen: plain, int32: true },
  { op: 'div', gen: (g, s, w) => (w === 0 ? plain(g, s) : awayFromZero(g, s, 0.1, 5)) },
  { op: 'pow', gen: (g, s, w) => (w === 0 ? uniform(g, s, 0.1, 4) : uniform(g, s, -3, 3)) },
  { op: 'maximum', gen: plain, int32: true },
  { op: 'minimum', gen: plain, int32: true },
  // |a| ≤ 10: the result may carry ulp(a) ≈ 1e-6 of rounding from a − b·floor(a/b)
  { op: 'mod', gen: (g, s, w) => (w === 0 ? uniform(g, s, -10, 10) : awayFromZero(g, s, 0.5, 5)), int32: true,
    tol: { rtol: 1e-5, atol: 1e-5 }, bSpecials: [0, 1, -2.5, 0.5, nan] },
  { op: 'atan2', gen: plain },
  { op: 'equal', gen: grid, int32: true, ...exact },
  { op: 'notEqual', gen: grid, int32: true, ...exact },
  { op: 'less', gen: grid, int32: true, ...exact },
  { op: 'lessEqual', gen: grid, int32: true, ...exact },
  { op: 'greater', gen: grid, int32: true, ...exact },
  { op: 'greaterEqual', gen: grid, int32: true, ...exact },
  { op: 'logicalAnd', gen: grid, int32: true, ...exact },
  { op: 'logicalOr', gen: grid, int32: true, ...exact },
];

function binaryCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const spec of BINARY) {
    const base = `binary/${spec.op}`;
    const tol = spec.tol ?? ELEMENTWISE;
    const call: KernelCall = (b, xs) => b.binary(spec.op, xs[0]!, xs[1]!);
    out.push({
      name: base,
      kernel: 'binary',
      run: (backend) => {
        const g = caseRng(ctx, base);
        for (const [sa, sb] of BROADCAST_PAIRS) {
          const what = `${base} ${JSON.stringify(sa)}&${JSON.stringify(sb)}`;
          checkKernel(what, backend, ctx, [spec.gen(g, sa, 0), spec.gen(g, sb, 1)], call, tol);
        }
      },
    });
    out.push({
      name: `${base}/specials`,
      kernel: 'binary',
      run: (backend) => {
        // every pair of specials, through broadcasting [n,1] with [1,m]
        const bs = spec.bSpecials ?? SPECIALS;
        const a = host([SPECIALS.length, 1], 'float32', SPECIALS);
        const b = host([1, bs.length], 'float32', bs);
        checkKernel(`${base}/specials (rows a: ${fmtValues(SPECIALS)}, columns b: ${fmtValues(bs)})`, backend, ctx, [a, b], call, tol);
      },
    });
    if (spec.int32) {
      out.push({
        name: `${base}/int32`,
        kernel: 'binary',
        run: (backend) => {
          const g = caseRng(ctx, `${base}/int32`);
          const divisor = spec.op === 'mod';
          for (const [sa, sb] of BROADCAST_PAIRS) {
            const a = ints(g, sa, -50, 50);
            const b = ints(g, sb, divisor ? 1 : -50, 50);
            if (divisor) (b.values as Int32Array).forEach((v, i, arr) => (arr[i] = i % 2 ? -v : v));
            checkKernel(`${base}/int32 ${JSON.stringify(sa)}&${JSON.stringify(sb)}`, backend, ctx, [a, b], call, EXACT);
          }
        },
      });
    }
  }
  return out;
}

const WHERE_SHAPES: [number[], number[], number[]][] = [
  [[2, 3], [2, 3], [2, 3]],
  [[2, 1], [1, 3], [2, 3]],
  [[3], [2, 3], []],
  [[2, 3], [], [3]],
  [[4, 1, 1], [1, 2, 1], [1, 1, 3]],
  [[], [], []],
  [[0, 2], [1, 2], [2]],
];

function whereCases(ctx: SuiteContext): CaseSpec[] {
  const call: KernelCall = (b, xs) => b.where(xs[0]!, xs[1]!, xs[2]!);
  return (['float32', 'int32'] as const).map((dtype) => ({
    name: `where/${dtype}`,
    kernel: 'where',
    run: (backend) => {
      const g = caseRng(ctx, `where/${dtype}`);
      for (const [sc, sa, sb] of WHERE_SHAPES) {
        // any non-zero condition is true; NaN in the branch not taken must not leak
        const cond = ints(g, sc, -1, 3);
        const a = dtype === 'float32' ? uniform(g, sa) : ints(g, sa, -9, 9);
        const b = dtype === 'float32' ? uniform(g, sb) : ints(g, sb, -9, 9);
        if (dtype === 'float32' && a.values.length > 0) (a.values as Float32Array)[0] = nan;
        const what = `where/${dtype} ${JSON.stringify([sc, sa, sb])}`;
        checkKernel(what, backend, ctx, [cond, a, b], call, EXACT);
      }
    },
  }));
}

function castCases(ctx: SuiteContext): CaseSpec[] {
  const floats = [1.7, -1.7, 0.5, -0.5, 2.5, -0, 0, 1e9, -2e9, 123456.789, nan, inf, -inf];
  const intVals = [0, 1, -1, 16777217, -16777219, 2147483647, -2147483648, 42];
  const cast = (to: 'float32' | 'int32'): KernelCall => (b, xs) => b.cast(xs[0]!, to);
  return [
    {
      name: 'cast/float32-to-int32',
      kernel: 'cast',
      run: (backend) => {
        checkKernel('cast float32→int32 (truncation, non-finite → 0)', backend, ctx, [host([floats.length], 'float32', floats)], cast('int32'), EXACT);
        checkKernel('cast float32→int32 empty', backend, ctx, [host([2, 0], 'float32', [])], cast('int32'), EXACT);
      },
    },
    {
      name: 'cast/int32-to-float32',
      kernel: 'cast',
      run: (backend) => checkKernel('cast int32→float32', backend, ctx, [host([2, 4], 'int32', intVals)], cast('float32'), EXACT),
    },
    {
      name: 'cast/same-dtype-copy',
      kernel: 'cast',
      run: (backend) => {
        const g = caseRng(ctx, 'cast/same-dtype-copy');
        checkKernel('cast float32→float32 (a copy, used by clone)', backend, ctx, [host([13], 'float32', floats)], cast('float32'), EXACT);
        checkKernel('cast int32→int32', backend, ctx, [ints(g, [3, 3], -5, 5)], cast('int32'), EXACT);
        checkKernel('cast scalar', backend, ctx, [host([], 'float32', [3.25])], cast('float32'), EXACT);
      },
    },
  ];
}

export function elementwiseCases(ctx: SuiteContext): CaseSpec[] {
  return [...unaryCases(ctx), ...binaryCases(ctx), ...whereCases(ctx), ...castCases(ctx)];
}

/** Conformance cases for the elementwise kernels: binary (broadcasting), where, cast. */
import type { BinaryOp } from './backend.js';
import type { HostTensor, Tolerance } from './conformance-compare.js';
import { EXACT, fmtValues } from './conformance-compare.js';
import {
  awayFromZero,
  type CaseSpec,
  caseRng,
  checkKernel,
  host,
  ints,
  type KernelCall,
  type SuiteContext,
  uniform,
} from './conformance-harness.js';
import { ELEMENTWISE, SPECIALS } from './conformance-unary.js';
import type { Generator } from './random.js';

const nan = Number.NaN;
const inf = Number.POSITIVE_INFINITY;
/** Pairs of shapes that broadcast, including scalars, size-1 and empty dims. */
export const BROADCAST_PAIRS: [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[2, 3], [3]],
  [
    [4, 1],
    [1, 5],
  ],
  [
    [2, 1, 3],
    [4, 1],
  ],
  [[], [2, 2]],
  [[2, 2], []],
  [[], []],
  [[1], [3, 1]],
  [
    [0, 3],
    [1, 3],
  ],
  [
    [3, 0],
    [3, 1],
  ],
  [
    [2, 3, 1, 1],
    [1, 1, 4, 5],
  ],
  [
    [5, 1, 7],
    [5, 6, 1],
  ],
];

export interface BinarySpec {
  op: BinaryOp;
  gen: (g: Generator, shape: readonly number[], which: 0 | 1) => HostTensor;
  int32?: boolean;
  tol?: Tolerance;
  /** Specials to pair up for a and b (default SPECIALS). */
  aSpecials?: readonly number[];
  bSpecials?: readonly number[];
}

const grid = (g: Generator, shape: readonly number[]) => {
  const t = uniform(g, shape, 0, 5);
  const v = t.values as Float32Array;
  for (let i = 0; i < v.length; i++) v[i] = [-1, -0.5, 0, 0.5, 1][Math.floor(v[i]!)]!;
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
  {
    op: 'mod',
    gen: (g, s, w) => (w === 0 ? uniform(g, s, -10, 10) : awayFromZero(g, s, 0.5, 5)),
    int32: true,
    tol: { rtol: 1e-5, atol: 1e-5 },
    // 1e30 mod 2.5 needs an exact remainder, which float32 a − b·floor(a/b) cannot give
    aSpecials: SPECIALS.filter((v) => Math.abs(v) !== 1e30),
    bSpecials: [0, 1, -2.5, 0.5, nan],
  },
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
        const as = spec.aSpecials ?? SPECIALS;
        const a = host([as.length, 1], 'float32', as);
        const b = host([1, bs.length], 'float32', bs);
        checkKernel(
          `${base}/specials (rows a: ${fmtValues(as)}, columns b: ${fmtValues(bs)})`,
          backend,
          ctx,
          [a, b],
          call,
          tol,
        );
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
            const bv = b.values as Int32Array;
            if (divisor) for (let i = 1; i < bv.length; i += 2) bv[i] = -bv[i]!;
            checkKernel(
              `${base}/int32 ${JSON.stringify(sa)}&${JSON.stringify(sb)}`,
              backend,
              ctx,
              [a, b],
              call,
              EXACT,
            );
          }
        },
      });
    }
  }
  return out;
}

const WHERE_SHAPES: [number[], number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
    [2, 3],
  ],
  [
    [2, 1],
    [1, 3],
    [2, 3],
  ],
  [[3], [2, 3], []],
  [[2, 3], [], [3]],
  [
    [4, 1, 1],
    [1, 2, 1],
    [1, 1, 3],
  ],
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
  const cast =
    (to: 'float32' | 'int32'): KernelCall =>
    (b, xs) =>
      b.cast(xs[0]!, to);
  return [
    {
      name: 'cast/float32-to-int32',
      kernel: 'cast',
      run: (backend) => {
        checkKernel(
          'cast float32→int32 (truncation, non-finite → 0)',
          backend,
          ctx,
          [host([floats.length], 'float32', floats)],
          cast('int32'),
          EXACT,
        );
        checkKernel(
          'cast float32→int32 empty',
          backend,
          ctx,
          [host([2, 0], 'float32', [])],
          cast('int32'),
          EXACT,
        );
      },
    },
    {
      name: 'cast/int32-to-float32',
      kernel: 'cast',
      run: (backend) =>
        checkKernel(
          'cast int32→float32',
          backend,
          ctx,
          [host([2, 4], 'int32', intVals)],
          cast('float32'),
          EXACT,
        ),
    },
    {
      name: 'cast/same-dtype-copy',
      kernel: 'cast',
      run: (backend) => {
        const g = caseRng(ctx, 'cast/same-dtype-copy');
        checkKernel(
          'cast float32→float32 (a copy, used by clone)',
          backend,
          ctx,
          [host([13], 'float32', floats)],
          cast('float32'),
          EXACT,
        );
        checkKernel('cast int32→int32', backend, ctx, [ints(g, [3, 3], -5, 5)], cast('int32'), EXACT);
        checkKernel('cast scalar', backend, ctx, [host([], 'float32', [3.25])], cast('float32'), EXACT);
      },
    },
  ];
}

export function elementwiseCases(ctx: SuiteContext): CaseSpec[] {
  return [...binaryCases(ctx), ...whereCases(ctx), ...castCases(ctx)];
}

/** Conformance cases for reductions, arg-reductions and matmul. */
import type { ReduceOp } from './backend.js';
import { EXACT, type HostTensor } from './conformance-compare.js';
import {
  type CaseSpec,
  caseRng,
  checkKernel,
  host,
  ints,
  type KernelCall,
  type SuiteContext,
  scaled,
  uniform,
} from './conformance-harness.js';
import type { Generator } from './random.js';

const nan = Number.NaN;
const inf = Number.POSITIVE_INFINITY;

/** [shape, axes] pairs: every subset of a rank-3 shape, scalars, size-1 dims and empty axes. */
const REDUCE_SHAPES: [number[], number[]][] = [
  [[2, 3, 4], []],
  [[2, 3, 4], [0]],
  [[2, 3, 4], [1]],
  [[2, 3, 4], [2]],
  [
    [2, 3, 4],
    [0, 1],
  ],
  [
    [2, 3, 4],
    [0, 2],
  ],
  [
    [2, 3, 4],
    [1, 2],
  ],
  [
    [2, 3, 4],
    [0, 1, 2],
  ],
  [[], []],
  [[5], [0]],
  [[3, 1, 2], [1]],
  [
    [1, 1],
    [0, 1],
  ],
  [[0, 3], [0]],
  [[0, 3], [1]],
  [
    [0, 3],
    [0, 1],
  ],
  [[4, 0, 2], [1]],
  [[1000], [0]],
  [[7, 130], [1]],
];

function reduceInput(g: Generator, op: ReduceOp, shape: readonly number[]): HostTensor {
  // products of ≤ 1000 factors in [0.99, 1.01] stay far from float32 under/overflow
  return op === 'prod' ? uniform(g, shape, 0.99, 1.01) : uniform(g, shape, -3, 3);
}

function reduceCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const op of ['sum', 'prod', 'max', 'min'] as const) {
    const base = `reduce/${op}`;
    out.push({
      name: base,
      kernel: 'reduce',
      run: (backend) => {
        const g = caseRng(ctx, base);
        for (const [shape, axes] of REDUCE_SHAPES) {
          const call: KernelCall = (b, xs) => b.reduce(op, xs[0]!, axes);
          // sums may be accumulated in any order: judged against Σ|x| (1e-4, as backend.ts says);
          // products relative to themselves; max/min select an input exactly
          const tol =
            op === 'sum'
              ? scaled(ctx.reference, call, 1e-4, 0)
              : op === 'prod'
                ? { rtol: 1e-4, atol: 0 }
                : EXACT;
          checkKernel(
            `${base} ${JSON.stringify(shape)} axes ${JSON.stringify(axes)}`,
            backend,
            ctx,
            [reduceInput(g, op, shape)],
            call,
            tol,
          );
        }
      },
    });
    out.push({
      name: `${base}/specials`,
      kernel: 'reduce',
      run: (backend) => {
        // NaN propagates (max/min too); Inf − Inf = NaN in sums; 1e30·1e30 overflows to Inf.
        // No large values of opposite sign share a row or column: their sum depends on the order.
        const x = host([4, 4], 'float32', [
          1,
          nan,
          3,
          -2,
          inf,
          -inf,
          2,
          0,
          1e30,
          1e30,
          5,
          4,
          -inf,
          1,
          nan,
          inf,
        ]);
        for (const axes of [[0], [1], [0, 1]]) {
          const call: KernelCall = (b, xs) => b.reduce(op, xs[0]!, axes);
          checkKernel(`${base}/specials axes ${JSON.stringify(axes)}`, backend, ctx, [x], call, {
            rtol: 1e-5,
            atol: 0,
          });
        }
      },
    });
    out.push({
      name: `${base}/int32`,
      kernel: 'reduce',
      run: (backend) => {
        const g = caseRng(ctx, `${base}/int32`);
        for (const [shape, axes] of REDUCE_SHAPES) {
          // an empty int32 max/min has no identity (core never asks for one), and int32
          // products of more than 24 factors in [-2, 2] could overflow
          if ((op === 'max' || op === 'min') && axes.some((a) => shape[a] === 0)) continue;
          if (op === 'prod' && axes.reduce((n, a) => n * shape[a]!, 1) > 24) continue;
          const x = ints(g, shape, op === 'prod' ? -2 : -100, op === 'prod' ? 3 : 100);
          const call: KernelCall = (b, xs) => b.reduce(op, xs[0]!, axes);
          checkKernel(
            `${base}/int32 ${JSON.stringify(shape)} axes ${JSON.stringify(axes)}`,
            backend,
            ctx,
            [x],
            call,
            EXACT,
          );
        }
      },
    });
  }
  return out;
}

function argReduceCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const op of ['argmax', 'argmin'] as const) {
    const base = `argReduce/${op}`;
    out.push({
      name: base,
      kernel: 'argReduce',
      run: (backend) => {
        const g = caseRng(ctx, base);
        const shapes: [number[], number][] = [
          [[2, 3, 4], 0],
          [[2, 3, 4], 1],
          [[2, 3, 4], 2],
          [[5], 0],
          [[1, 4], 0],
          [[0, 3], 1],
          [[3, 1], 1],
          [[4, 300], 1],
        ];
        for (const [shape, axis] of shapes) {
          const call: KernelCall = (b, xs) => b.argReduce(op, xs[0]!, axis);
          checkKernel(
            `${base} ${JSON.stringify(shape)} axis ${axis}`,
            backend,
            ctx,
            [uniform(g, shape, -3, 3)],
            call,
            EXACT,
          );
          checkKernel(
            `${base} int32 ${JSON.stringify(shape)} axis ${axis}`,
            backend,
            ctx,
            [ints(g, shape, -1000, 1000)],
            call,
            EXACT,
          );
        }
      },
    });
    out.push({
      name: `${base}/ties-nan-inf`,
      kernel: 'argReduce',
      run: (backend) => {
        // ties → first index; NaN wins (first NaN); infinities are ordinary extremes
        const x = host([5, 4], 'float32', [
          1,
          3,
          3,
          2,
          1,
          nan,
          5,
          nan,
          -inf,
          2,
          inf,
          inf,
          7,
          7,
          7,
          7,
          0,
          -inf,
          -inf,
          nan,
        ]);
        for (const axis of [0, 1]) {
          const call: KernelCall = (b, xs) => b.argReduce(op, xs[0]!, axis);
          checkKernel(`${base}/ties-nan-inf axis ${axis}`, backend, ctx, [x], call, EXACT);
        }
      },
    });
  }
  return out;
}

interface MatmulSpec {
  label: string;
  /** Logical shapes [..., M, K] and [..., K, N] (stored transposed when the flag is set). */
  a: number[];
  b: number[];
  scale?: number;
}

const MATMUL: MatmulSpec[] = [
  { label: '3x4@4x5', a: [3, 4], b: [4, 5] },
  { label: '1x1@1x1', a: [1, 1], b: [1, 1] },
  { label: 'M=0', a: [0, 3], b: [3, 2] },
  { label: 'K=0', a: [3, 0], b: [0, 2] },
  { label: 'N=0', a: [2, 3], b: [3, 0] },
  { label: 'vector-rows', a: [1, 7], b: [7, 1] },
  { label: 'odd-13x37@37x11', a: [13, 37], b: [37, 11] },
  { label: 'square-64', a: [64, 64], b: [64, 64] },
  { label: 'batch-same', a: [2, 3, 4], b: [2, 4, 5] },
  { label: 'batch-broadcast-b', a: [2, 3, 4], b: [4, 5] },
  { label: 'batch-broadcast-a', a: [3, 4], b: [2, 4, 5] },
  { label: 'batch-broadcast-1', a: [1, 3, 4], b: [2, 4, 5] },
  { label: 'batch-broadcast-rank4', a: [2, 1, 3, 4], b: [3, 4, 2] },
  { label: 'batch-empty', a: [0, 3, 4], b: [4, 5] },
  { label: 'large-magnitude', a: [4, 6], b: [6, 3], scale: 1e15 },
  { label: 'small-magnitude', a: [4, 6], b: [6, 3], scale: 1e-15 },
];

const swapLast = (s: number[]) => [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];

function matmulCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const spec of MATMUL) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const name = `matmul/${spec.label}/transposeA=${tA}/transposeB=${tB}`;
      out.push({
        name,
        kernel: 'matmul',
        run: (backend) => {
          const g = caseRng(ctx, name);
          const s = spec.scale ?? 1;
          const a = uniform(g, tA ? swapLast(spec.a) : spec.a, -s, s);
          const b = uniform(g, tB ? swapLast(spec.b) : spec.b, -1, 1);
          const call: KernelCall = (bk, xs) => bk.matmul(xs[0]!, xs[1]!, tA, tB);
          // summation order is free: 1e-4 of Σ|a·b| per output (backend.ts)
          checkKernel(name, backend, ctx, [a, b], call, scaled(ctx.reference, call, 1e-4, 0));
        },
      });
    }
  }
  out.push({
    name: 'matmul/nan-propagation',
    kernel: 'matmul',
    run: (backend) => {
      // a NaN in row 1 of A poisons row 1 of the output, even where B is zero
      const g = caseRng(ctx, 'matmul/nan-propagation');
      const a = uniform(g, [3, 4]);
      (a.values as Float32Array)[5] = nan;
      const b = uniform(g, [4, 5]);
      (b.values as Float32Array).fill(0, 5, 10);
      const call: KernelCall = (bk, xs) => bk.matmul(xs[0]!, xs[1]!, false, false);
      checkKernel('matmul/nan-propagation', backend, ctx, [a, b], call, scaled(ctx.reference, call, 1e-4, 0));
    },
  });
  return out;
}

export function reduceMatmulCases(ctx: SuiteContext): CaseSpec[] {
  return [...reduceCases(ctx), ...argReduceCases(ctx), ...matmulCases(ctx)];
}

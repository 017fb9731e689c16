/** Conformance cases for the unary elementwise kernel: random inputs, specials, int32. */
import type { UnaryAttrs, UnaryOp } from './backend.js';
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
import type { Generator } from './random.js';

const { NaN: nan } = Number;
const inf = Number.POSITIVE_INFINITY;
/** Ordinary values, large magnitudes and the IEEE specials. */
export const SPECIALS = [0, 1, -1, 0.5, -2.5, 1e30, -1e30, inf, -inf, nan];

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
  {
    op: 'softplus',
    label: 'beta=1/threshold=20',
    attrs: { beta: 1, threshold: 20 },
    domain: [-30, 30],
    specials: SPECIALS,
  },
  {
    op: 'softplus',
    label: 'beta=2/threshold=5',
    attrs: { beta: 2, threshold: 5 },
    domain: [-10, 10],
    specials: SPECIALS,
  },
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
  if (spec.op === 'logicalNot') {
    const v = t.values as Float32Array;
    for (let i = 0; i < v.length; i++) v[i] = Math.max(v[i]!, 0);
  }
  return t;
}

export function unaryCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const spec of UNARY) {
    const base = `unary/${spec.op}${spec.label ? `/${spec.label}` : ''}`;
    const tol = spec.tol ?? ELEMENTWISE;
    const unary: KernelCall = (b, xs) => b.unary(spec.op, xs[0]!, spec.attrs);
    out.push({
      name: base,
      kernel: 'unary',
      run: (backend) => {
        const g = caseRng(ctx, base);
        for (const shape of UNARY_SHAPES) {
          checkKernel(
            `${base} ${JSON.stringify(shape)}`,
            backend,
            ctx,
            [unaryRandom(g, spec, shape)],
            unary,
            tol,
          );
        }
      },
    });
    out.push({
      name: `${base}/specials`,
      kernel: 'unary',
      run: (backend) =>
        checkKernel(
          `${base}/specials ${fmtValues(spec.specials)}`,
          backend,
          ctx,
          [host([spec.specials.length], 'float32', spec.specials)],
          unary,
          tol,
        ),
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

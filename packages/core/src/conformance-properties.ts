/**
 * Property tests (fast-check): kernels on random shapes, with empty and size-1 dims weighted up,
 * against the reference backend. fast-check draws the structure (shapes, axes, flags) and a seed;
 * the values come from core's seeded generator, so each run is reproducible from `seed`.
 */
import fc from 'fast-check';
import type { Backend, ReduceOp } from './backend.js';
import { EXACT, type Tolerance } from './conformance-compare.js';
import { BINARY } from './conformance-elementwise.js';
import {
  type CaseSpec,
  checkKernel,
  type KernelCall,
  type SuiteContext,
  scaled,
  uniform,
} from './conformance-harness.js';
import { ELEMENTWISE, UNARY, unaryRandom } from './conformance-unary.js';
import { Generator } from './random.js';
import { convOutShape } from './reference-conv.js';

/** 0 and 1 come up often: they are where kernels break. */
const dim = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constant(1) },
  { weight: 5, arbitrary: fc.integer({ min: 2, max: 5 }) },
);
const matDim = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.constant(1) },
  { weight: 6, arbitrary: fc.integer({ min: 2, max: 7 }) },
);
const shape = (maxRank = 4) => fc.array(dim, { minLength: 0, maxLength: maxRank });
const seed = fc.integer({ min: 0, max: 0x7fffffff });

/** Drops leading dims and sets random dims to 1: a shape that broadcasts to `out`. */
function broadcastable(g: Generator, out: readonly number[]): number[] {
  const drop = g.randint(0, out.length + 1);
  return out.slice(drop).map((d) => (g.random() < 0.3 ? 1 : d));
}

function property(
  ctx: SuiteContext,
  name: string,
  kernel: string,
  arb: fc.Arbitrary<unknown[]>,
  body: (backend: Backend, args: any[]) => void,
): CaseSpec {
  return {
    name: `property/${name}`,
    kernel,
    run: (backend) => {
      fc.assert(
        fc.property(arb, (args) => body(backend, args)),
        { seed: ctx.seed, numRuns: ctx.numRuns, endOnFailure: false },
      );
    },
  };
}

export function propertyCases(ctx: SuiteContext): CaseSpec[] {
  const sumTol = (call: KernelCall) => scaled(ctx.reference, call, 1e-4, 0);
  return [
    property(
      ctx,
      'unary',
      'unary',
      fc.tuple(fc.integer({ min: 0, max: UNARY.length - 1 }), shape(), seed),
      (b, [k, s, sd]) => {
        const spec = UNARY[k]!;
        const x = unaryRandom(new Generator(sd), spec, s);
        checkKernel(
          `unary ${spec.op} ${JSON.stringify(s)}`,
          b,
          ctx,
          [x],
          (bk, xs) => bk.unary(spec.op, xs[0]!, spec.attrs),
          spec.tol ?? ELEMENTWISE,
        );
      },
    ),
    property(
      ctx,
      'binary-broadcast',
      'binary',
      fc.tuple(fc.integer({ min: 0, max: BINARY.length - 1 }), shape(), seed),
      (b, [k, out, sd]) => {
        const spec = BINARY[k]!;
        const g = new Generator(sd);
        const [sa, sb] = g.random() < 0.5 ? [broadcastable(g, out), out] : [out, broadcastable(g, out)];
        const inputs = [spec.gen(g, sa!, 0), spec.gen(g, sb!, 1)];
        const call: KernelCall = (bk, xs) => bk.binary(spec.op, xs[0]!, xs[1]!);
        checkKernel(
          `binary ${spec.op} ${JSON.stringify(sa)}&${JSON.stringify(sb)}`,
          b,
          ctx,
          inputs,
          call,
          spec.tol ?? ELEMENTWISE,
        );
      },
    ),
    property(
      ctx,
      'reduce',
      'reduce',
      fc.tuple(fc.constantFrom<ReduceOp>('sum', 'prod', 'max', 'min'), shape(), seed),
      (b, [op, s, sd]) => {
        const g = new Generator(sd);
        const axes = (s as number[]).map((_, i) => i).filter(() => g.random() < 0.5);
        const x = op === 'prod' ? uniform(g, s, 0.9, 1.1) : uniform(g, s, -3, 3);
        const call: KernelCall = (bk, xs) => bk.reduce(op, xs[0]!, axes);
        const tol: Tolerance | ReturnType<typeof sumTol> =
          op === 'sum' ? sumTol(call) : op === 'prod' ? { rtol: 1e-4, atol: 0 } : EXACT;
        checkKernel(`reduce ${op} ${JSON.stringify(s)} axes ${JSON.stringify(axes)}`, b, ctx, [x], call, tol);
      },
    ),
    property(
      ctx,
      'matmul',
      'matmul',
      fc.tuple(shape(2), matDim, matDim, matDim, fc.boolean(), fc.boolean(), seed),
      (b, [batch, m, k, n, tA, tB, sd]) => {
        const g = new Generator(sd);
        const [ba, bb] =
          g.random() < 0.5 ? [broadcastable(g, batch), batch] : [batch, broadcastable(g, batch)];
        const a = uniform(g, [...ba, ...(tA ? [k, m] : [m, k])]);
        const w = uniform(g, [...bb, ...(tB ? [n, k] : [k, n])]);
        const call: KernelCall = (bk, xs) => bk.matmul(xs[0]!, xs[1]!, tA, tB);
        checkKernel(
          `matmul ${JSON.stringify(a.shape)}@${JSON.stringify(w.shape)} tA=${tA} tB=${tB}`,
          b,
          ctx,
          [a, w],
          call,
          sumTol(call),
        );
      },
    ),
    property(ctx, 'transpose', 'transpose', fc.tuple(shape(5), seed), (b, [s, sd]) => {
      const g = new Generator(sd);
      const perm = Array.from(g.permutation(s.length));
      checkKernel(
        `transpose ${JSON.stringify(s)} perm ${JSON.stringify(perm)}`,
        b,
        ctx,
        [uniform(g, s)],
        (bk, xs) => bk.transpose(xs[0]!, perm),
        EXACT,
      );
    }),
    property(ctx, 'slice', 'slice', fc.tuple(shape(), seed), (b, [s, sd]) => {
      const g = new Generator(sd);
      const begin = (s as number[]).map((d) => g.randint(0, d + 1));
      const size = (s as number[]).map((d, i) => g.randint(0, d - begin[i]! + 1));
      const what = `slice ${JSON.stringify(s)} begin ${JSON.stringify(begin)} size ${JSON.stringify(size)}`;
      checkKernel(what, b, ctx, [uniform(g, s)], (bk, xs) => bk.slice(xs[0]!, begin, size), EXACT);
    }),
    property(
      ctx,
      'concat',
      'concat',
      fc.tuple(fc.array(dim, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), seed),
      (b, [s, count, sd]) => {
        const g = new Generator(sd);
        const axis = g.randint(0, s.length);
        const shapes = Array.from({ length: count }, () =>
          (s as number[]).map((d, i) => (i === axis ? g.randint(0, 4) : d)),
        );
        const inputs = shapes.map((sh) => uniform(g, sh));
        checkKernel(
          `concat ${JSON.stringify(shapes)} axis ${axis}`,
          b,
          ctx,
          inputs,
          (bk, xs) => bk.concat(xs, axis),
          EXACT,
        );
      },
    ),
    property(
      ctx,
      'conv2d',
      'conv2d',
      fc.tuple(
        fc.tuple(
          fc.integer({ min: 0, max: 2 }),
          fc.integer({ min: 1, max: 7 }),
          fc.integer({ min: 1, max: 7 }),
          fc.integer({ min: 1, max: 4 }),
        ),
        fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 4 }),
        ),
        fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 2 }),
          fc.integer({ min: 1, max: 2 }),
        ),
        fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
        seed,
      ),
      (b, [[n, h, w, cin], [kh, kw, cout], [sh, sw, dh, dw], pads, sd]) => {
        const attrs = {
          strides: [sh, sw] as const,
          dilations: [dh, dw] as const,
          pads: pads as [number, number, number, number],
        };
        const x = [n, h, w, cin] as [number, number, number, number];
        const f = [kh, kw, cin, cout] as [number, number, number, number];
        const y = convOutShape(x, kh, kw, cout, attrs);
        if (h + pads[0] + pads[1] < dh * (kh - 1) + 1 || w + pads[2] + pads[3] < dw * (kw - 1) + 1) return; // no output: core rejects it
        const g = new Generator(sd);
        const what = `x${JSON.stringify(x)} f${JSON.stringify(f)} ${JSON.stringify(attrs)}`;
        const fwd: KernelCall = (bk, xs) => bk.conv2d(xs[0]!, xs[1]!, attrs);
        const bi: KernelCall = (bk, xs) => bk.conv2dBackpropInput(xs[0]!, xs[1]!, x, attrs);
        const bf: KernelCall = (bk, xs) => bk.conv2dBackpropFilter(xs[0]!, xs[1]!, f, attrs);
        checkKernel(`conv2d ${what}`, b, ctx, [uniform(g, x), uniform(g, f)], fwd, sumTol(fwd));
        checkKernel(`conv2dBackpropInput ${what}`, b, ctx, [uniform(g, y), uniform(g, f)], bi, sumTol(bi));
        checkKernel(`conv2dBackpropFilter ${what}`, b, ctx, [uniform(g, x), uniform(g, y)], bf, sumTol(bf));
      },
    ),
  ];
}

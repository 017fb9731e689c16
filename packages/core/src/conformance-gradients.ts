/**
 * Finite-difference cases: the gradient of every differentiable op, computed by autograd on the
 * backend under test, against central differences on the same backend (`gradcheck`). Inputs
 * stay ≥ 0.1 (ten steps) away from kinks, ties and poles, so the differences are valid.
 */
import type { HostTensor } from './conformance-compare.js';
import {
  avoiding,
  awayFromZero,
  type CaseSpec,
  caseRng,
  distinct,
  fromHost,
  host,
  type SuiteContext,
  uniform,
  withBackend,
} from './conformance-harness.js';
import { tidy } from './engine.js';
import { type GradcheckOptions, gradcheck } from './gradcheck.js';
import * as bin from './ops-binary.js';
import { logSoftmax, softmax } from './ops-nn.js';
import * as red from './ops-reduce.js';
import * as un from './ops-unary.js';
import type { Generator } from './random.js';
import type { Tensor } from './tensor.js';

export interface GradSpec {
  name: string;
  kernel: string;
  inputs: (g: Generator) => HostTensor[];
  f: (...xs: Tensor[]) => Tensor;
  options?: GradcheckOptions;
}

/** Turns specs into cases that run `gradcheck` with the backend under test active. */
export function gradCases(ctx: SuiteContext, specs: GradSpec[]): CaseSpec[] {
  return specs.map((s) => ({
    name: `grad/${s.name}`,
    kernel: s.kernel,
    run: (backend) =>
      withBackend(backend, () =>
        tidy(() => {
          const inputs = s.inputs(caseRng(ctx, `grad/${s.name}`)).map(fromHost);
          gradcheck(s.f, inputs, { seed: ctx.seed, ...s.options });
        }),
      ),
  }));
}

const U = [3, 4];
const range = (lo: number, hi: number) => (g: Generator) => [uniform(g, U, lo, hi)];
const away = (lo: number, hi: number) => (g: Generator) => [awayFromZero(g, U, lo, hi)];
const unary = (name: string, f: (x: Tensor) => Tensor, inputs: (g: Generator) => HostTensor[]): GradSpec => ({
  name,
  kernel: 'unary',
  f,
  inputs,
});
const halves = [-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3];

function unarySpecs(): GradSpec[] {
  return [
    unary('neg', un.neg, range(-2, 2)),
    unary('abs', un.abs, away(0.1, 2)),
    unary('square', un.square, range(-2, 2)),
    unary('exp', un.exp, range(-2, 2)),
    unary('expm1', un.expm1, range(-2, 2)),
    unary('log', un.log, range(0.5, 3)),
    unary('log1p', un.log1p, range(-0.5, 3)),
    unary('sqrt', un.sqrt, range(0.5, 3)),
    unary('rsqrt', un.rsqrt, range(0.5, 3)),
    unary('reciprocal', un.reciprocal, away(0.5, 2)),
    unary('sin', un.sin, range(-3, 3)),
    unary('cos', un.cos, range(-3, 3)),
    unary('tanh', un.tanh, range(-2, 2)),
    unary('sigmoid', un.sigmoid, range(-3, 3)),
    unary('erf', un.erf, range(-2, 2)),
    unary('relu', un.relu, away(0.1, 2)),
    unary('leakyRelu', (x) => un.leakyRelu(x, 0.2), away(0.1, 2)),
    unary('elu/alpha=1', (x) => un.elu(x, 1), away(0.1, 2)),
    unary('elu/alpha=0.5', (x) => un.elu(x, 0.5), away(0.1, 2)),
    unary('selu', un.selu, away(0.1, 2)),
    unary('gelu', (x) => un.gelu(x), range(-3, 3)),
    unary('gelu/tanh', (x) => un.gelu(x, 'tanh'), range(-3, 3)),
    unary('softplus', (x) => un.softplus(x), range(-3, 3)),
    // both sides of the linear switch at βx = threshold (x = 2.5), away from it
    unary(
      'softplus/beta=2/threshold=5',
      (x) => un.softplus(x, 2, 5),
      (g) => [avoiding(g, U, -2, 4, [2.5], 0.1)],
    ),
    unary('silu', un.silu, range(-3, 3)),
    unary(
      'clip',
      (x) => un.clip(x, -0.5, 0.7),
      (g) => [avoiding(g, U, -1.5, 1.5, [-0.5, 0.7])],
    ),
    unary('clone', un.clone, range(-2, 2)),
    // piecewise constant: zero gradient away from the jumps
    unary('floor', un.floor, (g) => [avoiding(g, U, -3, 3, halves.filter(Number.isInteger))]),
    unary('ceil', un.ceil, (g) => [avoiding(g, U, -3, 3, halves.filter(Number.isInteger))]),
    unary('round', un.round, (g) => [avoiding(g, U, -3, 3, halves)]),
  ];
}

const BCAST: [string, number[], number[]][] = [
  ['same', [3, 4], [3, 4]],
  ['broadcast', [2, 1, 3], [4, 1]],
  ['scalar', [], [2, 3]],
];

function binarySpecs(): GradSpec[] {
  const specs: GradSpec[] = [];
  const ops: [
    string,
    (a: Tensor, b: Tensor) => Tensor,
    (g: Generator, s: number[]) => HostTensor,
    (g: Generator, s: number[]) => HostTensor,
  ][] = [
    ['add', bin.add, (g, s) => uniform(g, s), (g, s) => uniform(g, s)],
    ['sub', bin.sub, (g, s) => uniform(g, s), (g, s) => uniform(g, s)],
    ['mul', bin.mul, (g, s) => uniform(g, s), (g, s) => uniform(g, s)],
    ['div', bin.div, (g, s) => uniform(g, s), (g, s) => awayFromZero(g, s, 0.5, 2)],
    ['pow', bin.pow, (g, s) => uniform(g, s, 0.5, 2), (g, s) => uniform(g, s, -2, 2)],
    ['atan2', bin.atan2, (g, s) => uniform(g, s), (g, s) => awayFromZero(g, s, 0.5, 2)],
    // |a| ≥ 0.2 and |b| ≤ 0.1: never within 0.1 of each other, and each side wins somewhere
    ['maximum', bin.maximum, (g, s) => awayFromZero(g, s, 0.2, 2), (g, s) => uniform(g, s, -0.1, 0.1)],
    ['minimum', bin.minimum, (g, s) => awayFromZero(g, s, 0.2, 2), (g, s) => uniform(g, s, -0.1, 0.1)],
  ];
  for (const [op, f, ga, gb] of ops) {
    for (const [label, sa, sb] of BCAST) {
      specs.push({ name: `${op}/${label}`, kernel: 'binary', f, inputs: (g) => [ga(g, sa), gb(g, sb)] });
    }
  }
  // mod jumps where a/b is an integer: keep a/b ≥ 0.1 away from one (b is a scalar per column)
  specs.push({
    name: 'mod/broadcast',
    kernel: 'binary',
    f: bin.mod,
    inputs: (g) => {
      const b = awayFromZero(g, [4], 0.7, 2);
      const a = uniform(g, U, -3, 3);
      const av = a.values as Float32Array;
      for (let i = 0; i < av.length; i++) {
        const bv = b.values[i % 4]!;
        while (Math.abs(av[i]! / bv - Math.round(av[i]! / bv)) < 0.1)
          av[i] = Math.fround(-3 + 6 * g.random());
      }
      return [a, b];
    },
  });
  specs.push({
    name: 'where/broadcast',
    kernel: 'where',
    f: (c, a, b) => bin.where(c, a, b),
    inputs: (g) => [host([2, 1], 'int32', [1, 0]), uniform(g, [1, 3]), uniform(g, [2, 3])],
  });
  return specs;
}

function reductionSpecs(): GradSpec[] {
  const specs: GradSpec[] = [];
  const axesList: [string, number | number[] | null, boolean][] = [
    ['all', null, false],
    ['axis=1', 1, false],
    ['axes=[0,2]/keepDims', [0, 2], true],
  ];
  const S = [2, 3, 4];
  for (const [label, axis, keep] of axesList) {
    const r = (
      name: string,
      f: (x: Tensor) => Tensor,
      gen: (g: Generator) => HostTensor = (g) => uniform(g, S),
    ) => specs.push({ name: `${name}/${label}`, kernel: 'reduce', f, inputs: (g) => [gen(g)] });
    r('sum', (x) => red.sum(x, axis, keep));
    r('mean', (x) => red.mean(x, axis, keep));
    // distinct values 0.1 apart: a unique max/min per reduced slice
    r(
      'max',
      (x) => red.max(x, axis, keep),
      (g) => distinct(g, S, 0.1),
    );
    r(
      'min',
      (x) => red.min(x, axis, keep),
      (g) => distinct(g, S, 0.1),
    );
    r(
      'prod',
      (x) => red.prod(x, axis, keep),
      (g) => awayFromZero(g, S, 0.5, 1.5),
    );
    r(
      'variance',
      (x) => red.variance(x, axis, keep),
      (g) => uniform(g, S),
    );
    r('variance/correction=0', (x) => red.variance(x, axis, keep, 0));
    r('std', (x) => red.std(x, axis, keep));
    r('logSumExp', (x) => red.logSumExp(x, axis, keep));
  }
  for (const axis of [0, -1]) {
    specs.push({
      name: `softmax/axis=${axis}`,
      kernel: 'reduce',
      f: (x) => softmax(x, axis),
      inputs: (g) => [uniform(g, S, -3, 3)],
    });
    specs.push({
      name: `logSoftmax/axis=${axis}`,
      kernel: 'reduce',
      f: (x) => logSoftmax(x, axis),
      inputs: (g) => [uniform(g, S, -3, 3)],
    });
  }
  return specs;
}

export function elementwiseGradSpecs(): GradSpec[] {
  return [...unarySpecs(), ...binarySpecs(), ...reductionSpecs()];
}

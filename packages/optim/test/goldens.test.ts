/**
 * PyTorch parity: optimiser trajectories driven by torch's own per-step gradients, LR
 * schedules step by step, and gradient clipping, on every backend present in the repository.
 */
import { type Backend, getBackend, setBackend, type Tensor } from '@gradsight/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  clipGradNorm,
  clipGradValue,
  ExponentialLR,
  LinearLR,
  type LRScheduler,
  MultiStepLR,
  NAdam,
  OneCycleLR,
  type Optimizer,
  RAdam,
  ReduceLROnPlateau,
  RMSprop,
  SequentialLR,
  SGD,
  StepLR,
} from '../src/index.js';
import { testBackends } from './backends.js';
import {
  clipNormCases,
  clipValueCases,
  maxRelError,
  type OptimizerCase,
  optimizerCases,
  type ScheduleCase,
  scheduleCases,
  torchVersion,
  toTensor,
  worstExcess,
} from './fixtures.js';
import { FusedReferenceBackend } from './fused-reference-backend.js';

// torch steps in float64 with float32-rounded gradients; gradsight steps in float32.
const RTOL = 1e-5;
const ATOL = 1e-6;

const CTORS = { SGD, Adam, AdamW, RMSprop, Adagrad, NAdam, RAdam } as const;

function buildOptimizer(
  c: OptimizerCase,
  params: Tensor[],
  extra: Record<string, unknown> = {},
): Optimizer<any> {
  const groups = c.groups.map((g) => ({ params: g.params.map((i) => params[i]!), ...g.options }));
  const Ctor = CTORS[c.optimizer] as unknown as new (p: unknown, o: unknown) => Optimizer<any>;
  return new Ctor(groups, { ...c.defaults, ...extra });
}

/** Runs a golden case; calls `check(step, params)` after every step. */
function runCase(
  c: OptimizerCase,
  extra: Record<string, unknown>,
  check: (step: number, params: Tensor[]) => void,
): void {
  const params = c.initial.map((a) => toTensor(a).requiresGrad_());
  const opt = buildOptimizer(c, params, extra);
  c.steps.forEach((s, k) => {
    params.forEach((p, i) => {
      p.grad?.dispose();
      const g = s.grads[i];
      p.grad = g ? toTensor(g) : null;
    });
    opt.step();
    check(k, params);
  });
  opt.zeroGrad();
  opt.disposeState();
  for (const p of params) p.dispose();
}

const { backends, skipped } = await testBackends();
const worstByBackend = new Map<string, number>();
const previous = getBackend();
afterAll(() => {
  setBackend(previous);
  console.log(
    `optim goldens (torch ${torchVersion}): max relative error per backend`,
    Object.fromEntries(worstByBackend),
  );
});

for (const s of skipped) it.skip(`backend ${s.name}: ${s.reason}`, () => {});

describe.each(backends)('optimiser trajectories on $name', (b) => {
  it.each(optimizerCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const backend: Backend = setBackend(b.create());
    let worst = 0;
    runCase(c, {}, (k, params) => {
      params.forEach((p, i) => {
        const expected = c.steps[k]!.params[i]!.data;
        const actual = p.dataSync();
        worst = Math.max(worst, maxRelError(actual, expected));
        expect(
          worstExcess(actual, expected, RTOL, ATOL),
          `${c.name}: step ${k + 1}, parameter ${i}`,
        ).toBeLessThanOrEqual(0);
      });
    });
    worstByBackend.set(b.name, Math.max(worstByBackend.get(b.name) ?? 0, worst));
    if (backend instanceof FusedReferenceBackend) {
      // the fused kernels must really have run for the optimisers that use them
      if (c.optimizer === 'SGD') expect(backend.calls.sgdUpdate).toBeGreaterThan(0);
      if (c.optimizer === 'Adam' || c.optimizer === 'AdamW')
        expect(backend.calls.adamUpdate).toBeGreaterThan(0);
    }
  });
});

describe.each(backends)('fused and composed updates agree on $name', (b) => {
  const fusable = optimizerCases.filter((c) => ['SGD', 'Adam', 'AdamW'].includes(c.optimizer));
  it.each(fusable.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const backend = setBackend(b.create());
    const kernel = c.optimizer === 'SGD' ? 'sgdUpdate' : 'adamUpdate';
    const trajectories: Float32Array[][] = [[], []];
    const flags = [null, false];
    flags.forEach((fused, run) => {
      runCase(c, { fused }, (_k, params) => {
        for (const p of params) trajectories[run]!.push(p.dataSync() as Float32Array);
      });
    });
    if (!backend[kernel]) {
      // nothing fused to compare on this backend: both runs composed, hence identical
      expect(trajectories[0]).toEqual(trajectories[1]);
      return;
    }
    trajectories[0]!.forEach((fusedValues, j) => {
      expect(
        worstExcess(fusedValues, Array.from(trajectories[1]![j]!), 2e-6, 1e-7),
        `${c.name}: entry ${j}`,
      ).toBeLessThanOrEqual(0);
    });
    if (backend instanceof FusedReferenceBackend)
      expect(backend.calls[kernel]).toBe(c.steps.length * 3 - skippedUpdates(c));
  });
});

function skippedUpdates(c: OptimizerCase): number {
  return c.steps.reduce((n, s) => n + s.grads.filter((g) => g === null).length, 0);
}

function makeScheduler(
  type: string,
  opt: Optimizer<any>,
  options: Record<string, unknown>,
): LRScheduler | SequentialLR | ReduceLROnPlateau {
  const o = options as any;
  switch (type) {
    case 'StepLR':
      return new StepLR(opt, o);
    case 'MultiStepLR':
      return new MultiStepLR(opt, o);
    case 'ExponentialLR':
      return new ExponentialLR(opt, o);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(opt, o);
    case 'CosineAnnealingWarmRestarts':
      return new CosineAnnealingWarmRestarts(opt, o);
    case 'LinearLR':
      return new LinearLR(opt, o);
    case 'OneCycleLR':
      return new OneCycleLR(opt, o);
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(opt, o);
    case 'SequentialLR':
      return new SequentialLR(opt, {
        schedulers: o.schedulers.map((s: { type: string; options: Record<string, unknown> }) =>
          makeScheduler(s.type, opt, s.options),
        ),
        milestones: o.milestones,
      });
    default:
      throw new Error(`unknown scheduler ${type}`);
  }
}

function expectClose(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(
    worstExcess(actual, expected, 1e-12, 1e-16),
    `${what}: got ${actual.join(', ')}, torch ${expected.join(', ')}`,
  ).toBeLessThanOrEqual(0);
}

describe('learning-rate schedules', () => {
  it.each(scheduleCases.map((c) => [c.name, c] as const))('%s', (_name, c: ScheduleCase) => {
    const params = c.optimizer.groupLrs.map(() => toTensor({ shape: [2], data: [0, 0] }).requiresGrad_());
    const groups = params.map((p, i) => ({ params: [p], lr: c.optimizer.groupLrs[i]! }));
    const opt =
      c.optimizer.type === 'SGD'
        ? new SGD(groups, c.optimizer.defaults as { lr: number })
        : new Adam(groups, c.optimizer.defaults);
    const sched = makeScheduler(c.scheduler, opt, c.options);
    const momenta = () =>
      opt.paramGroups.map((g) =>
        'betas' in g ? (g.betas as unknown as number[])[0]! : (g as unknown as { momentum: number }).momentum,
      );
    expectClose(sched.getLastLr(), c.lrs[0]!, 'after construction');
    if (c.momenta) expectClose(momenta(), c.momenta[0]!, 'momentum after construction');
    for (let k = 1; k < c.lrs.length; k++) {
      opt.step();
      if (sched instanceof ReduceLROnPlateau) sched.step(c.metrics![k - 1]!);
      else sched.step();
      expectClose(sched.getLastLr(), c.lrs[k]!, `step ${k}`);
      expectClose(
        opt.paramGroups.map((g) => g.lr),
        c.lrs[k]!,
        `group lr at step ${k}`,
      );
      if (c.momenta) expectClose(momenta(), c.momenta[k]!, `momentum at step ${k}`);
    }
    expect(c.lrs.length).toBeGreaterThanOrEqual(21);
  });
});

describe.each(backends)('gradient clipping on $name', (b) => {
  it.each(clipNormCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    setBackend(b.create());
    const params = c.grads.map((g) => {
      const p = toTensor({ shape: g.shape, data: new Array(g.data.length).fill(0) }).requiresGrad_();
      p.grad = toTensor(g);
      return p;
    });
    const total = clipGradNorm(params, c.maxNorm, {
      normType: c.normType === 'inf' ? Number.POSITIVE_INFINITY : c.normType,
    });
    expect(Math.abs(total - c.totalNorm)).toBeLessThanOrEqual(1e-5 * c.totalNorm);
    params.forEach((p, i) => {
      expect(
        worstExcess(p.grad!.dataSync(), c.clipped[i]!.data, 1e-5, 1e-7),
        `gradient ${i}`,
      ).toBeLessThanOrEqual(0);
    });
  });
  it.each(clipValueCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    setBackend(b.create());
    const params = c.grads.map((g) => {
      const p = toTensor({ shape: g.shape, data: new Array(g.data.length).fill(0) }).requiresGrad_();
      p.grad = toTensor(g);
      return p;
    });
    clipGradValue(params, c.value);
    params.forEach((p, i) => {
      expect(Array.from(p.grad!.dataSync())).toEqual(c.clipped[i]!.data.map(Math.fround));
    });
  });
});

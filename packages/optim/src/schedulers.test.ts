import { scalar, ValueError, zeros } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './cosine-schedules.js';
import { ExponentialLR, MultiStepLR, StepLR } from './decay-schedules.js';
import { LinearLR } from './linear-lr.js';
import type { Scheduler } from './lr-scheduler.js';
import { OneCycleLR } from './one-cycle-lr.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { SequentialLR } from './sequential-lr.js';
import { SGD } from './sgd.js';

const sgd = (lr = 0.1) => new SGD([zeros([1]).requiresGrad_()], { lr, momentum: 0.9 });

function run(s: Scheduler & { step(): void }, n: number): number[] {
  const out = [s.getLastLr()[0]!];
  for (let i = 0; i < n; i++) {
    s.step();
    out.push(s.getLastLr()[0]!);
  }
  return out;
}

describe('schedules', () => {
  it('StepLR, MultiStepLR, ExponentialLR match their closed forms', () => {
    expect(run(new StepLR(sgd(1), { stepSize: 2, gamma: 0.5 }), 5)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(run(new MultiStepLR(sgd(1), { milestones: [3, 1], gamma: 0.5 }), 4)).toEqual([
      1, 0.5, 0.5, 0.25, 0.25,
    ]);
    const exp = run(new ExponentialLR(sgd(1), { gamma: 0.5 }), 3);
    expect(exp).toEqual([1, 0.5, 0.25, 0.125]);
  });

  it('CosineAnnealingLR reaches etaMin at tMax; the recursive form stays within 1e-12 of the closed form', () => {
    const lrs = run(new CosineAnnealingLR(sgd(0.1), { tMax: 10, etaMin: 0.01 }), 20);
    expect(lrs[10]).toBeCloseTo(0.01, 12);
    lrs.forEach((lr, t) => {
      expect(lr).toBeCloseTo(0.01 + 0.045 * (1 + Math.cos((Math.PI * t) / 10)), 12);
    });
  });

  it('state dicts round-trip through JSON and resume identically', () => {
    const a = new OneCycleLR(new Adam([zeros([1]).requiresGrad_()]), { maxLr: 0.1, totalSteps: 30 });
    run(a, 7);
    const optB = new Adam([zeros([1]).requiresGrad_()]);
    optB.loadStateDict(JSON.parse(JSON.stringify(a.optimizer.stateDict())));
    const b = new OneCycleLR(optB, { maxLr: 0.1, totalSteps: 30, lastEpoch: 7 });
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    expect(run(b, 10)).toEqual(run(a, 10));
    expect(optB.paramGroups[0]!.betas).toEqual(a.optimizer.paramGroups[0]!.betas);

    const c = new CosineAnnealingWarmRestarts(sgd(), { t0: 3, tMult: 2 });
    run(c, 5);
    const d = new CosineAnnealingWarmRestarts(sgd(), { t0: 3, tMult: 2 });
    d.optimizer.loadStateDict(c.optimizer.stateDict());
    d.loadStateDict(JSON.parse(JSON.stringify(c.stateDict())));
    expect(run(d, 9)).toEqual(run(c, 9));
  });

  it('OneCycleLR refuses to step past totalSteps', () => {
    const s = new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 3 });
    s.step();
    s.step();
    s.step(); // step index 3 == totalSteps is still allowed, as PyTorch
    expect(() => s.step()).toThrow(/OneCycleLR: tried to step 5 times; the cycle has totalSteps 3/);
  });

  it('OneCycleLR needs momentum or betas to cycle, and totalSteps or epochs×stepsPerEpoch', () => {
    const ada = new Adagrad([zeros([1]).requiresGrad_()]);
    expect(() => new OneCycleLR(ada, { maxLr: 1, totalSteps: 10 })).toThrow(
      /Adagrad has neither; pass cycleMomentum: false/,
    );
    expect(() => new OneCycleLR(ada, { maxLr: 1, totalSteps: 10, cycleMomentum: false })).not.toThrow();
    expect(() => new OneCycleLR(sgd(), { maxLr: 1 })).toThrow(/give totalSteps, or epochs and stepsPerEpoch/);
    expect(() => new OneCycleLR(sgd(), { maxLr: [1, 2], totalSteps: 5 })).toThrow(
      /maxLr has 2 values, expected one per parameter group \(1\)/,
    );
    expect(() => new OneCycleLR(sgd(), { maxLr: 1, totalSteps: 5, annealStrategy: 'exp' as never })).toThrow(
      /invalid annealStrategy: "exp"/,
    );
  });

  it('ReduceLROnPlateau accepts tensor metrics and validates its options', () => {
    const s = new ReduceLROnPlateau(sgd(1), { patience: 0, factor: 0.5 });
    s.step(scalar(1));
    s.step(scalar(2));
    expect(s.getLastLr()).toEqual([0.5]);
    expect(s.stateDict().best).toBe(1);
    const fresh = new ReduceLROnPlateau(sgd(1));
    expect(fresh.stateDict().best).toBeNull(); // Infinity is not JSON
    fresh.loadStateDict(fresh.stateDict());
    expect(fresh.best).toBe(Number.POSITIVE_INFINITY);
    expect(() => new ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow(
      /invalid factor: 1 \(expected a number in \[0, 1\)\)/,
    );
    expect(() => new ReduceLROnPlateau(sgd(), { mode: 'up' as never })).toThrow(/invalid mode: "up"/);
    expect(() => new ReduceLROnPlateau(sgd(), { patience: 1.5 })).toThrow(/invalid patience: 1\.5/);
  });

  it('SequentialLR checks its schedulers and milestones', () => {
    const opt = sgd();
    const other = sgd();
    const a = new LinearLR(opt);
    const b = new ExponentialLR(opt, { gamma: 0.9 });
    expect(
      () =>
        new SequentialLR(opt, { schedulers: [a, new ExponentialLR(other, { gamma: 0.9 })], milestones: [3] }),
    ).toThrow(/schedulers\[1\] belongs to a different optimiser/);
    expect(() => new SequentialLR(opt, { schedulers: [a, b], milestones: [] })).toThrow(
      /expected 1 milestones for 2 schedulers, got 0/,
    );
    expect(() => new SequentialLR(opt, { schedulers: [], milestones: [] })).toThrow(ValueError);
  });

  it('resuming with lastEpoch needs initialLr in the groups', () => {
    expect(() => new StepLR(sgd(), { stepSize: 2, lastEpoch: 4 })).toThrow(
      /parameter group 0 has no initialLr/,
    );
    expect(() => new StepLR(sgd(), { stepSize: 0 })).toThrow(
      /StepLR: invalid stepSize: 0 \(expected an integer ≥ 1\)/,
    );
    expect(() => new LinearLR(sgd(), { startFactor: 0 })).toThrow(/LinearLR: invalid startFactor: 0/);
    expect(() => new CosineAnnealingLR(sgd(), { tMax: -1 })).toThrow(/CosineAnnealingLR: invalid tMax: -1/);
    expect(() => new StepLR({} as never, { stepSize: 1 })).toThrow(/StepLR: expected an Optimizer/);
  });
});

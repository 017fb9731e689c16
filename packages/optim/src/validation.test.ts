import { type Tensor, UnsupportedKernelError, ValueError, zeros } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { NAdam } from './nadam.js';
import { RAdam } from './radam.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

const p = (): Tensor[] => [zeros([2]).requiresGrad_()];

type Case = [string, () => unknown, RegExp];
const CASES: Case[] = [
  [
    'SGD negative lr',
    () => new SGD(p(), { lr: -0.1 }),
    /^SGD: invalid lr: -0\.1 \(expected a finite number ≥ 0\)\.$/,
  ],
  ['SGD NaN lr', () => new SGD(p(), { lr: Number.NaN }), /SGD: invalid lr: NaN/],
  ['SGD infinite lr', () => new SGD(p(), { lr: Number.POSITIVE_INFINITY }), /SGD: invalid lr: Infinity/],
  ['SGD missing lr', () => new SGD(p(), {} as { lr: number }), /SGD: invalid lr: NaN/],
  ['SGD string lr', () => new SGD(p(), { lr: '0.1' as unknown as number }), /SGD: invalid lr: "0\.1"/],
  ['SGD negative momentum', () => new SGD(p(), { lr: 0.1, momentum: -0.5 }), /SGD: invalid momentum: -0\.5/],
  [
    'SGD negative weightDecay',
    () => new SGD(p(), { lr: 0.1, weightDecay: -1e-4 }),
    /SGD: invalid weightDecay: -0\.0001/,
  ],
  [
    'SGD nesterov without momentum',
    () => new SGD(p(), { lr: 0.1, nesterov: true }),
    /nesterov: true requires momentum > 0 and dampening 0, got momentum 0 and dampening 0/,
  ],
  [
    'SGD nesterov with dampening',
    () => new SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
    /got momentum 0\.9 and dampening 0\.1/,
  ],
  [
    'SGD non-boolean nesterov',
    () => new SGD(p(), { lr: 0.1, nesterov: 1 as unknown as boolean }),
    /SGD: invalid nesterov: 1 \(expected true or false\)/,
  ],
  [
    'Adam beta1 = 1',
    () => new Adam(p(), { betas: [1, 0.999] }),
    /Adam: invalid betas\[0\]: 1 \(expected a number in \[0, 1\)\)/,
  ],
  ['Adam negative beta2', () => new Adam(p(), { betas: [0.9, -0.1] }), /Adam: invalid betas\[1\]: -0\.1/],
  [
    'Adam betas not a pair',
    () => new Adam(p(), { betas: [0.9] as unknown as [number, number] }),
    /Adam: invalid betas: \[0\.9\] \(expected a pair/,
  ],
  ['Adam negative eps', () => new Adam(p(), { eps: -1e-8 }), /Adam: invalid eps: -1e-8/],
  [
    'Adam negative weightDecay',
    () => new Adam(p(), { weightDecay: -0.01 }),
    /Adam: invalid weightDecay: -0\.01/,
  ],
  [
    'Adam unknown option',
    () => new Adam(p(), { beta1: 0.9 } as never),
    /Adam: unknown option 'beta1'; known options: lr, betas, eps/,
  ],
  ['AdamW negative lr', () => new AdamW(p(), { lr: -1 }), /AdamW: invalid lr: -1/],
  ['AdamW beta2 = 1', () => new AdamW(p(), { betas: [0.9, 1] }), /AdamW: invalid betas\[1\]: 1/],
  ['RMSprop negative alpha', () => new RMSprop(p(), { alpha: -0.9 }), /RMSprop: invalid alpha: -0\.9/],
  ['RMSprop negative momentum', () => new RMSprop(p(), { momentum: -1 }), /RMSprop: invalid momentum: -1/],
  ['RMSprop negative eps', () => new RMSprop(p(), { eps: -1 }), /RMSprop: invalid eps: -1/],
  ['Adagrad negative lrDecay', () => new Adagrad(p(), { lrDecay: -0.1 }), /Adagrad: invalid lrDecay: -0\.1/],
  [
    'Adagrad negative initialAccumulatorValue',
    () => new Adagrad(p(), { initialAccumulatorValue: -1 }),
    /Adagrad: invalid initialAccumulatorValue: -1/,
  ],
  [
    'NAdam negative momentumDecay',
    () => new NAdam(p(), { momentumDecay: -4e-3 }),
    /NAdam: invalid momentumDecay: -0\.004/,
  ],
  ['NAdam beta1 > 1', () => new NAdam(p(), { betas: [1.5, 0.9] }), /NAdam: invalid betas\[0\]: 1\.5/],
  ['RAdam NaN eps', () => new RAdam(p(), { eps: Number.NaN }), /RAdam: invalid eps: NaN/],
  ['group option', () => new Adam([{ params: p(), lr: -2 }]), /Adam: invalid lr: -2/],
];

describe('bad options raise ValueError naming the option and the value', () => {
  it.each(CASES)('%s', (_name, make, message) => {
    expect(make).toThrow(ValueError);
    expect(make).toThrow(message);
  });

  it('accepts the boundary values', () => {
    expect(() => new SGD(p(), { lr: 0, momentum: 0, weightDecay: 0 })).not.toThrow();
    expect(() => new Adam(p(), { betas: [0, 0], eps: 0 })).not.toThrow();
    expect(() => new SGD(p(), { lr: 0.1, momentum: 0.9, nesterov: true })).not.toThrow();
  });
});

describe('fused option', () => {
  it('fused: true on a backend without the kernel throws UnsupportedKernelError naming kernel and backend', () => {
    const w = zeros([2]).requiresGrad_();
    w.grad = zeros([2]);
    const adam = new Adam([w], { fused: true });
    expect(() => adam.step()).toThrow(UnsupportedKernelError);
    expect(() => adam.step()).toThrow(
      /Backend 'reference' does not support kernel 'adamUpdate': Adam was created with fused: true/,
    );
    expect(adam.state.get(w)).toEqual({}); // the failed step changed nothing
    const sgd = new SGD([w], { lr: 0.1, fused: true });
    expect(() => sgd.step()).toThrow(/kernel 'sgdUpdate'/);
  });

  it('rejects a non-boolean fused', () => {
    expect(() => new Adam(p(), { fused: 'yes' as unknown as boolean })).toThrow(/Adam: invalid fused: "yes"/);
  });
});

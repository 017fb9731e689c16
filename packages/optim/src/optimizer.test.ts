import {
  DTypeError,
  memory,
  noGrad,
  ones,
  ShapeError,
  type Tensor,
  tensor,
  tidy,
  ValueError,
  zeros,
} from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { mlpProblem, snapshot } from '../test/problem.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { NAdam } from './nadam.js';
import type { Optimizer } from './optimizer.js';
import { RAdam } from './radam.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';
import { disposeStateDict, stateDictToJSON } from './state-dict.js';

type Make = (params: Tensor[]) => Optimizer<any>;
const OPTIMISERS: [string, Make][] = [
  [
    'SGD momentum+nesterov+wd',
    (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  ],
  ['SGD momentum+dampening', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.1 })],
  ['Adam amsgrad', (p) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.01 })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.01 })],
  ['RMSprop centered+momentum', (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5 })],
  ['Adagrad lrDecay', (p) => new Adagrad(p, { lr: 0.05, lrDecay: 0.1, initialAccumulatorValue: 0.1 })],
  ['NAdam', (p) => new NAdam(p, { lr: 0.01 })],
  ['RAdam', (p) => new RAdam(p, { lr: 0.01, weightDecay: 0.01 })],
];

function train(opt: Optimizer<any>, backward: () => number, steps: number): number[] {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    losses.push(backward());
    opt.step();
  }
  return losses;
}

describe.each(OPTIMISERS)('%s', (_name, make) => {
  it('resumes exactly from a state dict (train 5, save, train 5 == load into a fresh optimiser and train 5)', () => {
    const a = mlpProblem(3);
    const optA = make(a.params);
    train(optA, a.backward, 5);
    const saved = optA.stateDict();
    const atFive = a.params.map((p) => noGrad(() => p.clone()));
    train(optA, a.backward, 5);

    const b = mlpProblem(3, atFive);
    const optB = make(b.params);
    optB.loadStateDict(saved);
    train(optB, b.backward, 5);
    expect(snapshot(b.params)).toEqual(snapshot(a.params));

    // and through JSON, as a checkpoint file would
    const c = mlpProblem(3, atFive);
    const optC = make(c.params);
    optC.loadStateDict(JSON.parse(JSON.stringify(stateDictToJSON(saved))));
    train(optC, c.backward, 5);
    expect(snapshot(c.params)).toEqual(snapshot(a.params));

    // the snapshot is the caller's: training did not change it
    const again = mlpProblem(3, atFive);
    const optD = make(again.params);
    optD.loadStateDict(saved);
    train(optD, again.backward, 5);
    expect(snapshot(again.params)).toEqual(snapshot(a.params));
    disposeStateDict(saved);
  });

  it('decreases the loss and leaks no tensors per step', () => {
    const prob = mlpProblem(5);
    const opt = make(prob.params);
    const losses = train(opt, prob.backward, 3);
    const before = memory().numTensors;
    losses.push(...train(opt, prob.backward, 20));
    expect(memory().numTensors).toBe(before);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
  });

  it('keeps its state when step() runs inside tidy', () => {
    const prob = mlpProblem(6);
    const opt = make(prob.params);
    tidy(() => {
      prob.backward();
      opt.step();
    });
    for (const st of opt.state.values()) {
      for (const v of Object.values(st)) if (typeof v !== 'number') expect(v.isDisposed).toBe(false);
    }
    prob.backward();
    expect(() => opt.step()).not.toThrow();
  });
});

describe('Optimizer', () => {
  it('accepts a tensor, a list or parameter groups with per-group options', () => {
    const a = zeros([2]).requiresGrad_();
    const b = zeros([3]).requiresGrad_();
    expect(new SGD(a, { lr: 0.1 }).paramGroups[0]!.params).toEqual([a]);
    const opt = new Adam(
      [
        { params: [a], lr: 0.5 },
        { params: b, betas: [0.5, 0.9] },
      ],
      { lr: 0.1, eps: 1e-6 },
    );
    expect(opt.paramGroups.map((g) => [g.lr, g.betas, g.eps])).toEqual([
      [0.5, [0.9, 0.999], 1e-6],
      [0.1, [0.5, 0.9], 1e-6],
    ]);
    // defaults are copied, not shared
    (opt.paramGroups[0]!.betas as unknown as number[])[0] = 0.1;
    expect(opt.defaults.betas[0]).toBe(0.9);
  });

  it('per-group learning rates produce per-group updates', () => {
    const a = ones([1]).requiresGrad_();
    const b = ones([1]).requiresGrad_();
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    a.grad = ones([1]);
    b.grad = ones([1]);
    opt.step();
    expect(a.item()).toBeCloseTo(0.9, 7);
    expect(b.item()).toBeCloseTo(0.5, 7);
  });

  it('addParamGroup adds parameters with their own options and rejects bad groups', () => {
    const a = zeros([2]).requiresGrad_();
    const b = ones([2]).requiresGrad_();
    const opt = new SGD([a], { lr: 0.1, momentum: 0.9 });
    opt.addParamGroup({ params: [b], lr: 0.01 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/already in another parameter group/);
    const c = zeros([1]).requiresGrad_();
    expect(() => opt.addParamGroup({ params: [c, c] })).toThrow(/appears twice/);
    expect(() => opt.addParamGroup({ params: [c], lr: -1 })).toThrow(/SGD: invalid lr: -1/);
    expect(() => opt.addParamGroup({ params: [c], weight_decay: 0.1 } as never)).toThrow(
      /unknown option 'weight_decay' \(gradsight spells options in camelCase\)/,
    );
  });

  it('rejects empty, non-float, non-leaf and non-tensor parameters', () => {
    expect(() => new SGD([], { lr: 0.1 })).toThrow(ValueError);
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
    expect(() => new SGD([tensor([1, 2], [2], 'int32')], { lr: 0.1 })).toThrow(DTypeError);
    const leaf = zeros([2]).requiresGrad_();
    const derived = leaf.mul(2);
    expect(() => new SGD([derived], { lr: 0.1 })).toThrow(/not a leaf/);
    expect(() => new SGD([leaf, {} as Tensor], { lr: 0.1 })).toThrow(
      /parameter 1 of group 0 is not a Tensor/,
    );
    expect(() => new SGD([{} as Tensor], { lr: 0.1 })).toThrow(
      /a parameter group must be an object with 'params'/,
    );
  });

  it('skips parameters without a gradient and leaves their state alone', () => {
    const a = ones([2]).requiresGrad_();
    const b = ones([2]).requiresGrad_();
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = ones([2]);
    opt.step();
    expect(Array.from(b.dataSync())).toEqual([1, 1]);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.get(a)!.step).toBe(1);
  });

  it('rejects a gradient of the wrong shape, naming the parameter', () => {
    const w = zeros([2, 3]).requiresGrad_();
    w.name = 'fc.weight';
    const opt = new SGD([w], { lr: 0.1 });
    w.grad = zeros([3, 2]);
    expect(() => opt.step()).toThrow(ShapeError);
    expect(() => opt.step()).toThrow(/'fc.weight'.*\[3,2\].*expected \[2,3\]/);
  });

  it('returns the closure result from step()', () => {
    const prob = mlpProblem(2);
    const opt = new SGD(prob.params, { lr: 0.1 });
    const loss = opt.step(() => prob.backward());
    expect(typeof loss).toBe('number');
    expect(opt.step()).toBeUndefined();
  });

  it('zeroGrad disposes the gradients by default and zeroes them in place on request', () => {
    const a = ones([3]).requiresGrad_();
    const opt = new SGD([a], { lr: 0.1 });
    const g = tensor([1, Number.NaN, 3]);
    a.grad = g;
    opt.zeroGrad({ setToNone: false });
    expect(a.grad).toBe(g);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(g.isDisposed).toBe(true);
  });

  it('re-validates group options at step time (a schedule or user may change them)', () => {
    const a = ones([1]).requiresGrad_();
    const opt = new Adam([a]);
    a.grad = ones([1]);
    opt.paramGroups[0]!.lr = Number.NaN;
    expect(() => opt.step()).toThrow(/Adam: invalid lr: NaN/);
  });

  it('loadStateDict checks groups, parameter counts and shapes, and restores group options', () => {
    const prob = mlpProblem(4);
    const opt = new Adam(prob.params, { lr: 0.01 });
    prob.backward();
    opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0', '1', '2']);
    expect(sd.paramGroups[0]).toMatchObject({ lr: 0.01, params: [0, 1, 2], betas: [0.9, 0.999] });

    const other = new Adam([zeros([3, 5]).requiresGrad_(), zeros([5]).requiresGrad_()]);
    expect(() => other.loadStateDict(sd)).toThrow(
      /group 0 has 3 parameters in the state dict, 2 in this optimiser/,
    );
    const twoGroups = new Adam([{ params: prob.params.slice(0, 2) }, { params: prob.params.slice(2) }]);
    expect(() => twoGroups.loadStateDict(sd)).toThrow(/1 parameter groups, this optimiser has 2/);
    const wrongShape = new Adam([
      zeros([3, 5]).requiresGrad_(),
      zeros([5]).requiresGrad_(),
      zeros([2, 5]).requiresGrad_(),
    ]);
    expect(() => wrongShape.loadStateDict(sd)).toThrow(ShapeError);
    expect(wrongShape.state.size).toBe(0);

    const fresh = new Adam(prob.params, { lr: 0.5 });
    fresh.loadStateDict(sd);
    expect(fresh.paramGroups[0]!.lr).toBe(0.01);
    expect(fresh.paramGroups[0]!.params).toEqual(prob.params);
    expect(fresh.state.get(prob.params[2]!)!.step).toBe(1);
    const bad = { ...sd, paramGroups: [{ ...sd.paramGroups[0]!, lr: -3 }] };
    expect(() => fresh.loadStateDict(bad)).toThrow(/Adam: invalid lr: -3/);
    disposeStateDict(sd);
  });
});

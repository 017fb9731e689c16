import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  crossEntropy,
  HuberLoss,
  huberLoss,
  MSELoss,
  mseLoss,
  nllLoss,
} from './index.js';

describe('losses', () => {
  it('crossEntropy rejects bad labels and shapes with typed errors', () => {
    const logits = g.zeros([2, 3]);
    expect(() => crossEntropy(logits, g.tensor([0, 1]))).toThrow(g.DTypeError);
    expect(() => crossEntropy(logits, g.tensor([0, 3], [2], 'int32'))).toThrow(
      /label 3 at position 1 is out of range \[0, 3\)/,
    );
    expect(() => crossEntropy(logits, g.tensor([0, 1, 2], [3], 'int32'))).toThrow(g.ShapeError);
    expect(() => crossEntropy(logits, g.tensor([0, 1], [2], 'int32'), { weight: g.ones([2]) })).toThrow(
      /one weight per class/,
    );
    expect(() => crossEntropy(logits, g.tensor([0, 1], [2], 'int32'), { reduction: 'avg' as never })).toThrow(
      g.ValueError,
    );
    expect(() => nllLoss(logits, g.tensor([-1, 1], [2], 'int32'))).toThrow(/out of range/);
  });

  it('uniform logits give ln C; ignored rows contribute nothing', () => {
    const labels = g.tensor([0, 2, 1, 1], [4], 'int32');
    expect(crossEntropy(g.zeros([4, 5]), labels).item()).toBeCloseTo(Math.log(5), 6);
    const logits = g.randn([4, 3], { seed: 1 }).requiresGrad_();
    const ignored = g.tensor([0, -100, 2, -100], [4], 'int32');
    const full = crossEntropy(logits, ignored, { reduction: 'none' }).dataSync();
    expect(full[1]).toBe(0);
    expect(full[3]).toBe(0);
    crossEntropy(logits, ignored).backward();
    const grad = logits.grad!.arraySync() as number[][];
    expect(grad[1]).toEqual([0, 0, 0]);
    expect(grad[3]).toEqual([0, 0, 0]);
  });

  it('module wrappers call the functional forms', () => {
    const x = g.randn([3, 4], { seed: 2 });
    const t = g.randn([3, 4], { seed: 3 });
    expect(new MSELoss({ reduction: 'sum' }).call(x, t).item()).toBeCloseTo(
      mseLoss(x, t, { reduction: 'sum' }).item(),
      5,
    );
    expect(new HuberLoss({ delta: 0.3 }).call(x, t).item()).toBeCloseTo(
      huberLoss(x, t, { delta: 0.3 }).item(),
      6,
    );
    const labels = g.tensor([1, 0, 3], [3], 'int32');
    const ce = new CrossEntropyLoss({ labelSmoothing: 0.1 });
    expect(ce.typeName).toBe('CrossEntropyLoss');
    expect(ce.call(x, labels).item()).toBeCloseTo(crossEntropy(x, labels, { labelSmoothing: 0.1 }).item(), 6);
    expect(new BCEWithLogitsLoss().call(x, g.zeros([3, 4])).item()).toBeGreaterThan(0);
    expect(() => mseLoss(x, g.zeros([4, 3]))).toThrow(g.ShapeError);
  });

  it('accuracy counts argmax hits', () => {
    const logits = g.tensor([
      [0.1, 0.9],
      [0.8, 0.2],
      [0.3, 0.7],
      [0.6, 0.4],
    ]);
    expect(accuracy(logits, g.tensor([1, 0, 0, 0], [4], 'int32'))).toBe(0.75);
  });
});

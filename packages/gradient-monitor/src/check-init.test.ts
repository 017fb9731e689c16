import { tensor } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { batch, mlp, residualNet } from '../test/fixtures.js';
import { checkInit, formatInitReport } from './index.js';

const x = batch(42).x;
const depthKinds = (r: ReturnType<typeof checkInit>) =>
  r.findings.map((f) => f.kind).filter((k) => k === 'vanishing' || k === 'exploding');

describe('checkInit (signal propagation before training)', () => {
  it('sigmoid MLP, default init: χ₁ ≪ 1 and a vanishing finding', () => {
    const r = checkInit(mlp({ depth: 20, act: 'sigmoid' }), x);
    expect(r.chi1).toBeLessThan(0.1);
    expect(r.gradRatioPerLayer).toBeCloseTo(Math.sqrt(r.chi1), 12);
    expect(depthKinds(r)).toEqual(['vanishing']);
    // forward: one entry per leaf module in forward order, each with the variance of its output
    expect(r.layers.map((l) => l.path).slice(0, 4)).toEqual(['0', '1', '2', '3']);
    expect(r.layers.every((l) => Number.isFinite(l.outputVariance))).toBe(true);
    expect(r.layers[0]!.weightLayer).toBe(true);
    expect(r.layers[1]!.typeName).toBe('Sigmoid');
    expect(r.layers[0]!.paramGradNorm).toBeGreaterThan(0);
  });

  it('ReLU + He, BatchNorm-sigmoid and residual nets: χ₁ near 1, no depth finding', () => {
    for (const net of [
      mlp({ depth: 20, act: 'relu', init: 'he' }),
      mlp({ depth: 20, act: 'sigmoid', batchNorm: true }),
      residualNet({ blocks: 10, act: 'relu' }),
    ]) {
      const r = checkInit(net, x);
      expect(depthKinds(r)).toEqual([]);
      expect(r.chi1).toBeGreaterThan(0.5);
      expect(r.chi1).toBeLessThan(2);
    }
  });

  it('tanh with N(0, 9/fan_in) weights: χ₁ > 1 and exploding', () => {
    const r = checkInit(mlp({ depth: 20, act: 'tanh', init: { gain: 3 } }), x);
    expect(r.chi1).toBeGreaterThan(1.3);
    expect(depthKinds(r)).toEqual(['exploding']);
    expect(formatInitReport(r)).toMatch(/χ₁ ≈ \d/);
  });

  it('leaves existing gradients untouched and accepts a loss function', () => {
    const net = mlp({ depth: 3, act: 'relu', seed: 2 });
    const [, w] = net.namedParameters()[0]!;
    const g = tensor(new Float32Array(w.size).fill(7), w.shape);
    w.grad = g;
    const r = checkInit(net, x, (out) => out.square().mean());
    expect(w.grad).toBe(g);
    expect(w.grad!.dataSync()[0]).toBe(7);
    expect(net.namedParameters()[1]![1].grad).toBeNull();
    expect(r.loss).toBeGreaterThan(0);
    expect(() => checkInit({ namedParameters: () => [] }, x)).toThrow(/call\(\.\.\.inputs\) or forward/);
  });
});

import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  calculateGain,
  computeFans,
  Embedding,
  GRU,
  init,
  LayerNorm,
  Linear,
  LSTM,
  PReLU,
  RNN,
} from './index.js';

function stats(t: g.Tensor): { mean: number; std: number; min: number; max: number } {
  const d = t.dataSync();
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of d) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / d.length;
  let sq = 0;
  for (const v of d) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / d.length), min, max };
}

/** Uniform(±bound): fills the range and has std bound/√3 (n large enough for ~2% accuracy). */
function expectUniform(t: g.Tensor, bound: number): void {
  const s = stats(t);
  expect(s.max).toBeLessThanOrEqual(bound);
  expect(s.min).toBeGreaterThanOrEqual(-bound);
  expect(s.max).toBeGreaterThan(0.97 * bound);
  expect(s.min).toBeLessThan(-0.97 * bound);
  expect(s.std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
  expect(Math.abs(s.mean)).toBeLessThan(0.05 * bound);
}

function expectNormal(t: g.Tensor, std: number): void {
  const s = stats(t);
  expect(s.std / std).toBeCloseTo(1, 1);
  expect(Math.abs(s.mean)).toBeLessThan(0.05 * std);
  // a normal, not a uniform, reaches beyond √3·std
  expect(Math.max(s.max, -s.min)).toBeGreaterThan(2.5 * std);
}

describe('calculateGain and fans', () => {
  it('matches torch.nn.init.calculate_gain', () => {
    expect(calculateGain('linear')).toBe(1);
    expect(calculateGain('conv2d')).toBe(1);
    expect(calculateGain('sigmoid')).toBe(1);
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 12);
    expect(calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(calculateGain('selu')).toBe(0.75);
    expect(() => calculateGain('swish' as never)).toThrow(g.ValueError);
  });

  it('computes fans in gradsight layouts (last axis = outputs)', () => {
    expect(computeFans([5, 3])).toEqual({ fanIn: 5, fanOut: 3 });
    expect(computeFans([3, 2, 4, 8])).toEqual({ fanIn: 24, fanOut: 48 });
    expect(() => computeFans([4])).toThrow(/rank ≥ 2/);
  });
});

describe('initialisers', () => {
  const big = () => g.zeros([400, 300]);

  it('kaiming uniform/normal follow gain/√fan for every mode and nonlinearity', () => {
    expectUniform(init.kaimingUniform(big(), { seed: 1 }), Math.SQRT2 * Math.sqrt(3 / 400));
    expectUniform(
      init.kaimingUniform(big(), { seed: 1, mode: 'fanOut', nonlinearity: 'relu' }),
      Math.SQRT2 * Math.sqrt(3 / 300),
    );
    expectUniform(
      init.kaimingUniform(big(), { seed: 1, a: 0.2 }),
      calculateGain('leaky_relu', 0.2) * Math.sqrt(3 / 400),
    );
    expectNormal(init.kaimingNormal(big(), { seed: 2 }), Math.SQRT2 / Math.sqrt(400));
    expectNormal(
      init.kaimingNormal(big(), { seed: 2, mode: 'fanOut', nonlinearity: 'tanh' }),
      5 / 3 / Math.sqrt(300),
    );
    expect(() => init.kaimingNormal(big(), { mode: 'fan_in' as never })).toThrow(g.ValueError);
  });

  it('xavier, lecun, uniform, normal and constants', () => {
    expectUniform(init.xavierUniform(big(), { seed: 3, gain: 2 }), 2 * Math.sqrt(6 / 700));
    expectNormal(init.xavierNormal(big(), { seed: 4 }), Math.sqrt(2 / 700));
    expectNormal(init.lecunNormal(big(), { seed: 5 }), Math.sqrt(1 / 400));
    expectUniform(init.uniform(big(), { seed: 6, low: -3, high: 3 }), 3);
    const n = stats(init.normal(big(), { seed: 7, mean: 2, std: 0.5 }));
    expect(n.mean).toBeCloseTo(2, 2);
    expect(n.std).toBeCloseTo(0.5, 2);
    expect(Array.from(init.constant(g.zeros([3]), 1.5).dataSync())).toEqual([1.5, 1.5, 1.5]);
    expect(Array.from(init.ones(g.zeros([2])).dataSync())).toEqual([1, 1]);
    expect(Array.from(init.zeros(g.ones([2])).dataSync())).toEqual([0, 0]);
  });

  it('orthogonal gives orthonormal columns (tall) or rows (wide), scaled by gain', () => {
    for (const [shape, gain] of [
      [[6, 4], 1],
      [[3, 7], 2],
      [[2, 2, 3, 5], 1],
    ] as const) {
      const w = init.orthogonal(g.zeros(shape), { seed: 8, gain });
      const cols = shape[shape.length - 1]!;
      const m = g.reshape(w, [-1, cols]);
      const gram = m.shape[0]! >= cols ? g.matmul(m, m, true, false) : g.matmul(m, m, false, true);
      const k = gram.shape[0]!;
      const want = g.eye(k).mul(gain * gain);
      const err = Math.max(...Array.from(gram.sub(want).abs().dataSync()));
      expect(err).toBeLessThan(1e-5);
    }
  });

  it('keeps the tensor identity, and the same seed gives the same values', () => {
    const t = g.zeros([3, 4]);
    expect(init.kaimingUniform(t, { seed: 9 })).toBe(t);
    const a = Array.from(init.xavierNormal(g.zeros([3, 4]), { seed: 11 }).dataSync());
    const b = Array.from(init.xavierNormal(g.zeros([3, 4]), { seed: 11 }).dataSync());
    const c = Array.from(init.xavierNormal(g.zeros([3, 4]), { seed: 12 }).dataSync());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const gen = new g.Generator(11);
    expect(Array.from(init.xavierNormal(g.zeros([3, 4]), { generator: gen }).dataSync())).toEqual(a);
    // the generator advanced: the next draw differs
    expect(Array.from(init.xavierNormal(g.zeros([3, 4]), { generator: gen }).dataSync())).not.toEqual(a);
  });
});

describe("layers' default initialisation equals PyTorch's", () => {
  it('Linear and Conv2d: kaiming uniform a=√5 ⇒ U(±1/√fanIn), bias U(±1/√fanIn)', () => {
    const lin = new Linear(300, 400, { seed: 1 });
    expectUniform(lin.weight, 1 / Math.sqrt(300));
    const wide = new Linear(50, 4000, { seed: 2 });
    expectUniform(wide.bias!, 1 / Math.sqrt(50));
    const conv = new Conv2d(16, 64, 3, { seed: 3 });
    expectUniform(conv.weight, 1 / Math.sqrt(16 * 9));
    const convB = new Conv2d(2, 3000, [3, 2], { seed: 4 });
    expectUniform(convB.bias!, 1 / Math.sqrt(2 * 6));
  });

  it('RNN, LSTM, GRU: every tensor U(±1/√hidden)', () => {
    for (const m of [
      new RNN(40, 50, { seed: 5, numLayers: 2 }),
      new LSTM(40, 50, { seed: 6 }),
      new GRU(40, 50, { seed: 7 }),
    ]) {
      const all = g.concat(m.parameters().map((p) => g.reshape(p, [-1])));
      expectUniform(all, 1 / Math.sqrt(50));
    }
  });

  it('Embedding N(0,1) with a zero padding row; norms and PReLU constants', () => {
    const e = new Embedding(500, 40, { seed: 8, paddingIdx: -1 });
    expect(e.paddingIdx).toBe(499);
    expectNormal(g.slice(e.weight, [0, 0], [499, 40]), 1);
    expect(Array.from(g.slice(e.weight, [499, 0], [1, 40]).dataSync()).every((v) => v === 0)).toBe(true);
    const bn = new BatchNorm2d(3);
    expect(Array.from(bn.weight!.dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(bn.bias!.dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(bn.runningVar!.dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(new LayerNorm(2).weight!.dataSync())).toEqual([1, 1]);
    expect(Array.from(new PReLU({ numParameters: 2 }).weight.dataSync())).toEqual([0.25, 0.25]);
  });

  it('{ seed } makes models reproducible; tensors of one layer differ', () => {
    const a = new Linear(3, 3, { seed: 42 });
    const b = new Linear(3, 3, { seed: 42 });
    expect(Array.from(a.weight.dataSync())).toEqual(Array.from(b.weight.dataSync()));
    expect(Array.from(a.bias!.dataSync())).toEqual(Array.from(b.bias!.dataSync()));
    expect(Array.from(a.bias!.dataSync())).not.toEqual(Array.from(a.weight.dataSync()).slice(0, 3));
    const c = new Linear(3, 3, { seed: 43 });
    expect(Array.from(c.weight.dataSync())).not.toEqual(Array.from(a.weight.dataSync()));
  });
});

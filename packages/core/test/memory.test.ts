import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';

describe('memory stays flat in a training loop', () => {
  it('1000 steps of a small MLP with tidy, backward and SGD via assign', () => {
    const x = g.randn([32, 4], { seed: 1 });
    // a smooth target the MLP can fit
    const target = g.tidy(() => g.sin(x.sum(1, true)).mul(0.5));
    const init = (shape: number[], seed: number) =>
      g.randn(shape, { seed, std: 1 / Math.sqrt(shape[0]!) }).requiresGrad_();
    const params = [
      init([4, 16], 2),
      g.zeros([16]).requiresGrad_(),
      init([16, 1], 3),
      g.zeros([1]).requiresGrad_(),
    ];
    const [w1, b1, w2, b2] = params as [g.Tensor, g.Tensor, g.Tensor, g.Tensor];
    const step = (): number =>
      g.tidy(() => {
        const h = g.tanh(g.fusedMatmul(x, w1, b1));
        const loss = h.matmul(w2).add(b2).sub(target).square().mean();
        loss.backward();
        for (const p of params) {
          p.assign(p.sub(p.grad!.mul(0.1)));
          p.grad!.dispose();
          p.grad = null;
        }
        return loss.item();
      });
    let at10: g.MemoryInfo | null = null;
    let first = 0;
    let last = 0;
    for (let i = 1; i <= 1000; i++) {
      last = step();
      if (i === 1) first = last;
      if (i === 10) at10 = g.memory();
    }
    const at1000 = g.memory();
    expect(at1000.numTensors).toBe(at10!.numTensors);
    expect(at1000.numDataIds).toBe(at10!.numDataIds);
    expect(at1000.numBytes).toBe(at10!.numBytes);
    // the loop did real work: the loss fell
    expect(last).toBeLessThan(first / 4);
    for (const t of [x, target, ...params]) t.dispose();
  });

  it('tidy frees intermediates, keeps what is returned and what keep() marks', () => {
    const m0 = g.memory();
    let kept: g.Tensor | null = null;
    const { a, list } = g.tidy(() => {
      const t = g.ones([10]);
      kept = g.keep(t.mul(3));
      const inner = g.tidy(() => g.ones([4]).add(1)); // survives into the outer scope, then dies
      void inner.sum();
      return { a: t.add(1), list: [t.mul(2)] };
    });
    const m1 = g.memory();
    expect(m1.numTensors - m0.numTensors).toBe(3); // a, list[0], kept
    expect(m1.numBytes - m0.numBytes).toBe(3 * 10 * 4);
    for (const t of [a, list[0]!, kept!]) t.dispose();
    expect(g.memory().numBytes).toBe(m0.numBytes);
    expect(g.memory().numTensors).toBe(m0.numTensors);
  });

  it('views share storage until the last one is disposed', () => {
    const m0 = g.memory();
    const x = g.ones([2, 3]);
    const v = x.reshape([3, 2]);
    expect(g.memory().numDataIds).toBe(m0.numDataIds + 1);
    x.dispose();
    expect(Array.from(v.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    v.dispose();
    expect(g.memory().numDataIds).toBe(m0.numDataIds);
    expect(g.memory().numBytes).toBe(m0.numBytes);
  });

  it('a throwing tidy still frees what it made', () => {
    const m0 = g.memory();
    expect(() =>
      g.tidy(() => {
        g.ones([100]).mul(2);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(g.memory().numTensors).toBe(m0.numTensors);
    expect(g.memory().numBytes).toBe(m0.numBytes);
  });
});

describe('seeded random numbers', () => {
  const data = (t: g.Tensor) => Array.from(t.dataSync());

  it('rand, randn, randint and randperm reproduce for a seed and differ across seeds', () => {
    for (const make of [
      (seed: number) => g.rand([50], { seed }),
      (seed: number) => g.randn([50], { seed }),
      (seed: number) => g.randint(-5, 5, [50], { seed }),
      (seed: number) => g.randperm(50, { seed }),
    ]) {
      const a = data(make(1));
      expect(data(make(1))).toEqual(a);
      expect(data(make(2))).not.toEqual(a);
    }
  });

  it('a Generator advances; manualSeed resets the default stream', () => {
    const gen = new g.Generator(42);
    const a = data(g.rand([5], { generator: gen }));
    const b = data(g.rand([5], { generator: gen }));
    expect(b).not.toEqual(a);
    expect(data(g.rand([10], { generator: new g.Generator(42) }))).toEqual([...a, ...b]);
    g.manualSeed(7);
    const c = data(g.randn([8]));
    g.manualSeed(7);
    expect(data(g.randn([8]))).toEqual(c);
  });

  it('distributions have the requested ranges and moments', () => {
    const u = data(g.rand([20000], { seed: 3, low: -2, high: 6 }));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(6);
    const n = data(g.randn([20000], { seed: 4, mean: 1, std: 3 }));
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const sd = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    // standard errors: 3/√20000 ≈ 0.021 for the mean, ≈ 0.015 for the std
    expect(Math.abs(mean - 1)).toBeLessThan(0.1);
    expect(Math.abs(sd - 3)).toBeLessThan(0.1);
    const k = data(g.randint(-3, 4, [7000], { seed: 5 }));
    const counts = new Map<number, number>();
    for (const v of k) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((p, q) => p - q)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
    expect(data(g.randperm(30, { seed: 6 })).sort((p, q) => p - q)).toEqual(
      Array.from({ length: 30 }, (_, i) => i),
    );
  });
});

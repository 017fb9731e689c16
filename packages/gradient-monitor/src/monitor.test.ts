import { tensor, tidy } from '@gradsight/core';
import { Linear, ReLU, Sequential, Sigmoid, Tanh } from '@gradsight/layers';
import { describe, expect, it } from 'vitest';
import { batch, lossOf, mlp, Sgd, sumSquares, train } from '../test/fixtures.js';
import { type StepEvent, watch } from './index.js';
import { A, A_COLS, L, L_COLS, P, P_COLS } from './record.js';

function expectRel(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

describe('GradientMonitor statistics', () => {
  it("statsOn 'js' reports per-layer gradient norms equal to norms computed independently from .grad (exact)", () => {
    const net = mlp({ depth: 4, act: 'tanh', seed: 3 });
    const m = watch(net, { weightsEvery: 1, statsOn: 'js' });
    for (let s = 0; s < 3; s++) {
      tidy(() => {
        for (const p of net.parameters()) p.grad = null;
        const loss = lossOf(net, batch(10 + s));
        loss.backward();
        m.step(loss);
        const rec = m.history.last(1)[0]!;
        for (const layer of m.map.layers) {
          let ss = 0;
          for (const [name, p] of net.namedParameters())
            if (name.startsWith(`${layer.path}.`)) ss += sumSquares(p.grad!);
          expect(rec.layers[layer.index * L_COLS + L.gradNorm]).toBe(Math.sqrt(ss));
        }
        for (const p of m.map.params) {
          const g = p.tensor.grad!.dataSync();
          let mx = 0;
          let sum = 0;
          for (const v of g) {
            mx = Math.max(mx, Math.abs(v));
            sum += v;
          }
          expect(rec.params[p.index * P_COLS + P.gradNorm]).toBe(Math.sqrt(sumSquares(p.tensor.grad!)));
          expect(rec.params[p.index * P_COLS + P.gradMaxAbs]).toBe(mx);
          expect(rec.params[p.index * P_COLS + P.gradMean]).toBeCloseTo(sum / g.length, 12);
          expect(rec.params[p.index * P_COLS + P.weightNorm]).toBe(Math.sqrt(sumSquares(p.tensor)));
        }
      });
    }
    expect(m.history.length).toBe(3);
    expect(m.map.layers.map((l) => l.path)).toEqual(['0', '2', '4', '6']);
  });

  it("statsOn 'backend' computes the same gradient statistics as float32 kernels", () => {
    const net = mlp({ depth: 3, act: 'tanh', seed: 8 });
    const exact = watch(net, { statsOn: 'js' });
    const fast = watch(net, { statsOn: 'backend' });
    // the default keeps norms exactly reproducible from .grad
    expect(watch(net).options.statsOn).toBe('js');
    tidy(() => {
      const loss = lossOf(net, batch(2));
      loss.backward();
      exact.step(loss);
      fast.step(loss);
    });
    const [a, b] = [exact.history.last(1)[0]!, fast.history.last(1)[0]!];
    for (const p of exact.map.params) {
      const o = p.index * P_COLS;
      expect(Number.isNaN(a.params[o + P.updateRatio]!)).toBe(true);
      for (const c of [P.gradNorm, P.gradStd, P.gradMeanAbs, P.weightNorm])
        expectRel(b.params[o + c]!, a.params[o + c]!, 1e-5);
      expect(b.params[o + P.gradMaxAbs]).toBe(a.params[o + P.gradMaxAbs]);
      // the mean is a sum of signed terms: compare against the scale of the terms
      expect(Math.abs(b.params[o + P.gradMean]! - a.params[o + P.gradMean]!)).toBeLessThan(
        1e-5 * a.params[o + P.gradMeanAbs]!,
      );
    }
    expect(() => watch(net, { statsOn: 'gpu' as never })).toThrow(/statsOn must be/);
    // update ratios from backend copies agree with the exact ones
    const twin = mlp({ depth: 3, act: 'tanh', seed: 8 });
    const runs = [watch(net, { statsOn: 'js' }), watch(twin, { statsOn: 'backend' })].map((mon, k) => {
      const model = k === 0 ? net : twin;
      const opt = mon.wrapOptimizer(new Sgd(model.parameters(), 0.1));
      tidy(() => {
        opt.zeroGrad();
        const loss = lossOf(model, batch(4));
        loss.backward();
        mon.afterBackward(loss);
        opt.step();
      });
      return mon.history.last(1)[0]!;
    });
    for (let i = 0; i < runs[0]!.params.length; i += P_COLS) {
      expectRel(runs[1]!.params[i + P.updateRatio]!, runs[0]!.params[i + P.updateRatio]!, 1e-4);
    }
  });

  it('measures ‖Δw‖/‖w‖ from weight snapshots around a wrapped optimiser step', () => {
    const net = mlp({ depth: 3, act: 'relu', seed: 4 });
    // the exact float64 path; the backend path is compared with it in the test above
    const m = watch(net, { statsOn: 'js' });
    const opt = m.wrapOptimizer(new Sgd(net.parameters(), 0.1));
    tidy(() => {
      opt.zeroGrad();
      const before = net.parameters().map((p) => p.dataSync().slice());
      const loss = lossOf(net, batch(5));
      loss.backward();
      m.afterBackward(loss);
      opt.step();
      const rec = m.history.last(1)[0]!;
      expect(rec.hasUpdate).toBe(true);
      net.parameters().forEach((p, i) => {
        const after = p.dataSync();
        let d = 0;
        let w = 0;
        for (let k = 0; k < after.length; k++) {
          d += (after[k]! - before[i]![k]!) ** 2;
          w += before[i]![k]! ** 2;
        }
        expect(rec.params[i * P_COLS + P.updateNorm]).toBe(Math.sqrt(d));
        expect(rec.params[i * P_COLS + P.updateRatio]).toBe(Math.sqrt(d) / Math.sqrt(w));
        expect(d).toBeGreaterThan(0);
      });
    });
    expect(m.currentStep).toBe(1);
  });

  it('records every N steps, histograms every M steps, and honours include/exclude', () => {
    const net = mlp({ depth: 3, act: 'relu', seed: 5 });
    const m = watch(net, { every: 3, histograms: true, histogramEvery: 4, bins: 8, exclude: [/bias$/] });
    train(net, m, 10);
    expect(m.history.values().map((r) => r.step)).toEqual([0, 3, 4, 6, 8, 9]);
    expect(m.histograms.values().map((h) => h.step)).toEqual([0, 4, 8]);
    expect(m.map.params.map((p) => p.name)).toEqual(['0.weight', '2.weight', '4.weight']);
    const h = m.histograms.last(1)[0]!;
    expect(h.grad[0]!.counts.reduce((a, b) => a + b, 0)).toBe(16 * 32);
    expect(h.weight[0]!.counts).toHaveLength(8);
    const only = watch(net, { include: ['2'] });
    expect(only.map.params.map((p) => p.name)).toEqual(['2.weight', '2.bias']);
    expect(() => watch(net, { include: ['nope'] })).toThrow(/no parameters selected/);
    expect(() => watch(net, { every: 0 })).toThrow(/'every' must be an integer ≥ 1/);
    m.close();
    only.close();
  });

  it('computes dead-ReLU and saturation fractions from forward hooks', () => {
    const lin = new Linear(2, 4, { seed: 1 });
    // unit 0 always 0, unit 1 always positive, units 2 and 3 depend on the example
    lin.weight.assign(
      tensor([
        [0, 0, 1, -1],
        [0, 0, 0, 0],
      ]),
    );
    lin.bias!.assign(tensor([-1, 1, 0, 0]));
    const net = new Sequential(
      lin,
      new ReLU(),
      new Linear(4, 3, { seed: 2 }),
      new Tanh(),
      new Linear(3, 3, { seed: 3 }),
      new Sigmoid(),
    );
    const m = watch(net, { deadWindow: 2 });
    const x1 = tensor([
      [1, 0],
      [2, 0],
    ]); // unit 3 dead in this batch
    const x2 = tensor([
      [-1, 0],
      [-2, 0],
    ]); // unit 2 dead in this batch
    for (const x of [x1, x2]) {
      tidy(() => {
        const loss = net.call(x).sum();
        loss.backward();
        m.step(loss);
      });
    }
    const [r1, r2] = m.history.values();
    const relu = m.activations.find((a) => a.module.typeName === 'ReLU')!;
    expect(r1!.acts[relu.index * A_COLS + A.deadFraction]).toBe(0.5);
    expect(r2!.acts[relu.index * A_COLS + A.deadFraction]).toBe(0.5);
    // over the window of two steps only unit 0 never fired
    expect(r2!.acts[relu.index * A_COLS + A.deadFractionWindow]).toBe(0.25);
    expect(r1!.acts[relu.index * A_COLS + A.deadFractionWindow]).toBeNaN();
    const tanh = m.activations.find((a) => a.module.typeName === 'Tanh')!;
    expect(r1!.acts[tanh.index * A_COLS + A.deadFraction]).toBeNaN();
    const sat = r1!.acts[tanh.index * A_COLS + A.saturatedFraction]!;
    expect(sat).toBeGreaterThanOrEqual(0);
    expect(sat).toBeLessThanOrEqual(1);
  });

  it('counts saturated tanh and sigmoid outputs against the configured limits', () => {
    const big = new Linear(1, 4, { seed: 1 });
    big.weight.assign(tensor([[10, 1, 0.01, -10]]));
    big.bias!.assign(tensor([0, 0, 0, 0]));
    const netT = new Sequential(big, new Tanh());
    const netS = new Sequential(big, new Sigmoid());
    const x = tensor([[1]]);
    const count = (net: Sequential, sat?: { tanh?: number }) => {
      const m = watch(net, sat ? { saturation: sat } : {});
      tidy(() => {
        const l = net.call(x).sum();
        l.backward();
        m.step(l);
      });
      m.close();
      return m.history.last(1)[0]!.acts[0 * A_COLS + A.saturatedFraction];
    };
    // tanh(10), tanh(-10) saturated; tanh(1) = 0.76 and tanh(0.01) are not
    expect(count(netT)).toBe(0.5);
    expect(count(netT, { tanh: 0.7 })).toBe(0.75);
    // sigmoid(10) > 0.97, sigmoid(-10) < 0.03; sigmoid(1) = 0.73
    expect(count(netS)).toBe(0.5);
  });

  it('does not pile hooks onto a reused input that requires grad (saliency-style loops)', () => {
    const net = mlp({ depth: 3, act: 'relu', seed: 7 });
    const m = watch(net);
    const x = batch(1).x.requiresGrad_();
    for (let s = 0; s < 5; s++) {
      tidy(() => {
        const loss = net.call(x).sum();
        loss.backward();
        m.step(loss);
      });
    }
    expect(x.hooks).toHaveLength(0);
    expect(m.history.length).toBe(5);
  });

  it('works on a plain structural object without @gradsight/layers', () => {
    const w = tensor([
      [1, 2],
      [3, 4],
    ]).requiresGrad_();
    const model = { namedParameters: () => [['w', w]] as [string, typeof w][] };
    const m = watch(model);
    tidy(() => {
      const loss = w.square().sum();
      loss.backward();
      m.step(loss);
    });
    const rec = m.history.last(1)[0]!;
    expect(rec.layers[L.gradNorm]).toBe(Math.sqrt(4 + 16 + 36 + 64));
    expect(m.map.layers[0]!.path).toBe('');
    expect(m.activations).toHaveLength(0);
  });

  it("emits 'step' events with named layer statistics and unsubscribes", () => {
    const net = mlp({ depth: 3, act: 'sigmoid', seed: 6 });
    const m = watch(net);
    const seen: StepEvent[] = [];
    const off = m.on('step', (e) => seen.push(e));
    train(net, m, 2);
    off();
    train(net, m, 1);
    expect(seen.map((e) => e.step)).toEqual([0, 1]);
    expect(seen[0]!.layers.map((l) => l.path)).toEqual(['0', '2', '4']);
    expect(seen[0]!.layers[0]!.updateRatio).toBeGreaterThan(0);
    expect(seen[0]!.activations.map((a) => a.typeName)).toEqual(['Sigmoid', 'Sigmoid']);
    expect(seen[0]!.loss).toBeGreaterThan(0);
  });
});

import * as g from '@gradsight/core';
import { watch } from '@gradsight/gradient-monitor';
import { describe, expect, it } from 'vitest';
import { makeCaseData } from './data.js';
import { gradsightEngine, monitorOptions } from './engine-gradsight.js';
import { baselineOf } from './runner.js';

const engine = gradsightEngine('gs-ref', new g.ReferenceBackend(), 'test', 'reference');

describe('gradsight engine (reference backend, tiny shapes)', () => {
  it('computes Aᵀ·B for a transposed matmul case', async () => {
    const spec = { kind: 'matmul' as const, m: 2, k: 3, n: 2, transposeA: true, transposeB: false };
    const data = makeCaseData(spec);
    const p = await engine.prepare(spec, data);
    const a = data.a!.values; // [k, m]
    const b = data.b!.values; // [k, n]
    const want = [0, 1, 2, 3].map((idx) => {
      const [i, j] = [idx >> 1, idx & 1];
      let s = 0;
      for (let t = 0; t < 3; t++) s += a[t * 2 + i]! * b[t * 2 + j]!;
      return s;
    });
    const got = Array.from(p.check());
    for (const [i, w] of want.entries()) expect(got[i]).toBeCloseTo(w, 5);
    p.run();
    p.dispose();
  });

  it('runs an MLP step without leaking tensors, and its check is the first weight gradient', async () => {
    const spec = { kind: 'mlpStep' as const, layers: [5, 4, 3], batch: 2 };
    const data = makeCaseData(spec);
    const before = engine.liveTensors();
    const p = await engine.prepare(spec, data);
    const grad0 = p.check();
    expect(grad0).toHaveLength(5 * 4);
    expect(grad0.some((x) => x !== 0)).toBe(true);
    // The check reads the initial state: a step in between changes the next check.
    expect(Array.from(p.check())).toEqual(Array.from(grad0));
    p.run();
    expect(Array.from(p.check())).not.toEqual(Array.from(grad0));
    p.dispose();
    expect(engine.liveTensors()).toBe(before);
  });

  it('runs the monitored MLP step: same training as the plain step, monitor recording, no leak', async () => {
    const plainSpec = { kind: 'mlpStep' as const, layers: [5, 4, 3], batch: 2 };
    const data = makeCaseData(plainSpec);
    const before = engine.liveTensors();
    const plain = await engine.prepare(plainSpec, data);
    const initial = Array.from(plain.check());
    for (const histogramEvery of [null, 2]) {
      const spec = { kind: 'mlpStepMonitored' as const, layers: [5, 4, 3], batch: 2, histogramEvery };
      const p = await engine.prepare(spec, makeCaseData(spec));
      expect(Array.from(p.check())).toEqual(initial);
      p.run();
      p.run();
      // the monitor does not change the training: after the same steps the checks agree
      if (histogramEvery === null) {
        plain.run();
        plain.run();
        expect(Array.from(p.check())).toEqual(Array.from(plain.check()));
      }
      p.dispose();
    }
    plain.dispose();
    expect(engine.liveTensors()).toBe(before);
  });

  it("records gradient statistics every step with the monitored cases' options", () => {
    expect(monitorOptions(null)).toEqual({ updateRatio: false });
    expect(monitorOptions(10)).toEqual({ updateRatio: false, histograms: true, histogramEvery: 10 });
    const w = g.tensor([1, -2, 3, 4], [2, 2]).requiresGrad_();
    const m = watch({ namedParameters: () => [['0.weight', w]] }, monitorOptions(1));
    const norms: number[] = [];
    m.on('step', (e) => norms.push(e.layers[0]!.gradNorm));
    for (let s = 0; s < 3; s++) {
      g.tidy(() => {
        w.grad = null;
        g.sum(g.square(w)).backward();
        m.step();
      });
    }
    expect(m.recordedSteps).toBe(3);
    expect(m.histograms.length).toBe(3);
    // ∂Σw²/∂w = 2w: ‖g‖ = 2·‖w‖ = 2·√30
    expect(norms).toHaveLength(3);
    for (const n of norms) expect(n).toBeCloseTo(2 * Math.sqrt(30), 5);
  });

  it('measures a monitored step against the same MLP step without the monitor', () => {
    expect(baselineOf({ kind: 'mlpStepMonitored', layers: [5, 4, 3], batch: 2, histogramEvery: 10 })).toEqual(
      {
        kind: 'mlpStep',
        layers: [5, 4, 3],
        batch: 2,
      },
    );
    expect(baselineOf({ kind: 'mlpStep', layers: [5, 4, 3], batch: 2 })).toBeNull();
  });

  it('reports the fused Adam case as n/a on a backend without the kernel', () => {
    expect(engine.cannotRun({ kind: 'adam', variant: 'fused', layers: [2, 2] })).toMatchObject({
      status: 'n/a',
    });
    expect(engine.cannotRun({ kind: 'adam', variant: 'composed', layers: [2, 2] })).toBeNull();
  });
});

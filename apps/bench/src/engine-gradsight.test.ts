import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { makeCaseData } from './data.js';
import { gradsightEngine } from './engine-gradsight.js';

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

  it('reports the fused Adam case as n/a on a backend without the kernel', () => {
    expect(engine.cannotRun({ kind: 'adam', variant: 'fused', layers: [2, 2] })).toMatchObject({
      status: 'n/a',
    });
    expect(engine.cannotRun({ kind: 'adam', variant: 'composed', layers: [2, 2] })).toBeNull();
  });
});

import { setBackend } from '@gradsight/core';
import { createWasmBackend } from '@gradsight/tensor-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { deepMlp } from './deep-net.js';
import { twoSpirals } from './spirals.js';
import { trainWithMonitor } from './train.js';

describe('main demo', () => {
  beforeAll(async () => {
    setBackend(await createWasmBackend());
  });

  it('the sigmoid net does not learn and the monitor says vanishing; the remedied net learns', () => {
    const data = twoSpirals(128, { seed: 7 });
    const bad = trainWithMonitor(deepMlp('sigmoid-default', { seed: 1 }), data, { steps: 80 });
    const good = trainWithMonitor(deepMlp('relu-he-batchnorm', { seed: 1 }), data, { steps: 80 });
    expect(bad.findings.map((f) => f.kind)).toContain('vanishing');
    expect(bad.accuracy).toBeLessThan(0.6);
    expect(good.accuracy).toBeGreaterThan(0.85);
    expect(good.losses.at(-1)!).toBeLessThan(0.5 * bad.losses.at(-1)!);
    expect(good.findings.map((f) => f.kind)).not.toContain('vanishing');
  });

  it('spirals are seeded', () => {
    const a = twoSpirals(10, { seed: 3 });
    const b = twoSpirals(10, { seed: 3 });
    const c = twoSpirals(10, { seed: 4 });
    expect(Array.from(a.x.dataSync())).toEqual(Array.from(b.x.dataSync()));
    expect(Array.from(a.x.dataSync())).not.toEqual(Array.from(c.x.dataSync()));
    expect(Array.from(a.y.dataSync())).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
  });
});

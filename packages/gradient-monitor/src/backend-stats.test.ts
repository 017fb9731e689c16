import { randn, tensor } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { backendValueStats } from './backend-stats.js';
import { valueStats } from './stats.js';

describe('backendValueStats', () => {
  it('gives the float64 statistics to float32 accuracy and max|x| exactly, for every view shape', () => {
    // sizes that take the [n/c, c] max path (64·k, 4096, 200 704) and ones that do not (10, 63)
    const sizes = [10, 63, 64, 640, 4096, 784 * 256];
    const ts = sizes.map((n, i) => randn([n], { seed: 20 + i }).mul(0.01 * (i + 1)));
    const got = backendValueStats(ts);
    ts.forEach((t, i) => {
      const want = valueStats(t.dataSync());
      const g = got[i]!;
      expect(g.n).toBe(want.n);
      expect(g.maxAbs).toBe(want.maxAbs);
      expect(Math.abs(g.sumSq - want.sumSq)).toBeLessThanOrEqual(1e-5 * want.sumSq);
      expect(Math.abs(g.sumAbs - want.sumAbs)).toBeLessThanOrEqual(1e-5 * want.sumAbs);
      expect(Math.abs(g.sum - want.sum)).toBeLessThanOrEqual(1e-5 * want.sumAbs);
    });
  });

  it('propagates a single NaN or Inf anywhere into Σx² and max|x|', () => {
    for (const [n, at, bad] of [
      [4096, 4095, Number.NaN],
      [4096, 7, Number.NEGATIVE_INFINITY],
      [63, 30, Number.NaN],
      [640, 0, Number.POSITIVE_INFINITY],
    ] as const) {
      const v = new Float32Array(n).map((_, k) => Math.sin(k));
      v[at] = bad;
      const [s] = backendValueStats([tensor(v, [n])]);
      expect(Number.isFinite(s!.sumSq)).toBe(false);
      if (Number.isNaN(bad)) expect(s!.maxAbs).toBeNaN();
      else expect(s!.maxAbs).toBe(Infinity);
    }
  });
});

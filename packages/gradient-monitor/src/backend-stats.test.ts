import { randn, tensor } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { backendValueStats, SMALL_TENSOR } from './backend-stats.js';
import { valueStats } from './stats.js';

describe('backendValueStats', () => {
  it('gives the float64 statistics to float32 accuracy and max|x| exactly, for every view shape', () => {
    // small tensors read whole (0, 10, 4096), large ones through kernels, with the [n/c, c] max
    // path (4160 = 64·65, 8192, 200 704) and without it (4099, 4112 = 16·257)
    const sizes = [0, 10, 4096, 4099, 4112, 4160, 8192, 784 * 256];
    const ts = sizes.map((n, i) => randn([n], { seed: 20 + i }).mul(0.01 * (i + 1)));
    const got = backendValueStats(ts);
    ts.forEach((t, i) => {
      const want = valueStats(t.dataSync());
      const g = got[i]!;
      expect(g.n).toBe(want.n);
      expect(g.maxAbs).toBe(want.maxAbs);
      if (t.size <= SMALL_TENSOR) expect(g).toEqual(want);
      expect(Math.abs(g.sumSq - want.sumSq)).toBeLessThanOrEqual(1e-5 * want.sumSq);
      expect(Math.abs(g.sumAbs - want.sumAbs)).toBeLessThanOrEqual(1e-5 * want.sumAbs);
      expect(Math.abs(g.sum - want.sum)).toBeLessThanOrEqual(1e-5 * want.sumAbs);
    });
  });

  it('propagates a single NaN or Inf anywhere into Σx² and max|x|', () => {
    for (const [n, at, bad] of [
      [8192, 8191, Number.NaN],
      [8192, 7, Number.NEGATIVE_INFINITY],
      [4099, 4000, Number.NaN],
      [4112, 0, Number.POSITIVE_INFINITY],
      [4160, 4159, Number.POSITIVE_INFINITY],
      [63, 30, Number.NaN],
    ] as const) {
      const v = new Float32Array(n).map((_, k) => Math.sin(k));
      v[at] = bad;
      const [s] = backendValueStats([tensor(v, [n])]);
      expect(Number.isFinite(s!.sumSq)).toBe(false);
      // large tensors: the kernels' NaN-propagating max; small ones: the exact scan's counts
      if (n <= SMALL_TENSOR) expect(s!.nan + s!.posInf + s!.negInf).toBe(1);
      else if (Number.isNaN(bad)) expect(s!.maxAbs).toBeNaN();
      else expect(s!.maxAbs).toBe(Infinity);
    }
  });
});

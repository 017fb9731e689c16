import { describe, expect, it } from 'vitest';
import { computeHistogram } from './histogram.js';
import { diffSumSq, firstNonFinite, mean, median, std, valueStats } from './stats.js';

describe('valueStats', () => {
  it('matches the textbook definitions on float32 data', () => {
    const d = new Float32Array([3, -4, 0.5, -0.25, 2]);
    const s = valueStats(d);
    expect(s.n).toBe(5);
    expect(s.sumSq).toBe(9 + 16 + 0.25 + 0.0625 + 4);
    expect(s.sumAbs).toBe(9.75);
    expect(s.maxAbs).toBe(4);
    expect(mean(s)).toBeCloseTo(0.25, 15);
    const m = 0.25;
    const v = [...d].reduce((a, x) => a + (x - m) ** 2, 0) / 5;
    expect(std(s)).toBeCloseTo(Math.sqrt(v), 12);
    expect(s.firstNonFinite).toBe(-1);
  });

  it('counts NaN and infinities and keeps max|x| over the finite values', () => {
    const s = valueStats(new Float32Array([1, Number.NaN, -7, Infinity, -Infinity, Number.NaN]));
    expect([s.nan, s.posInf, s.negInf, s.firstNonFinite, s.maxAbs]).toEqual([2, 1, 1, 1, 7]);
    expect(firstNonFinite([0, 1, -Infinity])).toBe(2);
    expect(firstNonFinite([0, 1])).toBe(-1);
  });

  it('diffSumSq and median', () => {
    expect(diffSumSq([1, 2, 3], [1, 0, 6])).toBe(13);
    expect(median([3, 1, Number.NaN, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([Number.NaN])).toBeNaN();
  });
});

describe('computeHistogram', () => {
  it('linear bins span ±max|x| symmetrically', () => {
    const h = computeHistogram(
      [-2, -1, 0, 0.5, 2, Number.NaN],
      { bins: 4, scale: 'linear', logRange: [-12, 2] },
      2,
    );
    expect(h.edges).toEqual([-2, -1, 0, 1, 2]);
    expect(h.counts).toEqual([1, 1, 2, 1]);
    expect(h.nonFinite).toBe(1);
  });

  it('log bins use fixed decades of |x| and count zeros and out-of-range apart', () => {
    const h = computeHistogram(
      [0, 1e-13, 1e-5, -1e-5, 0.5, 1e3],
      { bins: 3, scale: 'log', logRange: [-6, 0] },
      1e3,
    );
    expect(h.edges).toEqual([-6, -4, -2, 0]);
    expect(h.counts).toEqual([2, 0, 1]);
    expect([h.zeros, h.underflow, h.overflow]).toEqual([1, 1, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { maxRelDiff, median } from './stats.js';

describe('median', () => {
  it('takes the middle of an odd count, unsorted', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });
  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('is robust to one huge outlier (a GC pause)', () => {
    expect(median([1, 1.1, 0.9, 1, 500])).toBe(1);
  });
  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
  it('rejects an empty list', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('maxRelDiff', () => {
  it('is 0 for equal arrays', () => {
    expect(maxRelDiff([1, -2, 3], [1, -2, 3])).toBe(0);
  });
  it('scales the worst absolute difference by the reference infinity norm', () => {
    // worst |diff| = 0.5 at index 0; max |ref| = 4
    expect(maxRelDiff([1.5, 4, 0.1], [1, -4, 0.2])).toBeCloseTo(8 / 4, 12);
    expect(maxRelDiff([1.5, -4, 0.2], [1, -4, 0.2])).toBeCloseTo(0.125, 12);
  });
  it('does not blow up on reference values near zero', () => {
    expect(maxRelDiff([1e-9, 10], [0, 10])).toBeCloseTo(1e-10, 20);
  });
  it('treats NaN and length mismatches as infinitely wrong', () => {
    expect(maxRelDiff([Number.NaN, 1], [1, 1])).toBe(Number.POSITIVE_INFINITY);
    expect(maxRelDiff([1], [1, 1])).toBe(Number.POSITIVE_INFINITY);
    expect(maxRelDiff([1, 1], [0, 0])).toBe(Number.POSITIVE_INFINITY);
  });
});

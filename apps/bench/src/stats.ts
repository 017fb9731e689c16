/** Small statistics used to summarise timing samples and compare outputs between engines. */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: needs at least one value, got an empty list.');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Largest absolute difference divided by the largest magnitude of the reference. Elementwise
 * relative error explodes on values near zero (sums of products cancel), so the scale is the
 * reference's infinity norm. NaN or a length mismatch gives Infinity: wrong is never "close".
 */
export function maxRelDiff(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const d = Math.abs(actual[i]! - r);
    if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
    if (Math.abs(r) > scale) scale = Math.abs(r);
    if (d > worst) worst = d;
  }
  if (worst === 0) return 0;
  return scale === 0 ? Number.POSITIVE_INFINITY : worst / scale;
}

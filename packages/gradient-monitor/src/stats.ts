/**
 * One-pass statistics of a tensor's values. Everything is accumulated in float64 in storage
 * order, which makes the numbers exactly reproducible from `.dataSync()` (the tests recompute
 * them that way) and keeps the cost to a single loop with no per-element calls.
 */

export interface ValueStats {
  /** Number of elements. */
  n: number;
  sum: number;
  sumAbs: number;
  sumSq: number;
  /** Largest |x| among finite values (0 for an empty tensor). */
  maxAbs: number;
  /** Count of NaN, +Inf and −Inf values. */
  nan: number;
  posInf: number;
  negInf: number;
  /** Flat index of the first non-finite value, or −1. */
  firstNonFinite: number;
}

/** Sum, Σ|x|, Σx², max|x| and non-finite counts in one pass. */
export function valueStats(data: ArrayLike<number>): ValueStats {
  const n = data.length;
  let sum = 0;
  let sumAbs = 0;
  let sumSq = 0;
  let maxAbs = 0;
  // Math.abs and the conditional expression compile to branch-free instructions; `if`s on
  // the sign of random data mispredict and made this loop 10× slower.
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    const a = Math.abs(v);
    sum += v;
    sumAbs += a;
    sumSq += v * v;
    maxAbs = a > maxAbs ? a : maxAbs;
  }
  const s: ValueStats = { n, sum, sumAbs, sumSq, maxAbs, nan: 0, posInf: 0, negInf: 0, firstNonFinite: -1 };
  // float32 values squared cannot overflow float64, so a finite Σx² proves every value finite
  // and the slow scan below runs only when something is wrong.
  if (!Number.isFinite(sumSq)) countNonFinite(data, s);
  return s;
}

function countNonFinite(data: ArrayLike<number>, s: ValueStats): void {
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) s.nan++;
    else if (v === Infinity) s.posInf++;
    else if (v === -Infinity) s.negInf++;
    else {
      const a = Math.abs(v);
      if (a > maxAbs) maxAbs = a;
      continue;
    }
    if (s.firstNonFinite < 0) s.firstNonFinite = i;
  }
  s.maxAbs = maxAbs;
}

export function nonFiniteCount(s: ValueStats): number {
  return s.nan + s.posInf + s.negInf;
}

/** Index of the first non-finite value, −1 if all are finite (a lean check for hook outputs). */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

/** Finite min and max (NaN when there is no finite value). */
export function finiteRange(data: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: Number.NaN, max: Number.NaN };
}

export const mean = (s: ValueStats): number => (s.n > 0 ? s.sum / s.n : Number.NaN);
/** Population standard deviation (divides by n), as the histogram of a layer's values. */
export const std = (s: ValueStats): number => {
  if (s.n === 0) return Number.NaN;
  const m = s.sum / s.n;
  return Math.sqrt(Math.max(0, s.sumSq / s.n - m * m));
};

/** Σ (a_i − b_i)² in float64: the squared norm of an update, from before/after snapshots. */
export function diffSumSq(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return s;
}

/** Median of the finite values (NaN if none). */
export function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((x, y) => x - y);
  if (v.length === 0) return Number.NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

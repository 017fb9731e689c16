/**
 * Reductions that run as backend kernels, so that only a handful of scalars cross into
 * JavaScript. Reading a whole tensor (`dataSync`) allocates a fresh copy every time, and on a
 * fast backend that allocation, not the arithmetic, is what a monitor costs; so weights,
 * updates and finiteness checks stay on the backend, and all the scalars of one check come
 * back in a single read.
 */
import {
  abs,
  clone,
  concat,
  keep,
  max,
  mul,
  noGrad,
  square,
  sub,
  sum,
  type Tensor,
  tidy,
} from '@gradsight/core';
import { type ValueStats, valueStats } from './stats.js';

/**
 * Evaluates k scalars per tensor on the backend and reads all of them back in one transfer.
 * Reductions of the flattened tensor with keepDims give [1]-shaped results, so a single
 * `concat` gathers them without a reshape or stack per scalar.
 */
function scalars(ts: readonly Tensor[], f: (flat: Tensor) => Tensor[]): Float32Array[] {
  if (ts.length === 0) return [];
  return tidy(() =>
    noGrad(() => {
      const parts = ts.map((t) => f(t.reshape([t.size])));
      const k = parts[0]!.length;
      const flat = concat(parts.flat(), 0).dataSync() as Float32Array;
      return ts.map((_, i) => flat.subarray(i * k, (i + 1) * k));
    }),
  );
}

/**
 * Column maxima of a [n/c, c] view of a flat tensor (c ≥ 64 dividing n), or its max as [1].
 * Along the outer axis the rows combine elementwise, about 2.5× faster on tensor-wasm than
 * one pass over all n values; the c partial maxima go into the single read and JavaScript
 * takes their max. max is exact in any order, and NaN propagates through both steps.
 */
function maxPartials(flat: Tensor): Tensor {
  const n = flat.size;
  const c = [256, 128, 64].find((k) => n % k === 0 && n >= 4 * k);
  return c ? max(flat.reshape([n / c, c]), 0) : max(flat, 0, true);
}

/** Largest value, NaN if any is NaN (the kernels' `max` semantics). */
function maxOf(v: Float32Array): number {
  let m = -Infinity;
  for (const x of v) {
    if (Number.isNaN(x)) return Number.NaN;
    if (x > m) m = x;
  }
  return m;
}

/** Σx² of each tensor (float32 kernel sums). */
export function sumSquares(ts: readonly Tensor[]): number[] {
  return scalars(ts, (t) => [sum(square(t), 0, true)]).map((v) => v[0]!);
}

/** Σ(a−b)² for each pair: the squared norm of an update from a snapshot. */
export function diffSumSquares(as: readonly Tensor[], bs: readonly Tensor[]): number[] {
  if (as.length === 0) return [];
  return tidy(() =>
    noGrad(() => {
      const parts = as.map((a, i) => sum(square(sub(a, bs[i]!)).reshape([a.size]), 0, true));
      return Array.from(concat(parts, 0).dataSync());
    }),
  );
}

/** true for each tensor with no NaN/Inf: Σ(0·x) is 0 exactly when every x is finite. */
export function finiteFlags(ts: readonly Tensor[]): boolean[] {
  return scalars(ts, (t) => [sum(mul(t, 0), 0, true)]).map((v) => v[0] === 0);
}

export function allFinite(t: Tensor): boolean {
  return finiteFlags([t])[0]!;
}

/**
 * Below this size a tensor's values ride along in the single read instead of costing six
 * kernel launches (about 2 µs each on tensor-wasm); JavaScript then scans them exactly.
 */
export const SMALL_TENSOR = 4096;

/**
 * Σx, Σ|x|, Σx² and max|x| of each tensor ('backend' statistics mode), in ONE read from the
 * backend: six kernels per large tensor (|x|, x², three sums, a column max) produce three
 * sums and at most 256 partial maxima, small tensors are appended whole, and one `concat`
 * gathers everything. A non-finite Σx² (NaN/Inf anywhere,
 * or a float32 overflow) marks a large tensor for the exact JavaScript scan, which counts NaN
 * and Inf; small tensors get that scan anyway.
 */
export function backendValueStats(ts: readonly Tensor[]): ValueStats[] {
  if (ts.length === 0) return [];
  const big = ts.map((t) => t.size > SMALL_TENSOR);
  // values each tensor contributes to the read: its elements, or 3 sums and the max partials
  const widths = ts.map((t) => t.size);
  const flat = tidy(() =>
    noGrad(() => {
      const parts: Tensor[] = [];
      ts.forEach((t, i) => {
        const x = t.reshape([t.size]);
        if (!big[i]) {
          if (t.size > 0) parts.push(x);
          return;
        }
        const a = abs(x);
        const m = maxPartials(a);
        widths[i] = 3 + m.size;
        parts.push(sum(x, 0, true), sum(a, 0, true), sum(square(x), 0, true), m);
      });
      return parts.length > 0 ? (concat(parts, 0).dataSync() as Float32Array) : new Float32Array(0);
    }),
  );
  let at = 0;
  return ts.map((t, i) => {
    if (!big[i]) {
      const s = valueStats(flat.subarray(at, at + widths[i]!));
      at += widths[i]!;
      return s;
    }
    const v = flat.subarray(at, at + widths[i]!);
    at += widths[i]!;
    return {
      n: t.size,
      sum: v[0]!,
      sumAbs: v[1]!,
      sumSq: v[2]!,
      maxAbs: maxOf(v.subarray(3)),
      nan: 0,
      posInf: 0,
      negInf: 0,
      firstNonFinite: -1,
    };
  });
}

/** Backend copies of the tensors, kept out of every `tidy` (the caller disposes them). */
export function snapshot(ts: readonly Tensor[]): Tensor[] {
  return noGrad(() => ts.map((t) => keep(clone(t))));
}

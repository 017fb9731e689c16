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
  keep,
  max,
  mul,
  noGrad,
  square,
  stack,
  sub,
  sum,
  type Tensor,
  tidy,
} from '@gradsight/core';
import type { ValueStats } from './stats.js';

/** Evaluates one scalar per tensor on the backend and reads them back in one transfer. */
function scalars(ts: readonly Tensor[], f: (t: Tensor) => Tensor[]): Float32Array[] {
  if (ts.length === 0) return [];
  return tidy(() =>
    noGrad(() => {
      const parts = ts.map((t) => f(t));
      const k = parts[0]!.length;
      const flat = stack(parts.flat().map((p) => p.reshape([]))).dataSync() as Float32Array;
      return ts.map((_, i) => flat.subarray(i * k, (i + 1) * k));
    }),
  );
}

/** Σx² of each tensor (float32 kernel sums). */
export function sumSquares(ts: readonly Tensor[]): number[] {
  return scalars(ts, (t) => [sum(square(t))]).map((v) => v[0]!);
}

/** Σ(a−b)² for each pair: the squared norm of an update from a snapshot. */
export function diffSumSquares(as: readonly Tensor[], bs: readonly Tensor[]): number[] {
  return scalars(as, (a) => {
    const b = bs[as.indexOf(a)]!;
    return [sum(square(sub(a, b)))];
  }).map((v) => v[0]!);
}

/** true for each tensor with no NaN/Inf: Σ(0·x) is 0 exactly when every x is finite. */
export function finiteFlags(ts: readonly Tensor[]): boolean[] {
  return scalars(ts, (t) => [sum(mul(t, 0))]).map((v) => v[0] === 0);
}

export function allFinite(t: Tensor): boolean {
  return finiteFlags([t])[0]!;
}

/**
 * Σx, Σ|x|, Σx² and max|x| of each tensor as kernels ('backend' statistics mode). A
 * non-finite result marks the tensor for the exact JavaScript scan, which counts NaN and Inf.
 */
export function backendValueStats(ts: readonly Tensor[]): ValueStats[] {
  return scalars(ts, (t) => {
    const a = abs(t);
    return [sum(t), sum(a), sum(square(t)), max(a)];
  }).map((v, i) => ({
    n: ts[i]!.size,
    sum: v[0]!,
    sumAbs: v[1]!,
    sumSq: v[2]!,
    maxAbs: v[3]!,
    nan: 0,
    posInf: 0,
    negInf: 0,
    firstNonFinite: -1,
  }));
}

/** Backend copies of the tensors, kept out of every `tidy` (the caller disposes them). */
export function snapshot(ts: readonly Tensor[]): Tensor[] {
  return noGrad(() => ts.map((t) => keep(clone(t))));
}

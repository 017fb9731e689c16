// Reductions. JS reshapes every reduction into one of two forms: rows ([outer, n] → [outer],
// the reduced block innermost and contiguous) or columns ([outer, r, inner] → [outer, inner]).
// Float sums and products accumulate in float64 like the reference; max/min propagate NaN.
import { SIMD, toInt32 } from './common';

const R_SUM = 0;
const R_PROD = 1;
const R_MAX = 2;
const R_MIN = 3;

// @ts-ignore: decorator
@inline function hmaxF(v: v128): f32 {
  const a = f32x4.max(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const b = f32x4.max(a, v128.shuffle<f32>(a, a, 1, 0, 3, 2));
  return f32x4.extract_lane(b, 0);
}

// @ts-ignore: decorator
@inline function hminF(v: v128): f32 {
  const a = f32x4.min(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const b = f32x4.min(a, v128.shuffle<f32>(a, a, 1, 0, 3, 2));
  return f32x4.extract_lane(b, 0);
}

function sumRowF(x: usize, n: i32): f64 {
  let i = 0;
  let s: f64 = 0;
  if (SIMD) {
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let a2 = f64x2.splat(0);
    let a3 = f64x2.splat(0);
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i << 2);
      const v0 = v128.load(p);
      const v1 = v128.load(p, 16);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v0));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1)));
      a2 = f64x2.add(a2, f64x2.promote_low_f32x4(v1));
      a3 = f64x2.add(a3, f64x2.promote_low_f32x4(v128.shuffle<f32>(v1, v1, 2, 3, 0, 1)));
    }
    const t = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  }
  for (; i < n; i++) s += <f64>load<f32>(x + (<usize>i << 2));
  return s;
}

function extremeRowF(isMax: bool, x: usize, n: i32): f32 {
  let i = 0;
  let m: f32 = isMax ? -Infinity : Infinity;
  if (SIMD) {
    let v0 = f32x4.splat(m);
    let v1 = v0;
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i << 2);
      if (isMax) {
        v0 = f32x4.max(v0, v128.load(p));
        v1 = f32x4.max(v1, v128.load(p, 16));
      } else {
        v0 = f32x4.min(v0, v128.load(p));
        v1 = f32x4.min(v1, v128.load(p, 16));
      }
    }
    m = isMax ? hmaxF(f32x4.max(v0, v1)) : hminF(f32x4.min(v0, v1));
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (isNaN(m)) break;
    if (isNaN(v) || (isMax ? v > m : v < m)) m = v;
  }
  return m;
}

/** out[o] = reduce(x[o, 0..n)) for o < outer. */
export function reduceRows(op: i32, isInt: i32, x: usize, out: usize, outer: i32, n: i32): void {
  for (let o = 0; o < outer; o++) {
    const row = x + ((<usize>o * <usize>n) << 2);
    const dst = out + (<usize>o << 2);
    if (isInt) {
      let acc: i32 = op == R_SUM ? 0 : op == R_MAX ? i32.MIN_VALUE : op == R_MIN ? i32.MAX_VALUE : 1;
      let accF: f64 = 1;
      for (let i = 0; i < n; i++) {
        const v = load<i32>(row + (<usize>i << 2));
        if (op == R_SUM) acc += v;
        else if (op == R_PROD) accF *= <f64>v;
        else if (op == R_MAX) acc = v > acc ? v : acc;
        else acc = v < acc ? v : acc;
      }
      // the reference keeps a float64 product and stores it with `| 0`
      if (op == R_PROD) acc = toInt32(accF);
      store<i32>(dst, acc);
    } else if (op == R_SUM) {
      store<f32>(dst, <f32>sumRowF(row, n));
    } else if (op == R_PROD) {
      let p: f64 = 1;
      for (let i = 0; i < n; i++) p *= <f64>load<f32>(row + (<usize>i << 2));
      store<f32>(dst, <f32>p);
    } else {
      store<f32>(dst, extremeRowF(op == R_MAX, row, n));
    }
  }
}

/**
 * out[o, j] = reduce_i x[o, i, j] for x of shape [outer, r, inner]. `acc` is scratch of
 * inner float64s (used by float sums and products).
 */
export function reduceCols(op: i32, isInt: i32, x: usize, out: usize, outer: i32, r: i32, inner: i32, acc: usize): void {
  const plane = <usize>r * <usize>inner;
  for (let o = 0; o < outer; o++) {
    const src = x + ((<usize>o * plane) << 2);
    const dst = out + ((<usize>o * <usize>inner) << 2);
    if (isInt) {
      const init: i32 = op == R_SUM ? 0 : op == R_MAX ? i32.MIN_VALUE : op == R_MIN ? i32.MAX_VALUE : 1;
      for (let j = 0; j < inner; j++) {
        if (op == R_PROD) store<f64>(acc + (<usize>j << 3), 1);
        else store<i32>(dst + (<usize>j << 2), init);
      }
      for (let i = 0; i < r; i++) {
        const rowp = src + ((<usize>i * <usize>inner) << 2);
        for (let j = 0; j < inner; j++) {
          const v = load<i32>(rowp + (<usize>j << 2));
          const q = dst + (<usize>j << 2);
          if (op == R_SUM) store<i32>(q, load<i32>(q) + v);
          else if (op == R_PROD) store<f64>(acc + (<usize>j << 3), load<f64>(acc + (<usize>j << 3)) * <f64>v);
          else if (op == R_MAX) store<i32>(q, max(load<i32>(q), v));
          else store<i32>(q, min(load<i32>(q), v));
        }
      }
      if (op == R_PROD) {
        for (let j = 0; j < inner; j++) {
          store<i32>(dst + (<usize>j << 2), toInt32(load<f64>(acc + (<usize>j << 3))));
        }
      }
      continue;
    }
    if (op == R_SUM || op == R_PROD) {
      const init: f64 = op == R_SUM ? 0 : 1;
      for (let j = 0; j < inner; j++) store<f64>(acc + (<usize>j << 3), init);
      for (let i = 0; i < r; i++) {
        const rowp = src + ((<usize>i * <usize>inner) << 2);
        let j = 0;
        if (SIMD && op == R_SUM) {
          for (; j + 4 <= inner; j += 4) {
            const v = v128.load(rowp + (<usize>j << 2));
            const q = acc + (<usize>j << 3);
            v128.store(q, f64x2.add(v128.load(q), f64x2.promote_low_f32x4(v)));
            v128.store(q, f64x2.add(v128.load(q, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
          }
        }
        for (; j < inner; j++) {
          const q = acc + (<usize>j << 3);
          const v = <f64>load<f32>(rowp + (<usize>j << 2));
          store<f64>(q, op == R_SUM ? load<f64>(q) + v : load<f64>(q) * v);
        }
      }
      for (let j = 0; j < inner; j++) store<f32>(dst + (<usize>j << 2), <f32>load<f64>(acc + (<usize>j << 3)));
    } else {
      const isMax = op == R_MAX;
      const init: f32 = isMax ? -Infinity : Infinity;
      for (let j = 0; j < inner; j++) store<f32>(dst + (<usize>j << 2), init);
      for (let i = 0; i < r; i++) {
        const rowp = src + ((<usize>i * <usize>inner) << 2);
        let j = 0;
        if (SIMD) {
          for (; j + 4 <= inner; j += 4) {
            const q = dst + (<usize>j << 2);
            const v = v128.load(rowp + (<usize>j << 2));
            v128.store(q, isMax ? f32x4.max(v128.load(q), v) : f32x4.min(v128.load(q), v));
          }
        }
        for (; j < inner; j++) {
          const q = dst + (<usize>j << 2);
          const m = load<f32>(q);
          const v = load<f32>(rowp + (<usize>j << 2));
          if (!isNaN(m) && (isNaN(v) || (isMax ? v > m : v < m))) store<f32>(q, v);
        }
      }
    }
  }
}

/**
 * Index of the max/min along the middle axis of [outer, n, inner]; the first index on ties,
 * a NaN wins. `state` is scratch of inner f32 + inner i32 (current best and its index).
 */
export function argReduce(isMax: i32, isInt: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32, state: usize): void {
  const bestV = state;
  const plane = <usize>n * <usize>inner;
  for (let o = 0; o < outer; o++) {
    const src = x + ((<usize>o * plane) << 2);
    const dst = out + ((<usize>o * <usize>inner) << 2);
    for (let j = 0; j < inner; j++) {
      store<i32>(bestV + (<usize>j << 2), load<i32>(src + (<usize>j << 2)));
      store<i32>(dst + (<usize>j << 2), 0);
    }
    for (let i = 1; i < n; i++) {
      const rowp = src + ((<usize>i * <usize>inner) << 2);
      for (let j = 0; j < inner; j++) {
        const q = bestV + (<usize>j << 2);
        if (isInt) {
          const v = load<i32>(rowp + (<usize>j << 2));
          const b = load<i32>(q);
          if (isMax ? v > b : v < b) {
            store<i32>(q, v);
            store<i32>(dst + (<usize>j << 2), i);
          }
        } else {
          const v = load<f32>(rowp + (<usize>j << 2));
          const b = load<f32>(q);
          if (isNaN(b)) continue;
          if (isNaN(v) || (isMax ? v > b : v < b)) {
            store<f32>(q, v);
            store<i32>(dst + (<usize>j << 2), i);
          }
        }
      }
    }
  }
}

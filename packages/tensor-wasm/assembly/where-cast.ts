// `where` with broadcasting (values moved as 32-bit words, any dtype) and the dtype casts.
import { SIMD, param, toInt32 } from './common';

/**
 * out = c ? a : b over a collapsed broadcast shape. `p`: shape[rank], strides of c, a, b
 * (each [rank]), then rank scratch slots. Values are copied as 32-bit words (any dtype).
 */
export function whereBroadcast(c: usize, a: usize, b: usize, out: usize, rank: i32, p: usize): void {
  const last = rank - 1;
  const n = param(p, last);
  const sc = param(p, rank + last);
  const sa = param(p, 2 * rank + last);
  const sb = param(p, 3 * rank + last);
  const idx = p + (<usize>(4 * rank) << 2);
  let outer = 1;
  for (let d = 0; d < last; d++) {
    outer *= param(p, d);
    store<i32>(idx + (<usize>d << 2), 0);
  }
  let offC = 0;
  let offA = 0;
  let offB = 0;
  let po = out;
  for (let o = 0; o < outer; o++) {
    let i = 0;
    if (SIMD && sc == 1 && sa == 1 && sb == 1) {
      const zero = i32x4.splat(0);
      for (; i + 4 <= n; i += 4) {
        const q = <usize>i << 2;
        const m = i32x4.ne(v128.load(c + (<usize>offC << 2) + q), zero);
        const va = v128.load(a + (<usize>offA << 2) + q);
        const vb = v128.load(b + (<usize>offB << 2) + q);
        v128.store(po + q, v128.bitselect(va, vb, m));
      }
    }
    for (; i < n; i++) {
      const cv = load<i32>(c + (<usize>(offC + i * sc) << 2));
      const v = cv != 0 ? load<i32>(a + (<usize>(offA + i * sa) << 2)) : load<i32>(b + (<usize>(offB + i * sb) << 2));
      store<i32>(po + (<usize>i << 2), v);
    }
    po += <usize>n << 2;
    for (let d = last - 1; d >= 0; d--) {
      const slot = idx + (<usize>d << 2);
      const k = load<i32>(slot) + 1;
      const dc = param(p, rank + d);
      const da = param(p, 2 * rank + d);
      const db = param(p, 3 * rank + d);
      offC += dc;
      offA += da;
      offB += db;
      if (k < param(p, d)) {
        store<i32>(slot, k);
        break;
      }
      offC -= dc * k;
      offA -= da * k;
      offB -= db * k;
      store<i32>(slot, 0);
    }
  }
}

/** float32 → int32 as the reference: truncate toward zero, NaN/±Inf → 0, wrap mod 2³². */
export function castF32ToI32(x: usize, y: usize, n: i32): void {
  let i = 0;
  if (SIMD) {
    const lim = f32x4.splat(2147483648.0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(x + o);
      // lanes within ±2³¹ (and not NaN) convert directly; anything else takes the scalar path
      if (!i32x4.all_true(f32x4.lt(f32x4.abs(v), lim))) break;
      v128.store(y + o, i32x4.trunc_sat_f32x4_s(v));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(y + o, toInt32(<f64>load<f32>(x + o)));
  }
}

export function castI32ToF32(x: usize, y: usize, n: i32): void {
  let i = 0;
  if (SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, f32x4.convert_i32x4_s(v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, <f32>load<i32>(x + o));
  }
}

// Data movement: strided copies (transpose, slice, pad, concat all reduce to one), a blocked
// 2-D transpose, gather and scatter-add. Values move as 32-bit words whatever the dtype.
import { SIMD, param } from './common';

// @ts-ignore: decorator
@inline function copyRun(dst: usize, src: usize, n: i32): void {
  if (n >= 16) {
    memory.copy(dst, src, <usize>n << 2);
    return;
  }
  for (let i = 0; i < n; i++) store<i32>(dst + (<usize>i << 2), load<i32>(src + (<usize>i << 2)));
}

/**
 * dst[Σ i_d·dstStride_d] = src[Σ i_d·srcStride_d] over `shape`. `p`: shape[rank],
 * srcStrides[rank], dstStrides[rank] (elements), then rank scratch slots.
 */
export function stridedCopy(src: usize, dst: usize, rank: i32, p: usize): void {
  const last = rank - 1;
  const n = param(p, last);
  const ss = param(p, rank + last);
  const ds = param(p, 2 * rank + last);
  const idx = p + (<usize>(3 * rank) << 2);
  let outer = 1;
  for (let d = 0; d < last; d++) {
    outer *= param(p, d);
    store<i32>(idx + (<usize>d << 2), 0);
  }
  if (n == 0) return;
  let offS = 0;
  let offD = 0;
  for (let o = 0; o < outer; o++) {
    const s = src + (<usize>offS << 2);
    const t = dst + (<usize>offD << 2);
    if (ss == 1 && ds == 1) copyRun(t, s, n);
    else for (let i = 0; i < n; i++) store<i32>(t + (<usize>(i * ds) << 2), load<i32>(s + (<usize>(i * ss) << 2)));
    for (let d = last - 1; d >= 0; d--) {
      const slot = idx + (<usize>d << 2);
      const k = load<i32>(slot) + 1;
      const a = param(p, rank + d);
      const b = param(p, 2 * rank + d);
      offS += a;
      offD += b;
      if (k < param(p, d)) {
        store<i32>(slot, k);
        break;
      }
      offS -= a * k;
      offD -= b * k;
      store<i32>(slot, 0);
    }
  }
}

/** dst[b, j, i] = src[b, i, j] for src [batch, rows, cols], in cache-sized tiles. */
export function transpose2d(src: usize, dst: usize, batch: i32, rows: i32, cols: i32): void {
  const T = 32;
  const plane = <usize>rows * <usize>cols;
  for (let b = 0; b < batch; b++) {
    const s = src + ((<usize>b * plane) << 2);
    const d = dst + ((<usize>b * plane) << 2);
    for (let i0 = 0; i0 < rows; i0 += T) {
      const i1 = min(i0 + T, rows);
      for (let j0 = 0; j0 < cols; j0 += T) {
        const j1 = min(j0 + T, cols);
        let i = i0;
        if (SIMD) {
          for (; i + 4 <= i1; i += 4) {
            let j = j0;
            for (; j + 4 <= j1; j += 4) {
              const q = s + ((<usize>i * <usize>cols + <usize>j) << 2);
              const cb = <usize>cols << 2;
              const r0 = v128.load(q), r1 = v128.load(q + cb), r2 = v128.load(q + 2 * cb), r3 = v128.load(q + 3 * cb);
              const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
              const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
              const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
              const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
              const o = d + ((<usize>j * <usize>rows + <usize>i) << 2);
              const rb = <usize>rows << 2;
              v128.store(o, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
              v128.store(o + rb, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
              v128.store(o + 2 * rb, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
              v128.store(o + 3 * rb, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
            }
            for (; j < j1; j++) {
              for (let ii = i; ii < i + 4; ii++) {
                store<i32>(d + ((<usize>j * <usize>rows + <usize>ii) << 2), load<i32>(s + ((<usize>ii * <usize>cols + <usize>j) << 2)));
              }
            }
          }
        }
        for (; i < i1; i++) {
          for (let j = j0; j < j1; j++) {
            store<i32>(d + ((<usize>j * <usize>rows + <usize>i) << 2), load<i32>(s + ((<usize>i * <usize>cols + <usize>j) << 2)));
          }
        }
      }
    }
  }
}

/** out[o, j, :] = x[o, idx[j], :] for x [outer, n, inner] and k indices. */
export function gather(x: usize, idx: usize, out: usize, outer: i32, n: i32, k: i32, inner: i32): void {
  let dst = out;
  const innerBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>n * innerBytes;
    if (inner == 1) {
      for (let j = 0; j < k; j++) store<i32>(dst + (<usize>j << 2), load<i32>(base + (<usize>load<i32>(idx + (<usize>j << 2)) << 2)));
      dst += <usize>k << 2;
      continue;
    }
    for (let j = 0; j < k; j++) {
      copyRun(dst, base + <usize>load<i32>(idx + (<usize>j << 2)) * innerBytes, inner);
      dst += innerBytes;
    }
  }
}

/** out[o, idx[j], :] += upd[o, j, :]; `out` [outer, n, inner] is zeroed by the caller. */
export function scatterAdd(idx: usize, upd: usize, out: usize, outer: i32, n: i32, k: i32, inner: i32, isInt: i32): void {
  let src = upd;
  const innerBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const base = out + <usize>o * <usize>n * innerBytes;
    for (let j = 0; j < k; j++) {
      const d = base + <usize>load<i32>(idx + (<usize>j << 2)) * innerBytes;
      let i = 0;
      if (SIMD) {
        for (; i + 4 <= inner; i += 4) {
          const q = <usize>i << 2;
          const a = v128.load(d + q);
          const b = v128.load(src + q);
          v128.store(d + q, isInt ? i32x4.add(a, b) : f32x4.add(a, b));
        }
      }
      for (; i < inner; i++) {
        const q = <usize>i << 2;
        if (isInt) store<i32>(d + q, load<i32>(d + q) + load<i32>(src + q));
        else store<f32>(d + q, load<f32>(d + q) + load<f32>(src + q));
      }
      src += innerBytes;
    }
  }
}

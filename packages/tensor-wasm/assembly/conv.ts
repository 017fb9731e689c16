// im2col / col2im for conv2d (NHWC, filter [kh, kw, cin, cout]). A convolution becomes a GEMM
// of the patch matrix [rows = N·Ho·Wo, K = kh·kw·cin] with the filter viewed as [K, cout];
// JS runs it in chunks of rows so the patch matrix stays small. `p` holds the geometry:
// [n, h, w, cin, ho, wo, kh, kw, strideH, strideW, dilH, dilW, padTop, padLeft].
import { SIMD, param } from './common';

/** Writes patch rows [r0, r0 + rows) into `col` (row-major, K = kh·kw·cin columns). */
export function im2col(x: usize, col: usize, r0: i32, rows: i32, p: usize): void {
  const h = param(p, 1), w = param(p, 2), cin = param(p, 3), ho = param(p, 4), wo = param(p, 5);
  const kh = param(p, 6), kw = param(p, 7), sh = param(p, 8), sw = param(p, 9);
  const dh = param(p, 10), dw = param(p, 11), pt = param(p, 12), pl = param(p, 13);
  const k = kh * kw * cin;
  const cinBytes = <usize>cin << 2;
  let ow = r0 % wo;
  let oh = (r0 / wo) % ho;
  let b = r0 / wo / ho;
  for (let r = 0; r < rows; r++) {
    let dst = col + ((<usize>r * <usize>k) << 2);
    for (let i = 0; i < kh; i++) {
      const ih = oh * sh - pt + i * dh;
      if (ih < 0 || ih >= h) {
        zeroWords(dst, kw * cin);
        dst += <usize>kw * cinBytes;
        continue;
      }
      const rowBase = x + ((<usize>(b * h + ih) * <usize>w) << 2) * <usize>cin;
      if (dw == 1) {
        // taps of one filter row are contiguous in NHWC: one copy for the in-image span
        const iw0 = ow * sw - pl;
        const j0 = max(0, -iw0);
        const j1 = min(kw, w - iw0);
        if (j1 <= j0) {
          zeroWords(dst, kw * cin);
        } else {
          if (j0 > 0) zeroWords(dst, j0 * cin);
          copyWords(dst + <usize>j0 * cinBytes, rowBase + <usize>(iw0 + j0) * cinBytes, (j1 - j0) * cin);
          if (j1 < kw) zeroWords(dst + <usize>j1 * cinBytes, (kw - j1) * cin);
        }
        dst += <usize>kw * cinBytes;
        continue;
      }
      for (let j = 0; j < kw; j++) {
        const iw = ow * sw - pl + j * dw;
        if (iw < 0 || iw >= w) zeroWords(dst, cin);
        else copyWords(dst, rowBase + <usize>iw * cinBytes, cin);
        dst += cinBytes;
      }
    }
    if (++ow == wo) {
      ow = 0;
      if (++oh == ho) {
        oh = 0;
        b++;
      }
    }
  }
}

/** Zeroes n 32-bit words; short runs inline. */
// @ts-ignore: decorator
@inline function zeroWords(dst: usize, n: i32): void {
  if (n >= 16) {
    memory.fill(dst, 0, <usize>n << 2);
    return;
  }
  for (let i = 0; i < n; i++) store<i32>(dst + (<usize>i << 2), 0);
}

/** Copies n 32-bit words; short runs inline (a bulk-memory call costs more than a few moves). */
// @ts-ignore: decorator
@inline function copyWords(dst: usize, src: usize, n: i32): void {
  if (n >= 16) {
    memory.copy(dst, src, <usize>n << 2);
    return;
  }
  let i = 0;
  if (SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  }
  for (; i < n; i++) store<i32>(dst + (<usize>i << 2), load<i32>(src + (<usize>i << 2)));
}

/** Adds patch rows [r0, r0 + rows) of `col` back into the image `dx` (the adjoint of im2col). */
export function col2im(col: usize, dx: usize, r0: i32, rows: i32, p: usize): void {
  const h = param(p, 1), w = param(p, 2), cin = param(p, 3), ho = param(p, 4), wo = param(p, 5);
  const kh = param(p, 6), kw = param(p, 7), sh = param(p, 8), sw = param(p, 9);
  const dh = param(p, 10), dw = param(p, 11), pt = param(p, 12), pl = param(p, 13);
  const k = kh * kw * cin;
  const cinBytes = <usize>cin << 2;
  let ow = r0 % wo;
  let oh = (r0 / wo) % ho;
  let b = r0 / wo / ho;
  for (let r = 0; r < rows; r++) {
    let src = col + ((<usize>r * <usize>k) << 2);
    for (let i = 0; i < kh; i++) {
      const ih = oh * sh - pt + i * dh;
      if (ih < 0 || ih >= h) {
        src += <usize>kw * cinBytes;
        continue;
      }
      const rowBase = dx + ((<usize>(b * h + ih) * <usize>w) << 2) * <usize>cin;
      for (let j = 0; j < kw; j++) {
        const iw = ow * sw - pl + j * dw;
        if (iw >= 0 && iw < w) {
          const d = rowBase + <usize>iw * cinBytes;
          let c = 0;
          if (SIMD) {
            for (; c + 4 <= cin; c += 4) {
              const o = <usize>c << 2;
              v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(src + o)));
            }
          }
          for (; c < cin; c++) {
            const o = <usize>c << 2;
            store<f32>(d + o, load<f32>(d + o) + load<f32>(src + o));
          }
        }
        src += cinBytes;
      }
    }
    if (++ow == wo) {
      ow = 0;
      if (++oh == ho) {
        oh = 0;
        b++;
      }
    }
  }
}

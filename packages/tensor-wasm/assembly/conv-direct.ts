// Direct ("implicit GEMM") conv2d forward for the SIMD builds: the GEMM's 4×8 micro-kernel with
// its A operand read straight from the NHWC image through a table of tap offsets, so there is
// no patch matrix to write and pack. Four consecutive output pixels of one output row form the
// 4 rows of a tile; pixels whose window leaves the image (the borders) take a per-pixel path.
// The filter, viewed as [K = kh·kw·cin, cout], is packed once into the GEMM's 8-column panels.
// `p`: [n, h, w, cin, ho, wo, kh, kw, strideH, strideW, dilH, dilW, padTop, padLeft, cout, K].
import { SIMD, madd, param } from './common';
import { packB } from './gemm';

/** Whether this build has the direct kernel (JS falls back to im2col + GEMM otherwise). */
export function convDirectSupported(): i32 {
  return SIMD ? 1 : 0;
}

/** Packs the filter [K, cout] into ceil(cout/8) panels of K×8 floats (zero-padded columns). */
export function convPackFilter(f: usize, k: i32, cout: i32, dst: usize): void {
  packB(k, cout, f, cout, 1, dst);
}

/** Byte offset of each patch column (i, j, c) from the pixel's window origin, then 0, 4, 8, … */
export function convOffsets(p: usize, offs: usize): void {
  const w = param(p, 2), cin = param(p, 3), kh = param(p, 6), kw = param(p, 7);
  const dh = param(p, 10), dw = param(p, 11);
  let q = offs;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const base = (i * dh * w + j * dw) * cin;
      for (let c = 0; c < cin; c++) {
        store<i32>(q, (base + c) << 2);
        q += 4;
      }
    }
  }
  const k = kh * kw * cin;
  for (let i = 0; i < k; i++) store<i32>(q + (<usize>i << 2), i << 2);
}

/** y[4 rows, 8 cols at c] (+)= Σ_q x(row r at p_r + offs[q]) · bp[q]. */
function tile(kc: i32, offs: usize, p0: usize, p1: usize, p2: usize, p3: usize, bp: usize, c: usize, ldc: usize, acc: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  const end = offs + (<usize>kc << 2);
  while (offs < end) {
    const o = <usize>load<i32>(offs);
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(p0 + o);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(p1 + o);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(p2 + o);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(p3 + o);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    offs += 4;
    bp += 32;
  }
  if (acc) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc));
    c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc));
    c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc));
    c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20);
  v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30);
  v128.store(c + 3 * ldc, c31, 16);
}

/** Writes the patch of output pixel (b, oh, ow) — K floats, zeros outside the image — to dst. */
function patchRow(x: usize, b: i32, oh: i32, ow: i32, p: usize, dst: usize): void {
  const h = param(p, 1), w = param(p, 2), cin = param(p, 3), kh = param(p, 6), kw = param(p, 7);
  const sh = param(p, 8), sw = param(p, 9), dh = param(p, 10), dw = param(p, 11), pt = param(p, 12), pl = param(p, 13);
  const cinBytes = <usize>cin << 2;
  let d = dst;
  for (let i = 0; i < kh; i++) {
    const ih = oh * sh - pt + i * dh;
    for (let j = 0; j < kw; j++) {
      const iw = ow * sw - pl + j * dw;
      if (ih < 0 || ih >= h || iw < 0 || iw >= w) memory.fill(d, 0, cinBytes);
      else memory.copy(d, x + ((<usize>((b * h + ih) * w + iw) * <usize>cin) << 2), cinBytes);
      d += cinBytes;
    }
  }
}

/**
 * y (+)= the conv of x with the packed filter `fp` over patch columns [k0, k0 + kc);
 * `acc` = 0 for the first block. `offs` holds convOffsets (K words) followed by the identity
 * offsets 0, 4, 8, … (K words); `tmp` holds 4·K + 32 floats for border pixels.
 */
export function conv2dDirect(x: usize, fp: usize, y: usize, p: usize, offs: usize, k0: i32, kc: i32, acc: i32, tmp: usize): void {
  if (!SIMD) return;
  const n = param(p, 0), h = param(p, 1), w = param(p, 2), cin = param(p, 3), ho = param(p, 4), wo = param(p, 5);
  const kh = param(p, 6), kw = param(p, 7), sh = param(p, 8), sw = param(p, 9), dh = param(p, 10), dw = param(p, 11);
  const pt = param(p, 12), pl = param(p, 13), cout = param(p, 14), K = param(p, 15);
  const ldc = <usize>cout << 2;
  const panels = (cout + 7) >> 3;
  const panelBytes = <usize>K << 5;
  const offK = offs + (<usize>k0 << 2);
  const idK = offs + (<usize>(K + k0) << 2);
  const rows = tmp + 192; // 4×8 tile (128 B), 4 row addresses, then 4 patch rows of K floats
  const rowBytes = <usize>K << 2;
  // output columns whose whole window lies inside the image horizontally
  let owLo = (pl + sw - 1) / sw;
  let owHi = (w - 1 - (kw - 1) * dw + pl) / sw; // inclusive
  if (w - 1 - (kw - 1) * dw + pl < 0) owHi = -1;
  owLo = min(owLo, wo);
  owHi = min(owHi, wo - 1);
  let pending = 0; // border pixels waiting in `rows`, their output row addresses at tmp + 128
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      const ih0 = oh * sh - pt;
      const rowInside = ih0 >= 0 && ih0 + (kh - 1) * dh < h;
      const yRow = y + <usize>((b * ho + oh) * wo) * ldc;
      let fastEnd = 0;
      if (rowInside && owHi >= owLo) fastEnd = owLo + (((owHi - owLo + 1) >> 2) << 2);
      if (fastEnd > owLo) {
        // panel-major: one K×8 filter panel stays in L1 while the row's pixel groups stream by
        const base = x + ((<usize>((b * h + ih0) * w + (owLo * sw - pl)) * <usize>cin) << 2);
        const step = <usize>(sw * cin) << 2;
        tileRow(kc, offK, base, step, (fastEnd - owLo) >> 2, fp, panelBytes, k0, panels, cout, yRow + <usize>owLo * ldc, ldc, acc, tmp);
      }
      for (let ow = 0; ow < wo; ow++) {
        if (ow >= owLo && ow < fastEnd) continue;
        // a border pixel: gather its patch; every 4 of them run through the same tile
        patchRow(x, b, oh, ow, p, rows + <usize>pending * rowBytes);
        store<u32>(tmp + 128 + (<usize>pending << 2), <u32>(yRow + <usize>ow * ldc));
        if (++pending == 4) {
          flushBorder(kc, idK, rows, rowBytes, fp, panelBytes, k0, panels, cout, acc, tmp, 4);
          pending = 0;
        }
      }
    }
  }
  if (pending > 0) flushBorder(kc, idK, rows, rowBytes, fp, panelBytes, k0, panels, cout, acc, tmp, pending);
}

/**
 * `groups` groups of 4 consecutive interior pixels (input windows `step` bytes apart, the first
 * at `base`), every panel, output rows from c.
 */
function tileRow(
  kc: i32, offs: usize, base: usize, step: usize, groups: i32, fp: usize, panelBytes: usize, k0: i32,
  panels: i32, cout: i32, c: usize, ldc: usize, acc: i32, tmp: usize,
): void {
  const groupIn = 4 * step;
  const groupOut = 4 * ldc;
  for (let pn = 0; pn < panels; pn++) {
    const bp = fp + <usize>pn * panelBytes + (<usize>k0 << 5);
    const full = (pn << 3) + 8 <= cout;
    const cols = cout - (pn << 3);
    let p0 = base;
    let cp = c + (<usize>pn << 5);
    for (let g = 0; g < groups; g++) {
      if (full) {
        tile(kc, offs, p0, p0 + step, p0 + 2 * step, p0 + 3 * step, bp, cp, ldc, acc != 0);
      } else {
        tile(kc, offs, p0, p0 + step, p0 + 2 * step, p0 + 3 * step, bp, tmp, 32, false);
        for (let r = 0; r < 4; r++) {
          for (let j = 0; j < cols; j++) {
            const q = cp + <usize>r * ldc + (<usize>j << 2);
            const v = load<f32>(tmp + (<usize>(r * 8 + j) << 2));
            store<f32>(q, acc ? load<f32>(q) + v : v);
          }
        }
      }
      p0 += groupIn;
      cp += groupOut;
    }
  }
}

/** Computes the `count` gathered border pixels and writes each to its own output row. */
function flushBorder(
  kc: i32, idOffs: usize, rows: usize, rowBytes: usize, fp: usize, panelBytes: usize, k0: i32,
  panels: i32, cout: i32, acc: i32, tmp: usize, count: i32,
): void {
  for (let pn = 0; pn < panels; pn++) {
    const bp = fp + <usize>pn * panelBytes + (<usize>k0 << 5);
    tile(kc, idOffs, rows, rows + rowBytes, rows + 2 * rowBytes, rows + 3 * rowBytes, bp, tmp, 32, false);
    const cols = min(8, cout - (pn << 3));
    for (let r = 0; r < count; r++) {
      const yp = <usize>load<u32>(tmp + 128 + (<usize>r << 2)) + (<usize>pn << 5);
      for (let j = 0; j < cols; j++) {
        const q = yp + (<usize>j << 2);
        const v = load<f32>(tmp + (<usize>(r * 8 + j) << 2));
        store<f32>(q, acc ? load<f32>(q) + v : v);
      }
    }
  }
}

/**
 * F'[i, j, o, c] = F[kh−1−i, kw−1−j, c, o]: the filter of the stride-1 input gradient, which is
 * the convolution of dy with the filter rotated by 180° and its channels swapped.
 */
export function convFlipFilter(f: usize, dst: usize, kh: i32, kw: i32, cin: i32, cout: i32): void {
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const src = f + ((<usize>(((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout)) << 2);
      const d = dst + ((<usize>((i * kw + j) * cout * cin)) << 2);
      for (let o = 0; o < cout; o++) {
        for (let c = 0; c < cin; c++) {
          store<f32>(d + (<usize>(o * cin + c) << 2), load<f32>(src + (<usize>(c * cout + o) << 2)));
        }
      }
    }
  }
}

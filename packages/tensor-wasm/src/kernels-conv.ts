/**
 * conv2d and its two backprops as GEMMs over the patch (im2col) matrix, computed in chunks of
 * output rows so the patch buffer stays near `chunkBytes`:
 * forward y = cols·F, input grad dx = col2im(dy·Fᵀ), filter grad dF = colsᵀ·dy (F = filter
 * viewed as [kh·kw·cin, cout]). A 1×1, stride-1, unpadded convolution skips im2col entirely.
 */
import type { Conv2DAttrs, TensorInfo } from '@gradsight/core';
import type { KernelContext } from './context.js';

type Shape4 = readonly [number, number, number, number];

let chunkBytes = 2 << 20;

/** @internal Tuning hook for benchmarks: the target size of the patch buffer. */
export function setConvChunkBytes(bytes: number): void {
  chunkBytes = bytes;
}

interface Geometry {
  n: number;
  h: number;
  w: number;
  cin: number;
  ho: number;
  wo: number;
  kh: number;
  kw: number;
  cout: number;
  /** rows of the patch matrix (N·Ho·Wo) and its columns (kh·kw·cin). */
  rows: number;
  k: number;
  pointwise: boolean;
}

function geometry(xs: Shape4, fs: Shape4, a: Conv2DAttrs): Geometry {
  const [n, h, w, cin] = xs;
  const [kh, kw, , cout] = fs;
  const ho = Math.max(
    Math.floor((h + a.pads[0] + a.pads[1] - a.dilations[0] * (kh - 1) - 1) / a.strides[0]) + 1,
    0,
  );
  const wo = Math.max(
    Math.floor((w + a.pads[2] + a.pads[3] - a.dilations[1] * (kw - 1) - 1) / a.strides[1]) + 1,
    0,
  );
  const pointwise =
    kh === 1 && kw === 1 && a.strides[0] === 1 && a.strides[1] === 1 && a.pads.every((p) => p === 0);
  return { n, h, w, cin, ho, wo, kh, kw, cout, rows: n * ho * wo, k: kh * kw * cin, pointwise };
}

function geometryParams(ctx: KernelContext, g: Geometry, a: Conv2DAttrs): number {
  return ctx.params([
    g.n,
    g.h,
    g.w,
    g.cin,
    g.ho,
    g.wo,
    g.kh,
    g.kw,
    a.strides[0],
    a.strides[1],
    a.dilations[0],
    a.dilations[1],
    a.pads[0],
    a.pads[2],
  ]);
}

/** Runs `fn(r0, rows, colPtr)` over chunks of patch rows with a shared patch buffer. */
function chunked(ctx: KernelContext, g: Geometry, fn: (r0: number, rows: number, col: number) => void): void {
  const per = Math.max(4, Math.floor(chunkBytes / (g.k * 4)));
  const chunk = Math.min(g.rows, per);
  ctx.withTemp(chunk * g.k * 4, (col) => {
    for (let r0 = 0; r0 < g.rows; r0 += chunk) fn(r0, Math.min(chunk, g.rows - r0), col);
  });
}

export function conv2d(ctx: KernelContext, x: TensorInfo, f: TensorInfo, a: Conv2DAttrs): TensorInfo {
  const g = geometry(x.shape as Shape4, f.shape as Shape4, a);
  const out = ctx.output([g.n, g.ho, g.wo, g.cout], 'float32');
  const size = g.rows * g.cout;
  if (size === 0) return out.info;
  const w = ctx.wasm;
  if (g.k === 0) {
    w.fill32(out.ptr, size, 0);
    return out.info;
  }
  const px = ctx.ptr(x);
  const pf = ctx.ptr(f);
  const work = ctx.gemmWork();
  if (g.pointwise) {
    w.sgemm(g.rows, g.cout, g.k, px, g.k, 1, pf, g.cout, 1, out.ptr, g.cout, 0, work);
    return out.info;
  }
  if (w.convDirectSupported()) {
    direct(ctx, g, a, px, pf, out.ptr);
    return out.info;
  }
  const p = geometryParams(ctx, g, a);
  chunked(ctx, g, (r0, rows, col) => {
    w.im2col(px, col, r0, rows, p);
    w.sgemm(rows, g.cout, g.k, col, g.k, 1, pf, g.cout, 1, out.ptr + r0 * g.cout * 4, g.cout, 0, work);
  });
  return out.info;
}

/** Patch columns per pass of the direct kernel (a filter panel of K_BLOCK×8 floats stays in L1). */
const K_BLOCK = 384;

/** Forward conv with the direct (implicit GEMM) kernel of the SIMD builds. */
function direct(ctx: KernelContext, g: Geometry, a: Conv2DAttrs, px: number, pf: number, y: number): void {
  const w = ctx.wasm;
  const panelBytes = Math.ceil(g.cout / 8) * 8 * g.k * 4;
  const offsBytes = Math.ceil((g.k * 8) / 64) * 64;
  // packed filter | tap offsets and identity offsets | 4×8 tile, 4 row addresses, 4 patch rows
  ctx.withTemp(panelBytes + offsBytes + 192 + 4 * g.k * 4, (fp) => {
    const offs = fp + panelBytes;
    const tmp = offs + offsBytes;
    w.convPackFilter(pf, g.k, g.cout, fp);
    const p = ctx.params([
      g.n,
      g.h,
      g.w,
      g.cin,
      g.ho,
      g.wo,
      g.kh,
      g.kw,
      a.strides[0],
      a.strides[1],
      a.dilations[0],
      a.dilations[1],
      a.pads[0],
      a.pads[2],
      g.cout,
      g.k,
    ]);
    w.convOffsets(p, offs);
    for (let k0 = 0; k0 < g.k; k0 += K_BLOCK)
      w.conv2dDirect(px, fp, y, p, offs, k0, Math.min(K_BLOCK, g.k - k0), k0 > 0 ? 1 : 0, tmp);
  });
}

export function conv2dBackpropInput(
  ctx: KernelContext,
  dy: TensorInfo,
  f: TensorInfo,
  inputShape: Shape4,
  a: Conv2DAttrs,
): TensorInfo {
  const g = geometry(inputShape, f.shape as Shape4, a);
  const out = ctx.output(inputShape, 'float32');
  const size = g.n * g.h * g.w * g.cin;
  if (size === 0) return out.info;
  const w = ctx.wasm;
  w.fill32(out.ptr, size, 0);
  if (g.rows === 0 || g.k === 0) return out.info;
  const pdy = ctx.ptr(dy);
  const pf = ctx.ptr(f);
  const work = ctx.gemmWork();
  if (g.pointwise) {
    w.sgemm(g.rows, g.cin, g.cout, pdy, g.cout, 1, pf, 1, g.cout, out.ptr, g.cin, 0, work);
    return out.info;
  }
  const [kh, kw] = [g.kh, g.kw];
  const [dh, dw] = a.dilations;
  const flipped = {
    top: (kh - 1) * dh - a.pads[0],
    bottom: (kh - 1) * dh - a.pads[1],
    left: (kw - 1) * dw - a.pads[2],
    right: (kw - 1) * dw - a.pads[3],
  };
  if (
    // the direct kernel computes cin in panels of 8 columns: for fewer input channels most of
    // its work would be padding, and GEMM + col2im is faster
    w.convDirectSupported() &&
    g.cin >= 8 &&
    a.strides[0] === 1 &&
    a.strides[1] === 1 &&
    Object.values(flipped).every((v) => v >= 0)
  ) {
    // stride 1: dx is the convolution of dy with the 180°-rotated, channel-swapped filter
    const ga = {
      strides: [1, 1] as const,
      dilations: a.dilations,
      pads: [flipped.top, flipped.bottom, flipped.left, flipped.right] as const,
    };
    const gg = geometry([g.n, g.ho, g.wo, g.cout], [kh, kw, g.cout, g.cin], ga);
    ctx.withTemp(g.k * g.cout * 4, (ff) => {
      w.convFlipFilter(pf, ff, kh, kw, g.cin, g.cout);
      direct(ctx, gg, ga, pdy, ff, out.ptr);
    });
    return out.info;
  }
  const p = geometryParams(ctx, g, a);
  chunked(ctx, g, (r0, rows, col) => {
    w.sgemm(rows, g.k, g.cout, pdy + r0 * g.cout * 4, g.cout, 1, pf, 1, g.cout, col, g.k, 0, work);
    w.col2im(col, out.ptr, r0, rows, p);
  });
  return out.info;
}

export function conv2dBackpropFilter(
  ctx: KernelContext,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: Shape4,
  a: Conv2DAttrs,
): TensorInfo {
  const g = geometry(x.shape as Shape4, filterShape, a);
  const out = ctx.output(filterShape, 'float32');
  const size = g.k * g.cout;
  if (size === 0) return out.info;
  const w = ctx.wasm;
  if (g.rows === 0) {
    w.fill32(out.ptr, size, 0);
    return out.info;
  }
  const px = ctx.ptr(x);
  const pdy = ctx.ptr(dy);
  const work = ctx.gemmWork();
  if (g.pointwise) {
    w.sgemm(g.k, g.cout, g.rows, px, 1, g.k, pdy, g.cout, 1, out.ptr, g.cout, 0, work);
    return out.info;
  }
  const p = geometryParams(ctx, g, a);
  chunked(ctx, g, (r0, rows, col) => {
    w.im2col(px, col, r0, rows, p);
    w.sgemm(
      g.k,
      g.cout,
      rows,
      col,
      1,
      g.k,
      pdy + r0 * g.cout * 4,
      g.cout,
      1,
      out.ptr,
      g.cout,
      r0 > 0 ? 1 : 0,
      work,
    );
  });
  return out.info;
}

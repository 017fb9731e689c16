/** Reference kernels: max and average pooling (NHWC) and their backward passes. */
import type { Pool2DAttrs, TypedArray } from './backend.js';

type Shape4 = readonly [number, number, number, number];

export function poolOutShape(xs: Shape4, a: Pool2DAttrs): [number, number, number, number] {
  const [n, h, w, c] = xs;
  const ho = Math.floor((h + a.pads[0] + a.pads[1] - a.kernelSize[0]) / a.strides[0]) + 1;
  const wo = Math.floor((w + a.pads[2] + a.pads[3] - a.kernelSize[1]) / a.strides[1]) + 1;
  return [n, ho, wo, c];
}

interface Window {
  h0: number;
  h1: number;
  w0: number;
  w1: number;
  /** Cells counted by countIncludePad: the window clipped to the padded image. */
  padded: number;
}

/** Calls `visit` for each output cell with its window clipped to the image. */
function forEachWindow(
  xs: Shape4,
  a: Pool2DAttrs,
  visit: (b: number, oh: number, ow: number, win: Window) => void,
): void {
  const [n, h, w] = xs;
  const [, ho, wo] = poolOutShape(xs, a);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      const hs = oh * a.strides[0] - a.pads[0];
      const he = Math.min(hs + a.kernelSize[0], h + a.pads[1]);
      for (let ow = 0; ow < wo; ow++) {
        const ws = ow * a.strides[1] - a.pads[2];
        const we = Math.min(ws + a.kernelSize[1], w + a.pads[3]);
        visit(b, oh, ow, {
          h0: Math.max(hs, 0),
          h1: Math.min(he, h),
          w0: Math.max(ws, 0),
          w1: Math.min(we, w),
          padded: (he - hs) * (we - ws),
        });
      }
    }
  }
}

export function maxPool2d(x: TypedArray, xs: Shape4, a: Pool2DAttrs) {
  const shape = poolOutShape(xs, a);
  const [, h, w, c] = xs;
  const out = new Float32Array(shape[0] * shape[1] * shape[2] * c);
  forEachWindow(xs, a, (b, oh, ow, win) => {
    const o = ((b * shape[1] + oh) * shape[2] + ow) * c;
    for (let ch = 0; ch < c; ch++) {
      let best = -Infinity;
      for (let i = win.h0; i < win.h1; i++) {
        for (let j = win.w0; j < win.w1; j++) {
          const v = x[((b * h + i) * w + j) * c + ch]!;
          if (v > best || Number.isNaN(v)) best = v;
          if (Number.isNaN(best)) break;
        }
      }
      out[o + ch] = best;
    }
  });
  return { values: out, shape };
}

export function maxPool2dBackward(dy: TypedArray, x: TypedArray, xs: Shape4, a: Pool2DAttrs) {
  const shape = poolOutShape(xs, a);
  const [, h, w, c] = xs;
  const dx = new Float32Array(x.length);
  forEachWindow(xs, a, (b, oh, ow, win) => {
    const o = ((b * shape[1] + oh) * shape[2] + ow) * c;
    for (let ch = 0; ch < c; ch++) {
      let best = -Infinity;
      let arg = -1;
      for (let i = win.h0; i < win.h1 && !Number.isNaN(best); i++) {
        for (let j = win.w0; j < win.w1; j++) {
          const idx = ((b * h + i) * w + j) * c + ch;
          const v = x[idx]!;
          if (arg < 0 || v > best || Number.isNaN(v)) {
            best = v;
            arg = idx;
            if (Number.isNaN(v)) break;
          }
        }
      }
      if (arg >= 0) dx[arg]! += dy[o + ch]!;
    }
  });
  return { values: dx, shape: [...xs] };
}

function divisor(win: Window, a: Pool2DAttrs): number {
  return a.countIncludePad === false ? (win.h1 - win.h0) * (win.w1 - win.w0) : win.padded;
}

export function avgPool2d(x: TypedArray, xs: Shape4, a: Pool2DAttrs) {
  const shape = poolOutShape(xs, a);
  const [, h, w, c] = xs;
  const out = new Float32Array(shape[0] * shape[1] * shape[2] * c);
  forEachWindow(xs, a, (b, oh, ow, win) => {
    const o = ((b * shape[1] + oh) * shape[2] + ow) * c;
    const d = divisor(win, a);
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let i = win.h0; i < win.h1; i++)
        for (let j = win.w0; j < win.w1; j++) s += x[((b * h + i) * w + j) * c + ch]!;
      out[o + ch] = s / d;
    }
  });
  return { values: out, shape };
}

export function avgPool2dBackward(dy: TypedArray, xs: Shape4, a: Pool2DAttrs) {
  const shape = poolOutShape(xs, a);
  const [, h, w, c] = xs;
  const dx = new Float64Array(xs[0] * h * w * c);
  forEachWindow(xs, a, (b, oh, ow, win) => {
    const o = ((b * shape[1] + oh) * shape[2] + ow) * c;
    const d = divisor(win, a);
    for (let ch = 0; ch < c; ch++) {
      const g = dy[o + ch]! / d;
      for (let i = win.h0; i < win.h1; i++)
        for (let j = win.w0; j < win.w1; j++) dx[((b * h + i) * w + j) * c + ch]! += g;
    }
  });
  return { values: Float32Array.from(dx), shape: [...xs] };
}

/** Reference kernels: conv2d (NHWC, filter [kh,kw,cin,cout]) and its two backprops, direct loops. */
import type { Conv2DAttrs, TypedArray } from './backend.js';

type Shape4 = readonly [number, number, number, number];

export function convOutShape(
  x: Shape4,
  kh: number,
  kw: number,
  cout: number,
  a: Conv2DAttrs,
): [number, number, number, number] {
  const [n, h, w] = x;
  const ho = Math.floor((h + a.pads[0] + a.pads[1] - a.dilations[0] * (kh - 1) - 1) / a.strides[0]) + 1;
  const wo = Math.floor((w + a.pads[2] + a.pads[3] - a.dilations[1] * (kw - 1) - 1) / a.strides[1]) + 1;
  return [n, Math.max(ho, 0), Math.max(wo, 0), cout];
}

/**
 * Visits every (output position, filter tap) pair whose input pixel lies inside the image,
 * with the flat offsets of the input pixel, the filter tap and the output pixel (channel 0).
 */
function forEachTap(
  xs: Shape4,
  fs: Shape4,
  ys: Shape4,
  a: Conv2DAttrs,
  visit: (xOff: number, fOff: number, yOff: number) => void,
): void {
  const [n, h, w, cin] = xs;
  const [kh, kw, , cout] = fs;
  const [, ho, wo] = ys;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++) {
        const yOff = ((b * ho + oh) * wo + ow) * cout;
        for (let i = 0; i < kh; i++) {
          const ih = oh * a.strides[0] - a.pads[0] + i * a.dilations[0];
          if (ih < 0 || ih >= h) continue;
          for (let j = 0; j < kw; j++) {
            const iw = ow * a.strides[1] - a.pads[2] + j * a.dilations[1];
            if (iw < 0 || iw >= w) continue;
            visit(((b * h + ih) * w + iw) * cin, (i * kw + j) * cin * cout, yOff);
          }
        }
      }
    }
  }
}

export function conv2d(x: TypedArray, xs: Shape4, f: TypedArray, fs: Shape4, a: Conv2DAttrs) {
  const [, , cin, cout] = fs;
  const shape = convOutShape(xs, fs[0], fs[1], cout, a);
  const acc = new Float64Array(shape[0] * shape[1] * shape[2] * cout);
  forEachTap(xs, fs, shape, a, (xo, fo, yo) => {
    for (let c = 0; c < cin; c++) {
      const xv = x[xo + c]!;
      const fr = fo + c * cout;
      for (let o = 0; o < cout; o++) acc[yo + o]! += xv * f[fr + o]!;
    }
  });
  return { values: Float32Array.from(acc), shape };
}

export function conv2dBackpropInput(dy: TypedArray, f: TypedArray, fs: Shape4, xs: Shape4, a: Conv2DAttrs) {
  const [, , cin, cout] = fs;
  const ys = convOutShape(xs, fs[0], fs[1], cout, a);
  const acc = new Float64Array(xs[0] * xs[1] * xs[2] * xs[3]);
  forEachTap(xs, fs, ys, a, (xo, fo, yo) => {
    for (let c = 0; c < cin; c++) {
      const fr = fo + c * cout;
      let s = 0;
      for (let o = 0; o < cout; o++) s += dy[yo + o]! * f[fr + o]!;
      acc[xo + c]! += s;
    }
  });
  return { values: Float32Array.from(acc), shape: [...xs] };
}

export function conv2dBackpropFilter(x: TypedArray, xs: Shape4, dy: TypedArray, fs: Shape4, a: Conv2DAttrs) {
  const [, , cin, cout] = fs;
  const ys = convOutShape(xs, fs[0], fs[1], cout, a);
  const acc = new Float64Array(fs[0] * fs[1] * cin * cout);
  forEachTap(xs, fs, ys, a, (xo, fo, yo) => {
    for (let c = 0; c < cin; c++) {
      const xv = x[xo + c]!;
      const fr = fo + c * cout;
      for (let o = 0; o < cout; o++) acc[fr + o]! += xv * dy[yo + o]!;
    }
  });
  return { values: Float32Array.from(acc), shape: [...fs] };
}

// Max and average pooling (NHWC) and their backward passes, vectorised across channels.
// `p` holds [n, h, w, c, ho, wo, kh, kw, strideH, strideW, padTop, padLeft, padBottom, padRight,
// countIncludePad]. Windows are clipped to the image as in the reference: padded cells never
// win a max, and the average divides by the clipped window (count_include_pad = false) or by
// the window clipped to the padded image.
import { SIMD, param } from './common';

// @ts-ignore: decorator
@inline function maxNaN(best: f32, v: f32): f32 {
  return v > best || isNaN(v) || isNaN(best) ? (isNaN(best) ? best : v) : best;
}

export function maxPool2d(x: usize, y: usize, p: usize): void {
  const n = param(p, 0), h = param(p, 1), w = param(p, 2), c = param(p, 3), ho = param(p, 4), wo = param(p, 5);
  const kh = param(p, 6), kw = param(p, 7), sh = param(p, 8), sw = param(p, 9), pt = param(p, 10), pl = param(p, 11);
  const pb = param(p, 12), pr = param(p, 13);
  let out = y;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      const hs = oh * sh - pt;
      const h0 = max(hs, 0), h1 = min(min(hs + kh, h + pb), h);
      for (let ow = 0; ow < wo; ow++) {
        const ws = ow * sw - pl;
        const w0 = max(ws, 0), w1 = min(min(ws + kw, w + pr), w);
        let ch = 0;
        if (SIMD) {
          for (; ch + 4 <= c; ch += 4) {
            let m = f32x4.splat(-Infinity);
            for (let i = h0; i < h1; i++) {
              for (let j = w0; j < w1; j++) {
                m = f32x4.max(m, v128.load(x + ((<usize>((b * h + i) * w + j) * <usize>c + <usize>ch) << 2)));
              }
            }
            v128.store(out + (<usize>ch << 2), m);
          }
        }
        for (; ch < c; ch++) {
          let m: f32 = -Infinity;
          for (let i = h0; i < h1; i++) {
            for (let j = w0; j < w1; j++) {
              m = maxNaN(m, load<f32>(x + ((<usize>((b * h + i) * w + j) * <usize>c + <usize>ch) << 2)));
            }
          }
          store<f32>(out + (<usize>ch << 2), m);
        }
        out += <usize>c << 2;
      }
    }
  }
}

/**
 * dx (zeroed by the caller) += dy routed to each window's arg-max: the first in row-major
 * window order on ties, a NaN wins (once the best is NaN nothing replaces it).
 */
export function maxPool2dBackward(dy: usize, x: usize, dx: usize, p: usize): void {
  const n = param(p, 0), h = param(p, 1), w = param(p, 2), c = param(p, 3), ho = param(p, 4), wo = param(p, 5);
  const kh = param(p, 6), kw = param(p, 7), sh = param(p, 8), sw = param(p, 9), pt = param(p, 10), pl = param(p, 11);
  const pb = param(p, 12), pr = param(p, 13);
  let g = dy;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      const hs = oh * sh - pt;
      const h0 = max(hs, 0), h1 = min(min(hs + kh, h + pb), h);
      for (let ow = 0; ow < wo; ow++) {
        const ws = ow * sw - pl;
        const w0 = max(ws, 0), w1 = min(min(ws + kw, w + pr), w);
        if (h1 <= h0 || w1 <= w0) {
          g += <usize>c << 2;
          continue;
        }
        let ch = 0;
        if (SIMD) {
          const lanes = i32x4(0, 1, 2, 3);
          for (; ch + 4 <= c; ch += 4) {
            const first = (b * h + h0) * w + w0;
            let arg = i32x4.add(i32x4.splat(first * c + ch), lanes);
            let best = v128.load(x + (<usize>(first * c + ch) << 2));
            for (let i = h0; i < h1; i++) {
              for (let j = i == h0 ? w0 + 1 : w0; j < w1; j++) {
                const idx = ((b * h + i) * w + j) * c + ch;
                const v = v128.load(x + (<usize>idx << 2));
                const upd = v128.and(v128.or(f32x4.gt(v, best), f32x4.ne(v, v)), f32x4.eq(best, best));
                best = v128.bitselect(v, best, upd);
                arg = v128.bitselect(i32x4.add(i32x4.splat(idx), lanes), arg, upd);
              }
            }
            const gp = g + (<usize>ch << 2);
            let q = dx + (<usize>i32x4.extract_lane(arg, 0) << 2);
            store<f32>(q, load<f32>(q) + load<f32>(gp));
            q = dx + (<usize>i32x4.extract_lane(arg, 1) << 2);
            store<f32>(q, load<f32>(q) + load<f32>(gp, 4));
            q = dx + (<usize>i32x4.extract_lane(arg, 2) << 2);
            store<f32>(q, load<f32>(q) + load<f32>(gp, 8));
            q = dx + (<usize>i32x4.extract_lane(arg, 3) << 2);
            store<f32>(q, load<f32>(q) + load<f32>(gp, 12));
          }
        }
        for (; ch < c; ch++) {
          let arg = ((b * h + h0) * w + w0) * c + ch;
          let best = load<f32>(x + (<usize>arg << 2));
          for (let i = h0; i < h1 && !isNaN(best); i++) {
            for (let j = i == h0 ? w0 + 1 : w0; j < w1; j++) {
              const idx = ((b * h + i) * w + j) * c + ch;
              const v = load<f32>(x + (<usize>idx << 2));
              if (v > best || isNaN(v)) {
                best = v;
                arg = idx;
                if (isNaN(v)) break;
              }
            }
          }
          const q = dx + (<usize>arg << 2);
          store<f32>(q, load<f32>(q) + load<f32>(g + (<usize>ch << 2)));
        }
        g += <usize>c << 2;
      }
    }
  }
}

// @ts-ignore: decorator
@inline function divisor(p: usize, hs: i32, ws: i32, h0: i32, h1: i32, w0: i32, w1: i32): f32 {
  const h = param(p, 1), w = param(p, 2), kh = param(p, 6), kw = param(p, 7), pb = param(p, 12), pr = param(p, 13);
  if (param(p, 14) == 0) return <f32>((h1 - h0) * (w1 - w0));
  const he = min(hs + kh, h + pb);
  const we = min(ws + kw, w + pr);
  return <f32>((he - hs) * (we - ws));
}

export function avgPool2d(x: usize, y: usize, p: usize): void {
  const n = param(p, 0), h = param(p, 1), w = param(p, 2), c = param(p, 3), ho = param(p, 4), wo = param(p, 5);
  const kh = param(p, 6), kw = param(p, 7), sh = param(p, 8), sw = param(p, 9), pt = param(p, 10), pl = param(p, 11);
  const pb = param(p, 12), pr = param(p, 13);
  let out = y;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      const hs = oh * sh - pt;
      const h0 = max(hs, 0), h1 = min(min(hs + kh, h + pb), h);
      for (let ow = 0; ow < wo; ow++) {
        const ws = ow * sw - pl;
        const w0 = max(ws, 0), w1 = min(min(ws + kw, w + pr), w);
        const d = divisor(p, hs, ws, h0, h1, w0, w1);
        let ch = 0;
        if (SIMD) {
          const dv = f32x4.splat(d);
          for (; ch + 4 <= c; ch += 4) {
            let s = f32x4.splat(0);
            for (let i = h0; i < h1; i++) {
              for (let j = w0; j < w1; j++) {
                s = f32x4.add(s, v128.load(x + ((<usize>((b * h + i) * w + j) * <usize>c + <usize>ch) << 2)));
              }
            }
            v128.store(out + (<usize>ch << 2), f32x4.div(s, dv));
          }
        }
        for (; ch < c; ch++) {
          let s: f32 = 0;
          for (let i = h0; i < h1; i++) {
            for (let j = w0; j < w1; j++) s += load<f32>(x + ((<usize>((b * h + i) * w + j) * <usize>c + <usize>ch) << 2));
          }
          store<f32>(out + (<usize>ch << 2), s / d);
        }
        out += <usize>c << 2;
      }
    }
  }
}

/** dx (zeroed by the caller) += dy / divisor spread over each window. */
export function avgPool2dBackward(dy: usize, dx: usize, p: usize): void {
  const n = param(p, 0), h = param(p, 1), w = param(p, 2), c = param(p, 3), ho = param(p, 4), wo = param(p, 5);
  const kh = param(p, 6), kw = param(p, 7), sh = param(p, 8), sw = param(p, 9), pt = param(p, 10), pl = param(p, 11);
  const pb = param(p, 12), pr = param(p, 13);
  let g = dy;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      const hs = oh * sh - pt;
      const h0 = max(hs, 0), h1 = min(min(hs + kh, h + pb), h);
      for (let ow = 0; ow < wo; ow++) {
        const ws = ow * sw - pl;
        const w0 = max(ws, 0), w1 = min(min(ws + kw, w + pr), w);
        const d = divisor(p, hs, ws, h0, h1, w0, w1);
        for (let i = h0; i < h1; i++) {
          for (let j = w0; j < w1; j++) {
            const q = dx + ((<usize>((b * h + i) * w + j) * <usize>c) << 2);
            let ch = 0;
            if (SIMD) {
              const dv = f32x4.splat(d);
              for (; ch + 4 <= c; ch += 4) {
                const o = <usize>ch << 2;
                v128.store(q + o, f32x4.add(v128.load(q + o), f32x4.div(v128.load(g + o), dv)));
              }
            }
            for (; ch < c; ch++) {
              const o = <usize>ch << 2;
              store<f32>(q + o, load<f32>(q + o) + load<f32>(g + o) / d);
            }
          }
        }
        g += <usize>c << 2;
      }
    }
  }
}

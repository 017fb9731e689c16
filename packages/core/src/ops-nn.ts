/** Neural-network ops: softmax, logSoftmax, conv2d and pooling (NHWC), with gradients. */
import { record } from './autograd.js';
import type { Conv2DAttrs, Pool2DAttrs } from './backend.js';
import { getBackend, noGrad } from './engine.js';
import { fmtShape, ShapeError, ValueError } from './errors.js';
import { castIfNeeded, requireFloat, requireRank, wrap } from './op-utils.js';
import { div, mul, sub } from './ops-binary.js';
import { logSumExp, max, sum } from './ops-reduce.js';
import { exp } from './ops-unary.js';
import { normalizeAxis } from './shape.js';
import type { Tensor } from './tensor.js';

export function softmax(x: Tensor, axis = -1): Tensor {
  const xf = castIfNeeded(x, 'float32');
  const a = normalizeAxis('softmax', axis, xf.rank);
  const y = noGrad(() => {
    const e = exp(sub(xf, max(xf, a, true)));
    return div(e, sum(e, a, true));
  });
  // dx = y ⊙ (dy − Σ dy⊙y)
  return record('softmax', [xf], y, (dy) => [mul(y, sub(dy, sum(mul(dy, y), a, true)))]);
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const xf = castIfNeeded(x, 'float32');
  const a = normalizeAxis('logSoftmax', axis, xf.rank);
  const y = noGrad(() => sub(xf, logSumExp(xf, a, true)));
  // dx = dy − softmax ⊙ Σ dy
  return record('logSoftmax', [xf], y, (dy) => [sub(dy, mul(exp(y), sum(dy, a, true)))]);
}

export type Padding2D =
  | 'valid'
  | 'same'
  | number
  | readonly [number, number]
  | readonly [readonly [number, number], readonly [number, number]];
export type Pair = number | readonly [number, number];

function pair(op: string, name: string, v: Pair): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= 1)) {
    throw new ValueError(
      `${op}: ${name} must be a positive integer or a pair of them, got ${JSON.stringify(v)}.`,
    );
  }
  return p;
}

/**
 * Resolves padding to `[top, bottom, left, right]`. 'same' follows TensorFlow: the output is
 * ceil(in / stride) and the odd pixel of padding goes to the bottom/right. A number or
 * `[ph, pw]` pads symmetrically (PyTorch's `padding=`).
 */
export function resolvePadding(
  op: string,
  padding: Padding2D,
  inHW: readonly [number, number],
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number],
): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    const out: number[] = [];
    for (let i = 0; i < 2; i++) {
      const outSize = Math.ceil(inHW[i]! / strides[i]!);
      const total = Math.max(
        (outSize - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - inHW[i]!,
        0,
      );
      out.push(Math.floor(total / 2), total - Math.floor(total / 2));
    }
    return out as [number, number, number, number];
  }
  let pads: number[];
  if (typeof padding === 'number') pads = [padding, padding, padding, padding];
  else if (typeof padding[0] === 'number') {
    const [ph, pw] = padding as readonly [number, number];
    pads = [ph, ph, pw, pw];
  } else {
    const [[t, b], [l, r]] = padding as readonly [readonly [number, number], readonly [number, number]];
    pads = [t, b, l, r];
  }
  if (!pads.every((p) => Number.isInteger(p) && p >= 0)) {
    throw new ValueError(
      `${op}: padding must be 'valid', 'same' or non-negative integers, got ${JSON.stringify(padding)}.`,
    );
  }
  return pads as [number, number, number, number];
}

function outSize(inSize: number, k: number, s: number, d: number, p0: number, p1: number): number {
  return Math.floor((inSize + p0 + p1 - d * (k - 1) - 1) / s) + 1;
}

export interface Conv2DOptions {
  stride?: Pair;
  padding?: Padding2D;
  dilation?: Pair;
}

/** 2-D convolution, NHWC input, filter `[kh, kw, cin, cout]`; default stride 1, 'valid'. */
export function conv2d(x: Tensor, filter: Tensor, options: Conv2DOptions = {}): Tensor {
  requireFloat('conv2d', x);
  requireFloat('conv2d', filter);
  requireRank('conv2d', 'input', x, 4, 'NHWC');
  requireRank('conv2d', 'filter', filter, 4, '[kh, kw, cin, cout]');
  const [n, h, w, cin] = x.shape as [number, number, number, number];
  const [kh, kw, fcin] = filter.shape as [number, number, number, number];
  if (cin !== fcin) {
    throw new ShapeError(
      `conv2d: input ${fmtShape(x.shape)} has ${cin} channels but filter ${fmtShape(filter.shape)} expects ${fmtShape([kh, kw, fcin])}·cout, i.e. ${fcin} input channels.`,
    );
  }
  const strides = pair('conv2d', 'stride', options.stride ?? 1);
  const dilations = pair('conv2d', 'dilation', options.dilation ?? 1);
  const pads = resolvePadding('conv2d', options.padding ?? 'valid', [h, w], [kh, kw], strides, dilations);
  const ho = outSize(h, kh, strides[0], dilations[0], pads[0], pads[1]);
  const wo = outSize(w, kw, strides[1], dilations[1], pads[2], pads[3]);
  if (ho <= 0 || wo <= 0) {
    throw new ShapeError(
      `conv2d: input ${fmtShape(x.shape)} is smaller than the dilated filter ${fmtShape(filter.shape)} with padding ${JSON.stringify(pads)}; output would be ${ho}x${wo}.`,
    );
  }
  void n;
  const attrs: Conv2DAttrs = { strides, dilations, pads };
  const backend = getBackend();
  const y = wrap(backend.conv2d(x, filter, attrs));
  // An input that does not require grad (the image batch of a first layer) gets no gradient.
  return record('conv2d', [x, filter], y, (dy) => [
    x.requiresGrad
      ? wrap(getBackend().conv2dBackpropInput(dy, filter, x.shape as [number, number, number, number], attrs))
      : null,
    filter.requiresGrad
      ? wrap(getBackend().conv2dBackpropFilter(x, dy, filter.shape as [number, number, number, number], attrs))
      : null,
  ]);
}

export interface Pool2DOptions {
  kernelSize: Pair;
  /** Defaults to kernelSize, as PyTorch. */
  stride?: Pair;
  padding?: Padding2D;
  /** avgPool2d only: divide by the whole window (true, PyTorch's default) or by the real cells. */
  countIncludePad?: boolean;
}

function poolAttrs(op: string, x: Tensor, options: Pool2DOptions): Pool2DAttrs {
  requireFloat(op, x);
  requireRank(op, 'input', x, 4, 'NHWC');
  const kernelSize = pair(op, 'kernelSize', options.kernelSize);
  const strides = pair(op, 'stride', options.stride ?? kernelSize);
  const pads = resolvePadding(
    op,
    options.padding ?? 'valid',
    [x.shape[1]!, x.shape[2]!],
    kernelSize,
    strides,
    [1, 1],
  );
  const ho = outSize(x.shape[1]!, kernelSize[0], strides[0], 1, pads[0], pads[1]);
  const wo = outSize(x.shape[2]!, kernelSize[1], strides[1], 1, pads[2], pads[3]);
  if (ho <= 0 || wo <= 0) {
    throw new ShapeError(
      `${op}: input ${fmtShape(x.shape)} is smaller than the window ${fmtShape(kernelSize)}; output would be ${ho}x${wo}.`,
    );
  }
  return { kernelSize, strides, pads, countIncludePad: options.countIncludePad ?? true };
}

export function maxPool2d(x: Tensor, options: Pool2DOptions): Tensor {
  const attrs = poolAttrs('maxPool2d', x, options);
  const y = wrap(getBackend().maxPool2d(x, attrs));
  return record('maxPool2d', [x], y, (dy) => [wrap(getBackend().maxPool2dBackward(dy, x, attrs))]);
}

export function avgPool2d(x: Tensor, options: Pool2DOptions): Tensor {
  const attrs = poolAttrs('avgPool2d', x, options);
  const y = wrap(getBackend().avgPool2d(x, attrs));
  return record('avgPool2d', [x], y, (dy) => [wrap(getBackend().avgPool2dBackward(dy, x.shape, attrs))]);
}

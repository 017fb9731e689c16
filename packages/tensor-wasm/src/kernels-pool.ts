/** Glue for max/avg pooling and their backward passes (NHWC). */
import type { Pool2DAttrs, TensorInfo } from '@gradsight/core';
import type { KernelContext } from './context.js';
import { sizeOf } from './strides.js';

type Shape4 = readonly [number, number, number, number];

function outShape(xs: Shape4, a: Pool2DAttrs): [number, number, number, number] {
  const [n, h, w, c] = xs;
  const ho = Math.max(Math.floor((h + a.pads[0] + a.pads[1] - a.kernelSize[0]) / a.strides[0]) + 1, 0);
  const wo = Math.max(Math.floor((w + a.pads[2] + a.pads[3] - a.kernelSize[1]) / a.strides[1]) + 1, 0);
  return [n, ho, wo, c];
}

function poolParams(ctx: KernelContext, xs: Shape4, a: Pool2DAttrs): number {
  const [n, ho, wo] = outShape(xs, a);
  return ctx.params([
    n,
    xs[1],
    xs[2],
    xs[3],
    ho,
    wo,
    a.kernelSize[0],
    a.kernelSize[1],
    a.strides[0],
    a.strides[1],
    a.pads[0],
    a.pads[2],
    a.pads[1],
    a.pads[3],
    a.countIncludePad === false ? 0 : 1,
  ]);
}

export function maxPool2d(ctx: KernelContext, x: TensorInfo, a: Pool2DAttrs): TensorInfo {
  const shape = outShape(x.shape as Shape4, a);
  const out = ctx.output(shape, 'float32');
  if (sizeOf(shape) === 0) return out.info;
  ctx.wasm.maxPool2d(ctx.ptr(x), out.ptr, poolParams(ctx, x.shape as Shape4, a));
  return out.info;
}

export function maxPool2dBackward(
  ctx: KernelContext,
  dy: TensorInfo,
  x: TensorInfo,
  a: Pool2DAttrs,
): TensorInfo {
  const out = ctx.output(x.shape, 'float32');
  const size = sizeOf(x.shape);
  if (size === 0) return out.info;
  ctx.wasm.fill32(out.ptr, size, 0);
  if (sizeOf(outShape(x.shape as Shape4, a)) === 0) return out.info;
  ctx.wasm.maxPool2dBackward(ctx.ptr(dy), ctx.ptr(x), out.ptr, poolParams(ctx, x.shape as Shape4, a));
  return out.info;
}

export function avgPool2d(ctx: KernelContext, x: TensorInfo, a: Pool2DAttrs): TensorInfo {
  const shape = outShape(x.shape as Shape4, a);
  const out = ctx.output(shape, 'float32');
  if (sizeOf(shape) === 0) return out.info;
  ctx.wasm.avgPool2d(ctx.ptr(x), out.ptr, poolParams(ctx, x.shape as Shape4, a));
  return out.info;
}

export function avgPool2dBackward(
  ctx: KernelContext,
  dy: TensorInfo,
  inputShape: readonly number[],
  a: Pool2DAttrs,
): TensorInfo {
  const out = ctx.output(inputShape, 'float32');
  const size = sizeOf(inputShape);
  if (size === 0) return out.info;
  ctx.wasm.fill32(out.ptr, size, 0);
  if (sizeOf(outShape(inputShape as Shape4, a)) === 0) return out.info;
  ctx.wasm.avgPool2dBackward(ctx.ptr(dy), out.ptr, poolParams(ctx, inputShape as Shape4, a));
  return out.info;
}

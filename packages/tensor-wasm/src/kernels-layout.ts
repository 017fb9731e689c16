/** Glue for data movement: transpose, slice, concat, pad (all strided copies), gather, scatterAdd. */
import type { TensorInfo } from '@gradsight/core';
import type { KernelContext } from './context.js';
import { collapse, sizeOf, stridesOf } from './strides.js';

/** Copies `shape` elements from src (strides `ss`) to dst (strides `ds`), collapsing first. */
function copyStrided(
  ctx: KernelContext,
  src: number,
  dst: number,
  shape: readonly number[],
  ss: number[],
  ds: number[],
): void {
  if (sizeOf(shape) === 0) return;
  const c = collapse(shape, [ss, ds]);
  const rank = c.shape.length;
  const [cs, cd] = c.strides as [number[], number[]];
  if (rank === 1 && cs[0] === 1 && cd[0] === 1) {
    ctx.wasm.copy32(dst, src, c.shape[0]!);
    return;
  }
  // a (batched) 2-D transpose: destination contiguous, source walks columns
  if (
    (rank === 2 || rank === 3) &&
    cd[rank - 1] === 1 &&
    cs[rank - 2] === 1 &&
    cs[rank - 1] === c.shape[rank - 2] &&
    cd[rank - 2] === c.shape[rank - 1] &&
    (rank === 2 || (cs[0] === c.shape[1]! * c.shape[2]! && cd[0] === cs[0]))
  ) {
    const batch = rank === 3 ? c.shape[0]! : 1;
    ctx.wasm.transpose2d(src, dst, batch, c.shape[rank - 1]!, c.shape[rank - 2]!);
    return;
  }
  ctx.wasm.stridedCopy(src, dst, rank, ctx.params([...c.shape, ...cs, ...cd], rank));
}

export function transpose(ctx: KernelContext, x: TensorInfo, perm: readonly number[]): TensorInfo {
  const shape = perm.map((p) => x.shape[p]!);
  const out = ctx.output(shape, x.dtype);
  if (sizeOf(shape) === 0) return out.info;
  const strides = stridesOf(x.shape);
  copyStrided(
    ctx,
    ctx.ptr(x),
    out.ptr,
    shape,
    perm.map((p) => strides[p]!),
    stridesOf(shape),
  );
  return out.info;
}

export function slice(
  ctx: KernelContext,
  x: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): TensorInfo {
  const out = ctx.output(size, x.dtype);
  if (sizeOf(size) === 0) return out.info;
  const strides = stridesOf(x.shape);
  const offset = begin.reduce((acc, b, d) => acc + b * strides[d]!, 0);
  copyStrided(ctx, ctx.ptr(x) + offset * 4, out.ptr, size, strides, stridesOf(size));
  return out.info;
}

export function concat(ctx: KernelContext, xs: readonly TensorInfo[], axis: number): TensorInfo {
  const first = xs[0]!.shape;
  const shape = [...first];
  shape[axis] = xs.reduce((acc, t) => acc + t.shape[axis]!, 0);
  const out = ctx.output(shape, xs[0]!.dtype);
  if (sizeOf(shape) === 0) return out.info;
  const outer = sizeOf(first.slice(0, axis));
  const inner = sizeOf(first.slice(axis + 1));
  const rowOut = shape[axis]! * inner;
  let col = 0;
  for (const t of xs) {
    const row = t.shape[axis]! * inner;
    copyStrided(ctx, ctx.ptr(t), out.ptr + col * 4, [outer, row], [row, 1], [rowOut, 1]);
    col += row;
  }
  return out.info;
}

export function pad(
  ctx: KernelContext,
  x: TensorInfo,
  paddings: readonly (readonly [number, number])[],
  value: number,
): TensorInfo {
  const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const out = ctx.output(shape, x.dtype);
  const size = sizeOf(shape);
  if (size === 0) return out.info;
  // the fill value as the bits of the output dtype (an Int32Array stores ToInt32(value))
  const bits =
    x.dtype === 'int32' ? Int32Array.of(value)[0]! : new Int32Array(Float32Array.of(value).buffer)[0]!;
  ctx.wasm.fill32(out.ptr, size, bits);
  if (sizeOf(x.shape) === 0) return out.info;
  const outStrides = stridesOf(shape);
  const offset = paddings.reduce((acc, [p], d) => acc + p * outStrides[d]!, 0);
  copyStrided(ctx, ctx.ptr(x), out.ptr + offset * 4, x.shape, stridesOf(x.shape), outStrides);
  return out.info;
}

export function gather(ctx: KernelContext, x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo {
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = ctx.output(shape, x.dtype);
  if (sizeOf(shape) === 0) return out.info;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  ctx.wasm.gather(ctx.ptr(x), ctx.ptr(indices), out.ptr, outer, x.shape[axis]!, sizeOf(indices.shape), inner);
  return out.info;
}

export function scatterAdd(
  ctx: KernelContext,
  indices: TensorInfo,
  updates: TensorInfo,
  shape: readonly number[],
  axis: number,
): TensorInfo {
  const out = ctx.output(shape, updates.dtype);
  const size = sizeOf(shape);
  if (size === 0) return out.info;
  ctx.wasm.fill32(out.ptr, size, 0);
  const k = sizeOf(indices.shape);
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  if (k * outer * inner === 0) return out.info;
  ctx.wasm.scatterAdd(
    ctx.ptr(indices),
    ctx.ptr(updates),
    out.ptr,
    outer,
    shape[axis]!,
    k,
    inner,
    updates.dtype === 'int32' ? 1 : 0,
  );
  return out.info;
}

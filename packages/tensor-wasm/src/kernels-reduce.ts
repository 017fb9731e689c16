/** Glue for reductions: every reduction becomes rows ([outer, n]) or columns ([outer, r, inner]). */
import type { ReduceOp, TensorInfo } from '@gradsight/core';
import type { KernelContext } from './context.js';
import { reduceCode } from './op-codes.js';
import { collapse, sizeOf, stridesOf } from './strides.js';

const IDENTITY_BITS: Record<ReduceOp, { f: number; i: number }> = {
  sum: { f: 0, i: 0 },
  prod: { f: 1, i: 1 },
  max: { f: -Infinity, i: -2147483648 },
  min: { f: Infinity, i: 2147483647 },
};

/** Groups consecutive non-unit dims by whether they are reduced: [[size, reduced], …]. */
function groups(shape: readonly number[], axes: readonly number[]): [number, boolean][] {
  const out: [number, boolean][] = [];
  shape.forEach((d, i) => {
    if (d === 1) return;
    const red = axes.includes(i);
    const last = out[out.length - 1];
    if (last && last[1] === red) last[0] *= d;
    else out.push([d, red]);
  });
  return out;
}

export function reduce(ctx: KernelContext, op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo {
  const outShape = x.shape.filter((_, i) => !axes.includes(i));
  const outSize = sizeOf(outShape);
  const out = ctx.output(outShape, x.dtype);
  if (outSize === 0) return out.info;
  const isInt = x.dtype === 'int32';
  const w = ctx.wasm;
  if (sizeOf(x.shape) === 0) {
    // every output reduces an empty set: the identity of the reduction
    const id = IDENTITY_BITS[op];
    if (isInt) ctx.heap.i32.fill(id.i, out.ptr >>> 2, (out.ptr >>> 2) + outSize);
    else ctx.heap.f32.fill(id.f, out.ptr >>> 2, (out.ptr >>> 2) + outSize);
    return out.info;
  }
  const code = reduceCode[op];
  const src = ctx.ptr(x);
  const g = groups(x.shape, axes);
  const kinds = g.map(([, r]) => (r ? 'R' : 'K')).join('');
  const int = isInt ? 1 : 0;
  if (kinds === '' || kinds === 'K') {
    w.copy32(out.ptr, src, outSize);
  } else if (kinds === 'R' || kinds === 'KR') {
    const n = g[g.length - 1]![0];
    w.reduceRows(code, int, src, out.ptr, outSize, n);
  } else if (kinds === 'RK' || kinds === 'KRK') {
    const [outer, r, inner] = kinds === 'RK' ? [1, g[0]![0], g[1]![0]] : [g[0]![0], g[1]![0], g[2]![0]];
    ctx.withTemp(inner * 8, (acc) => w.reduceCols(code, int, src, out.ptr, outer, r, inner, acc));
  } else {
    // interleaved axes: move the reduced ones last, then reduce rows
    const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const perm = [...kept, ...axes];
    const strides = stridesOf(x.shape);
    const pShape = perm.map((i) => x.shape[i]!);
    const c = collapse(pShape, [perm.map((i) => strides[i]!), stridesOf(pShape)]);
    const n = sizeOf(x.shape) / outSize;
    ctx.withTemp(sizeOf(x.shape) * 4, (tmp) => {
      const rank = c.shape.length;
      w.stridedCopy(src, tmp, rank, ctx.params([...c.shape, ...c.strides[0]!, ...c.strides[1]!], rank));
      w.reduceRows(code, int, tmp, out.ptr, outSize, n);
    });
  }
  return out.info;
}

export function argReduce(
  ctx: KernelContext,
  op: 'argmax' | 'argmin',
  x: TensorInfo,
  axis: number,
): TensorInfo {
  const outShape = x.shape.filter((_, i) => i !== axis);
  const out = ctx.output(outShape, 'int32');
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const n = x.shape[axis]!;
  if (outer * inner === 0 || n === 0) return out.info;
  const src = ctx.ptr(x);
  ctx.withTemp(inner * 4, (state) =>
    ctx.wasm.argReduce(
      op === 'argmax' ? 1 : 0,
      x.dtype === 'int32' ? 1 : 0,
      src,
      out.ptr,
      outer,
      n,
      inner,
      state,
    ),
  );
  return out.info;
}

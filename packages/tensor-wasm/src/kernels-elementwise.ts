/** Glue for the elementwise kernels: unary, binary with broadcasting, where, cast. */
import {
  type BinaryOp,
  broadcastShapes,
  type DType,
  type TensorInfo,
  type UnaryAttrs,
  type UnaryOp,
} from '@gradsight/core';
import type { KernelContext } from './context.js';
import { binaryCode, isMaskOp, unaryCode, unaryIsMask } from './op-codes.js';
import { broadcastStrides, collapse, sizeOf } from './strides.js';

// row modes of assembly/binary.ts
const BOTH = 0;
const B_SCALAR = 1;
const A_SCALAR = 2;

export function unary(ctx: KernelContext, op: UnaryOp, x: TensorInfo, attrs: UnaryAttrs = {}): TensorInfo {
  const n = sizeOf(x.shape);
  const out = ctx.output(x.shape, unaryIsMask(op) ? 'int32' : x.dtype);
  if (n === 0) return out.info;
  const fn = x.dtype === 'int32' ? ctx.wasm.unaryI32 : ctx.wasm.unaryF32;
  fn(unaryCode.get(op)!, ctx.ptr(x), out.ptr, n, attrs.alpha ?? 0, attrs.beta ?? 1, attrs.threshold ?? 20);
  return out.info;
}

export function binary(ctx: KernelContext, op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const n = sizeOf(shape);
  const out = ctx.output(shape, isMaskOp(op) ? 'int32' : a.dtype);
  if (n === 0) return out.info;
  const code = binaryCode.get(op)!;
  const isInt = a.dtype === 'int32';
  const row = isInt ? ctx.wasm.binaryI32 : ctx.wasm.binaryF32;
  const na = sizeOf(a.shape);
  const nb = sizeOf(b.shape);
  const pa = ctx.ptr(a);
  const pb = ctx.ptr(b);
  if (na === n && nb === n) row(code, BOTH, pa, pb, out.ptr, n);
  else if (na === n && nb === 1) row(code, B_SCALAR, pa, pb, out.ptr, n);
  else if (na === 1 && nb === n) row(code, A_SCALAR, pa, pb, out.ptr, n);
  else {
    const c = collapse(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)]);
    const rank = c.shape.length;
    const p = ctx.params([...c.shape, ...c.strides[0]!, ...c.strides[1]!], rank);
    ctx.wasm.binaryBroadcast(code, isInt ? 1 : 0, pa, pb, out.ptr, rank, p);
  }
  return out.info;
}

export function where(ctx: KernelContext, cond: TensorInfo, a: TensorInfo, b: TensorInfo): TensorInfo {
  const shape = broadcastShapes('where', cond.shape, a.shape, b.shape);
  const out = ctx.output(shape, a.dtype);
  if (sizeOf(shape) === 0) return out.info;
  const c = collapse(
    shape,
    [cond, a, b].map((t) => broadcastStrides(t.shape, shape)),
  );
  const rank = c.shape.length;
  const p = ctx.params([...c.shape, ...c.strides.flat()], rank);
  ctx.wasm.whereBroadcast(ctx.ptr(cond), ctx.ptr(a), ctx.ptr(b), out.ptr, rank, p);
  return out.info;
}

export function cast(ctx: KernelContext, x: TensorInfo, dtype: DType): TensorInfo {
  const n = sizeOf(x.shape);
  const out = ctx.output(x.shape, dtype);
  if (n === 0) return out.info;
  const src = ctx.ptr(x);
  if (x.dtype === dtype) ctx.wasm.copy32(out.ptr, src, n);
  else if (dtype === 'int32') ctx.wasm.castF32ToI32(src, out.ptr, n);
  else ctx.wasm.castI32ToF32(src, out.ptr, n);
  return out.info;
}

/** Reference kernels: transpose, slice, concat, pad, gather, scatterAdd. */
import type { DType, TypedArray } from './backend.js';
import { typedArrayFor } from './dtype.js';
import { sizeOf, stridesOf } from './shape.js';

/** Calls `visit(outFlat, inFlat)` for every element of a strided view of the input. */
function forEachStrided(
  shape: readonly number[],
  inStrides: readonly number[],
  inOffset: number,
  visit: (o: number, i: number) => void,
): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  let flat = inOffset;
  for (let o = 0; o < n; o++) {
    visit(o, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]!++;
      flat += inStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      flat -= inStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

export function transpose(x: TypedArray, shape: readonly number[], perm: readonly number[], dtype: DType) {
  const strides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const out = typedArrayFor(dtype, x.length);
  forEachStrided(
    outShape,
    perm.map((p) => strides[p]!),
    0,
    (o, i) => (out[o] = x[i]!),
  );
  return { values: out, shape: outShape };
}

export function slice(
  x: TypedArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dtype: DType,
) {
  const strides = stridesOf(shape);
  const offset = begin.reduce((acc, b, d) => acc + b * strides[d]!, 0);
  const out = typedArrayFor(dtype, sizeOf(size));
  forEachStrided(size, strides, offset, (o, i) => (out[o] = x[i]!));
  return { values: out, shape: [...size] };
}

export function concat(xs: { values: TypedArray; shape: readonly number[] }[], axis: number, dtype: DType) {
  const first = xs[0]!.shape;
  const outShape = [...first];
  outShape[axis] = xs.reduce((acc, t) => acc + t.shape[axis]!, 0);
  const outer = sizeOf(first.slice(0, axis));
  const inner = sizeOf(first.slice(axis + 1));
  const out = typedArrayFor(dtype, sizeOf(outShape));
  const rowOut = outShape[axis]! * inner;
  let colOffset = 0;
  for (const t of xs) {
    const row = t.shape[axis]! * inner;
    for (let o = 0; o < outer; o++)
      out.set(t.values.subarray(o * row, (o + 1) * row), o * rowOut + colOffset);
    colOffset += row;
  }
  return { values: out, shape: outShape };
}

export function pad(
  x: TypedArray,
  shape: readonly number[],
  paddings: readonly (readonly [number, number])[],
  value: number,
  dtype: DType,
) {
  const outShape = shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const out = typedArrayFor(dtype, sizeOf(outShape));
  out.fill(value);
  const outStrides = stridesOf(outShape);
  const offset = paddings.reduce((acc, [p], d) => acc + p * outStrides[d]!, 0);
  // walk the input in order, writing through the output's strides
  forEachStrided(shape, outStrides, offset, (i, o) => (out[o] = x[i]!));
  return { values: out, shape: outShape };
}

export function gather(
  x: TypedArray,
  shape: readonly number[],
  indices: Int32Array,
  indicesShape: readonly number[],
  axis: number,
  dtype: DType,
) {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const n = shape[axis]!;
  const outShape = [...shape.slice(0, axis), ...indicesShape, ...shape.slice(axis + 1)];
  const out = typedArrayFor(dtype, sizeOf(outShape));
  const k = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const src = (o * n + indices[j]!) * inner;
      out.set(x.subarray(src, src + inner), (o * k + j) * inner);
    }
  }
  return { values: out, shape: outShape };
}

export function scatterAdd(
  indices: Int32Array,
  updates: TypedArray,
  shape: readonly number[],
  axis: number,
  dtype: DType,
) {
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const n = shape[axis]!;
  const out = typedArrayFor(dtype, sizeOf(shape));
  const k = indices.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < k; j++) {
      const dst = (o * n + indices[j]!) * inner;
      const src = (o * k + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i]! += updates[src + i]!;
    }
  }
  return { values: out, shape: [...shape] };
}

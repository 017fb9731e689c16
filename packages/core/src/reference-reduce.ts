/** Reference kernels: reductions over axes and arg-reductions along one axis. */
import type { DType, ReduceOp, TypedArray } from './backend.js';
import { typedArrayFor } from './dtype.js';
import { sizeOf, stridesOf } from './shape.js';

const identity: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

function combine(op: ReduceOp): (acc: number, v: number) => number {
  switch (op) {
    case 'sum':
      return (acc, v) => acc + v;
    case 'prod':
      return (acc, v) => acc * v;
    // a NaN accumulator stays NaN: max/min propagate NaN wherever it sits in the reduced set
    case 'max':
      return (acc, v) => (Number.isNaN(acc) ? acc : v > acc || Number.isNaN(v) ? v : acc);
    case 'min':
      return (acc, v) => (Number.isNaN(acc) ? acc : v < acc || Number.isNaN(v) ? v : acc);
  }
}

export function reduce(
  op: ReduceOp,
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  dtype: DType,
): { values: TypedArray; shape: number[] } {
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const outStrides = stridesOf(outShape);
  // stride in the output of each input axis (0 for reduced axes)
  const strideOf: number[] = [];
  let k = 0;
  for (let i = 0; i < shape.length; i++) strideOf.push(axes.includes(i) ? 0 : outStrides[k++]!);
  // accumulate in float64 so the result is the float32 rounding of the exact-ish sum
  const acc = new Float64Array(sizeOf(outShape)).fill(identity[op]);
  const f = combine(op);
  const idx = new Array<number>(shape.length).fill(0);
  let o = 0;
  for (let i = 0; i < x.length; i++) {
    acc[o] = f(acc[o]!, x[i]!);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d]!++;
      o += strideOf[d]!;
      if (idx[d]! < shape[d]!) break;
      o -= strideOf[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  const out = typedArrayFor(dtype, acc.length);
  if (dtype === 'int32') for (let i = 0; i < acc.length; i++) out[i] = acc[i]! | 0;
  else out.set(acc);
  return { values: out, shape: outShape };
}

export function argReduce(
  op: 'argmax' | 'argmin',
  x: TypedArray,
  shape: readonly number[],
  axis: number,
): { values: Int32Array; shape: number[] } {
  const n = shape[axis]!;
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const out = new Int32Array(outer * inner);
  const better = op === 'argmax' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = x[o * n * inner + i]!;
      let bestIdx = 0;
      for (let j = 1; j < n && !Number.isNaN(best); j++) {
        const v = x[(o * n + j) * inner + i]!;
        if (Number.isNaN(v) || better(v, best)) {
          best = v;
          bestIdx = j;
        }
      }
      out[o * inner + i] = bestIdx;
    }
  }
  return { values: out, shape: shape.filter((_, i) => i !== axis) };
}

/**
 * The reference backend: plain TypeScript over typed arrays. It is the living definition of
 * every kernel in `backend.ts` (clarity first, float64 accumulation) and the default backend,
 * so `core` works with nothing else installed. Other backends are checked against it.
 */
import type {
  Backend,
  BackendMemoryInfo,
  BinaryOp,
  Conv2DAttrs,
  DataId,
  DType,
  Pool2DAttrs,
  ReduceOp,
  TensorInfo,
  TypedArray,
  UnaryAttrs,
  UnaryOp,
} from './backend.js';
import { BackendError } from './errors.js';
import * as conv from './reference-conv.js';
import * as ew from './reference-elementwise.js';
import * as layout from './reference-layout.js';
import * as mm from './reference-matmul.js';
import * as pool from './reference-pool.js';
import * as red from './reference-reduce.js';

type Shape4 = readonly [number, number, number, number];

class RefData {
  constructor(public values: TypedArray) {}
}

export class ReferenceBackend implements Backend {
  readonly backendVersion = 1 as const;
  readonly name: string = 'reference';
  private live = new Set<RefData>();
  private bytes = 0;

  private store(values: TypedArray): RefData {
    const d = new RefData(values);
    this.live.add(d);
    this.bytes += values.byteLength;
    return d;
  }
  private out(r: { values: TypedArray; shape: readonly number[] }, dtype?: DType): TensorInfo {
    return {
      dataId: this.store(r.values),
      shape: r.shape,
      dtype: dtype ?? (r.values instanceof Int32Array ? 'int32' : 'float32'),
    };
  }
  /** The values behind a handle (no copy). */
  get(x: TensorInfo | DataId): TypedArray {
    const d = ('dataId' in x ? x.dataId : x) as RefData;
    if (!this.live.has(d))
      throw new BackendError(
        `reference: data handle is not live (already disposed or from another backend).`,
      );
    return d.values;
  }

  write(values: TypedArray, dtype: DType): DataId {
    return this.store(dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values));
  }
  readSync(dataId: DataId): TypedArray {
    return this.get(dataId).slice();
  }
  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }
  disposeData(dataId: DataId): void {
    const d = dataId as RefData;
    if (this.live.delete(d)) this.bytes -= d.values.byteLength;
  }
  memory(): BackendMemoryInfo {
    return { numDataIds: this.live.size, numBytes: this.bytes };
  }

  unary(op: UnaryOp, x: TensorInfo, attrs?: UnaryAttrs): TensorInfo {
    return this.out({ values: ew.unary(op, this.get(x), x.dtype, attrs), shape: x.shape });
  }
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.out(ew.binary(op, this.get(a), a.shape, this.get(b), b.shape, a.dtype));
  }
  where(c: TensorInfo, a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.out(
      ew.where(this.get(c), c.shape, this.get(a), a.shape, this.get(b), b.shape, a.dtype),
      a.dtype,
    );
  }
  cast(x: TensorInfo, dtype: DType): TensorInfo {
    return this.out({ values: ew.cast(this.get(x), dtype), shape: x.shape }, dtype);
  }
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo {
    return this.out(red.reduce(op, this.get(x), x.shape, axes, x.dtype), x.dtype);
  }
  argReduce(op: 'argmax' | 'argmin', x: TensorInfo, axis: number): TensorInfo {
    return this.out(red.argReduce(op, this.get(x), x.shape, axis), 'int32');
  }
  matmul(a: TensorInfo, b: TensorInfo, tA: boolean, tB: boolean): TensorInfo {
    return this.out(mm.matmul(this.get(a), a.shape, this.get(b), b.shape, tA, tB));
  }
  conv2d(x: TensorInfo, f: TensorInfo, attrs: Conv2DAttrs): TensorInfo {
    return this.out(conv.conv2d(this.get(x), x.shape as Shape4, this.get(f), f.shape as Shape4, attrs));
  }
  conv2dBackpropInput(dy: TensorInfo, f: TensorInfo, inputShape: Shape4, attrs: Conv2DAttrs): TensorInfo {
    return this.out(
      conv.conv2dBackpropInput(this.get(dy), this.get(f), f.shape as Shape4, inputShape, attrs),
    );
  }
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, filterShape: Shape4, attrs: Conv2DAttrs): TensorInfo {
    return this.out(
      conv.conv2dBackpropFilter(this.get(x), x.shape as Shape4, this.get(dy), filterShape, attrs),
    );
  }
  maxPool2d(x: TensorInfo, attrs: Pool2DAttrs): TensorInfo {
    return this.out(pool.maxPool2d(this.get(x), x.shape as Shape4, attrs));
  }
  maxPool2dBackward(dy: TensorInfo, x: TensorInfo, attrs: Pool2DAttrs): TensorInfo {
    return this.out(pool.maxPool2dBackward(this.get(dy), this.get(x), x.shape as Shape4, attrs));
  }
  avgPool2d(x: TensorInfo, attrs: Pool2DAttrs): TensorInfo {
    return this.out(pool.avgPool2d(this.get(x), x.shape as Shape4, attrs));
  }
  avgPool2dBackward(dy: TensorInfo, inputShape: readonly number[], attrs: Pool2DAttrs): TensorInfo {
    return this.out(pool.avgPool2dBackward(this.get(dy), inputShape as Shape4, attrs));
  }
  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo {
    return this.out(layout.transpose(this.get(x), x.shape, perm, x.dtype), x.dtype);
  }
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): TensorInfo {
    return this.out(layout.slice(this.get(x), x.shape, begin, size, x.dtype), x.dtype);
  }
  concat(xs: readonly TensorInfo[], axis: number): TensorInfo {
    const dtype = xs[0]!.dtype;
    return this.out(
      layout.concat(
        xs.map((t) => ({ values: this.get(t), shape: t.shape })),
        axis,
        dtype,
      ),
      dtype,
    );
  }
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): TensorInfo {
    return this.out(layout.pad(this.get(x), x.shape, paddings, value, x.dtype), x.dtype);
  }
  gather(x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo {
    return this.out(
      layout.gather(this.get(x), x.shape, this.get(indices) as Int32Array, indices.shape, axis, x.dtype),
      x.dtype,
    );
  }
  scatterAdd(indices: TensorInfo, updates: TensorInfo, shape: readonly number[], axis: number): TensorInfo {
    return this.out(
      layout.scatterAdd(this.get(indices) as Int32Array, this.get(updates), shape, axis, updates.dtype),
      updates.dtype,
    );
  }
}

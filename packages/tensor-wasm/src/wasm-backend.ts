/**
 * The wasm `Backend`: storage lives in the module's linear memory behind handles; every kernel
 * is glue (kernels-*.ts) around an exported AssemblyScript function.
 */
import {
  type AdamUpdateAttrs,
  type Backend,
  BackendError,
  type BackendMemoryInfo,
  type BinaryOp,
  type Conv2DAttrs,
  type DataId,
  type DType,
  type FusedActivation,
  type Pool2DAttrs,
  type ReduceOp,
  type SgdUpdateAttrs,
  type TensorInfo,
  type TypedArray,
  type UnaryAttrs,
  type UnaryOp,
} from '@gradsight/core';
import type { KernelContext, Output } from './context.js';
import { Heap } from './heap.js';
import * as conv from './kernels-conv.js';
import * as ew from './kernels-elementwise.js';
import * as fused from './kernels-fused.js';
import * as layout from './kernels-layout.js';
import * as mm from './kernels-matmul.js';
import * as pool from './kernels-pool.js';
import * as red from './kernels-reduce.js';
import { sizeOf } from './strides.js';
import type { WasmExports } from './wasm-exports.js';

export type WasmBuild = 'simd' | 'relaxed' | 'scalar';

/** A data handle: a block of the wasm heap. */
class WasmData {
  constructor(
    public ptr: number,
    readonly length: number,
    readonly dtype: DType,
  ) {}
}

const PARAM_WORDS = 4096;

export class WasmBackend implements Backend, KernelContext {
  readonly backendVersion = 1 as const;
  readonly name: string;
  readonly heap: Heap;
  private readonly live = new Set<WasmData>();
  private bytes = 0;
  private readonly paramPtr: number;
  private gemmWorkPtr = -1;
  /** Storage of empty tensors: a valid address that is never read or freed. */
  private readonly emptyPtr: number;
  /** Outputs of the kernel now running, freed if it throws (e.g. out of memory). */
  private pending: WasmData[] | null = null;

  constructor(
    readonly wasm: WasmExports,
    readonly build: WasmBuild,
    maxMemoryBytes: number,
  ) {
    this.name = `wasm-${build}`;
    this.heap = new Heap(wasm.memory, wasm.heapBase(), maxMemoryBytes, this.name);
    this.paramPtr = this.heap.alloc(PARAM_WORDS * 4);
    this.emptyPtr = this.paramPtr;
  }

  // ---------------------------------------------------------------------------------------
  // KernelContext

  ptr(t: TensorInfo | DataId): number {
    const d = ('dataId' in t ? t.dataId : t) as WasmData;
    if (!this.live.has(d)) {
      throw new BackendError(
        `${this.name}: data handle is not live (already disposed, or from another backend).`,
      );
    }
    return d.ptr;
  }

  output(shape: readonly number[], dtype: DType): Output {
    const n = sizeOf(shape);
    const ptr = n === 0 ? this.emptyPtr : this.heap.alloc(n * 4);
    const d = new WasmData(ptr, n, dtype);
    this.live.add(d);
    this.bytes += n * 4;
    this.pending?.push(d);
    return { info: { dataId: d, shape: [...shape], dtype }, ptr };
  }

  dispose(t: TensorInfo): void {
    this.disposeData(t.dataId);
  }

  withTemp<T>(bytes: number, fn: (ptr: number) => T): T {
    const ptr = this.heap.alloc(Math.max(bytes, 16));
    try {
      return fn(ptr);
    } finally {
      this.heap.release(ptr);
    }
  }

  params(values: readonly number[], scratchSlots = 0): number {
    if (values.length + scratchSlots > PARAM_WORDS) {
      throw new BackendError(
        `${this.name}: ${values.length} kernel parameters exceed the parameter block (rank too high).`,
      );
    }
    this.heap.i32.set(values, this.paramPtr >>> 2);
    return this.paramPtr;
  }

  gemmWork(): number {
    if (this.gemmWorkPtr < 0) this.gemmWorkPtr = this.heap.alloc(this.wasm.gemmWorkBytes());
    return this.gemmWorkPtr;
  }

  /** Runs a kernel; if it throws, the outputs it allocated are freed and the backend is unchanged. */
  private run<T>(fn: () => T): T {
    if (this.pending) return fn();
    this.pending = [];
    try {
      return fn();
    } catch (err) {
      for (const d of this.pending) this.disposeData(d);
      throw err;
    } finally {
      this.pending = null;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Storage

  write(values: TypedArray, dtype: DType): DataId {
    const out = this.output([values.length], dtype);
    if (values.length > 0) (dtype === 'float32' ? this.heap.f32 : this.heap.i32).set(values, out.ptr >>> 2);
    return out.info.dataId;
  }

  readSync(dataId: DataId): TypedArray {
    const ptr = this.ptr(dataId);
    const d = dataId as WasmData;
    const from = ptr >>> 2;
    return d.dtype === 'float32'
      ? this.heap.f32.slice(from, from + d.length)
      : this.heap.i32.slice(from, from + d.length);
  }

  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  disposeData(dataId: DataId): void {
    const d = dataId as WasmData;
    if (!this.live.delete(d)) return;
    this.bytes -= d.length * 4;
    if (d.length > 0) this.heap.release(d.ptr);
  }

  memory(): BackendMemoryInfo {
    const s = this.heap.stats();
    return {
      numDataIds: this.live.size,
      numBytes: this.bytes,
      wasmHeapBytes: s.heapBytes,
      wasmUsedBytes: s.usedBytes,
      wasmFreeBytes: s.freeBytes,
    };
  }

  // ---------------------------------------------------------------------------------------
  // Kernels

  unary(op: UnaryOp, x: TensorInfo, attrs?: UnaryAttrs): TensorInfo {
    return this.run(() => ew.unary(this, op, x, attrs));
  }
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run(() => ew.binary(this, op, a, b));
  }
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run(() => ew.where(this, cond, a, b));
  }
  cast(x: TensorInfo, dtype: DType): TensorInfo {
    return this.run(() => ew.cast(this, x, dtype));
  }
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo {
    return this.run(() => red.reduce(this, op, x, axes));
  }
  argReduce(op: 'argmax' | 'argmin', x: TensorInfo, axis: number): TensorInfo {
    return this.run(() => red.argReduce(this, op, x, axis));
  }
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
    return this.run(() => mm.matmul(this, a, b, transposeA, transposeB));
  }
  conv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): TensorInfo {
    return this.run(() => conv.conv2d(this, x, filter, attrs));
  }
  conv2dBackpropInput(
    dy: TensorInfo,
    filter: TensorInfo,
    inputShape: readonly [number, number, number, number],
    attrs: Conv2DAttrs,
  ): TensorInfo {
    return this.run(() => conv.conv2dBackpropInput(this, dy, filter, inputShape, attrs));
  }
  conv2dBackpropFilter(
    x: TensorInfo,
    dy: TensorInfo,
    filterShape: readonly [number, number, number, number],
    attrs: Conv2DAttrs,
  ): TensorInfo {
    return this.run(() => conv.conv2dBackpropFilter(this, x, dy, filterShape, attrs));
  }
  maxPool2d(x: TensorInfo, attrs: Pool2DAttrs): TensorInfo {
    return this.run(() => pool.maxPool2d(this, x, attrs));
  }
  maxPool2dBackward(dy: TensorInfo, x: TensorInfo, attrs: Pool2DAttrs): TensorInfo {
    return this.run(() => pool.maxPool2dBackward(this, dy, x, attrs));
  }
  avgPool2d(x: TensorInfo, attrs: Pool2DAttrs): TensorInfo {
    return this.run(() => pool.avgPool2d(this, x, attrs));
  }
  avgPool2dBackward(dy: TensorInfo, inputShape: readonly number[], attrs: Pool2DAttrs): TensorInfo {
    return this.run(() => pool.avgPool2dBackward(this, dy, inputShape, attrs));
  }
  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo {
    return this.run(() => layout.transpose(this, x, perm));
  }
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): TensorInfo {
    return this.run(() => layout.slice(this, x, begin, size));
  }
  concat(xs: readonly TensorInfo[], axis: number): TensorInfo {
    return this.run(() => layout.concat(this, xs, axis));
  }
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): TensorInfo {
    return this.run(() => layout.pad(this, x, paddings, value));
  }
  gather(x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo {
    return this.run(() => layout.gather(this, x, indices, axis));
  }
  scatterAdd(indices: TensorInfo, updates: TensorInfo, shape: readonly number[], axis: number): TensorInfo {
    return this.run(() => layout.scatterAdd(this, indices, updates, shape, axis));
  }

  // ---------------------------------------------------------------------------------------
  // Optional fused kernels

  fusedMatmul(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    bias: TensorInfo | null,
    activation: FusedActivation,
    alpha: number,
  ): TensorInfo {
    return this.run(() => mm.fusedMatmul(this, a, b, transposeA, transposeB, bias, activation, alpha));
  }
  batchNormTrain(x: TensorInfo, gamma: TensorInfo, beta: TensorInfo, eps: number) {
    return this.run(() => fused.batchNormTrain(this, x, gamma, beta, eps));
  }
  batchNormBackward(dy: TensorInfo, x: TensorInfo, gamma: TensorInfo, mean: TensorInfo, invStd: TensorInfo) {
    return this.run(() => fused.batchNormBackward(this, dy, x, gamma, mean, invStd));
  }
  softmaxCrossEntropy(logits: TensorInfo, labels: TensorInfo) {
    return this.run(() => fused.softmaxCrossEntropy(this, logits, labels));
  }
  adamUpdate(
    param: TensorInfo,
    grad: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    vMax: TensorInfo | null,
    attrs: AdamUpdateAttrs,
  ): void {
    this.run(() => fused.adamUpdate(this, param, grad, m, v, vMax, attrs));
  }
  sgdUpdate(
    param: TensorInfo,
    grad: TensorInfo,
    momentumBuf: TensorInfo | null,
    attrs: SgdUpdateAttrs,
  ): void {
    this.run(() => fused.sgdUpdate(this, param, grad, momentumBuf, attrs));
  }
}

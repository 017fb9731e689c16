/** What the kernel glue (kernels-*.ts) needs from the backend: pointers, outputs, scratch. */
import type { DType, TensorInfo } from '@gradsight/core';
import type { Heap } from './heap.js';
import type { WasmExports } from './wasm-exports.js';

export interface Output {
  info: TensorInfo;
  /** Byte address of the output's storage. */
  ptr: number;
}

export interface KernelContext {
  readonly name: string;
  readonly wasm: WasmExports;
  readonly heap: Heap;
  /** Byte address of a live tensor's storage; throws BackendError for a stale handle. */
  ptr(t: TensorInfo): number;
  /** A new output tensor (reference count 1, uninitialised storage). */
  output(shape: readonly number[], dtype: DType): Output;
  /** Frees an intermediate output that will not be returned. */
  dispose(t: TensorInfo): void;
  /**
   * Scratch of `bytes` bytes for the duration of `fn` (freed afterwards, also on throw).
   */
  withTemp<T>(bytes: number, fn: (ptr: number) => T): T;
  /** Writes int32 parameters into the parameter block and returns its address. */
  params(values: readonly number[], scratchSlots?: number): number;
  /** The GEMM packing workspace (allocated once). */
  gemmWork(): number;
}

import type { DType, TypedArray } from './backend.js';
import { DTypeError } from './errors.js';

export type { DType, TypedArray };

export function typedArrayFor(dtype: DType, size: number): TypedArray {
  return dtype === 'float32' ? new Float32Array(size) : new Int32Array(size);
}

/** The dtype of a binary op's result under PyTorch-like promotion restricted to our two types. */
export function promoteTypes(a: DType, b: DType): DType {
  return a === 'float32' || b === 'float32' ? 'float32' : 'int32';
}

export function bytesPerElement(_dtype: DType): number {
  return 4;
}

export function assertDType(op: string, name: string, got: DType, expected: DType): void {
  if (got !== expected) {
    throw new DTypeError(`${op}: ${name} must be ${expected}, got ${got}.`);
  }
}

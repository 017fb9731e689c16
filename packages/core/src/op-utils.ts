/** Plumbing shared by the ops: wrapping kernel results, accepting numbers, dtype promotion. */
import type { Backend, DType, TensorInfo, TypedArray } from './backend.js';
import { promoteTypes } from './dtype.js';
import { getBackend } from './engine.js';
import { DTypeError, fmtShape, ShapeError } from './errors.js';
import { shapesEqual, sizeOf } from './shape.js';
import { Tensor, type TensorLike } from './tensor.js';

/** Wraps a kernel's output (a fresh handle with reference count 1) in a tensor. */
export function wrap(info: TensorInfo, backend: Backend = getBackend()): Tensor {
  return new Tensor(
    { backend, dataId: info.dataId, refCount: 1, bytes: sizeOf(info.shape) * 4 },
    info.shape,
    info.dtype,
  );
}

/** Uploads values to the active backend as a new tensor. */
export function fromValues(values: TypedArray, shape: readonly number[], dtype: DType): Tensor {
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(
      `tensor: ${values.length} values cannot fill shape ${fmtShape(shape)} (${sizeOf(shape)} elements).`,
    );
  }
  const backend = getBackend();
  const dataId = backend.write(values, dtype);
  return new Tensor({ backend, dataId, refCount: 1, bytes: values.length * 4 }, shape, dtype);
}

export function scalarTensor(value: number, dtype: DType): Tensor {
  return fromValues(dtype === 'float32' ? Float32Array.of(value) : Int32Array.of(value), [], dtype);
}

/** The dtype a plain number takes next to a tensor of `other` (PyTorch: 2 * intTensor is int, 0.5 * intTensor is float). */
function numberDType(x: number, other: DType): DType {
  return other === 'int32' && Number.isInteger(x) ? 'int32' : 'float32';
}

/** Converts both operands to tensors of a common dtype for a binary op. */
export function binaryOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor, DType] {
  if (typeof a === 'number' && typeof b === 'number') {
    throw new DTypeError(`${op}: at least one operand must be a Tensor, got two numbers.`);
  }
  const ta = typeof a === 'number' ? scalarTensor(a, numberDType(a, (b as Tensor).dtype)) : a;
  const tb = typeof b === 'number' ? scalarTensor(b, numberDType(b, ta.dtype)) : b;
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  return [castIfNeeded(ta, dtype), castIfNeeded(tb, dtype), dtype];
}

export function castIfNeeded(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  return wrap(getBackend().cast(t, dtype));
}

export function requireFloat(op: string, t: Tensor): void {
  if (t.dtype !== 'float32') throw new DTypeError(`${op}: expected a float32 tensor, got ${t.describe()}.`);
}

export function requireInt(op: string, name: string, t: Tensor): void {
  if (t.dtype !== 'int32') throw new DTypeError(`${op}: ${name} must be int32, got ${t.describe()}.`);
}

export function requireShape(op: string, name: string, t: Tensor, shape: readonly number[]): void {
  if (!shapesEqual(t.shape, shape)) {
    throw new ShapeError(`${op}: ${name} has shape ${fmtShape(t.shape)}, expected ${fmtShape(shape)}.`);
  }
}

export function requireRank(op: string, name: string, t: Tensor, rank: number, what = ''): void {
  if (t.rank !== rank) {
    throw new ShapeError(
      `${op}: ${name} must have rank ${rank}${what ? ` (${what})` : ''}, got shape ${fmtShape(t.shape)}.`,
    );
  }
}

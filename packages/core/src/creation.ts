import type { DType, TypedArray } from './backend.js';
import { typedArrayFor } from './dtype.js';
import { ShapeError, ValueError } from './errors.js';
import { fromValues } from './op-utils.js';
import { type RandomOptions, resolveGenerator } from './random.js';
import { assertValidShape, sizeOf } from './shape.js';
import type { NestedArray, Tensor } from './tensor.js';

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = values;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

function flatten(values: NestedArray, shape: readonly number[], out: number[], depth = 0): void {
  if (depth === shape.length) {
    if (Array.isArray(values))
      throw new ShapeError('tensor: ragged nested array (deeper than its first element).');
    out.push(values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[depth]) {
    throw new ShapeError(
      `tensor: ragged nested array: expected ${shape[depth]} elements at depth ${depth}, got ${Array.isArray(values) ? values.length : 'a number'}.`,
    );
  }
  for (const v of values) flatten(v, shape, out, depth + 1);
}

/**
 * Creates a tensor from a number, a nested array or a typed array (with `shape`). The dtype
 * defaults to int32 for an `Int32Array`, float32 otherwise.
 */
export function tensor(
  values: NestedArray | TypedArray | readonly number[],
  shape?: readonly number[],
  dtype?: DType,
): Tensor {
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (values instanceof Float32Array || values instanceof Int32Array) {
    flat = values;
    inferred = [values.length];
    dtype ??= values instanceof Int32Array ? 'int32' : 'float32';
  } else {
    inferred = inferShape(values as NestedArray);
    const out: number[] = [];
    flatten(values as NestedArray, inferred, out);
    flat = out;
  }
  const finalShape = shape ?? inferred;
  assertValidShape('tensor', finalShape);
  const dt = dtype ?? 'float32';
  const data = typedArrayFor(dt, flat.length);
  data.set(flat);
  return fromValues(data, finalShape, dt);
}

export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return tensor(value, [], dtype);
}

export function full(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  assertValidShape('full', shape);
  const data = typedArrayFor(dtype, sizeOf(shape));
  data.fill(value);
  return fromValues(data, shape, dtype);
}
export const zeros = (shape: readonly number[], dtype: DType = 'float32'): Tensor => full(shape, 0, dtype);
export const ones = (shape: readonly number[], dtype: DType = 'float32'): Tensor => full(shape, 1, dtype);
export const zerosLike = (t: Tensor): Tensor => full(t.shape, 0, t.dtype);
export const onesLike = (t: Tensor): Tensor => full(t.shape, 1, t.dtype);
export const fullLike = (t: Tensor, value: number): Tensor => full(t.shape, value, t.dtype);

/** `arange(end)` or `arange(start, end, step)`; int32 when every argument is an integer. */
export function arange(start: number, end?: number, step = 1, dtype?: DType): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step))
    throw new ValueError(`arange: step must be finite and non-zero, got ${step}.`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dt = dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const data = typedArrayFor(dt, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return fromValues(data, [n], dt);
}

export function linspace(start: number, end: number, steps: number): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValueError(`linspace: steps must be a non-negative integer, got ${steps}.`);
  const data = new Float32Array(steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) data[i] = start + i * delta;
  if (steps > 1) data[steps - 1] = end;
  return fromValues(data, [steps], 'float32');
}

export function eye(n: number, m = n, dtype: DType = 'float32'): Tensor {
  const data = typedArrayFor(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return fromValues(data, [n, m], dtype);
}

/** Uniform in [low, high). */
export function rand(
  shape: readonly number[],
  options: RandomOptions & { low?: number; high?: number } = {},
): Tensor {
  assertValidShape('rand', shape);
  const g = resolveGenerator(options);
  const low = options.low ?? 0;
  const span = (options.high ?? 1) - low;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + span * g.random();
  return fromValues(data, shape, 'float32');
}

/** Normal with `mean` (default 0) and `std` (default 1). */
export function randn(
  shape: readonly number[],
  options: RandomOptions & { mean?: number; std?: number } = {},
): Tensor {
  assertValidShape('randn', shape);
  const g = resolveGenerator(options);
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = mean + std * g.normal();
  return fromValues(data, shape, 'float32');
}

/** Integers uniform in [low, high), int32. */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options: RandomOptions = {},
): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: expected integers low < high, got low=${low}, high=${high}.`);
  }
  assertValidShape('randint', shape);
  const g = resolveGenerator(options);
  const data = new Int32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = g.randint(low, high);
  return fromValues(data, shape, 'int32');
}

/** A random permutation of 0..n−1, int32. */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  return fromValues(resolveGenerator(options).permutation(n), [n], 'int32');
}

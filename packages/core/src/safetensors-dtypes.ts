/**
 * The safetensors element types gradsight reads and writes, how each one is widened to a
 * gradsight dtype, and the message helpers the codec shares with them. Split out of
 * `safetensors.ts` so the codec itself stays about validation.
 *
 * Every reader takes a `DataView` spanning exactly the tensor's bytes. A `DataView` may start at
 * any byte offset, so tensors at unaligned offsets (legal in safetensors) are read correctly,
 * and its explicit little-endian accessors make the result independent of the host.
 */

import type { DType, TypedArray } from './backend.js';
import { SafetensorsError } from './errors.js';

/** On little-endian hosts raw F32/I32 bytes already are the in-memory layout and can be copied. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// Helpers for error messages and JSON checks, shared with the codec.

export function fail(message: string): never {
  throw new SafetensorsError(`safetensors: ${message}`);
}

/** Shortens attacker-sized strings so error messages stay readable. */
export function clip(s: string, max = 120): string {
  return s.length <= max ? s : `${s.slice(0, max)}…(${s.length} chars)`;
}

export function tensorLabel(name: string): string {
  return `tensor '${clip(name)}'`;
}

/** Describes a value for "got …" in messages; callers' values may be cyclic or hold bigints. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object' && !Array.isArray(value)) return 'an object';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value === 'bigint' ? `${value}n` : '(unprintable)';
  }
  return `${Array.isArray(value) ? 'array' : typeof value} ${clip(text)}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export interface DTypeSpec {
  /** Bytes per element in the file. */
  readonly size: number;
  /** The gradsight dtype the values are widened to. */
  readonly target: DType;
  /** Reads `count` elements; `what` names the tensor in error messages (`tensor 'w'`). */
  readonly read: (view: DataView, count: number, what: string) => TypedArray;
}

/** Copies the view's bytes into a fresh (hence aligned) buffer. */
function copyBytes(view: DataView): ArrayBuffer {
  const out = new Uint8Array(view.byteLength);
  out.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return out.buffer;
}

function readF32(view: DataView, count: number): Float32Array {
  if (HOST_LITTLE_ENDIAN) return new Float32Array(copyBytes(view));
  const out = new Float32Array(count);
  // Moving the bits as integers keeps NaN payloads, which a float round trip may canonicalise.
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) bits[i] = view.getUint32(i * 4, true);
  return out;
}

function readI32(view: DataView, count: number): Int32Array {
  if (HOST_LITTLE_ENDIAN) return new Int32Array(copyBytes(view));
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

/** IEEE-754 binary16 to a JS number (exact: every half value is representable in float32). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + mant) * 2 ** (exp - 25);
}

function readF16(view: DataView, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = halfToNumber(view.getUint16(i * 2, true));
  return out;
}

function readBF16(view: DataView, count: number): Float32Array {
  const out = new Float32Array(count);
  // bfloat16 is the top half of a float32, so widening is a shift of the bit pattern.
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
  return out;
}

function readF64(view: DataView, count: number): Float32Array {
  // Narrowing rounds to nearest and overflows to ±Infinity, as a PyTorch cast would.
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

function outOfRange(what: string, dtype: string, index: number, value: bigint | number): never {
  fail(`${what} (${dtype}) element ${index} is ${value}, outside the int32 range [-2147483648, 2147483647]`);
}

/** Builds a reader for an integer dtype whose every value fits in int32. */
function smallInt(size: number, get: (view: DataView, offset: number) => number): DTypeSpec {
  return {
    size,
    target: 'int32',
    read: (view, count) => {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = get(view, i * size);
      return out;
    },
  };
}

function readI64(view: DataView, count: number, what: string): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    // Two 32-bit words avoid a BigInt per element; the value fits in int32 exactly when the
    // high word is the sign extension of the low word's top bit.
    const lo = view.getUint32(i * 8, true);
    const hi = view.getInt32(i * 8 + 4, true);
    if (hi !== (lo >= 0x80000000 ? -1 : 0)) outOfRange(what, 'I64', i, view.getBigInt64(i * 8, true));
    out[i] = lo | 0;
  }
  return out;
}

function readU64(view: DataView, count: number, what: string): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const lo = view.getUint32(i * 8, true);
    const hi = view.getUint32(i * 8 + 4, true);
    if (hi !== 0 || lo > 0x7fffffff) outOfRange(what, 'U64', i, view.getBigUint64(i * 8, true));
    out[i] = lo;
  }
  return out;
}

function readU32(view: DataView, count: number, what: string): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = view.getUint32(i * 4, true);
    if (v > 0x7fffffff) outOfRange(what, 'U32', i, v);
    out[i] = v;
  }
  return out;
}

/**
 * Readable dtypes by their safetensors name. A `Map` rather than an object literal so that a
 * hostile dtype such as `"constructor"` cannot resolve to an inherited property.
 */
export const DTYPES: ReadonlyMap<string, DTypeSpec> = new Map<string, DTypeSpec>([
  ['F32', { size: 4, target: 'float32', read: readF32 }],
  ['F64', { size: 8, target: 'float32', read: readF64 }],
  ['F16', { size: 2, target: 'float32', read: readF16 }],
  ['BF16', { size: 2, target: 'float32', read: readBF16 }],
  ['I32', { size: 4, target: 'int32', read: readI32 }],
  ['I64', { size: 8, target: 'int32', read: readI64 }],
  ['U64', { size: 8, target: 'int32', read: readU64 }],
  ['U32', { size: 4, target: 'int32', read: readU32 }],
  ['I16', smallInt(2, (v, o) => v.getInt16(o, true))],
  ['U16', smallInt(2, (v, o) => v.getUint16(o, true))],
  ['I8', smallInt(1, (v, o) => v.getInt8(o))],
  ['U8', smallInt(1, (v, o) => v.getUint8(o))],
  // Writers emit 0/1, but any non-zero byte is read as true, as numpy and PyTorch do.
  ['BOOL', smallInt(1, (v, o) => (v.getUint8(o) === 0 ? 0 : 1))],
]);

/** The safetensors dtype written for each gradsight dtype. */
export const WRITE_DTYPE: Readonly<Record<DType, 'F32' | 'I32'>> = { float32: 'F32', int32: 'I32' };

/** Writes `data` little-endian into `out` at byte `offset` (4 bytes per element). */
export function writeLittleEndian(data: TypedArray, out: Uint8Array, offset: number): void {
  if (HOST_LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, data.byteLength);
  // Integer bits, not float values, so NaN payloads survive.
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  for (let i = 0; i < bits.length; i++) view.setUint32(i * 4, bits[i]!, true);
}

/**
 * Hugging Face safetensors codec, as pure functions over bytes and typed arrays.
 *
 * Layout: u64 little-endian header length N, N bytes of UTF-8 JSON header (possibly padded with
 * trailing spaces), then the data buffer. The header maps tensor names to `{dtype, shape,
 * data_offsets: [begin, end]}` (relative to the data buffer), plus an optional `__metadata__`
 * object of strings.
 *
 * Decoding treats every byte as hostile. The header is validated with the reference Rust
 * implementation's rules (including that the tensors exactly tile the data buffer) before any
 * tensor storage is allocated, so allocation is bounded by the file size (at most 4 output bytes
 * per input byte, for 1-byte dtypes widened to int32). Every problem is a {@link SafetensorsError}.
 *
 * Encoding sorts tensors by name, so the bytes depend only on the content and not on insertion
 * order, and space-pads the header to a multiple of 8 bytes so the data buffer is aligned.
 */

import type { DType, TypedArray } from './backend.js';
import { fmtShape } from './errors.js';
import {
  clip,
  DTYPES,
  type DTypeSpec,
  describe,
  fail,
  isCount,
  isPlainObject,
  tensorLabel,
  WRITE_DTYPE,
  writeLittleEndian,
} from './safetensors-dtypes.js';

export interface RawTensor {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

export interface DecodeOptions {
  /** Largest header accepted, in bytes. Default {@link DEFAULT_MAX_HEADER_BYTES}. */
  maxHeaderBytes?: number;
}

export interface SafetensorsHeaderEntry {
  /** The dtype as spelled in the file (`F16`, `I64`, …), before widening. */
  dtype: string;
  shape: number[];
  dataOffsets: [number, number];
}

export interface SafetensorsHeader {
  header: Record<string, SafetensorsHeaderEntry>;
  metadata: Record<string, string>;
  /** Byte offset of the data buffer in the file (8 + header length). */
  dataStart: number;
}

/** The reference implementation's limit (100 MB, decimal). */
export const DEFAULT_MAX_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';

// ---------------------------------------------------------------------------------------------
// Encoding

export function encodeSafetensors(
  tensors: Record<string, RawTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  if (!isPlainObject(tensors)) fail(`tensors must be an object of named tensors, got ${describe(tensors)}`);
  const entries: string[] = [];
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) fail(`metadata must be an object of strings, got ${describe(metadata)}`);
    const fields = Object.keys(metadata).map((key) => {
      const value: unknown = metadata[key];
      if (typeof value !== 'string') {
        fail(`metadata key '${clip(key)}' has ${describe(value)}; expected a string`);
      }
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    if (fields.length > 0) entries.push(`${JSON.stringify(METADATA_KEY)}:{${fields.join(',')}}`);
  }

  const names = Object.keys(tensors).sort();
  const placed: { data: TypedArray; begin: number }[] = [];
  let offset = 0;
  for (const name of names) {
    const what = tensorLabel(name);
    if (name === METADATA_KEY) fail(`a tensor cannot be named '${METADATA_KEY}' (reserved for metadata)`);
    const tensor: unknown = tensors[name];
    if (!isPlainObject(tensor))
      fail(`${what} must be an object with dtype, shape and data, got ${describe(tensor)}`);
    const { dtype, shape, data } = tensor as Partial<RawTensor>;
    if (dtype !== 'float32' && dtype !== 'int32') {
      fail(`${what} has dtype ${describe(dtype)}; expected 'float32' or 'int32'`);
    }
    const expectedArray = dtype === 'float32' ? Float32Array : Int32Array;
    if (!(data instanceof expectedArray)) {
      fail(`${what} has dtype '${dtype}' but its data is not a ${expectedArray.name}`);
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      fail(`${what} shape must be an array of non-negative integers, got ${describe(shape)}`);
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
      fail(
        `${what} has shape ${fmtShape(shape)} (${count} elements) but its data has ${data.length} elements`,
      );
    }
    const end = offset + data.byteLength;
    entries.push(
      `${JSON.stringify(name)}:{"dtype":"${WRITE_DTYPE[dtype]}","shape":${JSON.stringify(shape)},` +
        `"data_offsets":[${offset},${end}]}`,
    );
    placed.push({ data, begin: offset });
    offset = end;
  }

  const json = new TextEncoder().encode(`{${entries.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  for (const { data, begin } of placed) writeLittleEndian(data, out, 8 + headerLength + begin);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Header validation

interface ValidEntry {
  name: string;
  dtype: string;
  spec: DTypeSpec;
  shape: number[];
  count: number;
  begin: number;
  end: number;
}

function validateEntry(name: string, raw: unknown, dataLength: number): ValidEntry {
  const what = tensorLabel(name);
  if (!isPlainObject(raw)) {
    fail(`${what} must map to an object with dtype, shape and data_offsets, got ${describe(raw)}`);
  }
  for (const field of ['dtype', 'shape', 'data_offsets']) {
    if (!Object.hasOwn(raw, field)) fail(`${what} is missing '${field}'`);
  }
  const { dtype, shape, data_offsets: offsets } = raw;

  if (typeof dtype !== 'string') fail(`${what} dtype must be a string, got ${describe(dtype)}`);
  const spec = DTYPES.get(dtype);
  if (spec === undefined) {
    fail(`${what} has unsupported dtype '${clip(dtype)}'; expected one of ${[...DTYPES.keys()].join(', ')}`);
  }

  if (!Array.isArray(shape)) fail(`${what} shape must be an array, got ${describe(shape)}`);
  let count = 1;
  for (let i = 0; i < shape.length; i++) {
    const dim: unknown = shape[i];
    if (!isCount(dim))
      fail(`${what} shape dimension ${i} is ${describe(dim)}; expected a non-negative integer`);
    count *= dim;
  }
  // A zero anywhere empties the tensor even if the running product went inexact or overflowed.
  if (shape.includes(0)) count = 0;
  if (!Number.isSafeInteger(count)) fail(`${what} shape ${fmtShape(shape)} has more than 2^53 - 1 elements`);

  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`${what} data_offsets must be [begin, end] with non-negative integers, got ${describe(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const span = `data_offsets [${begin},${end}]`;
  if (begin > end) fail(`${what} has ${span} with begin > end`);
  if (end > dataLength) {
    fail(`${what} has ${span} extending past the end of the ${dataLength}-byte data buffer`);
  }
  const bytes = count * spec.size;
  if (bytes !== end - begin) {
    fail(
      `${what} has shape ${fmtShape(shape)} (${count} x ${dtype} = ${bytes} bytes) but ${span} ` +
        `span ${end - begin} bytes`,
    );
  }
  return { name, dtype, spec, shape: shape as number[], count, begin, end };
}

/** Rejects overlaps and holes: sorted by offsets, the tensors must exactly tile the data buffer. */
function checkTiling(entries: readonly ValidEntry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: ValidEntry | undefined;
  const rule = 'tensors must exactly tile the data buffer';
  for (const entry of sorted) {
    const here = () => `${tensorLabel(entry.name)} data_offsets [${entry.begin},${entry.end}]`;
    if (entry.begin < cursor && previous !== undefined) {
      fail(
        `${here()} overlap ${tensorLabel(previous.name)} data_offsets [${previous.begin},${previous.end}]; ${rule}`,
      );
    }
    if (entry.begin > cursor) {
      const after =
        previous === undefined ? 'at the start of the data buffer' : `after ${tensorLabel(previous.name)}`;
      fail(
        `data bytes [${cursor},${entry.begin}) ${after} belong to no tensor (hole before ${here()}); ${rule}`,
      );
    }
    cursor = entry.end;
    previous = entry;
  }
  if (cursor !== dataLength) {
    const after =
      previous === undefined ? 'with no tensor data in the header' : `after ${tensorLabel(previous.name)}`;
    fail(`data bytes [${cursor},${dataLength}) ${after} belong to no tensor (trailing bytes); ${rule}`);
  }
}

function validateMetadata(raw: unknown): Record<string, string> {
  // The reference implementation models metadata as optional, so an explicit null means none.
  if (raw === null) return {};
  if (!isPlainObject(raw)) fail(`${METADATA_KEY} must be an object of strings, got ${describe(raw)}`);
  const fields = Object.keys(raw).map((key): [string, string] => {
    const value = raw[key];
    if (typeof value !== 'string') {
      fail(`${METADATA_KEY} key '${clip(key)}' has ${describe(value)}; expected a string`);
    }
    return [key, value];
  });
  // fromEntries defines own properties, so a key like "__proto__" stays data, not a prototype.
  return Object.fromEntries(fields);
}

function parseHeader(
  bytes: Uint8Array,
  options: DecodeOptions,
): { entries: ValidEntry[]; metadata: Record<string, string>; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) fail(`expected the file as a Uint8Array, got ${typeof bytes}`);
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (typeof maxHeaderBytes !== 'number' || !(maxHeaderBytes >= 0)) {
    fail(`maxHeaderBytes must be a non-negative number, got ${String(maxHeaderBytes)}`);
  }
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  // Above 2^53 the length cannot be represented exactly, and no real file is that large.
  if (high > 0x1fffff)
    fail(`header length (high word 0x${high.toString(16)}) does not fit in a safe integer`);
  const headerLength = high * 2 ** 32 + low;
  if (headerLength > maxHeaderBytes)
    fail(`header length ${headerLength} exceeds maxHeaderBytes ${maxHeaderBytes}`);
  if (headerLength > bytes.length - 8) {
    fail(
      `header length ${headerLength} exceeds the ${bytes.length - 8} bytes after the length prefix ` +
        `(file is ${bytes.length} bytes)`,
    );
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;

  let text: string;
  try {
    // slice() so the decoder never sees a SharedArrayBuffer-backed view; ignoreBOM keeps a BOM in
    // the text so it is rejected below instead of being silently stripped.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.slice(8, dataStart));
  } catch {
    fail(`header (${headerLength} bytes) is not valid UTF-8`);
  }
  if (!text.startsWith('{')) {
    fail(
      `header must be a JSON object starting with '{', but starts with ${JSON.stringify(text.slice(0, 1))}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${clip(e instanceof Error ? e.message : String(e), 200)})`);
  }
  if (!isPlainObject(parsed)) fail(`header must be a JSON object, got ${describe(parsed)}`);

  let metadata: Record<string, string> = {};
  const entries: ValidEntry[] = [];
  for (const name of Object.keys(parsed)) {
    if (name === METADATA_KEY) metadata = validateMetadata(parsed[name]);
    else entries.push(validateEntry(name, parsed[name], dataLength));
  }
  checkTiling(entries, dataLength);
  return { entries, metadata, dataStart };
}

/** Validates the length prefix and header of a safetensors file without reading tensor data. */
export function readSafetensorsHeader(bytes: Uint8Array, options: DecodeOptions = {}): SafetensorsHeader {
  const { entries, metadata, dataStart } = parseHeader(bytes, options);
  const header = Object.fromEntries(
    entries.map((e): [string, SafetensorsHeaderEntry] => [
      e.name,
      { dtype: e.dtype, shape: [...e.shape], dataOffsets: [e.begin, e.end] },
    ]),
  );
  return { header, metadata, dataStart };
}

/**
 * Decodes a safetensors file. F32/I32 are read as is; F64, F16 and BF16 are widened or narrowed
 * to float32; I64, U64, U32, I16, U16, I8, U8 and BOOL become int32 (values outside the int32
 * range are an error, never wrapped).
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): { tensors: Record<string, RawTensor>; metadata: Record<string, string> } {
  const { entries, metadata, dataStart } = parseHeader(bytes, options);
  const base = bytes.byteOffset + dataStart;
  const tensors = Object.fromEntries(
    entries.map((e): [string, RawTensor] => {
      const view = new DataView(bytes.buffer, base + e.begin, e.end - e.begin);
      const data = e.spec.read(view, e.count, tensorLabel(e.name));
      return [e.name, { dtype: e.spec.target, shape: [...e.shape], data }];
    }),
  );
  return { tensors, metadata };
}

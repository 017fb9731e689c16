import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SafetensorsError } from './errors.js';
import {
  type DecodeOptions,
  decodeSafetensors,
  encodeSafetensors,
  type RawTensor,
  readSafetensorsHeader,
} from './safetensors.js';

// ---------------------------------------------------------------------------------------------
// Helpers to build files by hand, independently of the encoder under test.

const utf8 = new TextEncoder();

function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An 8-byte little-endian length prefix given as two 32-bit words. */
function prefix(low: number, high = 0): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, low, true);
  view.setUint32(4, high, true);
  return out;
}

/** A file whose header is exactly `header` (as UTF-8 or raw bytes) followed by `data`. */
function file(header: string | Uint8Array, data: ArrayLike<number> = []): Uint8Array {
  const h = typeof header === 'string' ? utf8.encode(header) : header;
  return concat(prefix(h.length), h, data);
}

/** Little-endian bytes of `values`, written with a DataView setter. */
function le<T>(size: number, set: (view: DataView, at: number, v: T) => void, values: T[]): Uint8Array {
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    set(view, i * size, v);
  });
  return out;
}
const f32 = (...v: number[]) => le(4, (d, o, x) => d.setFloat32(o, x, true), v);
const i32 = (...v: number[]) => le(4, (d, o, x) => d.setInt32(o, x, true), v);
const u32 = (...v: number[]) => le(4, (d, o, x) => d.setUint32(o, x, true), v);
const u16 = (...v: number[]) => le(2, (d, o, x) => d.setUint16(o, x, true), v);
const i16 = (...v: number[]) => le(2, (d, o, x) => d.setInt16(o, x, true), v);
const f64 = (...v: number[]) => le(8, (d, o, x) => d.setFloat64(o, x, true), v);
const i64 = (...v: bigint[]) => le(8, (d, o, x) => d.setBigInt64(o, x, true), v);
const u64 = (...v: bigint[]) => le(8, (d, o, x) => d.setBigUint64(o, x, true), v);

/** One header entry as JSON text. */
function entry(dtype: string, shape: number[], begin: number, end: number): string {
  return `{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;
}

/** Element-wise `Object.is`, so that -0 and NaN are compared exactly. */
function expectExactly(actual: ArrayLike<number>, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => {
    expect(Object.is(actual[i], v), `element ${i}: got ${actual[i]}, expected ${v}`).toBe(true);
  });
}

/** The 32-bit patterns of a typed array, to compare floats including NaN payloads. */
function bits(data: Float32Array | Int32Array): number[] {
  return Array.from(new Int32Array(data.buffer, data.byteOffset, data.length));
}

function expectSafetensorsError(run: () => unknown, message: string): void {
  expect(run).toThrow(SafetensorsError);
  expect(run).toThrow(message);
}

function decodeOne(bytes: Uint8Array, name = 'x'): RawTensor {
  const t = decodeSafetensors(bytes).tensors[name];
  if (t === undefined) throw new Error(`no tensor '${name}'`);
  return t;
}

// ---------------------------------------------------------------------------------------------

describe('safetensors round trip', () => {
  it('round-trips float32 and int32 tensors of several shapes, including scalars and empties', () => {
    const tensors: Record<string, RawTensor> = {
      matrix: { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1, -2.5, 3, 1e-30, 5e20, 6]) },
      labels: { dtype: 'int32', shape: [4], data: Int32Array.from([0, -1, 2147483647, -2147483648]) },
      scalar: { dtype: 'float32', shape: [], data: Float32Array.from([Math.PI]) },
      intScalar: { dtype: 'int32', shape: [], data: Int32Array.from([42]) },
      empty: { dtype: 'float32', shape: [0], data: new Float32Array(0) },
      emptyMiddle: { dtype: 'int32', shape: [2, 0, 3], data: new Int32Array(0) },
      rank4: { dtype: 'float32', shape: [1, 2, 1, 2], data: Float32Array.from([1, 2, 3, 4]) },
    };
    const { tensors: out, metadata } = decodeSafetensors(encodeSafetensors(tensors));
    expect(metadata).toEqual({});
    expect(Object.keys(out).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const got = out[name]!;
      expect(got.dtype).toBe(t.dtype);
      expect(got.shape).toEqual(t.shape);
      expect(got.data).toBeInstanceOf(t.dtype === 'float32' ? Float32Array : Int32Array);
      expect(bits(got.data)).toEqual(bits(t.data));
    }
  });

  it('keeps NaN, -0, infinities and subnormals bit for bit', () => {
    const data = new Float32Array(
      new Int32Array([0x7fc00000, 0x7fa00001, -1, 0x80000000 | 0, 0x7f800000, 1]).buffer,
    );
    const out = decodeOne(encodeSafetensors({ x: { dtype: 'float32', shape: [6], data } }));
    expect(bits(out.data)).toEqual(bits(data));
  });

  it('round-trips metadata, including unusual keys', () => {
    const metadata = {
      format: 'pt',
      'ünïcödé 🎉': 'välue',
      '': 'empty key',
      ['__proto__']: 'not a prototype',
    };
    const bytes = encodeSafetensors(
      { w: { dtype: 'int32', shape: [1], data: Int32Array.from([7]) } },
      metadata,
    );
    const out = decodeSafetensors(bytes);
    expect(Object.entries(out.metadata).sort()).toEqual(Object.entries(metadata).sort());
    expect(Object.getPrototypeOf(out.metadata)).toBe(Object.prototype);
  });

  it('round-trips unusual tensor names, including __proto__ and the empty string', () => {
    const tensors = Object.fromEntries(
      ['__proto__', '', 'a.b/c:0', '名前', '"quoted"\\'].map((n, i): [string, RawTensor] => [
        n,
        { dtype: 'int32', shape: [1], data: Int32Array.from([i]) },
      ]),
    );
    const out = decodeSafetensors(encodeSafetensors(tensors)).tensors;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out).sort()).toEqual(Object.keys(tensors).sort());
    const proto = Object.entries(out).find(([name]) => name === '__proto__')?.[1];
    expect(Array.from(proto?.data ?? [])).toEqual([0]);
  });

  it('writes a sorted, space-padded, 8-byte aligned header with metadata first', () => {
    const a: RawTensor = { dtype: 'float32', shape: [1], data: Float32Array.from([1]) };
    const b: RawTensor = { dtype: 'int32', shape: [2], data: Int32Array.from([2, 3]) };
    const bytes = encodeSafetensors({ b, a }, { k: 'v' });
    expect(bytes).toEqual(encodeSafetensors({ a, b }, { k: 'v' }));
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(0);
    expect((8 + n) % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.trimEnd()).toBe(
      `{"__metadata__":{"k":"v"},"a":${entry('F32', [1], 0, 4)},"b":${entry('I32', [2], 4, 12)}}`,
    );
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    expect(Array.from(bytes.subarray(8 + n))).toEqual([...f32(1), ...i32(2, 3)]);
  });

  it('encodes an empty dictionary as a valid empty file', () => {
    const bytes = encodeSafetensors({});
    expect(decodeSafetensors(bytes)).toEqual({ tensors: {}, metadata: {} });
    expect(bytes.length % 8).toBe(0);
  });

  it('rejects invalid tensors when encoding, naming the tensor', () => {
    const enc = (t: unknown, m?: unknown) =>
      encodeSafetensors(t as Record<string, RawTensor>, m as Record<string, string> | undefined);
    expectSafetensorsError(
      () => enc({ w: { dtype: 'float32', shape: [2, 3], data: new Float32Array(5) } }),
      "tensor 'w' has shape [2,3] (6 elements) but its data has 5 elements",
    );
    expectSafetensorsError(
      () => enc({ w: { dtype: 'float32', shape: [2], data: new Int32Array(2) } }),
      "tensor 'w' has dtype 'float32' but its data is not a Float32Array",
    );
    expectSafetensorsError(
      () => enc({ w: { dtype: 'float64', shape: [2], data: new Float64Array(2) } }),
      "tensor 'w' has dtype string \"float64\"; expected 'float32' or 'int32'",
    );
    expectSafetensorsError(
      () => enc({ w: { dtype: 'int32', shape: [-1], data: new Int32Array(0) } }),
      "tensor 'w' shape must be an array of non-negative integers, got array [-1]",
    );
    expectSafetensorsError(
      () => enc({ __metadata__: { dtype: 'int32', shape: [], data: new Int32Array(1) } }),
      "cannot be named '__metadata__'",
    );
    expectSafetensorsError(() => enc({ w: null }), "tensor 'w' must be an object");
    expectSafetensorsError(() => enc({}, { k: 1 }), "metadata key 'k' has number 1; expected a string");
    expectSafetensorsError(() => enc({}, { k: 10n }), "metadata key 'k' has bigint 10n");
  });
});

describe('safetensors decoding of hand-built files', () => {
  it('reads F32 and I32 with padding spaces and metadata', () => {
    const header = `{"__metadata__":{"format":"pt"},"a":${entry('F32', [2, 2], 0, 16)},"b":${entry('I32', [], 16, 20)}}    `;
    const out = decodeSafetensors(file(header, concat(f32(1, 2.5, -3, 0.125), i32(-7))));
    expect(out.metadata).toEqual({ format: 'pt' });
    expect(out.tensors.a).toEqual({
      dtype: 'float32',
      shape: [2, 2],
      data: Float32Array.from([1, 2.5, -3, 0.125]),
    });
    expect(out.tensors.b).toEqual({ dtype: 'int32', shape: [], data: Int32Array.from([-7]) });
  });

  it('widens F16 to float32 exactly', () => {
    const h = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x7c00, 0xfc00, 0x8000, 0x3555, 0x7e00, 0x0000];
    const out = decodeOne(file(`{"x":${entry('F16', [h.length], 0, h.length * 2)}}`, u16(...h)));
    expect(out.dtype).toBe('float32');
    expectExactly(out.data, [
      1,
      -2,
      65504,
      2 ** -24,
      2 ** -14,
      Infinity,
      -Infinity,
      -0,
      0.333251953125,
      NaN,
      0,
    ]);
  });

  it('widens BF16 to float32 exactly', () => {
    const h = [0x3f80, 0xc040, 0x4049, 0x7f80, 0xff80, 0x0001, 0x8000, 0x7fc0];
    const out = decodeOne(file(`{"x":${entry('BF16', [2, 4], 0, 16)}}`, u16(...h)));
    expect(out.dtype).toBe('float32');
    expect(out.shape).toEqual([2, 4]);
    expectExactly(out.data, [1, -3, 3.140625, Infinity, -Infinity, 2 ** -133, -0, NaN]);
  });

  it('narrows F64 to float32 with rounding, overflow and underflow', () => {
    const v = [1.5, -0.1, 1e300, -1e300, Number.NaN, 1e-50, -1e-50, 16777217];
    const out = decodeOne(file(`{"x":${entry('F64', [8], 0, 64)}}`, f64(...v)));
    expect(out.dtype).toBe('float32');
    expectExactly(out.data, [1.5, Math.fround(-0.1), Infinity, -Infinity, NaN, 0, -0, 16777216]);
  });

  it('narrows I64 and U64 to int32 when the values fit', () => {
    const a = [0n, 1n, -1n, 2147483647n, -2147483648n];
    const header = `{"a":${entry('I64', [5], 0, 40)},"b":${entry('U64', [2], 40, 56)}}`;
    const out = decodeSafetensors(file(header, concat(i64(...a), u64(0n, 2147483647n)))).tensors;
    expect(out.a?.dtype).toBe('int32');
    expectExactly(out.a!.data, [0, 1, -1, 2147483647, -2147483648]);
    expectExactly(out.b!.data, [0, 2147483647]);
  });

  it('widens U8, I8, I16, U16, U32 and BOOL to int32', () => {
    const parts: [string, string, number[], Uint8Array, number[]][] = [
      ['u8', 'U8', [3], Uint8Array.from([0, 255, 128]), [0, 255, 128]],
      ['i8', 'I8', [3], Uint8Array.from([0x80, 0x7f, 0xff]), [-128, 127, -1]],
      ['i16', 'I16', [2], i16(-32768, 32767), [-32768, 32767]],
      ['u16', 'U16', [1], u16(65535), [65535]],
      ['u32', 'U32', [1], u32(2147483647), [2147483647]],
      ['bool', 'BOOL', [4], Uint8Array.from([0, 1, 2, 255]), [0, 1, 1, 1]],
    ];
    let at = 0;
    const fields = parts.map(([name, dtype, shape, data]) => {
      const s = `"${name}":${entry(dtype, shape, at, at + data.length)}`;
      at += data.length;
      return s;
    });
    const out = decodeSafetensors(file(`{${fields.join(',')}}`, concat(...parts.map((p) => p[3])))).tensors;
    for (const [name, , shape, , expected] of parts) {
      expect(out[name]?.dtype).toBe('int32');
      expect(out[name]?.shape).toEqual(shape);
      expectExactly(out[name]!.data, expected);
    }
  });

  it('reads tensors at unaligned offsets, from an unaligned view', () => {
    // An odd-length header and a 1-byte tensor first put F32/I32 data at odd file offsets.
    const header = `{"b":${entry('U8', [1], 0, 1)},"f":${entry('F32', [2], 1, 9)},"i":${entry('I32', [1], 9, 13)}} `;
    expect(utf8.encode(header).length % 2).toBe(1);
    const bytes = file(header, concat([9], f32(1.25, -2), i32(-123456)));
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    for (const input of [bytes, padded.subarray(3)]) {
      const out = decodeSafetensors(input).tensors;
      expectExactly(out.b!.data, [9]);
      expectExactly(out.f!.data, [1.25, -2]);
      expectExactly(out.i!.data, [-123456]);
    }
  });

  it('exposes the validated header without reading data', () => {
    const header = `{"__metadata__":{"a":"b"},"w":${entry('BF16', [3], 0, 6)}}  `;
    const bytes = file(header, u16(1, 2, 3));
    expect(readSafetensorsHeader(bytes)).toEqual({
      header: { w: { dtype: 'BF16', shape: [3], dataOffsets: [0, 6] } },
      metadata: { a: 'b' },
      dataStart: 8 + utf8.encode(header).length,
    });
  });

  it('accepts zero-element tensors anywhere, even with huge other dimensions', () => {
    const header =
      `{"z0":${entry('F32', [0, 9007199254740991], 0, 0)},"x":${entry('I32', [1], 0, 4)},` +
      `"z1":${entry('I64', [0], 4, 4)}}`;
    const out = decodeSafetensors(file(header, i32(5))).tensors;
    expect(out.z0).toEqual({ dtype: 'float32', shape: [0, 9007199254740991], data: new Float32Array(0) });
    expect(out.z1).toEqual({ dtype: 'int32', shape: [0], data: new Int32Array(0) });
    expectExactly(out.x!.data, [5]);
  });

  it('tolerates header quirks the reference implementation accepts', () => {
    const e = entry('F32', [1], 0, 4);
    // Duplicate keys: the last one wins, as with JSON.parse.
    expectExactly(decodeOne(file(`{"x":${e},"x":${e}}`, f32(2))).data, [2]);
    // Unknown fields in an entry are ignored; whitespace (not only spaces) may pad the header.
    const extra = `{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":[1,{"y":2}]}}\n\t  `;
    expectExactly(decodeOne(file(extra, f32(3))).data, [3]);
    expect(decodeSafetensors(file(`{"__metadata__":null}`)).metadata).toEqual({});
    // A header exactly maxHeaderBytes long is accepted.
    expect(decodeSafetensors(file('{}'), { maxHeaderBytes: 2 }).tensors).toEqual({});
    // A header tensor named __proto__ is an own property, not a prototype.
    const out = decodeSafetensors(file(`{"__proto__":${e}}`, f32(4))).tensors;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });
});

// ---------------------------------------------------------------------------------------------

interface BadCase {
  name: string;
  bytes: Uint8Array;
  message: string;
  options?: DecodeOptions;
  /** The header is valid; the problem is found only when reading the data. */
  inData?: boolean;
}

const F4 = entry('F32', [1], 0, 4);
const hdr = (fields: string, data: ArrayLike<number> = []) => file(`{${fields}}`, data);
const withEntry = (body: string, data: ArrayLike<number> = f32(1)) => hdr(`"w":${body}`, data);

const badCases: BadCase[] = [
  // length prefix
  { name: 'empty file', bytes: new Uint8Array(0), message: 'file is 0 bytes, too short' },
  { name: '7-byte file', bytes: new Uint8Array(7), message: 'file is 7 bytes, too short' },
  {
    name: 'header length past the end of the file',
    bytes: concat(prefix(100), utf8.encode('{}')),
    message: 'header length 100 exceeds the 2 bytes after the length prefix (file is 10 bytes)',
  },
  {
    name: 'header length above maxHeaderBytes',
    bytes: file('{}    '),
    options: { maxHeaderBytes: 4 },
    message: 'header length 6 exceeds maxHeaderBytes 4',
  },
  {
    name: 'header length above the default limit',
    bytes: concat(prefix(0, 1), utf8.encode('{}')),
    message: 'header length 4294967296 exceeds maxHeaderBytes 100000000',
  },
  {
    name: 'header length above 2^32 with no limit',
    bytes: concat(prefix(0, 1), utf8.encode('{}')),
    options: { maxHeaderBytes: Number.POSITIVE_INFINITY },
    message: 'header length 4294967296 exceeds the 2 bytes',
  },
  {
    name: 'header length above 2^53',
    bytes: concat(prefix(0, 0x200000), utf8.encode('{}')),
    message: 'header length (high word 0x200000) does not fit in a safe integer',
  },
  {
    name: 'header length 2^64 - 1',
    bytes: concat(prefix(0xffffffff, 0xffffffff), utf8.encode('{}')),
    options: { maxHeaderBytes: Number.POSITIVE_INFINITY },
    message: 'does not fit in a safe integer',
  },
  // text and JSON
  { name: 'invalid UTF-8', bytes: file(Uint8Array.from([0x7b, 0xff, 0x7d])), message: 'is not valid UTF-8' },
  {
    name: 'overlong UTF-8',
    bytes: file(Uint8Array.from([0x7b, 0xc0, 0x80, 0x7d])),
    message: 'not valid UTF-8',
  },
  {
    name: 'UTF-8-encoded surrogate',
    bytes: file(Uint8Array.from([0x7b, 0xed, 0xa0, 0x80, 0x7d])),
    message: 'not valid UTF-8',
  },
  { name: 'byte order mark', bytes: file('\ufeff{}'), message: "must be a JSON object starting with '{'" },
  { name: 'leading space', bytes: file(' {}'), message: 'starting with \'{\', but starts with " "' },
  { name: 'empty header', bytes: file(''), message: 'but starts with ""' },
  { name: 'truncated JSON', bytes: file('{"a":'), message: 'header is not valid JSON' },
  { name: 'trailing garbage', bytes: file('{} x'), message: 'header is not valid JSON' },
  { name: 'NUL padding', bytes: file('{}\0\0'), message: 'header is not valid JSON' },
  { name: 'header is an array', bytes: file('[]'), message: 'must be a JSON object' },
  { name: 'header is null', bytes: file('null'), message: 'must be a JSON object' },
  { name: 'header is a string', bytes: file('"{}"'), message: 'must be a JSON object' },
  // entries
  { name: 'entry is a number', bytes: withEntry('5'), message: "tensor 'w' must map to an object" },
  { name: 'entry is null', bytes: withEntry('null'), message: "tensor 'w' must map to an object" },
  { name: 'entry is an array', bytes: withEntry('[]'), message: "tensor 'w' must map to an object" },
  {
    name: 'missing dtype',
    bytes: withEntry('{"shape":[1],"data_offsets":[0,4]}'),
    message: "tensor 'w' is missing 'dtype'",
  },
  {
    name: 'missing shape',
    bytes: withEntry('{"dtype":"F32","data_offsets":[0,4]}'),
    message: "tensor 'w' is missing 'shape'",
  },
  {
    name: 'missing data_offsets',
    bytes: withEntry('{"dtype":"F32","shape":[1]}'),
    message: "tensor 'w' is missing 'data_offsets'",
  },
  {
    name: 'dtype is a number',
    bytes: withEntry('{"dtype":4,"shape":[1],"data_offsets":[0,4]}'),
    message: "tensor 'w' dtype must be a string, got number 4",
  },
  {
    name: 'unknown dtype',
    bytes: withEntry(entry('F8_E4M3', [4], 0, 4)),
    message: "tensor 'w' has unsupported dtype 'F8_E4M3'; expected one of F32, F64",
  },
  { name: 'lower-case dtype', bytes: withEntry(entry('f32', [1], 0, 4)), message: "unsupported dtype 'f32'" },
  {
    name: 'inherited-property dtype',
    bytes: withEntry(entry('constructor', [1], 0, 4)),
    message: "tensor 'w' has unsupported dtype 'constructor'",
  },
  {
    name: 'shape is a string',
    bytes: withEntry('{"dtype":"F32","shape":"1","data_offsets":[0,4]}'),
    message: 'tensor \'w\' shape must be an array, got string "1"',
  },
  {
    name: 'negative dimension',
    bytes: withEntry(entry('F32', [2, -1], 0, 4)),
    message: "tensor 'w' shape dimension 1 is number -1; expected a non-negative integer",
  },
  {
    name: 'fractional dimension',
    bytes: withEntry(entry('F32', [1.5], 0, 4)),
    message: "tensor 'w' shape dimension 0 is number 1.5",
  },
  {
    name: 'string dimension',
    bytes: withEntry('{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}'),
    message: 'shape dimension 0 is string "1"',
  },
  {
    name: 'null dimension',
    bytes: withEntry('{"dtype":"F32","shape":[null],"data_offsets":[0,4]}'),
    message: 'shape dimension 0 is null',
  },
  {
    name: 'dimension above 2^53',
    bytes: withEntry('{"dtype":"F32","shape":[9007199254740992],"data_offsets":[0,4]}'),
    message: 'shape dimension 0 is number 9007199254740992',
  },
  {
    name: 'dimension 1e400 (Infinity)',
    bytes: withEntry('{"dtype":"F32","shape":[1e400],"data_offsets":[0,4]}'),
    message: 'shape dimension 0 is number null',
  },
  {
    name: 'element count above 2^53',
    bytes: withEntry(entry('F32', [4294967296, 4294967296], 0, 4)),
    message: "tensor 'w' shape [4294967296,4294967296] has more than 2^53 - 1 elements",
  },
  {
    name: 'data_offsets is a number',
    bytes: withEntry('{"dtype":"F32","shape":[1],"data_offsets":4}'),
    message: "tensor 'w' data_offsets must be [begin, end] with non-negative integers, got number 4",
  },
  {
    name: 'data_offsets with one element',
    bytes: withEntry('{"dtype":"F32","shape":[1],"data_offsets":[4]}'),
    message: 'data_offsets must be [begin, end]',
  },
  {
    name: 'data_offsets with three elements',
    bytes: withEntry('{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}'),
    message: 'data_offsets must be [begin, end]',
  },
  {
    name: 'negative offset',
    bytes: withEntry('{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}'),
    message: 'got array [-4,0]',
  },
  {
    name: 'fractional offset',
    bytes: withEntry('{"dtype":"F32","shape":[1],"data_offsets":[0,4.5]}'),
    message: 'got array [0,4.5]',
  },
  {
    name: 'string offset',
    bytes: withEntry('{"dtype":"F32","shape":[1],"data_offsets":["0",4]}'),
    message: 'got array ["0",4]',
  },
  {
    name: 'huge offset',
    bytes: withEntry('{"dtype":"F32","shape":[1],"data_offsets":[0,1e20]}'),
    message: 'data_offsets must be [begin, end]',
  },
  {
    name: 'begin > end',
    bytes: withEntry(entry('F32', [1], 8, 4), new Uint8Array(8)),
    message: "tensor 'w' has data_offsets [8,4] with begin > end",
  },
  {
    name: 'offsets past the data buffer',
    bytes: withEntry(entry('F32', [2], 0, 8)),
    message: "tensor 'w' has data_offsets [0,8] extending past the end of the 4-byte data buffer",
  },
  {
    name: 'offsets far past the data buffer',
    bytes: withEntry(entry('F32', [2 ** 40], 0, 2 ** 42)),
    message: 'extending past the end of the 4-byte data buffer',
  },
  {
    name: 'shape does not match the span',
    bytes: withEntry(entry('F32', [2, 3], 0, 20), new Uint8Array(20)),
    message:
      "safetensors: tensor 'w' has shape [2,3] (6 x F32 = 24 bytes) but data_offsets [0,20] span 20 bytes",
  },
  {
    name: 'itemsize does not match the span',
    bytes: withEntry(entry('F16', [3], 0, 3), new Uint8Array(3)),
    message: "tensor 'w' has shape [3] (3 x F16 = 6 bytes) but data_offsets [0,3] span 3 bytes",
  },
  {
    name: 'scalar with an empty span',
    bytes: withEntry(entry('I32', [], 0, 0), []),
    message: "tensor 'w' has shape [] (1 x I32 = 4 bytes) but data_offsets [0,0] span 0 bytes",
  },
  // tiling
  {
    name: 'overlapping tensors',
    bytes: hdr(`"a":${entry('F32', [2], 0, 8)},"b":${entry('F32', [2], 4, 12)}`, new Uint8Array(12)),
    message:
      "tensor 'b' data_offsets [4,12] overlap tensor 'a' data_offsets [0,8]; tensors must exactly tile",
  },
  {
    name: 'two tensors sharing bytes',
    bytes: hdr(`"a":${F4},"b":${F4}`, f32(1)),
    message: "tensor 'b' data_offsets [0,4] overlap tensor 'a' data_offsets [0,4]",
  },
  {
    name: 'empty tensor inside another',
    bytes: hdr(`"a":${entry('F32', [2], 0, 8)},"z":${entry('F32', [0], 4, 4)}`, new Uint8Array(8)),
    message: "tensor 'z' data_offsets [4,4] overlap tensor 'a'",
  },
  {
    name: 'hole between tensors',
    bytes: hdr(`"b":${entry('F32', [1], 8, 12)},"a":${F4}`, new Uint8Array(12)),
    message:
      "data bytes [4,8) after tensor 'a' belong to no tensor (hole before tensor 'b' data_offsets [8,12])",
  },
  {
    name: 'hole at the start',
    bytes: withEntry(entry('F32', [1], 4, 8), new Uint8Array(8)),
    message: 'data bytes [0,4) at the start of the data buffer belong to no tensor',
  },
  {
    name: 'trailing data bytes',
    bytes: withEntry(F4, new Uint8Array(9)),
    message: "data bytes [4,9) after tensor 'w' belong to no tensor (trailing bytes)",
  },
  {
    name: 'data with no tensors',
    bytes: hdr('', new Uint8Array(3)),
    message: 'data bytes [0,3) with no tensor data in the header belong to no tensor',
  },
  // metadata
  {
    name: 'metadata number value',
    bytes: hdr('"__metadata__":{"k":1}'),
    message: "__metadata__ key 'k' has number 1; expected a string",
  },
  {
    name: 'metadata object value',
    bytes: hdr('"__metadata__":{"ok":"x","k":{"a":"b"}}'),
    message: "__metadata__ key 'k' has an object; expected a string",
  },
  {
    name: 'metadata null value',
    bytes: hdr('"__metadata__":{"k":null}'),
    message: "__metadata__ key 'k' has null",
  },
  {
    name: 'metadata is an array',
    bytes: hdr('"__metadata__":["a"]'),
    message: '__metadata__ must be an object',
  },
  {
    name: 'metadata is a string',
    bytes: hdr('"__metadata__":"a"'),
    message: '__metadata__ must be an object',
  },
  // values that do not fit int32
  {
    inData: true,
    name: 'I64 above int32',
    bytes: withEntry(entry('I64', [2], 0, 16), i64(1n, 2147483648n)),
    message: "tensor 'w' (I64) element 1 is 2147483648, outside the int32 range",
  },
  {
    inData: true,
    name: 'I64 below int32',
    bytes: withEntry(entry('I64', [1], 0, 8), i64(-2147483649n)),
    message: "tensor 'w' (I64) element 0 is -2147483649, outside the int32 range",
  },
  {
    inData: true,
    name: 'I64 minimum',
    bytes: withEntry(entry('I64', [1], 0, 8), i64(-(2n ** 63n))),
    message: 'element 0 is -9223372036854775808',
  },
  {
    inData: true,
    name: 'U64 above int32',
    bytes: withEntry(entry('U64', [1], 0, 8), u64(2n ** 64n - 1n)),
    message: "tensor 'w' (U64) element 0 is 18446744073709551615",
  },
  {
    inData: true,
    name: 'U32 above int32',
    bytes: withEntry(entry('U32', [1], 0, 4), u32(4294967295)),
    message: "tensor 'w' (U32) element 0 is 4294967295",
  },
];

describe('safetensors rejects malformed files', () => {
  it.each(badCases)('$name', ({ bytes, message, options }) => {
    expectSafetensorsError(() => decodeSafetensors(bytes, options), message);
  });

  it('validates the same way in readSafetensorsHeader', () => {
    for (const { bytes, message, options, inData } of badCases) {
      if (inData) continue;
      expectSafetensorsError(() => readSafetensorsHeader(bytes, options), message);
    }
  });

  it('error messages carry the code and the safetensors prefix', () => {
    try {
      decodeSafetensors(new Uint8Array(3));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SafetensorsError);
      expect((e as SafetensorsError).code).toBe('E_SAFETENSORS');
      expect((e as SafetensorsError).message).toMatch(/^safetensors: /);
    }
  });

  it('keeps messages short for huge attacker-chosen names', () => {
    const name = 'n'.repeat(100_000);
    const run = () => decodeSafetensors(hdr(`"${name}":${entry('F8_E5M2', [1], 0, 1)}`, [0]));
    expectSafetensorsError(run, "unsupported dtype 'F8_E5M2'");
    expect(() => run()).toThrow(/^.{0,400}$/s);
  });

  it('rejects a bad maxHeaderBytes option', () => {
    expectSafetensorsError(
      () => decodeSafetensors(file('{}'), { maxHeaderBytes: -1 }),
      'maxHeaderBytes must be',
    );
    expectSafetensorsError(
      () => decodeSafetensors(file('{}'), { maxHeaderBytes: Number.NaN }),
      'maxHeaderBytes',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Property-based tests

const tensorArb: fc.Arbitrary<RawTensor> = fc
  .tuple(
    fc.constantFrom('float32', 'int32', 'float-bits'),
    fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
  )
  .chain(([kind, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const ints = fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: n, maxLength: n });
    if (kind === 'int32')
      return ints.map((v): RawTensor => ({ dtype: 'int32', shape, data: Int32Array.from(v) }));
    if (kind === 'float-bits') {
      // Arbitrary bit patterns reach every NaN payload, subnormal and signed zero.
      return ints.map(
        (v): RawTensor => ({ dtype: 'float32', shape, data: new Float32Array(Int32Array.from(v).buffer) }),
      );
    }
    return fc
      .array(fc.float({ noNaN: false }), { minLength: n, maxLength: n })
      .map((v): RawTensor => ({ dtype: 'float32', shape, data: Float32Array.from(v) }));
  });

const nameArb = fc.string({ unit: 'binary', maxLength: 10 }).filter((s) => s !== '__metadata__');
const tensorsArb = fc.dictionary(nameArb, tensorArb, { maxKeys: 6 });
const metadataArb = fc.option(
  fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 16 }), {
    maxKeys: 4,
  }),
  { nil: undefined },
);

/** Decodes, allowing only success or a SafetensorsError. A success must be self-consistent. */
function decodesOrRejects(bytes: Uint8Array, options?: DecodeOptions): boolean {
  let result: ReturnType<typeof decodeSafetensors>;
  try {
    result = decodeSafetensors(bytes, options);
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    expect(e.message).toMatch(/^safetensors: /);
    return false;
  }
  let total = 0;
  for (const t of Object.values(result.tensors)) {
    expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
    expect(t.data).toBeInstanceOf(t.dtype === 'float32' ? Float32Array : Int32Array);
    total += t.data.length;
  }
  // Every element takes at least one byte of the file, so output stays bounded by input.
  expect(total).toBeLessThanOrEqual(bytes.length);
  for (const v of Object.values(result.metadata)) expect(typeof v).toBe('string');
  return true;
}

/** Rewrites a valid file's header as `header` (JSON text), keeping its data buffer. */
function withHeader(bytes: Uint8Array, header: string, pad: number): Uint8Array {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return file(header + ' '.repeat(pad), bytes.subarray(8 + n));
}

describe('safetensors fuzzing', () => {
  it('round-trips random valid tensors and metadata exactly', () => {
    fc.assert(
      fc.property(tensorsArb, metadataArb, (tensors, metadata) => {
        const bytes = encodeSafetensors(tensors, metadata);
        const n = new DataView(bytes.buffer).getUint32(0, true);
        expect(n % 8).toBe(0);
        const out = decodeSafetensors(bytes);
        expect(Object.keys(out.tensors).sort()).toEqual(Object.keys(tensors).sort());
        for (const [name, t] of Object.entries(tensors)) {
          const got = out.tensors[name]!;
          expect(got.dtype).toBe(t.dtype);
          expect(got.shape).toEqual(t.shape);
          expect(bits(got.data)).toEqual(bits(t.data));
        }
        expect(Object.entries(out.metadata).sort()).toEqual(Object.entries(metadata ?? {}).sort());
      }),
      { numRuns: 500 },
    );
  });

  it('random byte edits and truncations of a valid file decode or throw SafetensorsError', () => {
    const edit = fc.record({
      inHeader: fc.boolean(),
      at: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(
        tensorsArb,
        metadataArb,
        fc.array(edit, { maxLength: 4 }),
        fc.option(fc.nat()),
        (tensors, metadata, edits, truncate) => {
          const bytes = encodeSafetensors(tensors, metadata);
          const dataStart = 8 + new DataView(bytes.buffer).getUint32(0, true);
          for (const { inHeader, at, byte } of edits)
            bytes[at % (inHeader ? dataStart : bytes.length)] = byte;
          decodesOrRejects(truncate === null ? bytes : bytes.slice(0, truncate % (bytes.length + 1)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('structured header mutations decode or throw SafetensorsError', () => {
    const dtypes = [
      'F32',
      'I32',
      'F64',
      'F16',
      'BF16',
      'I64',
      'U64',
      'U32',
      'I16',
      'U16',
      'I8',
      'U8',
      'BOOL',
      'X',
    ];
    const smallInt = fc.integer({ min: -2, max: 80 });
    const fieldValue = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(...dtypes),
      fc.array(smallInt, { maxLength: 4 }),
      fc.tuple(smallInt, smallInt),
    );
    fc.assert(
      fc.property(
        tensorsArb,
        metadataArb,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('dtype', 'shape', 'data_offsets', 'extra'), fieldValue), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.nat({ max: 9 }),
        (tensors, metadata, mutations, pad) => {
          const bytes = encodeSafetensors(tensors, metadata);
          const { header } = readSafetensorsHeader(bytes);
          const raw: Record<string, unknown> = Object.fromEntries(
            Object.entries(header).map(([k, e]) => [
              k,
              { dtype: e.dtype, shape: e.shape, data_offsets: e.dataOffsets } as Record<string, unknown>,
            ]),
          );
          const names = Object.keys(raw);
          for (const [which, field, value] of mutations) {
            const target =
              names.length === 0 ? undefined : (raw[names[which % names.length]!] as Record<string, unknown>);
            if (target === undefined) raw[`n${which}`] = { [field]: value };
            else target[field] = value;
          }
          decodesOrRejects(withHeader(bytes, JSON.stringify(raw), pad));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('arbitrary byte arrays decode or throw SafetensorsError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        decodesOrRejects(bytes);
        decodesOrRejects(bytes, { maxHeaderBytes: Number.POSITIVE_INFINITY });
      }),
      { numRuns: 1000 },
    );
  });

  it('arbitrary JSON headers over arbitrary data decode or throw SafetensorsError', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 3 }), fc.uint8Array({ maxLength: 64 }), (json, data) => {
        decodesOrRejects(file(json, data));
      }),
      { numRuns: 500 },
    );
  });

  it('nearly valid headers over random data decode or throw SafetensorsError', () => {
    const sizes: Record<string, number> = { F32: 4, I32: 4, F64: 8, F16: 2, BF16: 2, I64: 8, U64: 8, U32: 4 };
    Object.assign(sizes, { I16: 2, U16: 2, I8: 1, U8: 1, BOOL: 1 });
    // Mostly-zero nudges keep many files valid, so random bytes reach every dtype reader.
    const nudge = fc.oneof(
      { arbitrary: fc.constant(0), weight: 8 },
      { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 1 },
    );
    const specArb = fc.tuple(
      fc.constantFrom(...Object.keys(sizes)),
      fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
      nudge,
      nudge,
    );
    let successes = 0;
    fc.assert(
      fc.property(
        fc.array(specArb, { maxLength: 4 }),
        nudge,
        fc.infiniteStream(fc.integer({ min: 0, max: 255 })),
        (specs, extra, stream) => {
          let at = 0;
          const fields = specs.map(([dtype, shape, nudgeBegin, nudgeEnd], i) => {
            const length = shape.reduce((a, b) => a * b, 1) * sizes[dtype]!;
            const field = `"t${i}":${entry(dtype, shape, Math.max(0, at + nudgeBegin), Math.max(0, at + length + nudgeEnd))}`;
            at += length;
            return field;
          });
          const data = Uint8Array.from(stream.take(Math.max(0, at + extra)));
          if (decodesOrRejects(file(`{${fields.join(',')}}`, data))) successes++;
        },
      ),
      { numRuns: 1000 },
    );
    // The generator must reach the data readers, not only the validation errors.
    expect(successes).toBeGreaterThan(300);
  });
});

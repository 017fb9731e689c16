/** Reference kernels: elementwise unary, binary (broadcasting), where, cast. Clarity over speed. */
import type { BinaryOp, DType, TypedArray, UnaryAttrs, UnaryOp } from './backend.js';
import { typedArrayFor } from './dtype.js';
import { SELU_ALPHA, SELU_SCALE } from './selu-constants.js';
import { broadcastShapes, sizeOf, stridesOf } from './shape.js';

/** erf with |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit). */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function unaryFn(op: UnaryOp, attrs: UnaryAttrs = {}): (x: number) => number {
  const alpha = attrs.alpha ?? 0;
  switch (op) {
    case 'neg':
      return (x) => -x;
    case 'abs':
      return Math.abs;
    case 'sign':
      return (x) => (Number.isNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0);
    case 'exp':
      return Math.exp;
    case 'expm1':
      return Math.expm1;
    case 'log':
      return Math.log;
    case 'log1p':
      return Math.log1p;
    case 'sqrt':
      return Math.sqrt;
    case 'rsqrt':
      return (x) => 1 / Math.sqrt(x);
    case 'square':
      return (x) => x * x;
    case 'reciprocal':
      return (x) => 1 / x;
    case 'sin':
      return Math.sin;
    case 'cos':
      return Math.cos;
    case 'tanh':
      return Math.tanh;
    case 'sigmoid':
      return sigmoid;
    case 'erf':
      return erf;
    case 'relu':
      return (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0);
    case 'step':
      return (x) => (x > 0 ? 1 : Number.isNaN(x) ? x : 0);
    case 'leakyRelu':
      return (x) => (x >= 0 ? x : alpha * x);
    case 'elu':
      return (x) => (x > 0 ? x : alpha * Math.expm1(x));
    case 'selu':
      return (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
    case 'gelu':
      return (x) => 0.5 * x * (1 + erf(x * Math.SQRT1_2));
    case 'geluTanh': {
      const c = Math.sqrt(2 / Math.PI);
      return (x) => 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x)));
    }
    case 'softplus': {
      const beta = attrs.beta ?? 1;
      const threshold = attrs.threshold ?? 20;
      return (x) => (x * beta > threshold ? x : Math.log1p(Math.exp(beta * x)) / beta);
    }
    case 'silu':
      return (x) => x * sigmoid(x);
    case 'floor':
      return Math.floor;
    case 'ceil':
      return Math.ceil;
    case 'round':
      return roundHalfEven;
    case 'isNaN':
      return (x) => (Number.isNaN(x) ? 1 : 0);
    case 'isFinite':
      return (x) => (Number.isFinite(x) ? 1 : 0);
    case 'logicalNot':
      return (x) => (x === 0 ? 1 : 0);
  }
}

export function unaryDType(op: UnaryOp, dtype: DType): DType {
  return op === 'isNaN' || op === 'isFinite' || op === 'logicalNot' ? 'int32' : dtype;
}

export function unary(op: UnaryOp, x: TypedArray, dtype: DType, attrs?: UnaryAttrs): TypedArray {
  const f = unaryFn(op, attrs);
  const out = typedArrayFor(unaryDType(op, dtype), x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return out;
}

function maxNaN(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : a > b ? a : b;
}
function minNaN(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : a < b ? a : b;
}

export function binaryFn(op: BinaryOp, dtype: DType): (a: number, b: number) => number {
  const int = dtype === 'int32';
  switch (op) {
    case 'add':
      return (a, b) => a + b;
    case 'sub':
      return (a, b) => a - b;
    case 'mul':
      return int ? Math.imul : (a, b) => a * b;
    case 'div':
      return (a, b) => a / b;
    case 'pow':
      return Math.pow;
    case 'maximum':
      return maxNaN;
    case 'minimum':
      return minNaN;
    case 'mod':
      return (a, b) => {
        const r = a % b;
        return r !== 0 && r < 0 !== b < 0 ? r + b : r;
      };
    case 'atan2':
      return Math.atan2;
    case 'equal':
      return (a, b) => (a === b ? 1 : 0);
    case 'notEqual':
      return (a, b) => (a !== b ? 1 : 0);
    case 'less':
      return (a, b) => (a < b ? 1 : 0);
    case 'lessEqual':
      return (a, b) => (a <= b ? 1 : 0);
    case 'greater':
      return (a, b) => (a > b ? 1 : 0);
    case 'greaterEqual':
      return (a, b) => (a >= b ? 1 : 0);
    case 'logicalAnd':
      return (a, b) => (a !== 0 && b !== 0 ? 1 : 0);
    case 'logicalOr':
      return (a, b) => (a !== 0 || b !== 0 ? 1 : 0);
  }
}

export function binaryDType(op: BinaryOp, dtype: DType): DType {
  const logical = [
    'equal',
    'notEqual',
    'less',
    'lessEqual',
    'greater',
    'greaterEqual',
    'logicalAnd',
    'logicalOr',
  ];
  return logical.includes(op) ? 'int32' : dtype;
}

/** For each flat output index, the flat index into an input broadcast to `outShape`. */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const n = sizeOf(outShape);
  const map = new Int32Array(n);
  const inStrides = stridesOf(inShape);
  const offset = outShape.length - inShape.length;
  const strides = outShape.map((_, i) =>
    i < offset || inShape[i - offset] === 1 ? 0 : inStrides[i - offset]!,
  );
  const idx = new Array<number>(outShape.length).fill(0);
  let flat = 0;
  for (let o = 0; o < n; o++) {
    map[o] = flat;
    for (let d = outShape.length - 1; d >= 0; d--) {
      idx[d]!++;
      flat += strides[d]!;
      if (idx[d]! < outShape[d]!) break;
      flat -= strides[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return map;
}

export function binary(
  op: BinaryOp,
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  dtype: DType,
): { values: TypedArray; shape: number[] } {
  const shape = broadcastShapes(op, aShape, bShape);
  const n = sizeOf(shape);
  const f = binaryFn(op, dtype);
  const out = typedArrayFor(binaryDType(op, dtype), n);
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
  } else if (a.length === n && b.length === 1) {
    const bv = b[0]!;
    for (let i = 0; i < n; i++) out[i] = f(a[i]!, bv);
  } else {
    const ia = a.length === n ? null : broadcastIndex(aShape, shape);
    const ib = b.length === n ? null : broadcastIndex(bShape, shape);
    for (let i = 0; i < n; i++) out[i] = f(a[ia ? ia[i]! : i]!, b[ib ? ib[i]! : i]!);
  }
  return { values: out, shape };
}

export function where(
  c: TypedArray,
  cShape: readonly number[],
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  dtype: DType,
): { values: TypedArray; shape: number[] } {
  const shape = broadcastShapes('where', cShape, aShape, bShape);
  const n = sizeOf(shape);
  const ic = broadcastIndex(cShape, shape);
  const ia = broadcastIndex(aShape, shape);
  const ib = broadcastIndex(bShape, shape);
  const out = typedArrayFor(dtype, n);
  for (let i = 0; i < n; i++) out[i] = c[ic[i]!] !== 0 ? a[ia[i]!]! : b[ib[i]!]!;
  return { values: out, shape };
}

export function cast(x: TypedArray, dtype: DType): TypedArray {
  const out = typedArrayFor(dtype, x.length);
  if (dtype === 'int32')
    for (let i = 0; i < x.length; i++) out[i] = Number.isFinite(x[i]!) ? Math.trunc(x[i]!) : 0;
  else out.set(x);
  return out;
}

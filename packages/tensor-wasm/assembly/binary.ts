// Elementwise binary kernels with broadcasting. JS collapses the broadcast shapes
// so that the innermost dimension is a row read either contiguously (stride 1) or as one
// repeated value (stride 0); an odometer walks the outer dimensions.
import { SIMD, param, toInt32 } from './common';

// Binary op codes: the order of `BinaryOp` in core's backend.ts (mirrored in src/op-codes.ts).
const B_ADD = 0;
const B_SUB = 1;
const B_MUL = 2;
const B_DIV = 3;
const B_POW = 4;
const B_MAXIMUM = 5;
const B_MINIMUM = 6;
const B_MOD = 7;
const B_ATAN2 = 8;
const B_EQUAL = 9;
const B_NOT_EQUAL = 10;
const B_LESS = 11;
const B_LESS_EQUAL = 12;
const B_GREATER = 13;
const B_GREATER_EQUAL = 14;
const B_LOGICAL_AND = 15;
const B_LOGICAL_OR = 16;

// Row modes: how a row of `a` and `b` is read.
const M_BOTH = 0; // both contiguous
const M_B_SCALAR = 1; // a contiguous, b one value
const M_A_SCALAR = 2; // a one value, b contiguous

// @ts-ignore: decorator
@inline function isMask(op: i32): bool {
  return op >= B_EQUAL;
}

// @ts-ignore: decorator
@inline function simdF(op: i32): bool {
  return op != B_POW && op != B_MOD && op != B_ATAN2;
}

// @ts-ignore: decorator
@inline function simdI(op: i32): bool {
  return op != B_POW && op != B_MOD && op != B_ATAN2 && op != B_DIV;
}

// @ts-ignore: decorator
@inline function scalarF(op: i32, a: f32, b: f32): f64 {
  switch (op) {
    case B_ADD: return <f64>(a + b);
    case B_SUB: return <f64>(a - b);
    case B_MUL: return <f64>(a * b);
    case B_DIV: return <f64>(a / b);
    case B_POW: return Math.pow(<f64>a, <f64>b);
    case B_MAXIMUM: return isNaN(a) || isNaN(b) ? NaN : a > b ? <f64>a : <f64>b;
    case B_MINIMUM: return isNaN(a) || isNaN(b) ? NaN : a < b ? <f64>a : <f64>b;
    case B_MOD: {
      const r = <f64>a % <f64>b;
      return r != 0 && (r < 0) != (b < 0) ? r + <f64>b : r;
    }
    case B_ATAN2: return Math.atan2(<f64>a, <f64>b);
    case B_EQUAL: return a == b ? 1 : 0;
    case B_NOT_EQUAL: return a != b ? 1 : 0;
    case B_LESS: return a < b ? 1 : 0;
    case B_LESS_EQUAL: return a <= b ? 1 : 0;
    case B_GREATER: return a > b ? 1 : 0;
    case B_GREATER_EQUAL: return a >= b ? 1 : 0;
    case B_LOGICAL_AND: return a != 0 && b != 0 ? 1 : 0;
    case B_LOGICAL_OR: return a != 0 || b != 0 ? 1 : 0;
  }
  return NaN;
}

// @ts-ignore: decorator
@inline function scalarI(op: i32, a: i32, b: i32): i32 {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return toInt32(<f64>a / <f64>b);
    case B_POW: return toInt32(Math.pow(<f64>a, <f64>b));
    case B_MAXIMUM: return a > b ? a : b;
    case B_MINIMUM: return a < b ? a : b;
    case B_MOD: {
      if (b == 0) return 0; // NaN in the reference, stored as 0
      const r = a % b;
      return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }
    case B_ATAN2: return toInt32(Math.atan2(<f64>a, <f64>b));
    case B_EQUAL: return a == b ? 1 : 0;
    case B_NOT_EQUAL: return a != b ? 1 : 0;
    case B_LESS: return a < b ? 1 : 0;
    case B_LESS_EQUAL: return a <= b ? 1 : 0;
    case B_GREATER: return a > b ? 1 : 0;
    case B_GREATER_EQUAL: return a >= b ? 1 : 0;
    case B_LOGICAL_AND: return a != 0 && b != 0 ? 1 : 0;
    case B_LOGICAL_OR: return a != 0 || b != 0 ? 1 : 0;
  }
  return 0;
}

// @ts-ignore: decorator
@inline function vecF(op: i32, a: v128, b: v128): v128 {
  const one = i32x4.splat(1);
  const zero = f32x4.splat(0);
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    case B_MAXIMUM: return f32x4.max(a, b);
    case B_MINIMUM: return f32x4.min(a, b);
    case B_EQUAL: return v128.and(f32x4.eq(a, b), one);
    case B_NOT_EQUAL: return v128.and(f32x4.ne(a, b), one);
    case B_LESS: return v128.and(f32x4.lt(a, b), one);
    case B_LESS_EQUAL: return v128.and(f32x4.le(a, b), one);
    case B_GREATER: return v128.and(f32x4.gt(a, b), one);
    case B_GREATER_EQUAL: return v128.and(f32x4.ge(a, b), one);
    case B_LOGICAL_AND: return v128.and(v128.and(f32x4.ne(a, zero), f32x4.ne(b, zero)), one);
    case B_LOGICAL_OR: return v128.and(v128.or(f32x4.ne(a, zero), f32x4.ne(b, zero)), one);
  }
  return a;
}

// @ts-ignore: decorator
@inline function vecI(op: i32, a: v128, b: v128): v128 {
  const one = i32x4.splat(1);
  const zero = i32x4.splat(0);
  switch (op) {
    case B_ADD: return i32x4.add(a, b);
    case B_SUB: return i32x4.sub(a, b);
    case B_MUL: return i32x4.mul(a, b);
    case B_MAXIMUM: return i32x4.max_s(a, b);
    case B_MINIMUM: return i32x4.min_s(a, b);
    case B_EQUAL: return v128.and(i32x4.eq(a, b), one);
    case B_NOT_EQUAL: return v128.and(i32x4.ne(a, b), one);
    case B_LESS: return v128.and(i32x4.lt_s(a, b), one);
    case B_LESS_EQUAL: return v128.and(i32x4.le_s(a, b), one);
    case B_GREATER: return v128.and(i32x4.gt_s(a, b), one);
    case B_GREATER_EQUAL: return v128.and(i32x4.ge_s(a, b), one);
    case B_LOGICAL_AND: return v128.and(v128.and(i32x4.ne(a, zero), i32x4.ne(b, zero)), one);
    case B_LOGICAL_OR: return v128.and(v128.or(i32x4.ne(a, zero), i32x4.ne(b, zero)), one);
  }
  return a;
}

// @ts-ignore: decorator
@inline function rowF(op: i32, mode: i32, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  if (SIMD && simdF(op)) {
    if (mode == M_BOTH) {
      for (; i + 8 <= n; i += 8) {
        const o = <usize>i << 2;
        const x0 = v128.load(a + o);
        const x1 = v128.load(a + o, 16);
        const y0 = v128.load(b + o);
        const y1 = v128.load(b + o, 16);
        v128.store(out + o, vecF(op, x0, y0));
        v128.store(out + o, vecF(op, x1, y1), 16);
      }
    } else if (mode == M_B_SCALAR) {
      const bv = v128.load32_splat(b);
      for (; i + 8 <= n; i += 8) {
        const o = <usize>i << 2;
        const x0 = v128.load(a + o);
        const x1 = v128.load(a + o, 16);
        v128.store(out + o, vecF(op, x0, bv));
        v128.store(out + o, vecF(op, x1, bv), 16);
      }
    } else {
      const av = v128.load32_splat(a);
      for (; i + 8 <= n; i += 8) {
        const o = <usize>i << 2;
        const y0 = v128.load(b + o);
        const y1 = v128.load(b + o, 16);
        v128.store(out + o, vecF(op, av, y0));
        v128.store(out + o, vecF(op, av, y1), 16);
      }
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(mode == M_A_SCALAR ? a : a + o);
    const y = load<f32>(mode == M_B_SCALAR ? b : b + o);
    const r = scalarF(op, x, y);
    if (isMask(op)) store<i32>(out + o, <i32>r);
    else store<f32>(out + o, <f32>r);
  }
}

// @ts-ignore: decorator
@inline function rowI(op: i32, mode: i32, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  if (SIMD && simdI(op)) {
    if (mode == M_BOTH) {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, vecI(op, v128.load(a + o), v128.load(b + o)));
      }
    } else if (mode == M_B_SCALAR) {
      const bv = v128.load32_splat(b);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, vecI(op, v128.load(a + o), bv));
      }
    } else {
      const av = v128.load32_splat(a);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, vecI(op, av, v128.load(b + o)));
      }
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<i32>(mode == M_A_SCALAR ? a : a + o);
    const y = load<i32>(mode == M_B_SCALAR ? b : b + o);
    store<i32>(out + o, scalarI(op, x, y));
  }
}

// @ts-ignore: decorator
@inline function rowModesF(op: i32, mode: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (mode == M_BOTH) rowF(op, M_BOTH, a, b, out, n);
  else if (mode == M_B_SCALAR) rowF(op, M_B_SCALAR, a, b, out, n);
  else rowF(op, M_A_SCALAR, a, b, out, n);
}

// @ts-ignore: decorator
@inline function rowModesI(op: i32, mode: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (mode == M_BOTH) rowI(op, M_BOTH, a, b, out, n);
  else if (mode == M_B_SCALAR) rowI(op, M_B_SCALAR, a, b, out, n);
  else rowI(op, M_A_SCALAR, a, b, out, n);
}

/** One row: out[i] = a[i] op b[i] with `mode` saying which operand is a repeated value. */
export function binaryF32(op: i32, mode: i32, a: usize, b: usize, out: usize, n: i32): void {
  switch (op) {
    case B_ADD: rowModesF(B_ADD, mode, a, b, out, n); break;
    case B_SUB: rowModesF(B_SUB, mode, a, b, out, n); break;
    case B_MUL: rowModesF(B_MUL, mode, a, b, out, n); break;
    case B_DIV: rowModesF(B_DIV, mode, a, b, out, n); break;
    case B_POW: rowModesF(B_POW, mode, a, b, out, n); break;
    case B_MAXIMUM: rowModesF(B_MAXIMUM, mode, a, b, out, n); break;
    case B_MINIMUM: rowModesF(B_MINIMUM, mode, a, b, out, n); break;
    case B_MOD: rowModesF(B_MOD, mode, a, b, out, n); break;
    case B_ATAN2: rowModesF(B_ATAN2, mode, a, b, out, n); break;
    case B_EQUAL: rowModesF(B_EQUAL, mode, a, b, out, n); break;
    case B_NOT_EQUAL: rowModesF(B_NOT_EQUAL, mode, a, b, out, n); break;
    case B_LESS: rowModesF(B_LESS, mode, a, b, out, n); break;
    case B_LESS_EQUAL: rowModesF(B_LESS_EQUAL, mode, a, b, out, n); break;
    case B_GREATER: rowModesF(B_GREATER, mode, a, b, out, n); break;
    case B_GREATER_EQUAL: rowModesF(B_GREATER_EQUAL, mode, a, b, out, n); break;
    case B_LOGICAL_AND: rowModesF(B_LOGICAL_AND, mode, a, b, out, n); break;
    case B_LOGICAL_OR: rowModesF(B_LOGICAL_OR, mode, a, b, out, n); break;
  }
}

export function binaryI32(op: i32, mode: i32, a: usize, b: usize, out: usize, n: i32): void {
  switch (op) {
    case B_ADD: rowModesI(B_ADD, mode, a, b, out, n); break;
    case B_SUB: rowModesI(B_SUB, mode, a, b, out, n); break;
    case B_MUL: rowModesI(B_MUL, mode, a, b, out, n); break;
    case B_DIV: rowModesI(B_DIV, mode, a, b, out, n); break;
    case B_POW: rowModesI(B_POW, mode, a, b, out, n); break;
    case B_MAXIMUM: rowModesI(B_MAXIMUM, mode, a, b, out, n); break;
    case B_MINIMUM: rowModesI(B_MINIMUM, mode, a, b, out, n); break;
    case B_MOD: rowModesI(B_MOD, mode, a, b, out, n); break;
    case B_ATAN2: rowModesI(B_ATAN2, mode, a, b, out, n); break;
    case B_EQUAL: rowModesI(B_EQUAL, mode, a, b, out, n); break;
    case B_NOT_EQUAL: rowModesI(B_NOT_EQUAL, mode, a, b, out, n); break;
    case B_LESS: rowModesI(B_LESS, mode, a, b, out, n); break;
    case B_LESS_EQUAL: rowModesI(B_LESS_EQUAL, mode, a, b, out, n); break;
    case B_GREATER: rowModesI(B_GREATER, mode, a, b, out, n); break;
    case B_GREATER_EQUAL: rowModesI(B_GREATER_EQUAL, mode, a, b, out, n); break;
    case B_LOGICAL_AND: rowModesI(B_LOGICAL_AND, mode, a, b, out, n); break;
    case B_LOGICAL_OR: rowModesI(B_LOGICAL_OR, mode, a, b, out, n); break;
  }
}

/**
 * Broadcasting binary op over a collapsed shape. `p` holds i32s: shape[rank], a's strides[rank],
 * b's strides[rank] (elements, 0 where broadcast), then rank scratch slots for the odometer.
 * The innermost strides are 0 or 1.
 */
export function binaryBroadcast(op: i32, isInt: i32, a: usize, b: usize, out: usize, rank: i32, p: usize): void {
  const last = rank - 1;
  const n = param(p, last);
  const sa = param(p, rank + last);
  const sb = param(p, 2 * rank + last);
  const mode = sa == 0 ? M_A_SCALAR : sb == 0 ? M_B_SCALAR : M_BOTH;
  const idx = p + (<usize>(3 * rank) << 2);
  let outer = 1;
  for (let d = 0; d < last; d++) {
    outer *= param(p, d);
    store<i32>(idx + (<usize>d << 2), 0);
  }
  let offA = 0;
  let offB = 0;
  const rowBytes = <usize>n << 2;
  for (let o = 0; o < outer; o++) {
    const pa = a + (<usize>offA << 2);
    const pb = b + (<usize>offB << 2);
    const po = out + <usize>o * rowBytes;
    if (isInt) binaryI32(op, mode, pa, pb, po, n);
    else binaryF32(op, mode, pa, pb, po, n);
    for (let d = last - 1; d >= 0; d--) {
      const slot = idx + (<usize>d << 2);
      const k = load<i32>(slot) + 1;
      const dsa = param(p, rank + d);
      const dsb = param(p, 2 * rank + d);
      offA += dsa;
      offB += dsb;
      if (k < param(p, d)) {
        store<i32>(slot, k);
        break;
      }
      offA -= dsa * k;
      offB -= dsb * k;
      store<i32>(slot, 0);
    }
  }
}

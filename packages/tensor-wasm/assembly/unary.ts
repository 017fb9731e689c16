// Elementwise unary kernels. Ops that are exact in float32 (neg, abs, sqrt, relu, …) run as
// f32x4 in the SIMD build; transcendental ones go through float64 like the reference, so the
// two agree to the last float32 ulp or so. Each `case` inlines a loop with a constant op, so
// the per-element switch folds away (a poor man's template).
import { SIMD, toInt32 } from './common';
import {
  U_ABS, U_CEIL, U_COS, U_ELU, U_ERF, U_EXP, U_EXPM1, U_FLOOR, U_GELU, U_GELU_TANH, U_IS_FINITE, U_IS_NAN,
  U_LEAKY_RELU, U_LOG, U_LOG1P, U_LOGICAL_NOT, U_NEG, U_RECIPROCAL, U_RELU, U_ROUND, U_RSQRT, U_SELU, U_SIGMOID,
  U_SIGN, U_SILU, U_SIN, U_SOFTPLUS, U_SQRT, U_SQUARE, U_STEP, U_TANH, unaryIsMask, unaryScalar,
} from './scalar-math';
import { erfF32x4, expF32x4, geluF32x4, sigmoidF32x4, tanhF32x4 } from './simd-math';

// @ts-ignore: decorator
@inline function simdable(op: i32): bool {
  return (
    op == U_NEG || op == U_ABS || op == U_SIGN || op == U_SQRT || op == U_SQUARE || op == U_RECIPROCAL ||
    op == U_RELU || op == U_STEP || op == U_LEAKY_RELU || op == U_FLOOR || op == U_CEIL || op == U_ROUND ||
    op == U_IS_NAN || op == U_IS_FINITE || op == U_LOGICAL_NOT || op == U_EXP || op == U_SIGMOID || op == U_TANH ||
    op == U_ERF || op == U_GELU || op == U_SILU
  );
}

// @ts-ignore: decorator
@inline function simdOp(op: i32, v: v128, alpha: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const bitOne = i32x4.splat(1);
  switch (op) {
    case U_NEG: return f32x4.neg(v);
    case U_ABS: return f32x4.abs(v);
    case U_SQRT: return f32x4.sqrt(v);
    case U_SQUARE: return f32x4.mul(v, v);
    case U_RECIPROCAL: return f32x4.div(one, v);
    // pmax(x, 0) is one maxps (NaN in x propagates, unlike f32x4.max it needs no fix-up
    // sequence); + 0 turns its −0 into the reference's +0
    case U_RELU: return f32x4.add(f32x4.pmax(v, zero), zero);
    case U_STEP: return v128.bitselect(v, v128.and(f32x4.gt(v, zero), one), f32x4.ne(v, v));
    case U_LEAKY_RELU: return v128.bitselect(v, f32x4.mul(alpha, v), f32x4.ge(v, zero));
    case U_SIGN: {
      const s = v128.or(v128.and(f32x4.gt(v, zero), one), v128.and(f32x4.lt(v, zero), f32x4.splat(-1)));
      return v128.bitselect(v, s, f32x4.ne(v, v));
    }
    case U_FLOOR: return f32x4.floor(v);
    case U_CEIL: return f32x4.ceil(v);
    case U_ROUND: return f32x4.nearest(v);
    case U_IS_NAN: return v128.and(f32x4.ne(v, v), bitOne);
    case U_IS_FINITE: return v128.and(f32x4.lt(f32x4.abs(v), f32x4.splat(Infinity)), bitOne);
    case U_LOGICAL_NOT: return v128.and(f32x4.eq(v, zero), bitOne);
    case U_EXP: return expF32x4(v);
    case U_SIGMOID: return sigmoidF32x4(v);
    case U_TANH: return tanhF32x4(v);
    case U_ERF: return erfF32x4(v);
    case U_GELU: return geluF32x4(v);
    case U_SILU: return f32x4.mul(v, sigmoidF32x4(v));
  }
  return v;
}

// @ts-ignore: decorator
@inline function loopF32(op: i32, x: usize, y: usize, n: i32, alpha: f64, beta: f64, threshold: f64): void {
  let i = 0;
  if (SIMD && simdable(op)) {
    const av = f32x4.splat(<f32>alpha);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = v128.load(x + o);
      const b = v128.load(x + o, 16);
      v128.store(y + o, simdOp(op, a, av));
      v128.store(y + o, simdOp(op, b, av), 16);
    }
  }
  if (op == U_RELU) {
    // branch-free: random signs would mispredict a compare-and-branch on every other element
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const bits = load<i32>(x + o);
      const negative = bits >> 31;
      const nan = -(<i32>((bits & 0x7fffffff) > 0x7f800000));
      store<i32>(y + o, bits & (~negative | nan));
    }
    return;
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = unaryScalar(op, <f64>load<f32>(x + o), alpha, beta, threshold);
    if (unaryIsMask(op)) store<i32>(y + o, <i32>v);
    else store<f32>(y + o, <f32>v);
  }
}

/** y = op(x) for float32 x; y is float32, or int32 0/1 for isNaN/isFinite/logicalNot. */
export function unaryF32(op: i32, x: usize, y: usize, n: i32, alpha: f64, beta: f64, threshold: f64): void {
  switch (op) {
    case U_NEG: loopF32(U_NEG, x, y, n, alpha, beta, threshold); break;
    case U_ABS: loopF32(U_ABS, x, y, n, alpha, beta, threshold); break;
    case U_SIGN: loopF32(U_SIGN, x, y, n, alpha, beta, threshold); break;
    case U_EXP: loopF32(U_EXP, x, y, n, alpha, beta, threshold); break;
    case U_EXPM1: loopF32(U_EXPM1, x, y, n, alpha, beta, threshold); break;
    case U_LOG: loopF32(U_LOG, x, y, n, alpha, beta, threshold); break;
    case U_LOG1P: loopF32(U_LOG1P, x, y, n, alpha, beta, threshold); break;
    case U_SQRT: loopF32(U_SQRT, x, y, n, alpha, beta, threshold); break;
    case U_RSQRT: loopF32(U_RSQRT, x, y, n, alpha, beta, threshold); break;
    case U_SQUARE: loopF32(U_SQUARE, x, y, n, alpha, beta, threshold); break;
    case U_RECIPROCAL: loopF32(U_RECIPROCAL, x, y, n, alpha, beta, threshold); break;
    case U_SIN: loopF32(U_SIN, x, y, n, alpha, beta, threshold); break;
    case U_COS: loopF32(U_COS, x, y, n, alpha, beta, threshold); break;
    case U_TANH: loopF32(U_TANH, x, y, n, alpha, beta, threshold); break;
    case U_SIGMOID: loopF32(U_SIGMOID, x, y, n, alpha, beta, threshold); break;
    case U_ERF: loopF32(U_ERF, x, y, n, alpha, beta, threshold); break;
    case U_RELU: loopF32(U_RELU, x, y, n, alpha, beta, threshold); break;
    case U_STEP: loopF32(U_STEP, x, y, n, alpha, beta, threshold); break;
    case U_LEAKY_RELU: loopF32(U_LEAKY_RELU, x, y, n, alpha, beta, threshold); break;
    case U_ELU: loopF32(U_ELU, x, y, n, alpha, beta, threshold); break;
    case U_SELU: loopF32(U_SELU, x, y, n, alpha, beta, threshold); break;
    case U_GELU: loopF32(U_GELU, x, y, n, alpha, beta, threshold); break;
    case U_GELU_TANH: loopF32(U_GELU_TANH, x, y, n, alpha, beta, threshold); break;
    case U_SOFTPLUS: loopF32(U_SOFTPLUS, x, y, n, alpha, beta, threshold); break;
    case U_SILU: loopF32(U_SILU, x, y, n, alpha, beta, threshold); break;
    case U_FLOOR: loopF32(U_FLOOR, x, y, n, alpha, beta, threshold); break;
    case U_CEIL: loopF32(U_CEIL, x, y, n, alpha, beta, threshold); break;
    case U_ROUND: loopF32(U_ROUND, x, y, n, alpha, beta, threshold); break;
    case U_IS_NAN: loopF32(U_IS_NAN, x, y, n, alpha, beta, threshold); break;
    case U_IS_FINITE: loopF32(U_IS_FINITE, x, y, n, alpha, beta, threshold); break;
    case U_LOGICAL_NOT: loopF32(U_LOGICAL_NOT, x, y, n, alpha, beta, threshold); break;
  }
}

/**
 * y = op(x) for int32 x, as the reference does it: the float64 result stored into an Int32Array
 * (truncated, wrapped), except the 0/1 masks.
 */
export function unaryI32(op: i32, x: usize, y: usize, n: i32, alpha: f64, beta: f64, threshold: f64): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = unaryScalar(op, <f64>load<i32>(x + o), alpha, beta, threshold);
    store<i32>(y + o, unaryIsMask(op) ? <i32>v : toInt32(v));
  }
}

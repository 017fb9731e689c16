// Scalar definitions of the unary ops, in float64 like core's reference backend, so that a
// float32 result is the rounding of the same float64 value the reference computes.

// Unary op codes: the order of `UnaryOp` in core's backend.ts (mirrored in src/op-codes.ts).
export const U_NEG = 0;
export const U_ABS = 1;
export const U_SIGN = 2;
export const U_EXP = 3;
export const U_EXPM1 = 4;
export const U_LOG = 5;
export const U_LOG1P = 6;
export const U_SQRT = 7;
export const U_RSQRT = 8;
export const U_SQUARE = 9;
export const U_RECIPROCAL = 10;
export const U_SIN = 11;
export const U_COS = 12;
export const U_TANH = 13;
export const U_SIGMOID = 14;
export const U_ERF = 15;
export const U_RELU = 16;
export const U_STEP = 17;
export const U_LEAKY_RELU = 18;
export const U_ELU = 19;
export const U_SELU = 20;
export const U_GELU = 21;
export const U_GELU_TANH = 22;
export const U_SOFTPLUS = 23;
export const U_SILU = 24;
export const U_FLOOR = 25;
export const U_CEIL = 26;
export const U_ROUND = 27;
export const U_IS_NAN = 28;
export const U_IS_FINITE = 29;
export const U_LOGICAL_NOT = 30;
export const UNARY_COUNT = 31;

const SELU_ALPHA: f64 = 1.6732632423543772848170429916717;
const SELU_SCALE: f64 = 1.0507009873554804934193349852946;
const SQRT1_2: f64 = 0.7071067811865476;
const SQRT_2_OVER_PI: f64 = 0.7978845608028654;

/** erf with |error| < 1.2e-7: the same Chebyshev fit (Numerical Recipes' erfc) as core. */
export function erf64(x: f64): f64 {
  const z = Math.abs(x);
  const t = 1.0 / (1.0 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
          t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1.0 - r : r - 1.0;
}

export function sigmoid64(x: f64): f64 {
  if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1.0 + e);
}

// @ts-ignore: decorator
@inline export function unaryScalar(op: i32, x: f64, alpha: f64, beta: f64, threshold: f64): f64 {
  switch (op) {
    case U_NEG: return -x;
    case U_ABS: return Math.abs(x);
    case U_SIGN: return isNaN(x) ? x : x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
    case U_EXP: return Math.exp(x);
    case U_EXPM1: return Math.expm1(x);
    case U_LOG: return Math.log(x);
    case U_LOG1P: return Math.log1p(x);
    case U_SQRT: return Math.sqrt(x);
    case U_RSQRT: return 1.0 / Math.sqrt(x);
    case U_SQUARE: return x * x;
    case U_RECIPROCAL: return 1.0 / x;
    case U_SIN: return Math.sin(x);
    case U_COS: return Math.cos(x);
    case U_TANH: return Math.tanh(x);
    case U_SIGMOID: return sigmoid64(x);
    case U_ERF: return erf64(x);
    case U_RELU: return x > 0 ? x : isNaN(x) ? x : 0.0;
    case U_STEP: return x > 0 ? 1.0 : isNaN(x) ? x : 0.0;
    case U_LEAKY_RELU: return x >= 0 ? x : alpha * x;
    case U_ELU: return x > 0 ? x : alpha * Math.expm1(x);
    case U_SELU: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
    case U_GELU: return 0.5 * x * (1.0 + erf64(x * SQRT1_2));
    case U_GELU_TANH: return 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
    case U_SOFTPLUS: return x * beta > threshold ? x : Math.log1p(Math.exp(beta * x)) / beta;
    case U_SILU: return x * sigmoid64(x);
    case U_FLOOR: return Math.floor(x);
    case U_CEIL: return Math.ceil(x);
    case U_ROUND: return nearest<f64>(x);
    case U_IS_NAN: return isNaN(x) ? 1.0 : 0.0;
    case U_IS_FINITE: return isFinite(x) ? 1.0 : 0.0;
    case U_LOGICAL_NOT: return x == 0 ? 1.0 : 0.0;
  }
  return NaN;
}

/** Ops whose output is an int32 0/1 mask whatever the input dtype. */
// @ts-ignore: decorator
@inline export function unaryIsMask(op: i32): bool {
  return op == U_IS_NAN || op == U_IS_FINITE || op == U_LOGICAL_NOT;
}

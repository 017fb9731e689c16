// float32 exp / sigmoid / tanh / erf / gelu on f32x4 (Cephes-style range reduction and minimax
// polynomials, ≈ 1–2 ulp; erf is the reference's own Chebyshev fit), for the activations that
// dominate training time. Only compiled in the SIMD builds: callers guard with `SIMD`.
//
// Constants come from a static table: V8 rebuilds a v128.const with three instructions at each
// use inside a loop, a load is one. Clamps use pmin/pmax (one instruction each, NaN passes
// through as the first operand) instead of the IEEE min/max sequences.

// @ts-ignore: decorator
@lazy const TABLE = memory.data<f32>([
  88.72283935546875, 88.72283935546875, 88.72283935546875, 88.72283935546875, // 0 exp overflow bound
  -103.972076416, -103.972076416, -103.972076416, -103.972076416, // 1 exp underflow bound
  12582912.0, 12582912.0, 12582912.0, 12582912.0, // 2 1.5·2²³ (round-to-int trick)
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341, // 3 log2(e)
  0.693359375, 0.693359375, 0.693359375, 0.693359375, // 4 ln2, high part
  -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, -2.12194440e-4, // 5 ln2, low part
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, // 6 exp polynomial
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, // 7
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, // 8
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, // 9
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, // 10
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, // 11
  1.0, 1.0, 1.0, 1.0, // 12
  Infinity, Infinity, Infinity, Infinity, // 13
  0.5, 0.5, 0.5, 0.5, // 14
  2.0, 2.0, 2.0, 2.0, // 15
  0.625, 0.625, 0.625, 0.625, // 16 tanh: polynomial below this |x|
  -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, -5.70498872745e-3, // 17 tanh polynomial
  2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, 2.06390887954e-2, // 18
  -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, -5.37397155531e-2, // 19
  1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, 1.33314422036e-1, // 20
  -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, -3.33332819422e-1, // 21
  0.17087277, 0.17087277, 0.17087277, 0.17087277, // 22 erf (Numerical Recipes) polynomial
  -0.82215223, -0.82215223, -0.82215223, -0.82215223, // 23
  1.48851587, 1.48851587, 1.48851587, 1.48851587, // 24
  -1.13520398, -1.13520398, -1.13520398, -1.13520398, // 25
  0.27886807, 0.27886807, 0.27886807, 0.27886807, // 26
  -0.18628806, -0.18628806, -0.18628806, -0.18628806, // 27
  0.09678418, 0.09678418, 0.09678418, 0.09678418, // 28
  0.37409196, 0.37409196, 0.37409196, 0.37409196, // 29
  1.00002368, 1.00002368, 1.00002368, 1.00002368, // 30
  1.26551223, 1.26551223, 1.26551223, 1.26551223, // 31
  0.7071067811865476, 0.7071067811865476, 0.7071067811865476, 0.7071067811865476, // 32 1/√2
  0.0, 0.0, 0.0, 0.0, // 33
], 16);

// @ts-ignore: decorator
@lazy const INT_TABLE = memory.data<i32>([
  127, 127, 127, 127, // 0 float exponent bias
  0x80000000, 0x80000000, 0x80000000, 0x80000000, // 1 sign bit
], 16);

// @ts-ignore: decorator
@inline function k(i: i32): v128 {
  return v128.load(TABLE + (<usize>i << 4));
}

// @ts-ignore: decorator
@inline function ki(i: i32): v128 {
  return v128.load(INT_TABLE + (<usize>i << 4));
}

// @ts-ignore: decorator
@inline function horner(p: v128, x: v128, c: i32): v128 {
  return f32x4.add(f32x4.mul(p, x), k(c));
}

/** 2^n for integer lanes n in [-152, 128], as a product of two normal powers of two. */
// @ts-ignore: decorator
@inline function pow2i(n: v128): v128 {
  const half = i32x4.shr_s(n, 1);
  const rest = i32x4.sub(n, half);
  const bias = ki(0);
  const s1 = i32x4.shl(i32x4.add(half, bias), 23);
  const s2 = i32x4.shl(i32x4.add(rest, bias), 23);
  return f32x4.mul(s1, s2);
}

// @ts-ignore: decorator
@inline export function expF32x4(x: v128): v128 {
  const hi = k(0);
  const lo = k(1);
  const xc = f32x4.pmin(f32x4.pmax(x, lo), hi);
  // round to nearest with the 1.5·2²³ trick: the integer lands in the low mantissa bits
  const magic = k(2);
  const shifted = f32x4.add(f32x4.mul(xc, k(3)), magic);
  const fn = f32x4.sub(shifted, magic);
  // Cody–Waite: ln2 split in a part exact in float32 and a remainder
  let r = f32x4.sub(xc, f32x4.mul(fn, k(4)));
  r = f32x4.sub(r, f32x4.mul(fn, k(5)));
  let p = k(6);
  p = horner(p, r, 7);
  p = horner(p, r, 8);
  p = horner(p, r, 9);
  p = horner(p, r, 10);
  p = horner(p, r, 11);
  const r2 = f32x4.mul(r, r);
  const e = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), k(12));
  let y = f32x4.mul(e, pow2i(i32x4.sub(shifted, magic)));
  y = v128.bitselect(k(13), y, f32x4.gt(x, hi));
  y = v128.andnot(y, f32x4.lt(x, lo));
  return y;
}

// @ts-ignore: decorator
@inline export function sigmoidF32x4(x: v128): v128 {
  // 1/(1+e^−x) keeps full relative accuracy on both tails (e^−x → ∞ gives 0, → 0 gives 1)
  const e = expF32x4(f32x4.neg(x));
  return f32x4.div(k(12), f32x4.add(k(12), e));
}

// @ts-ignore: decorator
@inline export function tanhF32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  // small |x|: odd polynomial (no cancellation near 0)
  const z = f32x4.mul(x, x);
  let p = k(17);
  p = horner(p, z, 18);
  p = horner(p, z, 19);
  p = horner(p, z, 20);
  p = horner(p, z, 21);
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  // large |x|: 1 − 2/(e^{2|x|} + 1), sign restored from x (NaN stays NaN)
  const e = expF32x4(f32x4.add(ax, ax));
  const t = f32x4.sub(k(12), f32x4.div(k(15), f32x4.add(e, k(12))));
  const big = v128.or(t, v128.and(x, ki(1)));
  return v128.bitselect(small, big, f32x4.lt(ax, k(16)));
}

/** erf by the same Chebyshev fit (Numerical Recipes' erfc) as the reference, in float32. */
// @ts-ignore: decorator
@inline export function erfF32x4(x: v128): v128 {
  const z = f32x4.abs(x);
  const t = f32x4.div(k(12), f32x4.add(k(12), f32x4.mul(k(14), z)));
  let p = k(22);
  p = horner(p, t, 23);
  p = horner(p, t, 24);
  p = horner(p, t, 25);
  p = horner(p, t, 26);
  p = horner(p, t, 27);
  p = horner(p, t, 28);
  p = horner(p, t, 29);
  p = horner(p, t, 30);
  const arg = f32x4.add(f32x4.sub(f32x4.neg(f32x4.mul(z, z)), k(31)), f32x4.mul(t, p));
  const r = f32x4.mul(t, expF32x4(arg));
  // x ≥ 0: 1 − r; x < 0: r − 1 (NaN: the comparison is false and r − 1 is NaN)
  return v128.bitselect(f32x4.sub(k(12), r), f32x4.sub(r, k(12)), f32x4.ge(x, k(33)));
}

/** x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
// @ts-ignore: decorator
@inline export function geluF32x4(x: v128): v128 {
  const e = erfF32x4(f32x4.mul(x, k(32)));
  return f32x4.mul(f32x4.mul(k(14), x), f32x4.add(k(12), e));
}

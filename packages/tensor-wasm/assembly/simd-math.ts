// float32 exp / sigmoid / tanh on f32x4 (Cephes-style range reduction and minimax
// polynomials, ≈ 1–2 ulp), for the activations that dominate training time. Only compiled in
// the SIMD builds: callers guard with `SIMD`.

/** 2^n for integer-valued lanes n in [-152, 128], as a product of two normal powers of two. */
// @ts-ignore: decorator
@inline function pow2i(n: v128): v128 {
  const half = i32x4.shr_s(n, 1);
  const rest = i32x4.sub(n, half);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(half, bias), 23);
  const s2 = i32x4.shl(i32x4.add(rest, bias), 23);
  return f32x4.mul(s1, s2);
}

// @ts-ignore: decorator
@inline export function expF32x4(x: v128): v128 {
  const hi = f32x4.splat(88.72283935546875);
  const lo = f32x4.splat(-103.972076416);
  const xc = f32x4.min(f32x4.max(x, lo), hi);
  const fn = f32x4.nearest(f32x4.mul(xc, f32x4.splat(1.44269504088896341)));
  // Cody–Waite: ln2 split in a part exact in float32 and a remainder
  let r = f32x4.sub(xc, f32x4.mul(fn, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fn, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  const e = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1));
  let y = f32x4.mul(e, pow2i(i32x4.trunc_sat_f32x4_s(fn)));
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x, hi));
  y = v128.bitselect(f32x4.splat(0), y, f32x4.lt(x, lo));
  return y;
}

// @ts-ignore: decorator
@inline export function sigmoidF32x4(x: v128): v128 {
  // 1/(1+e^−x) keeps full relative accuracy on both tails (e^−x → ∞ gives 0, → 0 gives 1)
  const e = expF32x4(f32x4.neg(x));
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
}

// @ts-ignore: decorator
@inline export function tanhF32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  // small |x|: odd polynomial (no cancellation near 0)
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  // large |x|: 1 − 2/(e^{2|x|} + 1), sign restored from x (NaN stays NaN)
  const e = expF32x4(f32x4.add(ax, ax));
  const t = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const big = v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.625)));
}

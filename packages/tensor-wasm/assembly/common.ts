// Shared helpers. Pointers are byte offsets into linear memory; counts are elements (4 bytes).
// `SIMD` and `RELAXED` are compile-time constants, so the unused paths are never compiled.

export const SIMD: bool = ASC_FEATURE_SIMD;
export const RELAXED: bool = ASC_FEATURE_RELAXED_SIMD;

/** Where JS's allocator may start: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}

/** JS's ToInt32 (what storing a number into an Int32Array does): NaN/±Inf → 0, wraps mod 2³². */
// @ts-ignore: decorator
@inline export function toInt32(x: f64): i32 {
  if (!isFinite(x)) return 0;
  const t = trunc(x);
  if (t >= -2147483648.0 && t <= 2147483647.0) return <i32>t;
  const m = t - Math.floor(t / 4294967296.0) * 4294967296.0;
  return <i32>(<u32>m);
}

/** a·b + c, fused where relaxed SIMD is available (the rounding may differ by an ulp). */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (RELAXED) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Reads the i-th i32 of a parameter block written by JS. */
// @ts-ignore: decorator
@inline export function param(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

/** Fills `n` 32-bit words with `bits` (an f32 or i32 bit pattern). */
export function fill32(dst: usize, n: i32, bits: i32): void {
  if (bits == 0) {
    memory.fill(dst, 0, <usize>n << 2);
    return;
  }
  let i = 0;
  if (SIMD) {
    const v = i32x4.splat(bits);
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
  }
  for (; i < n; i++) store<i32>(dst + (<usize>i << 2), bits);
}

/** memmove of `n` 32-bit words. */
export function copy32(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 2);
}

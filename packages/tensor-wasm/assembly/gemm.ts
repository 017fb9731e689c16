// Single-precision GEMM: C (+)= op(A)·op(B), Goto/BLIS style. Blocks of A and B are packed into
// contiguous micro-panels (MR rows of A, NR columns of B, interleaved along K), so a transposed
// operand costs only a different packing loop and all four transpose combinations run the same
// micro-kernel at the same speed. The SIMD micro-kernel keeps a 4×8 block of C in 8 v128
// registers (11 live v128 with the operands: V8 spills above ~12).
import { SIMD, madd } from './common';

const MR = 4;
const NR = 8;

let KC = 384;
let MC = 64;
let NC = 1024;

/** Tunes the cache blocking (K panel depth, rows of A per block, columns of B per block). */
export function gemmSetBlocking(kc: i32, mc: i32, nc: i32): void {
  KC = (kc + 3) & ~3;
  MC = (mc + MR - 1) & ~(MR - 1);
  NC = (nc + NR - 1) & ~(NR - 1);
}

/** Bytes of scratch `sgemm` needs for its packed panels and edge tile. */
export function gemmWorkBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4 + 64;
}

// @ts-ignore: decorator
@inline function tr4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** Packs the mc×kc block at `a` (element strides rs, cs) into MR-row micro-panels. */
function packA(mc: i32, kc: i32, a: usize, rs: i32, cs: i32, dst: usize): void {
  const rsB = <usize>rs << 2;
  const csB = <usize>cs << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const src = a + <usize>ir * rsB;
    const d = dst + ((<usize>ir * <usize>kc) << 2);
    let p = 0;
    if (rows == MR) {
      if (SIMD && cs == 1) {
        for (; p + 4 <= kc; p += 4) {
          const q = src + (<usize>p << 2);
          tr4(v128.load(q), v128.load(q + rsB), v128.load(q + 2 * rsB), v128.load(q + 3 * rsB), d + (<usize>p << 4), 16);
        }
      } else if (SIMD && rs == 1) {
        for (; p < kc; p++) v128.store(d + (<usize>p << 4), v128.load(src + <usize>p * csB));
      }
      for (; p < kc; p++) {
        const q = src + <usize>p * csB;
        const o = d + (<usize>p << 4);
        store<f32>(o, load<f32>(q));
        store<f32>(o, load<f32>(q + rsB), 4);
        store<f32>(o, load<f32>(q + 2 * rsB), 8);
        store<f32>(o, load<f32>(q + 3 * rsB), 12);
      }
    } else {
      for (; p < kc; p++) {
        const q = src + <usize>p * csB;
        const o = d + (<usize>p << 4);
        for (let i = 0; i < MR; i++) store<f32>(o + (<usize>i << 2), i < rows ? load<f32>(q + <usize>i * rsB) : 0);
      }
    }
  }
}

/** Packs the kc×nc block at `b` (element strides rs, cs) into NR-column micro-panels. */
export function packB(kc: i32, nc: i32, b: usize, rs: i32, cs: i32, dst: usize): void {
  const rsB = <usize>rs << 2;
  const csB = <usize>cs << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const src = b + <usize>jr * csB;
    const d = dst + ((<usize>jr * <usize>kc) << 2);
    let p = 0;
    if (cols == NR) {
      if (SIMD && cs == 1) {
        for (; p < kc; p++) {
          const q = src + <usize>p * rsB;
          const o = d + (<usize>p << 5);
          v128.store(o, v128.load(q));
          v128.store(o, v128.load(q, 16), 16);
        }
      } else if (SIMD && rs == 1) {
        // B(p, j) = src[j·cs + p]: eight rows contiguous along p, transposed 4×4 at a time
        for (; p + 4 <= kc; p += 4) {
          const q = src + (<usize>p << 2);
          const o = d + (<usize>p << 5);
          tr4(v128.load(q), v128.load(q + csB), v128.load(q + 2 * csB), v128.load(q + 3 * csB), o, 32);
          const q4 = q + 4 * csB;
          tr4(v128.load(q4), v128.load(q4 + csB), v128.load(q4 + 2 * csB), v128.load(q4 + 3 * csB), o + 16, 32);
        }
      }
      for (; p < kc; p++) {
        const q = src + <usize>p * rsB;
        const o = d + (<usize>p << 5);
        for (let j = 0; j < NR; j++) store<f32>(o + (<usize>j << 2), load<f32>(q + <usize>j * csB));
      }
    } else {
      for (; p < kc; p++) {
        const q = src + <usize>p * rsB;
        const o = d + (<usize>p << 5);
        for (let j = 0; j < NR; j++) store<f32>(o + (<usize>j << 2), j < cols ? load<f32>(q + <usize>j * csB) : 0);
      }
    }
  }
}

/** The 4×8 block of C at `c` (row stride ldc bytes) (+)= Ap·Bp over kc. */
function kernelSimd(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, acc: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  // One k-step per iteration: unrolling lets binaryen interleave two steps into one
  // expression tree, which keeps 4 B vectors live and makes V8 spill accumulators.
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  if (acc) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc));
    c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc));
    c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc));
    c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20);
  v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30);
  v128.store(c + 3 * ldc, c31, 16);
}

/** Scalar build: a 4×4 half of the 4×8 tile (16 accumulators fit x86-64's registers). */
function kernelScalar4x4(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, acc: bool): void {
  let c00: f32 = 0, c01: f32 = 0, c02: f32 = 0, c03: f32 = 0;
  let c10: f32 = 0, c11: f32 = 0, c12: f32 = 0, c13: f32 = 0;
  let c20: f32 = 0, c21: f32 = 0, c22: f32 = 0, c23: f32 = 0;
  let c30: f32 = 0, c31: f32 = 0, c32: f32 = 0, c33: f32 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = load<f32>(bp);
    const b1 = load<f32>(bp, 4);
    const b2 = load<f32>(bp, 8);
    const b3 = load<f32>(bp, 12);
    let a = load<f32>(ap);
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
    a = load<f32>(ap, 4);
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
    a = load<f32>(ap, 8);
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
    a = load<f32>(ap, 12);
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
    ap += 16;
    bp += 32;
  }
  if (acc) {
    c00 += load<f32>(c); c01 += load<f32>(c, 4); c02 += load<f32>(c, 8); c03 += load<f32>(c, 12);
    c10 += load<f32>(c + ldc); c11 += load<f32>(c + ldc, 4); c12 += load<f32>(c + ldc, 8); c13 += load<f32>(c + ldc, 12);
    const c2p = c + 2 * ldc;
    c20 += load<f32>(c2p); c21 += load<f32>(c2p, 4); c22 += load<f32>(c2p, 8); c23 += load<f32>(c2p, 12);
    const c3p = c + 3 * ldc;
    c30 += load<f32>(c3p); c31 += load<f32>(c3p, 4); c32 += load<f32>(c3p, 8); c33 += load<f32>(c3p, 12);
  }
  store<f32>(c, c00); store<f32>(c, c01, 4); store<f32>(c, c02, 8); store<f32>(c, c03, 12);
  store<f32>(c + ldc, c10); store<f32>(c + ldc, c11, 4); store<f32>(c + ldc, c12, 8); store<f32>(c + ldc, c13, 12);
  const c2 = c + 2 * ldc;
  store<f32>(c2, c20); store<f32>(c2, c21, 4); store<f32>(c2, c22, 8); store<f32>(c2, c23, 12);
  const c3 = c + 3 * ldc;
  store<f32>(c3, c30); store<f32>(c3, c31, 4); store<f32>(c3, c32, 8); store<f32>(c3, c33, 12);
}

// @ts-ignore: decorator
@inline function kernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, acc: bool): void {
  if (SIMD) {
    kernelSimd(kc, ap, bp, c, ldc, acc);
  } else {
    kernelScalar4x4(kc, ap, bp, c, ldc, acc);
    kernelScalar4x4(kc, ap, bp + 16, c + 16, ldc, acc);
  }
}

/**
 * C (+)= A·B with A(i,p) = a[i·rsA + p·csA] (m×k), B(p,j) = b[p·rsB + j·csB] (k×n), C row-major
 * with row stride ldc elements. `accumulate` = 0 overwrites C. `work` holds gemmWorkBytes().
 */
export function sgemm(
  m: i32, n: i32, k: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32, accumulate: i32, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  const ldcB = <usize>ldc << 2;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldcB, 0, <usize>n << 2);
    return;
  }
  const apBuf = (work + 15) & ~15;
  const bpBuf = apBuf + ((<usize>MC * <usize>KC) << 2);
  const tile = bpBuf + ((<usize>KC * <usize>NC) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    // equal K blocks (a 288-deep product is one block, not 256 + a wasteful 32)
    const kBlocks = (k + KC - 1) / KC;
    const kStep = min(KC, (((k + kBlocks - 1) / kBlocks) + 3) & ~3);
    for (let pc = 0; pc < k; pc += kStep) {
      const kc = min(kStep, k - pc);
      const acc = accumulate != 0 || pc > 0;
      packB(kc, nc, b + ((<usize>pc * <usize>rsB + <usize>jc * <usize>csB) << 2), rsB, csB, bpBuf);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(mc, kc, a + ((<usize>ic * <usize>rsA + <usize>pc * <usize>csA) << 2), rsA, csA, apBuf);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = bpBuf + ((<usize>jr * <usize>kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = apBuf + ((<usize>ir * <usize>kc) << 2);
            const cp = c + <usize>(ic + ir) * ldcB + (<usize>(jc + jr) << 2);
            if (mr == MR && nr == NR) {
              kernel(kc, ap, bp, cp, ldcB, acc);
            } else {
              kernel(kc, ap, bp, tile, NR << 2, false);
              for (let i = 0; i < mr; i++) {
                for (let j = 0; j < nr; j++) {
                  const q = cp + <usize>i * ldcB + (<usize>j << 2);
                  const v = load<f32>(tile + ((<usize>(i * NR + j)) << 2));
                  store<f32>(q, acc ? load<f32>(q) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

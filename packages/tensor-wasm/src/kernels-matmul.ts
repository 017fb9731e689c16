/** Glue for batched matmul (transpose flags, broadcast batch dims) and fusedMatmul. */
import { broadcastShapes, type FusedActivation, type TensorInfo } from '@gradsight/core';
import type { KernelContext } from './context.js';
import { binary } from './kernels-elementwise.js';
import { activationCode } from './op-codes.js';
import { broadcastStrides, sizeOf, stridesOf } from './strides.js';

/** Flat batch offset (in matrices) of every output batch index into an operand's batch dims. */
function batchOffsets(batch: readonly number[], outBatch: readonly number[]): number[] {
  const strides = broadcastStrides(batch, outBatch);
  const outStrides = stridesOf(outBatch);
  const n = sizeOf(outBatch);
  const offs = new Array<number>(n);
  for (let o = 0; o < n; o++) {
    let rem = o;
    let off = 0;
    for (let d = 0; d < outBatch.length; d++) {
      const i = Math.floor(rem / outStrides[d]!);
      rem -= i * outStrides[d]!;
      off += i * strides[d]!;
    }
    offs[o] = off;
  }
  return offs;
}

export function matmul(
  ctx: KernelContext,
  a: TensorInfo,
  b: TensorInfo,
  tA: boolean,
  tB: boolean,
): TensorInfo {
  const ar = a.shape.length;
  const br = b.shape.length;
  const m = tA ? a.shape[ar - 1]! : a.shape[ar - 2]!;
  const k = tA ? a.shape[ar - 2]! : a.shape[ar - 1]!;
  const n = tB ? b.shape[br - 2]! : b.shape[br - 1]!;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB);
  const nb = sizeOf(batch);
  const out = ctx.output([...batch, m, n], 'float32');
  if (nb * m * n === 0) return out.info;
  const pa = ctx.ptr(a);
  const pb = ctx.ptr(b);
  const work = ctx.gemmWork();
  // A(i, p) = a[i·rsA + p·csA], B(p, j) = b[p·rsB + j·csB] whatever the storage order
  const [rsA, csA] = tA ? [1, m] : [k, 1];
  const [rsB, csB] = tB ? [1, k] : [n, 1];
  const sgemm = ctx.wasm.sgemm;
  if (!tA && sizeOf(batchB) === 1 && sizeOf(batchA) === nb) {
    // one shared B: the batch is just more rows of A
    sgemm(nb * m, n, k, pa, rsA, csA, pb, rsB, csB, out.ptr, n, 0, work);
    return out.info;
  }
  const offA = batchOffsets(batchA, batch);
  const offB = batchOffsets(batchB, batch);
  for (let i = 0; i < nb; i++) {
    sgemm(
      m,
      n,
      k,
      pa + offA[i]! * m * k * 4,
      rsA,
      csA,
      pb + offB[i]! * k * n * 4,
      rsB,
      csB,
      out.ptr + i * m * n * 4,
      n,
      0,
      work,
    );
  }
  return out.info;
}

export function fusedMatmul(
  ctx: KernelContext,
  a: TensorInfo,
  b: TensorInfo,
  tA: boolean,
  tB: boolean,
  bias: TensorInfo | null,
  activation: FusedActivation,
  alpha: number,
): TensorInfo {
  let y = matmul(ctx, a, b, tA, tB);
  const n = y.shape[y.shape.length - 1]!;
  const act = activationCode[activation];
  let biasLen = 0;
  let biasPtr = 0;
  if (bias) {
    const bn = sizeOf(bias.shape);
    const rowBias =
      bn === n && bias.shape.length <= y.shape.length && bias.shape.slice(0, -1).every((d) => d === 1);
    if (bn === 1 && bias.shape.length <= y.shape.length) {
      biasLen = 1;
    } else if (rowBias) {
      biasLen = n;
    } else {
      // a bias that broadcasts over other axes: add it with the general binary kernel
      const z = binary(ctx, 'add', y, bias);
      ctx.dispose(y);
      y = z;
    }
    if (biasLen > 0) biasPtr = ctx.ptr(bias);
  }
  const total = sizeOf(y.shape);
  if (total > 0 && (biasLen > 0 || act !== 0)) {
    const cols = y.shape[y.shape.length - 1]!;
    ctx.wasm.biasAct(ctx.ptr(y), biasPtr, total / cols, cols, biasLen, act, alpha);
  }
  return y;
}

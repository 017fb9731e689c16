/** Reference kernel: batched matmul with transpose flags and broadcast batch dims. */
import type { TypedArray } from './backend.js';
import { broadcastIndex } from './reference-elementwise.js';
import { broadcastShapes, sizeOf } from './shape.js';

export function matmul(
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  tA: boolean,
  tB: boolean,
): { values: Float32Array; shape: number[] } {
  const ar = aShape.length;
  const br = bShape.length;
  const m = tA ? aShape[ar - 1]! : aShape[ar - 2]!;
  const k = tA ? aShape[ar - 2]! : aShape[ar - 1]!;
  const n = tB ? bShape[br - 2]! : bShape[br - 1]!;
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB);
  const nb = sizeOf(batch);
  const ia = broadcastIndex(batchA, batch);
  const ib = broadcastIndex(batchB, batch);
  const out = new Float32Array(nb * m * n);
  // strides of A as if it were [m, k] and of B as [k, n], whatever the storage order
  const [sam, sak] = tA ? [1, m] : [k, 1];
  const [sbk, sbn] = tB ? [1, k] : [n, 1];
  const row = new Float64Array(n);
  for (let bi = 0; bi < nb; bi++) {
    const ao = ia[bi]! * m * k;
    const bo = ib[bi]! * k * n;
    const oo = bi * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = a[ao + i * sam + p * sak]!;
        const bp = bo + p * sbk;
        for (let j = 0; j < n; j++) row[j]! += av * b[bp + j * sbn]!;
      }
      for (let j = 0; j < n; j++) out[oo + i * n + j] = row[j]!;
    }
  }
  return { values: out, shape: [...batch, m, n] };
}

/** Reading the PyTorch golden fixtures and comparing tensors to them. */
import { readFileSync } from 'node:fs';
import { type Tensor, tensor } from '@gradsight/core';

export interface TensorJson {
  shape: number[];
  dtype?: 'float32' | 'int32';
  data: number[];
}

export function loadFixture<T>(file: string): { generator: string; torch: string; cases: T[] } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8'));
}

export function fromJson(t: TensorJson): Tensor {
  return tensor(
    t.dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data),
    t.shape,
    t.dtype ?? 'float32',
  );
}

/**
 * Asserts |actual − expected| ≤ rtol·(|expected| + 0.1·scale) + atol elementwise, where scale is
 * the largest |expected| of the tensor: about 1e-4 relative, with a floor proportional to the
 * tensor's magnitude for entries that cancel to near zero in float32, and an absolute floor
 * (default 1e-6, a few float32 ulps of O(1) values) for tensors that are exactly zero in exact
 * arithmetic, such as the gradient of a conv bias followed by batch norm.
 */
export function expectClose(
  actual: Tensor | null | undefined,
  expected: TensorJson,
  what: string,
  rtol = 1e-4,
  atol = 1e-6,
): void {
  if (!actual) throw new Error(`${what}: missing (expected shape [${expected.shape}])`);
  if (actual.shape.join(',') !== expected.shape.join(',')) {
    throw new Error(`${what}: shape [${actual.shape}] differs from expected [${expected.shape}]`);
  }
  const a = actual.dataSync();
  const e = expected.data;
  let scale = 0;
  for (const v of e) scale = Math.max(scale, Math.abs(v));
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < e.length; i++) {
    const diff = Math.abs(a[i]! - e[i]!);
    const err = diff / (Math.abs(e[i]!) + 0.1 * scale + 1e-12);
    if (!(err <= rtol || diff <= atol) && (worst < 0 || !(err <= worstErr))) {
      worst = i;
      worstErr = err;
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${what}: element ${worst} is ${a[worst]}, expected ${e[worst]} (relative error ${worstErr.toExponential(2)} > ${rtol}, tensor scale ${scale.toExponential(2)})`,
    );
  }
}

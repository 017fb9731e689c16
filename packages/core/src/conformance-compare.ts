/**
 * Value comparison for the conformance suite, the golden harness and `gradcheck`: host-side
 * arrays with a shape and dtype, compared element by element with a tolerance, failing with a
 * message that says which element differs, by how much, and what the tolerance was.
 */
import type { DType, TypedArray } from './backend.js';
import { fmtShape } from './errors.js';
import { shapesEqual, stridesOf } from './shape.js';

/** A tensor's values on the host. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly values: TypedArray | readonly number[];
}

/**
 * `|got − want| ≤ atol + rtol · max(|want|, scale[i])`. `scale` lets kernels that sum many
 * terms (matmul, conv, sum) be judged against the size of what was summed (e.g. |A|·|B|) instead
 * of the result, which may cancel to almost nothing; float32 rounding error grows with that sum.
 * Non-finite expected values must be matched exactly (NaN by NaN, ±Inf by the same infinity).
 */
export interface Tolerance {
  rtol: number;
  atol: number;
  scale?: ArrayLike<number>;
}

export const EXACT: Tolerance = { rtol: 0, atol: 0 };

/** `[1,2]` style multi-index of a flat offset, for messages. */
export function multiIndex(flat: number, shape: readonly number[]): string {
  if (shape.length === 0) return '[]';
  const strides = stridesOf(shape);
  return `[${strides.map((s, d) => Math.floor(flat / s) % shape[d]!).join(',')}]`;
}

/** A list of numbers for messages, with NaN and ±Infinity spelled out (JSON would print null). */
export function fmtValues(values: ArrayLike<number>): string {
  return `[${Array.from(values, fmt).join(', ')}]`;
}

function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (Object.is(v, -0)) return '-0';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0 || Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e7 ? String(Number(v.toPrecision(9))) : v.toExponential(8);
}

/** Whether `got` is acceptable for `want` under `tol` (element `i`, for the scale). */
export function closeEnough(got: number, want: number, tol: Tolerance, i = 0): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  if (!Number.isFinite(got)) return false;
  const scale = tol.scale ? Math.abs(tol.scale[i] ?? 0) : 0;
  return Math.abs(got - want) <= tol.atol + tol.rtol * Math.max(Math.abs(want), scale);
}

/**
 * Throws an Error naming `what`, the first mismatching elements and the tolerance when `got`
 * differs from `want` in shape, dtype or any value.
 */
export function assertClose(what: string, got: HostTensor, want: HostTensor, tol: Tolerance): void {
  if (!shapesEqual(got.shape, want.shape)) {
    throw new Error(`${what}: shape ${fmtShape(got.shape)}, expected ${fmtShape(want.shape)}.`);
  }
  if (got.dtype !== want.dtype) throw new Error(`${what}: dtype ${got.dtype}, expected ${want.dtype}.`);
  if (got.values.length !== want.values.length) {
    throw new Error(
      `${what}: ${got.values.length} values for shape ${fmtShape(got.shape)}, expected ${want.values.length}.`,
    );
  }
  const bad: number[] = [];
  let worst = 0;
  for (let i = 0; i < want.values.length; i++) {
    const g = got.values[i]!;
    const w = want.values[i]!;
    if (!closeEnough(g, w, tol, i)) {
      bad.push(i);
      const d = Math.abs(g - w);
      if (Number.isFinite(d) && d > worst) worst = d;
    }
  }
  if (bad.length === 0) return;
  const lines = bad.slice(0, 4).map((i) => {
    const g = got.values[i]!;
    const w = want.values[i]!;
    if (!Number.isFinite(w))
      return `  at ${multiIndex(i, want.shape)}: got ${fmt(g)}, expected ${fmt(w)} exactly`;
    const scale = tol.scale ? Math.max(Math.abs(w), Math.abs(tol.scale[i] ?? 0)) : Math.abs(w);
    const allowed = tol.atol + tol.rtol * scale;
    return `  at ${multiIndex(i, want.shape)}: got ${fmt(g)}, expected ${fmt(w)} (|diff| ${fmt(Math.abs(g - w))}, allowed ${fmt(allowed)})`;
  });
  throw new Error(
    `${what}: ${bad.length} of ${want.values.length} values of ${fmtShape(want.shape)} ${want.dtype} differ` +
      ` (rtol ${tol.rtol}, atol ${tol.atol}${tol.scale ? ', scaled by Σ|terms|' : ''}${worst > 0 ? `; largest finite |diff| ${fmt(worst)}` : ''}):\n` +
      lines.join('\n') +
      (bad.length > 4 ? `\n  … and ${bad.length - 4} more` : ''),
  );
}

import { VizInputError } from './errors.js';

/** A row-major matrix: nested arrays, or a flat array with its dimensions. */
export type MatrixInput =
  | readonly (readonly number[])[]
  | { rows: number; cols: number; data: ArrayLike<number> };

export interface DenseMatrix {
  rows: number;
  cols: number;
  at(r: number, c: number): number;
}

export function toMatrix(what: string, m: MatrixInput): DenseMatrix {
  if (Array.isArray(m)) {
    const rows = m.length;
    const cols = rows > 0 ? m[0]!.length : 0;
    for (const [i, row] of (m as readonly (readonly number[])[]).entries()) {
      if (row.length !== cols)
        throw new VizInputError(
          `${what}: row ${i} has ${row.length} values, expected ${cols} (all rows equally long).`,
        );
    }
    return { rows, cols, at: (r, c) => (m as readonly (readonly number[])[])[r]![c]! };
  }
  const { rows, cols, data } = m as { rows: number; cols: number; data: ArrayLike<number> };
  if (
    !Number.isInteger(rows) ||
    !Number.isInteger(cols) ||
    rows < 0 ||
    cols < 0 ||
    data.length !== rows * cols
  ) {
    throw new VizInputError(
      `${what}: flat matrix of ${rows}×${cols} needs ${rows * cols} values, got ${data.length}.`,
    );
  }
  return { rows, cols, at: (r, c) => data[r * cols + c]! };
}

/** Finite min and max of a matrix (fallback [0, 1] when it has no finite value). */
export function finiteExtent(m: DenseMatrix): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.at(r, c);
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Position of v in [lo, hi] as t ∈ [0, 1] (clamped); a degenerate domain maps to 0.5. */
export function normalize(v: number, lo: number, hi: number): number {
  if (hi === lo) return 0.5;
  return Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
}

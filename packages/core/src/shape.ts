import { fmtShape, ShapeError, ValueError } from './errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** numpy broadcasting: align from the right; each pair equal or one of them 1. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      const cur = out[o]!;
      if (cur === 1) out[o] = d;
      else if (d !== 1 && d !== cur) {
        throw new ShapeError(
          `${op}: shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast together ` +
            `(dimension ${o} from the right-aligned end: ${cur} vs ${d}); each pair of dimensions must be equal or 1.`,
        );
      }
    }
  }
  return out;
}

/** Axes of `inShape` that were broadcast to reach `outShape` (to sum a gradient back). */
export function broadcastedAxes(inShape: Shape, outShape: Shape): number[] {
  const axes: number[] = [];
  const offset = outShape.length - inShape.length;
  for (let i = 0; i < outShape.length; i++) {
    if (i < offset || (inShape[i - offset] === 1 && outShape[i] !== 1)) axes.push(i);
  }
  return axes;
}

export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new ValueError(
      `${op}: axis ${axis} is out of range for a tensor of rank ${rank} (expected -${rank} ≤ axis < ${rank}).`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises `axis` (undefined/null = all axes) to sorted unique non-negative axes. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | null | undefined,
  rank: number,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length)
    throw new ValueError(`${op}: repeated axis in ${JSON.stringify(list)}.`);
  return out.sort((a, b) => a - b);
}

/** The shape after reducing `axes`, with or without kept size-1 dims. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

export function assertValidShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${op}: invalid shape ${fmtShape(shape)}; dimensions must be non-negative integers.`,
      );
    }
  }
}

/**
 * Shape bookkeeping done in JS before a kernel runs: broadcast strides and dimension collapsing,
 * so that the wasm loops see as few, as long, rows as possible.
 */

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Strides of `inShape` read as if broadcast to `outShape` (0 along broadcast dimensions). */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const inStrides = stridesOf(inShape);
  const offset = outShape.length - inShape.length;
  return outShape.map((_, i) => (i < offset || inShape[i - offset] === 1 ? 0 : inStrides[i - offset]!));
}

export interface Collapsed {
  shape: number[];
  /** One stride list per operand, aligned with `shape`. */
  strides: number[][];
}

/**
 * Drops size-1 dimensions and merges neighbours that every operand walks contiguously
 * (stride[i] = stride[i+1]·shape[i+1]). Never returns rank 0: a single element is shape [1].
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Collapsed {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[i]! * d)) {
      outShape[last]! *= d;
      strides.forEach((s, k) => {
        outStrides[k]![last] = s[i]!;
      });
    } else {
      outShape.push(d);
      strides.forEach((s, k) => {
        outStrides[k]!.push(s[i]!);
      });
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: strides.map(() => [1]) };
  return { shape: outShape, strides: outStrides };
}

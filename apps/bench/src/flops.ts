/** Work counts that turn a time into a rate: FLOPs for products, bytes for memory-bound ops. */

/** 2·M·N·K: one multiply and one add per term of each of the M·N dot products of length K. */
export function matmulFlops(m: number, n: number, k: number): number {
  return 2 * m * n * k;
}

/** Output size of a 'same'-padded convolution (TensorFlow's rule): ceil(in / stride). */
export function sameOutSize(inSize: number, stride: number): number {
  return Math.ceil(inSize / stride);
}

/**
 * 2·N·Ho·Wo·Cout·kh·kw·Cin for a 'same'-padded conv2d (padding taps are counted, as every
 * framework's published numbers do). Both backprops do the same arithmetic, so they share it.
 */
export function conv2dFlops(
  input: readonly [number, number, number, number],
  filter: readonly [number, number, number, number],
  stride: number,
): number {
  const [n, h, w, cin] = input;
  const [kh, kw, fcin, cout] = filter;
  if (fcin !== cin)
    throw new RangeError(`conv2dFlops: input has ${cin} channels but the filter expects ${fcin}.`);
  return 2 * n * sameOutSize(h, stride) * sameOutSize(w, stride) * cout * kh * kw * cin;
}

/** Bytes an elementwise or reduction kernel must move: float32 values read plus written. */
export function elementwiseBytes(kind: 'add' | 'relu' | 'sum', size: number): number {
  const reads = kind === 'add' ? 2 : 1;
  const writes = kind === 'sum' ? 0 : 1;
  return 4 * size * (reads + writes);
}

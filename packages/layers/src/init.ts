/**
 * Initialisers, PyTorch's `torch.nn.init` camelCased. Each fills a tensor in place (keeping its
 * identity) and returns it; each takes `{ seed }` or `{ generator }`.
 *
 * Fans follow gradsight's layouts, where the LAST axis is the outputs, the one before it the
 * inputs and any leading axes the receptive field: a dense kernel `[in, out]` has
 * fanIn = in, fanOut = out; a conv filter `[kh, kw, cin, cout]` has fanIn = kh·kw·cin and
 * fanOut = kh·kw·cout. These are the fans PyTorch computes for the same layer in its layout.
 */
import {
  fmtShape,
  Generator,
  noGrad,
  type RandomOptions,
  rand,
  randn,
  type Tensor,
  tensor,
  ValueError,
} from '@gradsight/core';

export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

export type FanMode = 'fanIn' | 'fanOut';

/** `{ seed }` or `{ generator }`, accepted by every initialiser and layer constructor. */
export interface SeedOptions {
  seed?: number;
  generator?: Generator;
}

/** One generator for a whole layer, so that its tensors draw distinct numbers from one seed. */
export function layerRandom(options: SeedOptions | Generator = {}): RandomOptions {
  if (options instanceof Generator) return { generator: options };
  if (options.generator) return { generator: options.generator };
  if (options.seed !== undefined) return { generator: new Generator(options.seed) };
  return {};
}

/** PyTorch's `calculate_gain`: the recommended scale for a nonlinearity. */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) {
        throw new ValueError(`calculateGain: negative slope ${String(param)} is not a valid number.`);
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ValueError(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'.`);
  }
}

/** `{ fanIn, fanOut }` of a weight in gradsight layout (see the file comment). */
export function computeFans(shape: readonly number[], what = 'init'): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new ValueError(
      `${what}: fan in and fan out need a tensor of rank ≥ 2, got shape ${fmtShape(shape)}.`,
    );
  }
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i]!;
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

function fill(t: Tensor, make: () => Tensor): Tensor {
  noGrad(() => {
    const v = make();
    t.assign(v);
    v.dispose();
  });
  return t;
}

export function uniform(t: Tensor, options: SeedOptions & { low?: number; high?: number } = {}): Tensor {
  const { low = 0, high = 1 } = options;
  return fill(t, () => rand(t.shape, { ...layerRandom(options), low, high }));
}

export function normal(t: Tensor, options: SeedOptions & { mean?: number; std?: number } = {}): Tensor {
  const { mean = 0, std = 1 } = options;
  return fill(t, () => randn(t.shape, { ...layerRandom(options), mean, std }));
}

export function constant(t: Tensor, value: number): Tensor {
  return fill(t, () => tensor(new Float32Array(t.size).fill(value), t.shape));
}
export const zeros = (t: Tensor): Tensor => constant(t, 0);
export const ones = (t: Tensor): Tensor => constant(t, 1);

export function xavierUniform(t: Tensor, options: SeedOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = computeFans(t.shape, 'xavierUniform');
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, { ...options, low: -bound, high: bound });
}

export function xavierNormal(t: Tensor, options: SeedOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = computeFans(t.shape, 'xavierNormal');
  return normal(t, { ...options, std: (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)) });
}

export interface KaimingOptions extends SeedOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu only). Default 0. */
  a?: number;
  /** 'fanIn' (default) keeps forward activations' variance; 'fanOut' the backward gradients'. */
  mode?: FanMode;
  /** Default 'leaky_relu' (with a = 0 the gain is relu's √2), as PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions, what: string): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu' } = options;
  if (mode !== 'fanIn' && mode !== 'fanOut')
    throw new ValueError(`${what}: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'.`);
  const fans = computeFans(t.shape, what);
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === 'fanIn' ? fans.fanIn : fans.fanOut);
}

export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options, 'kaimingUniform');
  return uniform(t, { ...options, low: -bound, high: bound });
}

export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, { ...options, std: kaimingStd(t, options, 'kaimingNormal') });
}

/** LeCun normal: N(0, 1/fanIn), the initialisation SELU's self-normalisation assumes. */
export function lecunNormal(t: Tensor, options: SeedOptions = {}): Tensor {
  const { fanIn } = computeFans(t.shape, 'lecunNormal');
  return normal(t, { ...options, std: Math.sqrt(1 / fanIn) });
}

/**
 * A (semi-)orthogonal matrix scaled by `gain`, as PyTorch's `orthogonal_`: the tensor is viewed
 * as `[prod(leading axes), last]` and gets orthonormal columns (or rows, if it is wide). The QR
 * factor is made unique by a positive diagonal of R, as PyTorch does with its sign correction.
 */
export function orthogonal(t: Tensor, options: SeedOptions & { gain?: number } = {}): Tensor {
  if (t.rank < 2)
    throw new ValueError(`orthogonal: needs a tensor of rank ≥ 2, got shape ${fmtShape(t.shape)}.`);
  const cols = t.shape[t.rank - 1]!;
  const rows = t.size / Math.max(cols, 1);
  const flat = randn([t.size], layerRandom(options)).dataSync();
  // Work on a tall matrix (n ≥ k) in float64; transpose back if the target is wide.
  const tall = rows >= cols;
  const n = tall ? rows : cols;
  const k = tall ? cols : rows;
  const q: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = tall ? flat[i * cols + j]! : flat[j * cols + i]!;
    // Gram–Schmidt twice ("twice is enough") for orthogonality at float64 precision.
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i]! * v[i]!;
        for (let i = 0; i < n; i++) v[i]! -= dot * u[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new ValueError('orthogonal: a random column was degenerate; try another seed.');
    for (let i = 0; i < n; i++) v[i]! /= norm;
    q.push(v);
  }
  const gain = options.gain ?? 1;
  const out = new Float32Array(t.size);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      const idx = tall ? i * cols + j : j * cols + i;
      out[idx] = gain * q[j]![i]!;
    }
  }
  return fill(t, () => tensor(out, t.shape));
}

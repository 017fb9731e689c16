/**
 * Seeded inputs shared by every engine: each engine uploads the same Float32Arrays, so outputs
 * can be compared value by value and no engine gets an easier input.
 */
import type { CaseSpec, Shape4 } from './cases.js';
import { sameOutSize } from './flops.js';

/** mulberry32: tiny, fast, and good enough for benchmark data (not for statistics). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(size: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = rng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

export interface Array32 {
  shape: readonly number[];
  values: Float32Array;
}

export interface LabelData {
  values: Int32Array;
  classes: number;
}

export interface ParamSpec extends Array32 {
  name: string;
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function arr(shape: readonly number[], seed: number, scale = 1): Array32 {
  return { shape, values: uniform(prod(shape), seed, -scale, scale) };
}

export function labels(batch: number, classes: number, seed: number): LabelData {
  const next = rng(seed);
  return { values: Int32Array.from({ length: batch }, () => Math.floor(next() * classes)), classes };
}

/** Glorot-uniform weights and small biases, so that activations and gradients stay O(1). */
function layer(name: string, wShape: number[], fanIn: number, fanOut: number, seed: number): ParamSpec[] {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const bias = wShape[wShape.length - 1]!;
  return [
    { name: `${name}.weight`, ...arr(wShape, seed, limit) },
    { name: `${name}.bias`, ...arr([bias], seed + 1, 0.01) },
  ];
}

export function mlpParams(layers: readonly number[], seed = 100): ParamSpec[] {
  const out: ParamSpec[] = [];
  for (let i = 0; i + 1 < layers.length; i++) {
    out.push(...layer(`fc${i + 1}`, [layers[i]!, layers[i + 1]!], layers[i]!, layers[i + 1]!, seed + 10 * i));
  }
  return out;
}

export const CNN_FLAT = 7 * 7 * 32;

export function cnnParams(seed = 200): ParamSpec[] {
  return [
    ...layer('conv1', [3, 3, 1, 16], 9, 9 * 16, seed),
    ...layer('conv2', [3, 3, 16, 32], 9 * 16, 9 * 32, seed + 10),
    ...layer('fc', [CNN_FLAT, 10], CNN_FLAT, 10, seed + 20),
  ];
}

/** Inputs of one case; which fields are set depends on the case kind. */
export interface CaseData {
  a?: Array32;
  b?: Array32;
  x?: Array32;
  filter?: Array32;
  dy?: Array32;
  bias?: Array32;
  labels?: LabelData;
  params?: ParamSpec[];
  /** Adam: one gradient per parameter, same order. */
  grads?: Array32[];
}

function dyShape(input: Shape4, filter: Shape4, stride: number): Shape4 {
  return [input[0], sameOutSize(input[1], stride), sameOutSize(input[2], stride), filter[3]];
}

export function makeCaseData(spec: CaseSpec, seed = 1): CaseData {
  switch (spec.kind) {
    case 'matmul': {
      const { m, k, n, transposeA, transposeB } = spec;
      return { a: arr(transposeA ? [k, m] : [m, k], seed), b: arr(transposeB ? [n, k] : [k, n], seed + 1) };
    }
    case 'dense':
      return {
        x: arr([spec.batch, spec.inFeatures], seed),
        b: arr(
          [spec.inFeatures, spec.outFeatures],
          seed + 1,
          Math.sqrt(6 / (spec.inFeatures + spec.outFeatures)),
        ),
        bias: arr([spec.outFeatures], seed + 2, 0.1),
      };
    case 'conv2d':
      return { x: arr(spec.input, seed), filter: arr(spec.filter, seed + 1) };
    case 'conv2dBackpropInput':
      return {
        dy: arr(dyShape(spec.input, spec.filter, spec.stride), seed),
        filter: arr(spec.filter, seed + 1),
      };
    case 'conv2dBackpropFilter':
      return { x: arr(spec.input, seed), dy: arr(dyShape(spec.input, spec.filter, spec.stride), seed + 1) };
    case 'add':
      return { a: arr([spec.size], seed), b: arr([spec.size], seed + 1) };
    case 'relu':
    case 'sum':
      return { a: arr([spec.size], seed) };
    case 'mlpStep':
    case 'mlpStepMonitored':
      return {
        x: arr([spec.batch, spec.layers[0]!], seed, 1),
        labels: labels(spec.batch, spec.layers[spec.layers.length - 1]!, seed + 1),
        params: mlpParams(spec.layers),
      };
    case 'cnnStep':
      return {
        x: arr([spec.batch, 28, 28, 1], seed, 1),
        labels: labels(spec.batch, 10, seed + 1),
        params: cnnParams(),
      };
    case 'adam': {
      const params = mlpParams(spec.layers);
      return { params, grads: params.map((p, i) => arr(p.shape, seed + 1000 + i, 0.01)) };
    }
  }
}

/** Adam hyper-parameters shared by every engine (PyTorch's defaults). */
export const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

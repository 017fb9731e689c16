import {
  add,
  conv2d,
  type Padding2D,
  type Pair,
  reshape,
  ShapeError,
  type Tensor,
  ValueError,
  zeros,
} from '@gradsight/core';
import { kaimingUniform, layerRandom, type SeedOptions, uniform } from './init.js';
import { Module } from './module.js';

export interface Conv2dOptions extends SeedOptions {
  /** Default 1. */
  stride?: Pair;
  /**
   * Default 0. A number or `[ph, pw]` pads symmetrically (PyTorch's `padding=`); 'same' keeps
   * ceil(in / stride) outputs with the odd pixel at the bottom/right (TensorFlow's rule, which
   * for stride 1 is PyTorch's `padding='same'`); `[[top, bottom], [left, right]]` is explicit.
   */
  padding?: Padding2D;
  /** Default 1. */
  dilation?: Pair;
  /** Default true. */
  bias?: boolean;
}

function pairOf(v: Pair): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/**
 * 2-D convolution over NHWC input (`[N, H, W, inChannels]`, or unbatched `[H, W, inChannels]`)
 * with a `[kh, kw, inChannels, outChannels]` filter. Default init as PyTorch: kaiming uniform
 * with a = √5 (U(±1/√fanIn), fanIn = kh·kw·inChannels) and bias U(±1/√fanIn).
 */
export class Conv2d extends Module {
  readonly typeName: string = 'Conv2d';
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly stride: Pair;
  readonly padding: Padding2D;
  readonly dilation: Pair;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    options: Conv2dOptions = {},
  ) {
    super();
    this.kernelSize = pairOf(kernelSize);
    if (!this.kernelSize.every((k) => Number.isInteger(k) && k >= 1)) {
      throw new ValueError(
        `Conv2d: kernelSize must be a positive integer or a pair of them, got ${JSON.stringify(kernelSize)}.`,
      );
    }
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    const rnd = layerRandom(options);
    const [kh, kw] = this.kernelSize;
    this.weight = this.registerParameter(
      'weight',
      kaimingUniform(zeros([kh, kw, inChannels, outChannels]), { ...rnd, a: Math.sqrt(5) }),
    );
    const fanIn = kh * kw * inChannels;
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    this.bias = this.registerParameter(
      'bias',
      options.bias === false ? null : uniform(zeros([outChannels]), { ...rnd, low: -bound, high: bound }),
    );
  }

  forward(x: Tensor): Tensor {
    const expected = `[N, H, W, ${this.inChannels}] (NHWC) or [H, W, ${this.inChannels}]`;
    if (x.rank !== 4 && x.rank !== 3)
      throw this.shapeError(x.shape, expected, `rank ${x.rank} is not 3 or 4`);
    if (x.shape[x.rank - 1] !== this.inChannels) {
      throw this.shapeError(
        x.shape,
        expected,
        `${x.shape[x.rank - 1]} channels on the last axis, expected inChannels = ${this.inChannels}`,
      );
    }
    const batched = x.rank === 4 ? x : reshape(x, [1, ...x.shape]);
    let y: Tensor;
    try {
      y = conv2d(batched, this.weight, {
        stride: this.stride,
        padding: this.padding,
        dilation: this.dilation,
      });
    } catch (e) {
      // name this layer and its path; other errors (bad options) pass through unchanged
      if (e instanceof ShapeError) throw this.shapeError(x.shape, expected, e.message);
      throw e;
    }
    if (this.bias) y = add(y, this.bias);
    return x.rank === 4 ? y : reshape(y, y.shape.slice(1));
  }

  protected override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.stride)}, padding=${JSON.stringify(this.padding)}, dilation=${JSON.stringify(this.dilation)}, bias=${this.bias !== null}`;
  }
}

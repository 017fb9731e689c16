import {
  add,
  fmtShape,
  mean,
  mul,
  ones,
  rsqrt,
  square,
  sub,
  type Tensor,
  ValueError,
  zeros,
} from '@gradsight/core';
import { Module } from './module.js';

export interface LayerNormOptions {
  /** Default 1e-5. */
  eps?: number;
  /** Learnable `weight` (ones) and `bias` (zeros) of shape normalizedShape. Default true. */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, whether to learn the bias too. Default true. */
  bias?: boolean;
}

/** Normalises over the trailing `normalizedShape` axes of each sample (biased variance, as PyTorch). */
export class LayerNorm extends Module {
  readonly typeName: string = 'LayerNorm';
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (
      this.normalizedShape.length === 0 ||
      !this.normalizedShape.every((d) => Number.isInteger(d) && d >= 1)
    ) {
      throw new ValueError(
        `LayerNorm: normalizedShape must be positive integers, got ${JSON.stringify(normalizedShape)}.`,
      );
    }
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    this.weight = this.registerParameter(
      'weight',
      this.elementwiseAffine ? ones(this.normalizedShape) : null,
    );
    this.bias = this.registerParameter(
      'bias',
      this.elementwiseAffine && options.bias !== false ? zeros(this.normalizedShape) : null,
    );
  }

  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.rank - k);
    if (x.rank < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw this.shapeError(
        x.shape,
        `[..., ${this.normalizedShape.join(', ')}]`,
        `the trailing axes must equal normalizedShape ${fmtShape(this.normalizedShape)}`,
      );
    }
    const axes = this.normalizedShape.map((_, i) => x.rank - k + i);
    const mu = mean(x, axes, true);
    const centred = sub(x, mu);
    const variance = mean(square(centred), axes, true);
    let y = mul(centred, rsqrt(add(variance, this.eps)));
    if (this.weight) y = mul(y, this.weight);
    if (this.bias) y = add(y, this.bias);
    return y;
  }

  protected override extraRepr(): string {
    return `${fmtShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

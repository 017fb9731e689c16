import {
  avgPool2d,
  maxPool2d,
  mean,
  type Padding2D,
  type Pair,
  reshape,
  ShapeError,
  type Tensor,
} from '@gradsight/core';
import { Module } from './module.js';

export interface Pool2dOptions {
  /** Default: the kernel size, as PyTorch. */
  stride?: Pair;
  /** Default 0; max pooling pads with −∞. */
  padding?: Padding2D;
}

abstract class Pool2dBase extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly stride: Pair | undefined,
    readonly padding: Padding2D,
  ) {
    super();
  }

  protected pool(x: Tensor, fn: (x4: Tensor) => Tensor): Tensor {
    const expected = '[N, H, W, C] (NHWC) or [H, W, C]';
    if (x.rank !== 4 && x.rank !== 3)
      throw this.shapeError(x.shape, expected, `rank ${x.rank} is not 3 or 4`);
    const x4 = x.rank === 4 ? x : reshape(x, [1, ...x.shape]);
    let y: Tensor;
    try {
      y = fn(x4);
    } catch (e) {
      // name this layer and its path; other errors (bad options) pass through unchanged
      if (e instanceof ShapeError) throw this.shapeError(x.shape, expected, e.message);
      throw e;
    }
    return x.rank === 4 ? y : reshape(y, y.shape.slice(1));
  }

  protected override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, stride=${JSON.stringify(this.stride ?? this.kernelSize)}, padding=${JSON.stringify(this.padding)}`;
  }
}

export class MaxPool2d extends Pool2dBase {
  readonly typeName: string = 'MaxPool2d';
  constructor(kernelSize: Pair, options: Pool2dOptions = {}) {
    super(kernelSize, options.stride, options.padding ?? 0);
  }
  forward(x: Tensor): Tensor {
    return this.pool(x, (x4) =>
      maxPool2d(x4, {
        kernelSize: this.kernelSize,
        stride: this.stride ?? this.kernelSize,
        padding: this.padding,
      }),
    );
  }
}

export interface AvgPool2dOptions extends Pool2dOptions {
  /** Divide by the whole window including padding (true, PyTorch's default) or by the real cells. */
  countIncludePad?: boolean;
}

export class AvgPool2d extends Pool2dBase {
  readonly typeName: string = 'AvgPool2d';
  readonly countIncludePad: boolean;
  constructor(kernelSize: Pair, options: AvgPool2dOptions = {}) {
    super(kernelSize, options.stride, options.padding ?? 0);
    this.countIncludePad = options.countIncludePad ?? true;
  }
  forward(x: Tensor): Tensor {
    return this.pool(x, (x4) =>
      avgPool2d(x4, {
        kernelSize: this.kernelSize,
        stride: this.stride ?? this.kernelSize,
        padding: this.padding,
        countIncludePad: this.countIncludePad,
      }),
    );
  }
}

/** Mean over H and W of NHWC input: `[N, H, W, C]` → `[N, C]` (`keepDims` gives `[N, 1, 1, C]`). */
export class GlobalAvgPool2d extends Module {
  readonly typeName: string = 'GlobalAvgPool2d';
  constructor(readonly keepDims = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    if (x.rank !== 4) throw this.shapeError(x.shape, '[N, H, W, C] (NHWC)');
    return mean(x, [1, 2], this.keepDims);
  }
}

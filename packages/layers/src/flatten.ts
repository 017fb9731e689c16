import { flatten, type Tensor } from '@gradsight/core';
import { Module } from './module.js';

/**
 * Flattens axes startDim..endDim (default 1..−1, keeping the batch axis), as PyTorch. On NHWC
 * images the flattened order is (H, W, C), not PyTorch's (C, H, W): `loadTorchStateDict`'s
 * `chwInputs` option permutes the weights of the Linear layer that follows.
 */
export class Flatten extends Module {
  readonly typeName: string = 'Flatten';
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    const s = this.startDim < 0 ? this.startDim + x.rank : this.startDim;
    const e = this.endDim < 0 ? this.endDim + x.rank : this.endDim;
    if (x.rank > 0 && (s < 0 || e >= x.rank || s > e)) {
      throw this.shapeError(
        x.shape,
        `a tensor with axes ${this.startDim}..${this.endDim}`,
        `rank ${x.rank} has no such axes`,
      );
    }
    return flatten(x, this.startDim, this.endDim);
  }
  protected override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

import { fusedMatmul, reshape, type Tensor, zeros } from '@gradsight/core';
import { kaimingUniform, layerRandom, type SeedOptions, uniform } from './init.js';
import { Module } from './module.js';

export interface LinearOptions extends SeedOptions {
  /** Default true. */
  bias?: boolean;
}

/**
 * y = x·W + b over the last axis. The kernel is `[inFeatures, outFeatures]` (PyTorch stores
 * its transpose; `loadTorchStateDict` converts). Default init as PyTorch: W ~ kaiming uniform
 * with a = √5, i.e. U(±1/√in), and b ~ U(±1/√in).
 */
export class Linear extends Module {
  readonly typeName: string = 'Linear';
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    const rnd = layerRandom(options);
    this.weight = this.registerParameter(
      'weight',
      kaimingUniform(zeros([inFeatures, outFeatures]), { ...rnd, a: Math.sqrt(5) }),
    );
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.bias = this.registerParameter(
      'bias',
      options.bias === false ? null : uniform(zeros([outFeatures]), { ...rnd, low: -bound, high: bound }),
    );
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw this.shapeError(
        x.shape,
        `[..., ${this.inFeatures}] (inFeatures = ${this.inFeatures} on the last axis)`,
      );
    }
    if (x.rank === 2) return fusedMatmul(x, this.weight, this.bias);
    const lead = x.shape.slice(0, -1);
    const y = fusedMatmul(reshape(x, [-1, this.inFeatures]), this.weight, this.bias);
    return reshape(y, [...lead, this.outFeatures]);
  }

  protected override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

import {
  div,
  type Generator,
  less,
  mul,
  type RandomOptions,
  rand,
  type Tensor,
  ValueError,
  zerosLike,
} from '@gradsight/core';
import { layerRandom, type SeedOptions } from './init.js';
import { Module } from './module.js';

export type DropoutOptions = SeedOptions;

/**
 * Zeroes each element with probability `p` in training mode and scales the rest by 1/(1−p);
 * the identity in eval mode. Masks come from the layer's own generator (`{ seed }` or
 * `{ generator }`), so a seeded model drops the same elements on every backend and run.
 */
export class Dropout extends Module {
  readonly typeName: string = 'Dropout';
  private readonly rnd: RandomOptions;

  constructor(
    readonly p = 0.5,
    options: DropoutOptions | Generator = {},
  ) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError(`Dropout: p must be in [0, 1], got ${p}.`);
    this.rnd = layerRandom(options);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    if (this.p === 1) return mul(x, zerosLike(x));
    const keepMask = less(rand(x.shape, this.rnd), 1 - this.p);
    return div(mul(x, keepMask), 1 - this.p);
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}

import {
  DTypeError,
  equal,
  gather,
  randn,
  reshape,
  type Tensor,
  tensor,
  ValueError,
  where,
} from '@gradsight/core';
import { layerRandom, type SeedOptions } from './init.js';
import { Module } from './module.js';

export interface EmbeddingOptions extends SeedOptions {
  /** This row starts at zero and never receives a gradient (PyTorch's `padding_idx`). */
  paddingIdx?: number;
}

/** A lookup table `[numEmbeddings, embeddingDim]` indexed by int32 ids; init N(0, 1) as PyTorch. */
export class Embedding extends Module {
  readonly typeName: string = 'Embedding';
  readonly weight: Tensor;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    let pad = options.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new ValueError(
          `Embedding: paddingIdx must be an integer in [-${numEmbeddings}, ${numEmbeddings}), got ${pad}.`,
        );
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    let w = randn([numEmbeddings, embeddingDim], layerRandom(options));
    if (pad !== null) {
      const data = Float32Array.from(w.dataSync());
      data.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
      w.dispose();
      w = tensor(data, [numEmbeddings, embeddingDim]);
    }
    this.weight = this.registerParameter('weight', w);
  }

  forward(ids: Tensor): Tensor {
    if (ids.dtype !== 'int32') {
      throw new DTypeError(`${this.describe()}: ids must be int32, got ${ids.describe()}.`);
    }
    const n = this.numEmbeddings;
    for (const v of ids.dataSync()) {
      if (v < 0 || v >= n)
        throw new ValueError(
          `${this.describe()}: id ${v} is out of range [0, ${n}) for ids of shape [${ids.shape.join(',')}].`,
        );
    }
    const flat = reshape(ids, [ids.size]);
    let rows = gather(this.weight, flat, 0);
    if (this.paddingIdx !== null && this.weight.requiresGrad) {
      // Lookups of the padding row read a detached weight, so that row gets no gradient.
      const isPad = reshape(equal(flat, this.paddingIdx), [ids.size, 1]);
      rows = where(isPad, rows.detach(), rows);
    }
    return reshape(rows, [...ids.shape, this.embeddingDim]);
  }

  protected override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }
}

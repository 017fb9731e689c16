/**
 * Activation modules. Each calls the core op of the same name, so gradient overrides attached
 * to ops (guided backprop, DeepLIFT) apply to the module and to the functional form alike.
 */
import {
  elu,
  full,
  gelu,
  greater,
  leakyRelu,
  logSoftmax,
  mul,
  relu,
  selu,
  sigmoid,
  silu,
  softmax,
  softplus,
  type Tensor,
  tanh,
  ValueError,
  where,
} from '@gradsight/core';
import { Module } from './module.js';

export class ReLU extends Module {
  readonly typeName: string = 'ReLU';
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

export class Sigmoid extends Module {
  readonly typeName: string = 'Sigmoid';
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

export class Tanh extends Module {
  readonly typeName: string = 'Tanh';
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

export class LeakyReLU extends Module {
  readonly typeName: string = 'LeakyReLU';
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  protected override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

export class ELU extends Module {
  readonly typeName: string = 'ELU';
  constructor(readonly alpha = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  protected override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

export class SELU extends Module {
  readonly typeName: string = 'SELU';
  forward(x: Tensor): Tensor {
    return selu(x);
  }
}

export class GELU extends Module {
  readonly typeName: string = 'GELU';
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new ValueError(`GELU: approximate must be 'none' or 'tanh', got '${String(approximate)}'.`);
    }
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  protected override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class SiLU extends Module {
  readonly typeName: string = 'SiLU';
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

export class Softplus extends Module {
  readonly typeName: string = 'Softplus';
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softplus(x, this.beta, this.threshold);
  }
  protected override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

export class Softmax extends Module {
  readonly typeName: string = 'Softmax';
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  protected override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class LogSoftmax extends Module {
  readonly typeName: string = 'LogSoftmax';
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  protected override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export interface PReLUOptions {
  /** 1 (one shared slope, the default) or the number of channels (the LAST axis: channels last). */
  numParameters?: number;
  /** Initial slope, default 0.25 as PyTorch. */
  init?: number;
}

/** LeakyReLU with a learned slope: y = x for x > 0, a·x otherwise. */
export class PReLU extends Module {
  readonly typeName: string = 'PReLU';
  readonly weight: Tensor;
  readonly numParameters: number;

  constructor(options: PReLUOptions = {}) {
    super();
    this.numParameters = options.numParameters ?? 1;
    if (!Number.isInteger(this.numParameters) || this.numParameters < 1) {
      throw new ValueError(`PReLU: numParameters must be a positive integer, got ${this.numParameters}.`);
    }
    this.weight = this.registerParameter('weight', full([this.numParameters], options.init ?? 0.25));
  }

  forward(x: Tensor): Tensor {
    const c = this.numParameters;
    if (c > 1 && (x.rank < 1 || x.shape[x.rank - 1] !== c)) {
      throw this.shapeError(x.shape, `[..., ${c}] (numParameters = ${c} channels on the last axis)`);
    }
    return where(greater(x, 0), x, mul(x, this.weight));
  }

  protected override extraRepr(): string {
    return `numParameters=${this.numParameters}`;
  }
}

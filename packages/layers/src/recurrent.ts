/**
 * Recurrent layers (RNN, LSTM, GRU) with PyTorch's equations, gate order and initialisation.
 *
 * Layout per layer k: `weightIhL{k}` is `[inputSize_k, gates·hidden]` and `weightHhL{k}` is
 * `[hidden, gates·hidden]` (PyTorch's `weight_ih_l{k}` / `weight_hh_l{k}` transposed), biases
 * `biasIhL{k}` and `biasHhL{k}` are `[gates·hidden]`. Gate blocks along the last axis keep
 * PyTorch's order: LSTM (i, f, g, o), GRU (r, z, n). Both biases are kept because GRU's
 * candidate uses r ⊙ (h·W_hn + b_hn), so they are not interchangeable.
 */
import {
  add,
  div,
  fmtShape,
  fusedMatmul,
  less,
  mul,
  type RandomOptions,
  rand,
  relu,
  reshape,
  sigmoid,
  slice,
  stack,
  sub,
  type Tensor,
  tanh,
  ValueError,
  zeros,
} from '@gradsight/core';
import { layerRandom, type SeedOptions, uniform } from './init.js';
import { Module } from './module.js';

export interface RNNOptions extends SeedOptions {
  /** Stacked layers, default 1. */
  numLayers?: number;
  /** Default true. */
  bias?: boolean;
  /** Input and output `[batch, time, features]` (true) or `[time, batch, features]` (false, the default, as PyTorch). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode. Default 0. */
  dropout?: number;
}

export interface RecurrentState {
  /** The top layer's hidden state at every step: `[B, T, H]` (batchFirst) or `[T, B, H]`. */
  output: Tensor;
  /** Final hidden state of each layer, `[numLayers, B, H]`. */
  hN: Tensor;
  /** LSTM only: final cell state of each layer, `[numLayers, B, H]`. */
  cN?: Tensor;
}

type Cell = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gru';
const GATES: Record<Cell, number> = { rnnTanh: 1, rnnRelu: 1, lstm: 4, gru: 3 };

abstract class RecurrentBase extends Module {
  readonly numLayers: number;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly hasBias: boolean;
  private readonly rnd: RandomOptions;

  constructor(
    private readonly cell: Cell,
    readonly inputSize: number,
    readonly hiddenSize: number,
    options: RNNOptions,
  ) {
    super();
    this.numLayers = options.numLayers ?? 1;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = options.dropout ?? 0;
    this.hasBias = options.bias ?? true;
    for (const [name, v] of [
      ['inputSize', inputSize],
      ['hiddenSize', hiddenSize],
      ['numLayers', this.numLayers],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        throw new ValueError(`${cell}: ${name} must be a positive integer, got ${v}.`);
    }
    if (!(this.dropout >= 0 && this.dropout <= 1))
      throw new ValueError(`${cell}: dropout must be in [0, 1], got ${this.dropout}.`);
    this.rnd = layerRandom(options);
    // PyTorch: every weight and bias ~ U(−1/√hidden, 1/√hidden).
    const bound = 1 / Math.sqrt(hiddenSize);
    const g = GATES[cell] * hiddenSize;
    const init = (shape: number[]) => uniform(zeros(shape), { ...this.rnd, low: -bound, high: bound });
    for (let k = 0; k < this.numLayers; k++) {
      const inK = k === 0 ? inputSize : hiddenSize;
      this.registerParameter(`weightIhL${k}`, init([inK, g]));
      this.registerParameter(`weightHhL${k}`, init([hiddenSize, g]));
      if (this.hasBias) {
        this.registerParameter(`biasIhL${k}`, init([g]));
        this.registerParameter(`biasHhL${k}`, init([g]));
      }
    }
  }

  /** The parameters of layer k: `{ wIh, wHh, bIh, bHh }`. */
  layerParameters(k: number): { wIh: Tensor; wHh: Tensor; bIh: Tensor | null; bHh: Tensor | null } {
    const p = new Map(this.namedParameters('', false));
    return {
      wIh: p.get(`weightIhL${k}`)!,
      wHh: p.get(`weightHhL${k}`)!,
      bIh: p.get(`biasIhL${k}`) ?? null,
      bHh: p.get(`biasHhL${k}`) ?? null,
    };
  }

  private checkState(name: string, s: Tensor | undefined, batch: number | null): Tensor | undefined {
    if (!s) return undefined;
    const want =
      batch === null ? [this.numLayers, this.hiddenSize] : [this.numLayers, batch, this.hiddenSize];
    if (s.rank !== want.length || s.shape.some((d, i) => d !== want[i])) {
      throw this.shapeError(
        s.shape,
        `${name} of shape ${fmtShape(want)} ([numLayers, batch, hiddenSize])`,
        `wrong initial state ${name}`,
      );
    }
    return batch === null ? reshape(s, [this.numLayers, 1, this.hiddenSize]) : s;
  }

  protected run(x: Tensor, h0?: Tensor, c0?: Tensor): RecurrentState {
    const layout = this.batchFirst ? '[batch, time, inputSize]' : '[time, batch, inputSize]';
    const expected = `${layout.replace('inputSize', String(this.inputSize))} or unbatched [time, ${this.inputSize}]`;
    if ((x.rank !== 3 && x.rank !== 2) || x.shape[x.rank - 1] !== this.inputSize) {
      throw this.shapeError(
        x.shape,
        expected,
        x.rank === 3 || x.rank === 2 ? `inputSize is ${this.inputSize}` : `rank ${x.rank} is not 2 or 3`,
      );
    }
    const unbatched = x.rank === 2;
    // Work time-major or batch-major as given; `ta` is the time axis.
    const ta = unbatched ? 0 : this.batchFirst ? 1 : 0;
    const x3 = unbatched ? reshape(x, [x.shape[0]!, 1, this.inputSize]) : x;
    const steps = x3.shape[ta]!;
    const batch = x3.shape[1 - ta]!;
    const h0s = this.checkState('h0', h0, unbatched ? null : batch);
    const c0s = this.checkState('c0', c0, unbatched ? null : batch);
    if (steps === 0) throw this.shapeError(x.shape, expected, 'the sequence is empty');

    const H = this.hiddenSize;
    const G = GATES[this.cell] * H;
    let input = x3;
    const hFinal: Tensor[] = [];
    const cFinal: Tensor[] = [];
    for (let k = 0; k < this.numLayers; k++) {
      const { wIh, wHh, bIh, bHh } = this.layerParameters(k);
      const inK = input.shape[2]!;
      // The input projection of every step in one matmul.
      const gi = reshape(fusedMatmul(reshape(input, [-1, inK]), wIh, bIh), [...input.shape.slice(0, 2), G]);
      let h = h0s ? reshape(slice(h0s, [k, 0, 0], [1, batch, H]), [batch, H]) : zeros([batch, H]);
      let c = c0s ? reshape(slice(c0s, [k, 0, 0], [1, batch, H]), [batch, H]) : zeros([batch, H]);
      const outs: Tensor[] = [];
      for (let t = 0; t < steps; t++) {
        const begin = ta === 0 ? [t, 0, 0] : [0, t, 0];
        const size = ta === 0 ? [1, batch, G] : [batch, 1, G];
        const git = reshape(slice(gi, begin, size), [batch, G]);
        const gh = fusedMatmul(h, wHh, bHh);
        [h, c] = this.step(git, gh, h, c);
        outs.push(h);
      }
      hFinal.push(h);
      cFinal.push(c);
      input = stack(outs, ta);
      if (this.training && this.dropout > 0 && k < this.numLayers - 1) input = this.drop(input);
    }
    const output = unbatched ? reshape(input, [steps, H]) : input;
    const hN = unbatched ? reshape(stack(hFinal, 0), [this.numLayers, H]) : stack(hFinal, 0);
    if (this.cell !== 'lstm') return { output, hN };
    const cN = unbatched ? reshape(stack(cFinal, 0), [this.numLayers, H]) : stack(cFinal, 0);
    return { output, hN, cN };
  }

  private step(gi: Tensor, gh: Tensor, h: Tensor, c: Tensor): [Tensor, Tensor] {
    const H = this.hiddenSize;
    const B = gi.shape[0]!;
    const chunk = (t: Tensor, j: number) => slice(t, [0, j * H], [B, H]);
    switch (this.cell) {
      case 'rnnTanh':
        return [tanh(add(gi, gh)), c];
      case 'rnnRelu':
        return [relu(add(gi, gh)), c];
      case 'lstm': {
        const z = add(gi, gh);
        const i = sigmoid(chunk(z, 0));
        const f = sigmoid(chunk(z, 1));
        const g = tanh(chunk(z, 2));
        const o = sigmoid(chunk(z, 3));
        const cNew = add(mul(f, c), mul(i, g));
        return [mul(o, tanh(cNew)), cNew];
      }
      case 'gru': {
        const r = sigmoid(add(chunk(gi, 0), chunk(gh, 0)));
        const z = sigmoid(add(chunk(gi, 1), chunk(gh, 1)));
        const n = tanh(add(chunk(gi, 2), mul(r, chunk(gh, 2))));
        // h' = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n)
        return [add(n, mul(z, sub(h, n))), c];
      }
    }
  }

  private drop(x: Tensor): Tensor {
    const p = this.dropout;
    if (p === 1) return mul(x, 0);
    return div(mul(x, less(rand(x.shape, this.rnd), 1 - p)), 1 - p);
  }

  protected override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}, numLayers=${this.numLayers}, bias=${this.hasBias}, batchFirst=${this.batchFirst}, dropout=${this.dropout}`;
  }
}

export interface SimpleRNNOptions extends RNNOptions {
  /** Default 'tanh'. */
  nonlinearity?: 'tanh' | 'relu';
}

/** Elman RNN: h' = act(x·W_ih + b_ih + h·W_hh + b_hh). */
export class RNN extends RecurrentBase {
  readonly typeName: string = 'RNN';
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, options: SimpleRNNOptions = {}) {
    const nl = options.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu')
      throw new ValueError(`RNN: nonlinearity must be 'tanh' or 'relu', got '${String(nl)}'.`);
    super(nl === 'tanh' ? 'rnnTanh' : 'rnnRelu', inputSize, hiddenSize, options);
    this.nonlinearity = nl;
  }
  /** The output sequence; `forwardWithState` also gives the final hidden states. */
  forward(x: Tensor, h0?: Tensor): Tensor {
    return this.run(x, h0).output;
  }
  forwardWithState(x: Tensor, h0?: Tensor): { output: Tensor; hN: Tensor } {
    const { output, hN } = this.run(x, h0);
    return { output, hN };
  }
}

/** LSTM with PyTorch's gate order (i, f, g, o). */
export class LSTM extends RecurrentBase {
  readonly typeName: string = 'LSTM';
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('lstm', inputSize, hiddenSize, options);
  }
  forward(x: Tensor, h0?: Tensor, c0?: Tensor): Tensor {
    return this.run(x, h0, c0).output;
  }
  forwardWithState(x: Tensor, h0?: Tensor, c0?: Tensor): { output: Tensor; hN: Tensor; cN: Tensor } {
    const { output, hN, cN } = this.run(x, h0, c0);
    return { output, hN, cN: cN! };
  }
}

/** GRU with PyTorch's gate order (r, z, n) and candidate n = tanh(x·W_in + b_in + r ⊙ (h·W_hn + b_hn)). */
export class GRU extends RecurrentBase {
  readonly typeName: string = 'GRU';
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('gru', inputSize, hiddenSize, options);
  }
  forward(x: Tensor, h0?: Tensor): Tensor {
    return this.run(x, h0).output;
  }
  forwardWithState(x: Tensor, h0?: Tensor): { output: Tensor; hN: Tensor } {
    const { output, hN } = this.run(x, h0);
    return { output, hN };
  }
}

export type { RecurrentBase };

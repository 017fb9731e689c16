/**
 * A small training loop: epochs of seeded-shuffled mini-batches, any loss, any optimiser with
 * `step()`/`zeroGrad()` (structural, so `@gradsight/optim` is not a dependency), metrics,
 * progress events and cancellation.
 */
import {
  AbortError,
  fmtShape,
  Generator,
  gather,
  noGrad,
  type Tensor,
  tensor,
  tidy,
  ValueError,
} from '@gradsight/core';
import type { Module } from './module.js';

/** What `fit` needs of an optimiser (e.g. `@gradsight/optim`'s SGD or Adam). */
export interface OptimizerLike {
  step(): void;
  zeroGrad(): void;
}

export type Metric = (prediction: Tensor, target: Tensor) => number;

export interface FitProgress {
  /** 'batch' after every optimiser step, 'epoch' after each epoch (with epoch means). */
  type: 'batch' | 'epoch';
  /** 0-based. */
  epoch: number;
  epochs: number;
  /** 0-based batch index within the epoch ('batch' events). */
  batch: number;
  numBatches: number;
  /** The batch loss ('batch') or the epoch's sample-weighted mean loss ('epoch'). */
  loss: number;
  metrics: Record<string, number>;
}

export interface FitOptions {
  /** Returns a scalar loss from the model output and the target batch. */
  loss: (prediction: Tensor, target: Tensor) => Tensor;
  /** An optimiser object, called as zeroGrad() → forward/backward → step(). */
  optimizer?: OptimizerLike;
  /** Or a step callback, called after backward (the model's gradients are zeroed before each batch). */
  step?: (model: Module) => void;
  /** Default 1. */
  epochs?: number;
  /** Default 32; the last batch may be smaller. */
  batchSize?: number;
  /** Shuffle the rows every epoch (default true), in an order fixed by `seed` (default 0). */
  shuffle?: boolean;
  seed?: number;
  /** Functions of (prediction, target) → number, averaged over the samples of each epoch. */
  metrics?: Record<string, Metric>;
  onProgress?: (progress: FitProgress) => void;
  /** Checked before every batch; aborting rejects with core's AbortError. */
  signal?: AbortSignal;
}

export interface FitHistory {
  /** Mean training loss of each epoch. */
  loss: number[];
  metrics: Record<string, number[]>;
}

/** Yields to the event loop at most this often, so an AbortSignal from a UI can be seen. */
const YIELD_MS = 16;
const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Trains `model` on `{ x, y }` (leading axis = samples). Puts the model in training mode. */
export async function fit(
  model: Module,
  data: { x: Tensor; y: Tensor },
  options: FitOptions,
): Promise<FitHistory> {
  const { x, y } = data;
  const { epochs = 1, batchSize = 32, shuffle = true, seed = 0, metrics = {}, onProgress, signal } = options;
  if (!options.optimizer && !options.step)
    throw new ValueError('fit: pass an `optimizer` (with step() and zeroGrad()) or a `step` callback.');
  if (!(Number.isInteger(epochs) && epochs >= 0))
    throw new ValueError(`fit: epochs must be a non-negative integer, got ${epochs}.`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new ValueError(`fit: batchSize must be a positive integer, got ${batchSize}.`);
  const n = x.shape[0] ?? 0;
  if (x.rank < 1 || y.rank < 1 || y.shape[0] !== n) {
    throw new ValueError(
      `fit: x ${fmtShape(x.shape)} and y ${fmtShape(y.shape)} need the same number of samples on axis 0.`,
    );
  }
  if (n === 0) throw new ValueError('fit: the data set is empty.');
  const gen = new Generator(seed);
  const numBatches = Math.ceil(n / batchSize);
  const history: FitHistory = {
    loss: [],
    metrics: Object.fromEntries(Object.keys(metrics).map((k) => [k, []])),
  };
  model.train();
  let lastYield = Date.now();

  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffle ? gen.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    let lossSum = 0;
    const metricSums: Record<string, number> = Object.fromEntries(Object.keys(metrics).map((k) => [k, 0]));
    for (let b = 0; b < numBatches; b++) {
      if (Date.now() - lastYield > YIELD_MS) {
        await macrotask();
        lastYield = Date.now();
      }
      if (signal?.aborted) throw new AbortError(`fit was aborted at epoch ${epoch}, batch ${b}.`);
      const rows = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const result = tidy(() => {
        const idx = tensor(rows, [rows.length], 'int32');
        const xb = gather(x, idx, 0);
        const yb = gather(y, idx, 0);
        if (options.optimizer) options.optimizer.zeroGrad();
        else model.zeroGrad();
        const pred = model.call(xb);
        const loss = options.loss(pred, yb);
        if (loss.size !== 1) throw new ValueError(`fit: the loss must be a scalar, got ${loss.describe()}.`);
        loss.backward();
        if (options.optimizer) options.optimizer.step();
        else options.step!(model);
        const values: Record<string, number> = {};
        noGrad(() => {
          for (const [name, fn] of Object.entries(metrics)) values[name] = fn(pred.detach(), yb);
        });
        return { loss: loss.item(), metrics: values };
      });
      lossSum += result.loss * rows.length;
      for (const k of Object.keys(metrics)) metricSums[k]! += result.metrics[k]! * rows.length;
      onProgress?.({
        type: 'batch',
        epoch,
        epochs,
        batch: b,
        numBatches,
        loss: result.loss,
        metrics: result.metrics,
      });
    }
    const epochMetrics = Object.fromEntries(Object.entries(metricSums).map(([k, v]) => [k, v / n]));
    history.loss.push(lossSum / n);
    for (const [k, v] of Object.entries(epochMetrics)) history.metrics[k]!.push(v);
    onProgress?.({
      type: 'epoch',
      epoch,
      epochs,
      batch: numBatches - 1,
      numBatches,
      loss: lossSum / n,
      metrics: epochMetrics,
    });
  }
  return history;
}

import {
  add,
  batchNormTrain,
  keep,
  mul,
  noGrad,
  ones,
  rsqrt,
  scalar,
  sub,
  type Tensor,
  tidy,
  ValueError,
  zeros,
} from '@gradsight/core';
import { Module } from './module.js';

export interface BatchNormOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /**
   * PyTorch's convention: running = (1 − momentum)·running + momentum·batch. Default 0.1;
   * `null` keeps a cumulative average (factor 1/numBatchesTracked).
   */
  momentum?: number | null;
  /** Learnable per-channel scale `weight` and shift `bias`. Default true. */
  affine?: boolean;
  /**
   * Keep running mean and (unbiased) variance, used in eval mode. Default true. Without them
   * the batch statistics are used in both modes, as PyTorch.
   */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation with CHANNELS LAST: the statistics are taken over every axis but the
 * last. The training step uses core's `batchNormTrain` (a fused kernel on backends that have
 * one).
 */
abstract class BatchNormBase extends Module {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  private readonly unitGamma: Tensor | null;
  private readonly zeroBeta: Tensor | null;

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new ValueError(
        `${this.constructor.name}: numFeatures must be a positive integer, got ${numFeatures}.`,
      );
    }
    this.weight = this.registerParameter('weight', this.affine ? ones([numFeatures]) : null);
    this.bias = this.registerParameter('bias', this.affine ? zeros([numFeatures]) : null);
    const track = this.trackRunningStats;
    this.runningMean = this.registerBuffer('runningMean', track ? zeros([numFeatures]) : null);
    this.runningVar = this.registerBuffer('runningVar', track ? ones([numFeatures]) : null);
    this.numBatchesTracked = this.registerBuffer('numBatchesTracked', track ? scalar(0, 'int32') : null);
    // Constant γ = 1, β = 0 for the fused op when the layer is not affine (not parameters).
    this.unitGamma = this.affine ? null : keep(ones([numFeatures]));
    this.zeroBeta = this.affine ? null : keep(zeros([numFeatures]));
  }

  /** Human description of the accepted shapes, for errors. */
  protected abstract expectedShape(): string;
  protected abstract rankOk(rank: number): boolean;

  forward(x: Tensor): Tensor {
    const c = this.numFeatures;
    if (!this.rankOk(x.rank) || x.shape[x.rank - 1] !== c) {
      throw this.shapeError(
        x.shape,
        this.expectedShape(),
        `channels are the LAST axis and must number numFeatures = ${c}`,
      );
    }
    const gamma = this.weight ?? this.unitGamma!;
    const beta = this.bias ?? this.zeroBeta!;
    const useBatchStats = this.training || !this.trackRunningStats;
    if (!useBatchStats) {
      const scale = mul(rsqrt(add(this.runningVar!, this.eps)), gamma);
      return add(mul(sub(x, this.runningMean!), scale), beta);
    }
    const count = x.size / c;
    if (this.training && count <= 1) {
      throw this.shapeError(
        x.shape,
        this.expectedShape(),
        `training needs more than 1 value per channel, got ${count}`,
      );
    }
    const r = batchNormTrain(x, gamma, beta, this.eps);
    if (this.training && this.trackRunningStats) this.updateRunningStats(r.mean, r.variance, count);
    return r.y;
  }

  private updateRunningStats(batchMean: Tensor, batchVar: Tensor, count: number): void {
    tidy(() =>
      noGrad(() => {
        const n = this.numBatchesTracked!.item() + 1;
        this.numBatchesTracked!.assign(scalar(n, 'int32'));
        const factor = this.momentum ?? 1 / n;
        const unbiased = mul(batchVar, count / (count - 1));
        this.runningMean!.assign(add(mul(this.runningMean!, 1 - factor), mul(batchMean, factor)));
        this.runningVar!.assign(add(mul(this.runningVar!, 1 - factor), mul(unbiased, factor)));
      }),
    );
  }

  protected override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** Over `[N, C]` or `[N, L, C]` (channels last; PyTorch's `[N, C, L]` transposed). */
export class BatchNorm1d extends BatchNormBase {
  readonly typeName: string = 'BatchNorm1d';
  protected expectedShape(): string {
    return `[N, ${this.numFeatures}] or [N, L, ${this.numFeatures}]`;
  }
  protected rankOk(rank: number): boolean {
    return rank === 2 || rank === 3;
  }
}

/** Over NHWC images `[N, H, W, C]`. */
export class BatchNorm2d extends BatchNormBase {
  readonly typeName: string = 'BatchNorm2d';
  protected expectedShape(): string {
    return `[N, H, W, ${this.numFeatures}] (NHWC)`;
  }
  protected rankOk(rank: number): boolean {
    return rank === 4;
  }
}

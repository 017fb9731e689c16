/**
 * Where the monitor's statistics are computed. 'backend' (default): reductions as backend
 * kernels, all results back in one read, so gradients stay on the backend. 'js': one
 * `dataSync` and one float64 pass in JavaScript per tensor, exactly reproducible from `.grad`
 * and the weights. Both give the same quantities (float32 vs float64 sums).
 */
import { type Tensor, tensor } from '@gradsight/core';
import { backendValueStats, diffSumSquares, finiteFlags, snapshot, sumSquares } from './backend-stats.js';
import { diffSumSq, firstNonFinite, type ValueStats, valueStats } from './stats.js';

/** Parameter values kept from before the optimiser step. */
export interface WeightSnapshot {
  /** Σ(w_now − w_before)² per parameter. */
  updateSumSquares(ts: readonly Tensor[]): number[];
  /** Writes the kept values back into the parameters. */
  restore(ts: readonly Tensor[]): void;
  dispose(): void;
}

export interface StatsEngine {
  /** Σx, Σ|x|, Σx², max|x| and exact NaN/Inf counts of each tensor. */
  valueStats(ts: readonly Tensor[]): ValueStats[];
  /** Σw² of each parameter, and a snapshot of the values when asked. */
  weights(ts: readonly Tensor[], keepSnapshot: boolean): { sumSq: number[]; snapshot: WeightSnapshot | null };
  /** true for each tensor without NaN/Inf. */
  finite(ts: readonly Tensor[]): boolean[];
}

class ArraySnapshot implements WeightSnapshot {
  constructor(private readonly values: Float32Array[]) {}
  updateSumSquares(ts: readonly Tensor[]): number[] {
    return ts.map((t, i) => diffSumSq(t.dataSync(), this.values[i]!));
  }
  restore(ts: readonly Tensor[]): void {
    ts.forEach((t, i) => {
      const v = tensor(this.values[i]!, t.shape);
      t.assign(v);
      v.dispose();
    });
  }
  dispose(): void {}
}

class TensorSnapshot implements WeightSnapshot {
  constructor(private readonly copies: Tensor[]) {}
  updateSumSquares(ts: readonly Tensor[]): number[] {
    return diffSumSquares(ts, this.copies);
  }
  restore(ts: readonly Tensor[]): void {
    ts.forEach((t, i) => {
      t.assign(this.copies[i]!);
    });
  }
  dispose(): void {
    for (const c of this.copies) c.dispose();
  }
}

export const jsEngine: StatsEngine = {
  valueStats: (ts) => ts.map((t) => valueStats(t.dataSync())),
  weights(ts, keepSnapshot) {
    const values = ts.map((t) => t.dataSync() as Float32Array);
    return {
      sumSq: values.map((v) => valueStats(v).sumSq),
      snapshot: keepSnapshot ? new ArraySnapshot(values) : null,
    };
  },
  finite: (ts) => ts.map((t) => firstNonFinite(t.dataSync()) < 0),
};

export const backendEngine: StatsEngine = {
  valueStats: (ts) =>
    // a non-finite kernel sum sends the tensor through the exact scan, which counts NaN/Inf
    backendValueStats(ts).map((s, i) => (Number.isFinite(s.sumSq) ? s : valueStats(ts[i]!.dataSync()))),
  weights: (ts, keepSnapshot) => ({
    sumSq: sumSquares(ts),
    snapshot: keepSnapshot ? new TensorSnapshot(snapshot(ts)) : null,
  }),
  finite: (ts) => finiteFlags(ts),
};

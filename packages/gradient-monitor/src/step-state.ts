/** The state of the step in progress, from its forward pass to the end of its update. */
import type { Tensor } from '@gradsight/core';
import type { ActivationAccumulator, DeadWindow } from './activation-stats.js';
import type { WatchedModule } from './model-map.js';
import type { ResolvedOptions } from './options.js';
import type { HistogramRecord } from './record.js';
import type { ValueStats } from './stats.js';
import type { WeightSnapshot } from './stats-engine.js';
import type { NonFiniteEvent, Pass } from './types.js';

export interface Pending {
  step: number;
  recorded: boolean;
  /** Weight norms, update ratio and the parameter check run this step. */
  weights: boolean;
  histogram: boolean;
  check: boolean;
  backwardDone: boolean;
  lossGiven: boolean;
  loss: number;
  grads: (ValueStats | null)[] | null;
  /** Σw² per parameter (backend kernels), on recorded steps. */
  weightSumSq: number[] | null;
  /** Backend copies of the parameters taken before the update (kept; disposed at commit). */
  snapshot: WeightSnapshot | null;
  update: { sumSq: number[] } | null;
  acts: Map<number, ActivationAccumulator>;
  events: Partial<Record<Pass, NonFiniteEvent>>;
  firstEvent: NonFiniteEvent | null;
  skip: boolean;
  skipped: boolean;
  checkedOutputs: WeakSet<Tensor>;
  histogramRecord: HistogramRecord | null;
}

export interface ActivationSlot {
  index: number;
  module: WatchedModule;
  window: DeadWindow;
}

export function newPending(o: ResolvedOptions, step: number): Pending {
  const histogram = o.histograms && step % o.histogramEvery === 0;
  const weights = o.updateRatio && step % o.weightsEvery === 0;
  return {
    step,
    recorded: step % o.every === 0 || histogram || weights,
    weights,
    histogram,
    check: step % o.checkEvery === 0,
    backwardDone: false,
    lossGiven: false,
    loss: Number.NaN,
    grads: null,
    weightSumSq: null,
    snapshot: null,
    update: null,
    acts: new Map(),
    events: {},
    firstEvent: null,
    skip: false,
    skipped: false,
    checkedOutputs: new WeakSet(),
    histogramRecord: null,
  };
}

/**
 * The compact per-step record held in the history: three float64 tables (parameters, layers,
 * activations) with fixed column orders, so a record costs a few hundred bytes, not objects.
 */
import type { Histogram } from './histogram.js';

/** Per-parameter columns. */
export const P = {
  gradNorm: 0,
  gradMaxAbs: 1,
  gradMean: 2,
  gradStd: 3,
  gradMeanAbs: 4,
  weightNorm: 5,
  updateNorm: 6,
  updateRatio: 7,
} as const;
export const P_COLS = 8;
/** Per-layer columns (all the layer's watched parameters together). */
export const L = {
  gradNorm: 0,
  gradMeanAbs: 1,
  gradMaxAbs: 2,
  gradRms: 3,
  weightNorm: 4,
  updateRatio: 5,
} as const;
export const L_COLS = 6;
/** Per-activation-module columns. */
export const A = { mean: 0, std: 1, deadFraction: 2, deadFractionWindow: 3, saturatedFraction: 4 } as const;
export const A_COLS = 5;

export type ParamStat = keyof typeof P;
export type LayerStat = keyof typeof L;
export type ActivationStat = keyof typeof A;

export interface StepRecord {
  readonly step: number;
  /** NaN when no loss was given. */
  readonly loss: number;
  readonly lossGiven: boolean;
  /** The optimiser update was skipped or rolled back by the non-finite policy. */
  readonly skipped: boolean;
  /** Weight norms were measured this step (every `weightsEvery`-th step). */
  readonly hasWeights: boolean;
  /** ‖Δw‖ was measured this step. */
  readonly hasUpdate: boolean;
  readonly params: Float64Array;
  readonly layers: Float64Array;
  readonly acts: Float64Array;
  /** 1 where the activation module ran (and was measured) this step. */
  readonly actSeen: Uint8Array;
  /** Indices of watched parameters whose `.grad` was null. */
  readonly missingGrad: readonly number[];
  readonly bytes: number;
}

export function makeRecord(fields: Omit<StepRecord, 'bytes'>): StepRecord {
  const bytes =
    fields.params.byteLength +
    fields.layers.byteLength +
    fields.acts.byteLength +
    fields.actSeen.byteLength +
    8 * fields.missingGrad.length +
    48;
  return { ...fields, bytes };
}

export interface HistogramRecord {
  readonly step: number;
  /** Per watched parameter (same order as the parameter list): null when not available. */
  readonly grad: (Histogram | null)[];
  readonly weight: (Histogram | null)[];
  readonly bytes: number;
}

export function histogramBytes(hs: (Histogram | null)[]): number {
  let b = 0;
  for (const h of hs) if (h) b += 8 * (h.counts.length + h.edges.length) + 40;
  return b;
}

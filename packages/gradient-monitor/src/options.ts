/** Options of `watch`, their documented defaults, and validation. */
import { type Tensor, ValueError } from '@gradsight/core';
import type { HistogramConfig } from './histogram.js';
import type { ActivationKind } from './types.js';

export type NonFinitePolicy = 'report' | 'skip-step' | 'throw';

/** A parameter selector: exact parameter name or layer path (its parameters), RegExp on the name, or predicate. */
export type ParamSelector = string | RegExp | ((name: string, param: Tensor) => boolean);

/**
 * Thresholds of the diagnosis. Relative tests come first (they carry over between models);
 * the absolute ones are documented defaults to override.
 */
export interface Thresholds {
  /**
   * `vanishing` when the gradient RMS of the weight layers falls by ≥ this many decades from the
   * last to the first (least-squares line through log10 RMS over depth). Default 1.5 (≈ 30×).
   */
  vanishingDecades: number;
  /** `exploding` when it grows by ≥ this many decades from the last weight layer to the first. Default 1.5. */
  explodingDecades: number;
  /**
   * Both depth rules on the weight layers whose output is normalised (BatchNorm, LayerNorm, …),
   * compared by ‖g‖·‖w‖ over depth. Default 2 (100×): a plain BatchNorm-ReLU stack grows by
   * about 1.2× per block by construction (Yang et al. 2019); measured on two spirals with
   * Adam, a 16-block stack (98% accuracy) moves between 0.8 and 1.65 decades during training
   * and a 50-block stack that does not learn (57%) stays between 2.2 and 4.1.
   */
  normalizedDecades: number;
  /** Fewest weight layers for the depth tests. Default 3. */
  minDepth: number;
  /**
   * `exploding` also when any plain layer's gradient L2 norm exceeds this (absolute). Default
   * 1e3. Normalised (scale-invariant) layers are exempt: their gradient norm is ∝ 1/‖w‖.
   */
  explodingNorm: number;
  /** `dead-units` when this fraction of a ReLU layer's units output 0 for a whole batch/window. Default 0.1. */
  deadFraction: number;
  /** `saturation` when this fraction of a tanh/sigmoid layer's outputs is saturated. Default 0.1. */
  saturationFraction: number;
  /** `lr-too-high` when a weight's median ‖Δw‖/‖w‖ exceeds this. Default 1e-2 (10× the 1e-3 rule of thumb). */
  updateRatioHigh: number;
  /** `lr-too-low` when a weight's median ‖Δw‖/‖w‖ is below this. Default 1e-5 (100× below 1e-3). */
  updateRatioLow: number;
  /** `lr-too-high` when the recent median loss exceeds this multiple of the best loss so far. Default 10. */
  lossDivergence: number;
  /** Recorded steps whose medians the rules use. Default 10. */
  window: number;
  /** Fewest recorded steps with an update before the learning-rate rules speak. Default 3. */
  minUpdateSteps: number;
}

export const defaultThresholds: Readonly<Thresholds> = Object.freeze({
  vanishingDecades: 1.5,
  explodingDecades: 1.5,
  normalizedDecades: 2,
  minDepth: 3,
  explodingNorm: 1e3,
  deadFraction: 0.1,
  saturationFraction: 0.1,
  updateRatioHigh: 1e-2,
  updateRatioLow: 1e-5,
  lossDivergence: 10,
  window: 10,
  minUpdateSteps: 3,
});

export interface SaturationLimits {
  /** |tanh(x)| above this is saturated. Default 0.97. */
  tanh: number;
  /** sigmoid(x) outside [sigmoidLow, sigmoidHigh] is saturated. Defaults 0.03 and 0.97. */
  sigmoidLow: number;
  sigmoidHigh: number;
}

export interface NonFiniteOptions {
  /** Default 'report'. */
  policy?: NonFinitePolicy;
  /** Check for NaN/Inf every this many steps (the loss is checked on every step). Default: `every`. */
  checkEvery?: number;
  /** Module outputs checked in the forward pass: every module (default), activation modules only, or none. */
  forward?: 'all' | 'activations' | 'none';
  /** Also check the gradient each module's backward produces (w.r.t. its inputs), to name the layer where backward first went non-finite. Default true. */
  backwardHooks?: boolean;
  /** With 'skip-step', throw after this many consecutive skipped steps. Default 10. */
  maxConsecutiveSkips?: number;
  /** Events kept (the first is always kept). Default 100. */
  maxEvents?: number;
}

export interface WatchOptions {
  /** Parameters to watch (default all). */
  include?: ParamSelector | readonly ParamSelector[];
  /** Parameters to leave out. */
  exclude?: ParamSelector | readonly ParamSelector[];
  /** Record statistics every N steps. Default 1. */
  every?: number;
  /** Gradient and weight histograms. Default false. */
  histograms?: boolean;
  /** Histogram every M steps. Default 10. */
  histogramEvery?: number;
  /** Bins per histogram. Default 30. */
  bins?: number;
  /** Log-scale bins over log10|x| (in `logRange`) instead of linear bins over ±max|x|. Default false. */
  logBins?: boolean;
  /** Default [-12, 2]. */
  logRange?: readonly [number, number];
  /** Activation statistics via forward hooks, when the model has `namedModules`. Default true. */
  activations?: boolean;
  /** Extra or overriding typeName → kind mappings (e.g. `{ MyGate: 'sigmoid' }`). */
  activationTypes?: Record<string, ActivationKind>;
  saturation?: Partial<SaturationLimits>;
  /** Recorded steps over which a unit must stay at 0 to count as dead over a window. Default 10. */
  deadWindow?: number;
  /** Measure weight norms and ‖Δw‖/‖w‖ around the optimiser step. Default true. */
  updateRatio?: boolean;
  /**
   * Weight norms, ‖Δw‖/‖w‖ and the NaN/Inf check of the parameters after the update run every
   * this many steps (such a step is always recorded). Weights move slowly (about 1e-3 per step)
   * while reading them costs as much as reading the gradients. Default 10.
   */
  weightsEvery?: number;
  /**
   * Where statistics are computed. 'js' (default) keeps the reported norms exactly
   * reproducible from `.grad`, and on tensor-wasm costs the same as 'backend'.
   * 'backend': reductions as backend kernels
   * (float32 sums, exact max|g|) and all parameters' results read back in one transfer per
   * step, so gradients stay on the backend (what matters where reading back is expensive; on
   * tensor-wasm both modes cost about the same). NaN/Inf are still counted exactly, by a JavaScript
   * scan of the tensors the kernels flag. 'js' (default): one `dataSync` and one float64 pass per
   * tensor, so norms are exactly reproducible from `.grad` (float64 sums of the float32
   * values) at the price of reading every gradient back.
   */
  statsOn?: 'js' | 'backend';
  thresholds?: Partial<Thresholds>;
  /**
   * Find the weight layers whose output goes into a normalisation layer (BatchNorm, LayerNorm,
   * GroupNorm, InstanceNorm, RMSNorm) and judge them by ‖g‖·‖w‖, which does not depend on
   * their arbitrary weight scale. Default true; false treats every layer as plain.
   */
  scaleInvariance?: boolean;
  nonFinite?: NonFiniteOptions;
  /** Step records kept (older ones are downsampled). Default 1024. */
  historyCapacity?: number;
  /** Histogram snapshots kept (downsampled likewise). Default 64. */
  histogramCapacity?: number;
  /** Run the diagnosis every this many recorded steps and emit new findings. Default 50; 0 turns it off. */
  diagnoseEvery?: number;
}

export interface ResolvedOptions {
  include: ParamSelector[] | null;
  exclude: ParamSelector[];
  every: number;
  histograms: boolean;
  histogramEvery: number;
  histogram: HistogramConfig;
  activations: boolean;
  activationTypes: Record<string, ActivationKind>;
  saturation: SaturationLimits;
  deadWindow: number;
  updateRatio: boolean;
  weightsEvery: number;
  statsOn: 'js' | 'backend';
  thresholds: Thresholds;
  scaleInvariance: boolean;
  policy: NonFinitePolicy;
  checkEvery: number;
  forwardChecks: 'all' | 'activations' | 'none';
  backwardHooks: boolean;
  maxConsecutiveSkips: number;
  maxEvents: number;
  historyCapacity: number;
  histogramCapacity: number;
  diagnoseEvery: number;
}

/** typeName → kind for the activations gradsight and PyTorch know (matched case-insensitively). */
export const defaultActivationTypes: Readonly<Record<string, ActivationKind>> = Object.freeze({
  relu: 'relu',
  relu6: 'relu',
  tanh: 'tanh',
  hardtanh: 'tanh',
  sigmoid: 'sigmoid',
  hardsigmoid: 'sigmoid',
  leakyrelu: 'other',
  prelu: 'other',
  rrelu: 'other',
  elu: 'other',
  celu: 'other',
  selu: 'other',
  gelu: 'other',
  silu: 'other',
  swish: 'other',
  mish: 'other',
  softplus: 'other',
  softsign: 'other',
  hardswish: 'other',
  logsigmoid: 'other',
});

function posInt(name: string, v: number | undefined, dflt: number, min = 1): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < min)
    throw new ValueError(`watch: option '${name}' must be an integer ≥ ${min}, got ${String(v)}.`);
  return x;
}

const asList = (s: ParamSelector | readonly ParamSelector[] | undefined): ParamSelector[] =>
  s === undefined ? [] : Array.isArray(s) ? [...(s as ParamSelector[])] : [s as ParamSelector];

export function resolveOptions(o: WatchOptions = {}): ResolvedOptions {
  const every = posInt('every', o.every, 1);
  const nf = o.nonFinite ?? {};
  const policy = nf.policy ?? 'report';
  if (!['report', 'skip-step', 'throw'].includes(policy)) {
    throw new ValueError(
      `watch: nonFinite.policy must be 'report' | 'skip-step' | 'throw', got '${String(policy)}'.`,
    );
  }
  const thresholds = { ...defaultThresholds, ...(o.thresholds ?? {}) };
  for (const [k, v] of Object.entries(thresholds)) {
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0)
      throw new ValueError(`watch: threshold '${k}' must be a non-negative number, got ${String(v)}.`);
  }
  const logRange = o.logRange ?? [-12, 2];
  if (!(logRange[0] < logRange[1]))
    throw new ValueError(`watch: logRange must be [lo, hi] with lo < hi, got [${logRange.join(', ')}].`);
  const activationTypes: Record<string, ActivationKind> = { ...defaultActivationTypes };
  for (const [k, v] of Object.entries(o.activationTypes ?? {})) activationTypes[k.toLowerCase()] = v;
  const saturation = { tanh: 0.97, sigmoidLow: 0.03, sigmoidHigh: 0.97, ...(o.saturation ?? {}) };
  const forward = nf.forward ?? 'all';
  if (!['all', 'activations', 'none'].includes(forward))
    throw new ValueError(
      `watch: nonFinite.forward must be 'all' | 'activations' | 'none', got '${String(forward)}'.`,
    );
  if (o.statsOn !== undefined && o.statsOn !== 'js' && o.statsOn !== 'backend') {
    throw new ValueError(`watch: statsOn must be 'js' | 'backend', got '${String(o.statsOn)}'.`);
  }
  const include = asList(o.include);
  return {
    include: include.length > 0 ? include : null,
    exclude: asList(o.exclude),
    every,
    histograms: o.histograms ?? false,
    histogramEvery: posInt('histogramEvery', o.histogramEvery, 10),
    histogram: {
      bins: posInt('bins', o.bins, 30),
      scale: o.logBins ? 'log' : 'linear',
      logRange: [logRange[0], logRange[1]],
    },
    activations: o.activations ?? true,
    activationTypes,
    saturation,
    deadWindow: posInt('deadWindow', o.deadWindow, 10),
    updateRatio: o.updateRatio ?? true,
    weightsEvery: posInt('weightsEvery', o.weightsEvery, 10),
    statsOn: o.statsOn ?? 'js',
    thresholds,
    scaleInvariance: o.scaleInvariance ?? true,
    policy,
    checkEvery: posInt('nonFinite.checkEvery', nf.checkEvery, every),
    forwardChecks: forward,
    backwardHooks: nf.backwardHooks ?? true,
    maxConsecutiveSkips: posInt('nonFinite.maxConsecutiveSkips', nf.maxConsecutiveSkips, 10),
    maxEvents: posInt('nonFinite.maxEvents', nf.maxEvents, 100),
    historyCapacity: posInt('historyCapacity', o.historyCapacity, 1024, 4),
    histogramCapacity: posInt('histogramCapacity', o.histogramCapacity, 64, 4),
    diagnoseEvery: posInt('diagnoseEvery', o.diagnoseEvery, 50, 0),
  };
}

/** The parent layer path of a dotted parameter name ('3.weight' → '3', 'weight' → ''). */
export function layerOf(paramName: string): string {
  const i = paramName.lastIndexOf('.');
  return i < 0 ? '' : paramName.slice(0, i);
}

export function matches(sel: ParamSelector, name: string, p: Tensor): boolean {
  if (typeof sel === 'function') return sel(name, p);
  if (sel instanceof RegExp) return sel.test(name);
  if (sel === name) return true;
  const layer = layerOf(name);
  return sel === layer || name.startsWith(`${sel}.`);
}

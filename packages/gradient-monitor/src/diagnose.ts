/**
 * The diagnosis engine: rules that turn recorded statistics into typed findings with the
 * evidence (numbers and one sentence) and remedies. Relative rules come first (gradient RMS
 * across depth, update-to-weight ratio against 1e-3, dead and saturated fractions); the one
 * absolute rule (gradient norm above `explodingNorm`) is a documented default to override.
 *
 * Weight layers whose output is normalised (see scale-invariance.ts) form a profile of their
 * own, judged by ‖g‖·‖w‖: their raw gradient scales as 1/‖w‖, so neither its trend over depth
 * nor its absolute size means anything without the weight norm beside it.
 */
import { formatNumber } from '@gradsight/viz';
import { displayPath } from './model-map.js';
import type { SaturationLimits, Thresholds } from './options.js';
import { A, A_COLS, L, L_COLS, P, P_COLS, type StepRecord } from './record.js';
import { median } from './stats.js';
import type { ActivationKind, Finding, NonFiniteEvent } from './types.js';

export interface DiagnosisInput {
  params: { name: string; layer: number; isWeight: boolean }[];
  layers: {
    path: string;
    typeName: string | null;
    isWeightLayer: boolean;
    /** Output normalised (BatchNorm/LayerNorm/…): the weights are scale-invariant. */
    scaleInvariant?: boolean;
    /** ‖w‖ of the layer (latest measurement); needed when `scaleInvariant`. */
    weightNorm?: number;
  }[];
  activations: { path: string; typeName: string; kind: ActivationKind }[];
  /** typeNames of every module, to tailor remedies (sigmoid present, recurrent cells, …). */
  typeNames: string[];
  /** Recent recorded steps, oldest first. */
  records: readonly StepRecord[];
  bestLoss: number;
  firstNonFinite: NonFiniteEvent | null;
  thresholds: Thresholds;
  saturation: SaturationLimits;
}

export interface DepthPoint {
  layer: string;
  /** Gradient RMS (‖g‖/√n) of the layer's parameters. */
  rms: number;
  /** Gradient L2 norm. */
  norm: number;
  /**
   * The layer's output goes into a normalisation layer, so its loss does not change when its
   * weights are scaled. Such layers form a separate profile of ‖g‖·‖w‖ and are left out of
   * the absolute `explodingNorm` rule.
   */
  scaleInvariant?: boolean;
  /** ‖w‖ of the layer's parameters; required with `scaleInvariant`. */
  weightNorm?: number;
}

const R = {
  reluFamily:
    'Replace sigmoid/tanh hidden activations by ReLU-family units (ReLU, LeakyReLU, PReLU, ELU): σ′ ≤ 0.25 shrinks the gradient at least 4× per sigmoid layer.',
  heGlorot:
    'Initialise weights to keep the variance constant through depth: He (Var = 2/fan_in) for the ReLU family, Glorot/Xavier (Var = 2/(fan_in + fan_out)) for tanh/sigmoid.',
  batchNorm:
    'Add BatchNorm (or LayerNorm) after each linear/conv layer so every layer sees unit-variance inputs.',
  residual: 'Add residual (skip) connections so the gradient has a short path around the deep chain.',
  residualNorm:
    'Add residual (skip) connections around the normalised blocks: a plain stack of BatchNorm blocks multiplies the backward signal by a fixed factor per block (about 1.2 with ReLU; Yang et al. 2019), and a skip path removes it. A shallower stack also helps.',
  normScaleNote:
    "Rescaling these layers' initial weights or clipping their gradients does not help: their outputs are normalised, so the weight scale changes only their effective learning rate.",
  lstm: 'Use LSTM or GRU cells instead of a plain RNN: their gates keep the gradient through time.',
  clip: 'Clip gradients by their global norm (and keep logging the pre-clip norm, which clipping hides).',
  smallerInit:
    'Scale the initial weights down (He/Glorot, or a smaller gain): the per-layer gain is above 1.',
  lowerLr: 'Lower the learning rate.',
  leaky: 'Use LeakyReLU, PReLU or ELU, whose negative side still passes a gradient, so units can recover.',
  warmup: 'Add a learning-rate warm-up so the first large updates do not knock units out.',
};

const log10 = Math.log10;

function hasType(typeNames: readonly string[], re: RegExp): boolean {
  return typeNames.some((t) => re.test(t));
}

/**
 * The depth rules on one profile (weight layers, input side first): `vanishing` when the
 * first layer's gradient is `vanishingDecades` below the last's, `exploding` when it is
 * `explodingDecades` above it. Plain layers are compared by gradient RMS; scale-invariant
 * layers (`scaleInvariant`) by ‖g‖·‖w‖, in a profile of their own, because the two are not
 * in the same units. The absolute `explodingNorm` rule applies to plain layers only.
 */
export function depthFindings(
  profile: readonly DepthPoint[],
  th: Thresholds,
  typeNames: readonly string[],
  step: number,
): Finding[] {
  const out: Finding[] = [];
  const plain = profile.filter((p) => !p.scaleInvariant);
  out.push(...trendFindings(plain, (p) => p.rms, PLAIN, th, typeNames, step));
  const invariant = profile
    .filter((p) => p.scaleInvariant)
    .map((p) => ({ ...p, angular: p.norm * (p.weightNorm ?? Number.NaN) }));
  out.push(...trendFindings(invariant, (p) => p.angular, INVARIANT, th, typeNames, step));
  const big = plain.filter((p) => p.norm > th.explodingNorm);
  if (big.length > 0 && !out.some((f) => f.kind === 'exploding')) {
    const worst = big.reduce((a, b) => (b.norm > a.norm ? b : a));
    out.push({
      kind: 'exploding',
      severity: 'warning',
      layers: big.map((p) => p.layer),
      evidence: `gradient L2 norm of '${displayPath(worst.layer)}' is ${formatNumber(worst.norm)} (absolute threshold ${formatNumber(th.explodingNorm)}; ${big.length} layer(s) above it)`,
      numbers: { maxNorm: worst.norm, threshold: th.explodingNorm },
      remedies: [R.clip, R.lowerLr, R.smallerInit],
      step,
    });
  }
  return out;
}

interface ProfileKind {
  /** Decades that fire the rule, each way. */
  thresholds: (th: Thresholds) => { vanishing: number; exploding: number };
  /** What the sentence calls the quantity. */
  quantity: string;
  /** What it calls the layers. */
  layers: string;
  /** Key of the per-layer values in `numbers`. */
  key: 'gradRms' | 'gradTimesWeightNorm';
  normalised: boolean;
}
const PLAIN: ProfileKind = {
  thresholds: (th) => ({ vanishing: th.vanishingDecades, exploding: th.explodingDecades }),
  quantity: 'gradient RMS',
  layers: 'weight layers',
  key: 'gradRms',
  normalised: false,
};
const INVARIANT: ProfileKind = {
  thresholds: (th) => ({ vanishing: th.normalizedDecades, exploding: th.normalizedDecades }),
  quantity: 'gradient × weight norm (‖g‖·‖w‖) of the normalised layers',
  layers: 'normalised weight layers',
  key: 'gradTimesWeightNorm',
  normalised: true,
};

function trendFindings<P extends DepthPoint>(
  profile: readonly P[],
  value: (p: P) => number,
  kind: ProfileKind,
  th: Thresholds,
  typeNames: readonly string[],
  step: number,
): Finding[] {
  const pts = profile
    .map((p) => ({ layer: p.layer, v: value(p) }))
    .filter((p) => Number.isFinite(p.v) && p.v > 0);
  if (pts.length < Math.max(2, th.minDepth)) return [];
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const n = pts.length;
  const vs = pts.map((p) => p.v);
  // A least-squares line through log10 of the values over depth: one noisy layer (often the
  // output layer, which sits next to the loss) cannot make or break the verdict alone.
  const slope = fitSlope(vs.map(log10));
  const span = slope * (n - 1);
  const factor = 10 ** -slope;
  const ratio = first.v / last.v;
  const saturating = hasType(typeNames, /^(sigmoid|tanh|hardtanh|hardsigmoid)$/i);
  const recurrent = hasType(typeNames, /^(rnn|rnncell)$/i);
  const hasNorm = hasType(typeNames, /norm/i);
  const hasResidual = hasType(typeNames, /residual/i);
  const numbers = { perLayerFactor: factor, decades: Math.abs(span), firstToLast: ratio, [kind.key]: vs };
  const from = `from '${displayPath(last.layer)}' back to '${displayPath(first.layer)}'`;
  const limit = kind.thresholds(th);
  if (span >= limit.vanishing) {
    const top = Math.max(...vs);
    return [
      {
        kind: 'vanishing',
        severity: span >= 2 * limit.vanishing ? 'error' : 'warning',
        layers: pts.filter((p) => log10(top / p.v) >= limit.vanishing).map((p) => p.layer),
        evidence:
          `${kind.quantity} falls ×${formatNumber(factor, 2)} per layer ${from}; ` +
          `'${displayPath(first.layer)}' is ${formatNumber(ratio, 2)} of '${displayPath(last.layer)}' (${formatNumber(span, 3)} decades over ${n} ${kind.layers}; threshold ${limit.vanishing})`,
        numbers: { ...numbers, threshold: limit.vanishing },
        remedies: [
          ...(recurrent ? [R.lstm] : []),
          ...(saturating ? [R.reluFamily] : []),
          ...(kind.normalised ? [] : [R.heGlorot]),
          ...(hasNorm ? [] : [R.batchNorm]),
          ...(hasResidual ? [] : [R.residual]),
          ...(kind.normalised ? [R.normScaleNote] : []),
        ],
        step,
      },
    ];
  }
  if (-span >= limit.exploding) {
    const bottom = Math.min(...vs);
    return [
      {
        kind: 'exploding',
        severity: -span >= 2 * limit.exploding ? 'error' : 'warning',
        layers: pts.filter((p) => log10(p.v / bottom) >= limit.exploding).map((p) => p.layer),
        evidence:
          `${kind.quantity} grows ×${formatNumber(factor, 3)} per layer ${from}; ` +
          `'${displayPath(first.layer)}' is ${formatNumber(ratio, 3)}× '${displayPath(last.layer)}' (${formatNumber(-span, 3)} decades over ${n} ${kind.layers}; threshold ${limit.exploding})`,
        numbers: { ...numbers, threshold: limit.exploding },
        remedies: kind.normalised
          ? [...(hasResidual ? [] : [R.residualNorm]), R.lowerLr, R.normScaleNote]
          : [
              R.smallerInit,
              R.clip,
              ...(hasNorm ? [] : [R.batchNorm]),
              ...(recurrent ? [R.lstm] : []),
              R.lowerLr,
            ],
        step,
      },
    ];
  }
  return [];
}

/** Slope of the least-squares line through (i, y_i). */
function fitSlope(ys: readonly number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, i) => {
    sxy += (i - mx) * (y - my);
    sxx += (i - mx) ** 2;
  });
  return sxx > 0 ? sxy / sxx : 0;
}

/** Median over the records of one layer column, in log space for positive quantities. */
function layerMedian(records: readonly StepRecord[], layer: number, col: number): number {
  return median(records.map((r) => r.layers[layer * L_COLS + col]!));
}

export function diagnose(input: DiagnosisInput): Finding[] {
  const th = input.thresholds;
  const findings: Finding[] = [];
  const recs = input.records.filter((r) => !r.skipped);
  const step = input.records.length ? input.records[input.records.length - 1]!.step : 0;

  if (input.firstNonFinite) findings.push(nonFiniteFinding(input.firstNonFinite));

  if (recs.length > 0) {
    const profile: DepthPoint[] = [];
    input.layers.forEach((l, i) => {
      if (!l.isWeightLayer) return;
      profile.push({
        layer: l.path,
        rms: layerMedian(recs, i, L.gradRms),
        norm: layerMedian(recs, i, L.gradNorm),
        ...(l.scaleInvariant ? { scaleInvariant: true, weightNorm: l.weightNorm ?? Number.NaN } : {}),
      });
    });
    const depth = depthFindings(profile, th, input.typeNames, step);
    findings.push(...depth);
    findings.push(...activationFindings(input, recs, step));
    // A tiny update where the gradient vanished is the vanishing finding, not a learning-rate one.
    const vanished = new Set(depth.filter((f) => f.kind === 'vanishing').flatMap((f) => f.layers));
    findings.push(...lrFindings(input, recs, step, vanished));
  }
  return findings;
}

function activationFindings(input: DiagnosisInput, recs: readonly StepRecord[], step: number): Finding[] {
  const th = input.thresholds;
  const out: Finding[] = [];
  const dead: { layer: string; frac: number; window: boolean }[] = [];
  const sat: { layer: string; typeName: string; frac: number }[] = [];
  input.activations.forEach((a, i) => {
    const seen = recs.filter((r) => r.actSeen[i] === 1);
    if (seen.length === 0) return;
    if (a.kind === 'relu') {
      const lastWindow = seen[seen.length - 1]!.acts[i * A_COLS + A.deadFractionWindow]!;
      const frac = Number.isFinite(lastWindow)
        ? lastWindow
        : median(seen.map((r) => r.acts[i * A_COLS + A.deadFraction]!));
      if (frac >= th.deadFraction) dead.push({ layer: a.path, frac, window: Number.isFinite(lastWindow) });
    } else if (a.kind === 'tanh' || a.kind === 'sigmoid') {
      const frac = median(seen.map((r) => r.acts[i * A_COLS + A.saturatedFraction]!));
      if (frac >= th.saturationFraction) sat.push({ layer: a.path, typeName: a.typeName, frac });
    }
  });
  if (dead.length > 0) {
    const worst = dead.reduce((a, b) => (b.frac > a.frac ? b : a));
    out.push({
      kind: 'dead-units',
      severity: worst.frac >= 0.5 ? 'error' : 'warning',
      layers: dead.map((d) => d.layer),
      evidence:
        `${pct(worst.frac)} of the units of '${displayPath(worst.layer)}' output 0 for every example ${worst.window ? 'over the last dead-unit window' : 'of the batch'}` +
        `${dead.length > 1 ? ` (${dead.length} ReLU layers at or above the threshold)` : ''}; threshold ${pct(th.deadFraction)}`,
      numbers: { worstFraction: worst.frac, fractions: dead.map((d) => d.frac), threshold: th.deadFraction },
      remedies: [R.leaky, R.lowerLr, R.heGlorot, R.warmup, R.batchNorm],
      step,
    });
  }
  if (sat.length > 0) {
    const worst = sat.reduce((a, b) => (b.frac > a.frac ? b : a));
    const s = input.saturation;
    const rule = /sigmoid/i.test(worst.typeName)
      ? `outside [${s.sigmoidLow}, ${s.sigmoidHigh}]`
      : `|a| > ${s.tanh}`;
    out.push({
      kind: 'saturation',
      severity: worst.frac >= 0.5 ? 'error' : 'warning',
      layers: sat.map((d) => d.layer),
      evidence: `${pct(worst.frac)} of the ${worst.typeName} outputs of '${displayPath(worst.layer)}' are saturated (${rule})${sat.length > 1 ? `; ${sat.length} layers at or above the threshold` : ''}; threshold ${pct(th.saturationFraction)}`,
      numbers: {
        worstFraction: worst.frac,
        fractions: sat.map((d) => d.frac),
        threshold: th.saturationFraction,
      },
      remedies: [
        'Scale the initial weights down: Glorot/Xavier init (gain 5/3 for tanh); saturated units pass almost no gradient.',
        R.batchNorm,
        R.reluFamily,
        R.lowerLr,
      ],
      step,
    });
  }
  return out;
}

function lrFindings(
  input: DiagnosisInput,
  recs: readonly StepRecord[],
  step: number,
  vanished: ReadonlySet<string>,
): Finding[] {
  const th = input.thresholds;
  const out: Finding[] = [];
  const withUpdate = recs.filter((r) => r.hasUpdate);
  if (withUpdate.length >= th.minUpdateSteps) {
    const high: { name: string; r: number }[] = [];
    const low: { name: string; r: number }[] = [];
    input.params.forEach((p, i) => {
      if (!p.isWeight) return;
      const r = median(withUpdate.map((rec) => rec.params[i * P_COLS + P.updateRatio]!));
      if (!Number.isFinite(r)) return;
      if (r > th.updateRatioHigh) high.push({ name: p.name, r });
      else if (r < th.updateRatioLow && !vanished.has(input.layers[p.layer]!.path))
        low.push({ name: p.name, r });
    });
    if (high.length > 0) {
      const worst = high.reduce((a, b) => (b.r > a.r ? b : a));
      out.push({
        kind: 'lr-too-high',
        severity: worst.r > 10 * th.updateRatioHigh ? 'error' : 'warning',
        layers: high.map((h) => h.name),
        evidence: `median update ratio ‖Δw‖/‖w‖ of '${worst.name}' over the last ${withUpdate.length} recorded updates is ${formatNumber(worst.r)} (${formatNumber(worst.r / 1e-3, 2)}× the 1e-3 rule of thumb; threshold ${formatNumber(th.updateRatioHigh)})`,
        numbers: { worstRatio: worst.r, ratios: high.map((h) => h.r), threshold: th.updateRatioHigh },
        remedies: [
          `Lower the learning rate (about ÷${formatNumber(worst.r / 1e-3, 2)} brings '${worst.name}' to 1e-3).`,
          R.warmup,
          R.clip,
        ],
        step,
      });
    }
    if (low.length > 0) {
      const worst = low.reduce((a, b) => (b.r < a.r ? b : a));
      out.push({
        kind: 'lr-too-low',
        severity: 'warning',
        layers: low.map((h) => h.name),
        evidence: `median update ratio ‖Δw‖/‖w‖ of '${worst.name}' over the last ${withUpdate.length} recorded updates is ${formatNumber(worst.r)} (1e-3 is the rule of thumb; threshold ${formatNumber(th.updateRatioLow)})`,
        numbers: { worstRatio: worst.r, ratios: low.map((h) => h.r), threshold: th.updateRatioLow },
        remedies: [
          `Raise the learning rate (about ×${formatNumber(1e-3 / worst.r, 2)} brings '${worst.name}' to 1e-3).`,
          'Check that the optimiser was given these parameters and that they are not frozen.',
          'If the gradient itself is tiny, treat it as vanishing (see that finding) rather than a learning-rate problem.',
        ],
        step,
      });
    }
  }
  const losses = recs.filter((r) => r.lossGiven).map((r) => r.loss);
  if (losses.length >= 3 && Number.isFinite(input.bestLoss) && input.bestLoss > 0) {
    const recent = median(losses.slice(-5));
    if (recent > th.lossDivergence * input.bestLoss) {
      out.push({
        kind: 'lr-too-high',
        severity: 'error',
        layers: [],
        evidence: `the loss is diverging: recent median ${formatNumber(recent)} is ${formatNumber(recent / input.bestLoss, 3)}× the best loss so far (${formatNumber(input.bestLoss)}; threshold ×${th.lossDivergence})`,
        numbers: { recentLoss: recent, bestLoss: input.bestLoss, threshold: th.lossDivergence },
        remedies: [R.lowerLr, R.clip, R.warmup],
        step,
      });
    }
  }
  return out;
}

function nonFiniteFinding(e: NonFiniteEvent): Finding {
  const remedies =
    e.pass === 'forward'
      ? e.layer === '(loss)'
        ? [
            'Compute the loss from logits with a fused, stable op (softmaxCrossEntropy, logSoftmax) instead of log(softmax(x)).',
            R.lowerLr,
          ]
        : [
            `Check the input domain of log/sqrt/div/pow in '${displayPath(e.layer)}'${e.inputMin !== undefined ? ` (its inputs ranged over [${formatNumber(e.inputMin)}, ${formatNumber(e.inputMax!)}])` : ''}: clamp the input or add an epsilon.`,
            R.lowerLr,
            R.batchNorm,
          ]
      : e.pass === 'backward'
        ? [
            R.clip,
            'Look for divisions by values near 0 or sqrt/log near 0 in the backward of this layer; add an epsilon.',
            R.lowerLr,
          ]
        : [
            R.lowerLr,
            "Check the optimiser state (Adam's eps and √v̂ with tiny v), and clip the gradient before the update.",
            R.clip,
          ];
  return {
    kind: 'non-finite',
    severity: 'error',
    layers: [e.layer],
    evidence: e.message,
    numbers: { step: e.step, nan: e.nan, posInf: e.posInf, negInf: e.negInf, size: e.size, index: e.index },
    remedies,
    step: e.step,
  };
}

function pct(f: number): string {
  return `${formatNumber(f * 100, 3)}%`;
}

/**
 * Loss functions with PyTorch's semantics (`torch.nn.functional`), camelCased. Class scores
 * are on the LAST axis: logits `[..., C]` with labels `[...]`.
 */
import {
  abs,
  add,
  DTypeError,
  div,
  exp,
  fmtShape,
  gather,
  less,
  log,
  log1p,
  logSoftmax,
  maximum,
  mean,
  mul,
  neg,
  relu,
  reshape,
  ShapeError,
  shapesEqual,
  softmaxCrossEntropy,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
  ValueError,
  where,
} from '@gradsight/core';

export type Reduction = 'mean' | 'sum' | 'none';

export interface ReductionOptions {
  /** Default 'mean'. */
  reduction?: Reduction;
}

export interface NllLossOptions extends ReductionOptions {
  /** Per-class weights `[C]`; 'mean' then divides by the summed weights of the counted labels. */
  weight?: Tensor;
  /** Labels equal to this are skipped (no loss, no gradient, not counted). Default −100. */
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends NllLossOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·one-hot + ε/C. Default 0. */
  labelSmoothing?: number;
}

function reduce(op: string, loss: Tensor, reduction: Reduction): Tensor {
  switch (reduction) {
    case 'mean':
      return mean(loss);
    case 'sum':
      return sum(loss);
    case 'none':
      return loss;
    default:
      throw new ValueError(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'.`);
  }
}

interface Flat {
  classes: number;
  rows: number;
  batchShape: number[];
  flatInput: Tensor;
  labels: Int32Array;
  flatLabels: Tensor;
}

function flattenClassification(op: string, input: Tensor, target: Tensor, weight?: Tensor): Flat {
  if (target.dtype !== 'int32') {
    throw new DTypeError(`${op}: target must hold int32 class indices, got ${target.describe()}.`);
  }
  if (input.rank < 1 || !shapesEqual(input.shape.slice(0, -1), target.shape)) {
    throw new ShapeError(
      `${op}: input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} do not fit; expected input [..., C] and target [...] with the same leading shape (classes on the last axis).`,
    );
  }
  const classes = input.shape[input.rank - 1]!;
  if (weight && (weight.rank !== 1 || weight.shape[0] !== classes)) {
    throw new ShapeError(
      `${op}: weight has shape ${fmtShape(weight.shape)}, expected [${classes}] (one weight per class).`,
    );
  }
  const rows = target.size;
  return {
    classes,
    rows,
    batchShape: [...target.shape],
    flatInput: reshape(input, [rows, classes]),
    labels: target.dataSync() as Int32Array,
    flatLabels: reshape(target, [rows]),
  };
}

/**
 * Per-row picked log-probability and weight: returns `{ picked [N], w [N] }` where ignored rows
 * point at class 0 and get weight 0.
 */
function pickLabels(op: string, f: Flat, logp: Tensor, weight: Tensor | undefined, ignoreIndex: number) {
  const idx = new Int32Array(f.rows);
  const keep = new Float32Array(f.rows);
  for (let i = 0; i < f.rows; i++) {
    const l = f.labels[i]!;
    if (l === ignoreIndex) continue;
    if (l < 0 || l >= f.classes) {
      throw new ValueError(
        `${op}: label ${l} at position ${i} is out of range [0, ${f.classes}) (ignoreIndex = ${ignoreIndex}).`,
      );
    }
    idx[i] = i * f.classes + l;
    keep[i] = 1;
  }
  const picked = gather(reshape(logp, [f.rows * f.classes]), tensor(idx, [f.rows]));
  const keepT = tensor(keep, [f.rows]);
  let w = keepT;
  if (weight) {
    const safe = new Int32Array(f.rows);
    for (let i = 0; i < f.rows; i++) safe[i] = keep[i] ? f.labels[i]! : 0;
    w = mul(gather(weight, tensor(safe, [f.rows])), keepT);
  }
  return { picked, w, keep: keepT };
}

/** Negative log-likelihood of log-probabilities `[..., C]` at int32 labels `[...]`. */
export function nllLoss(logProbs: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const { reduction = 'mean', weight, ignoreIndex = -100 } = options;
  const f = flattenClassification('nllLoss', logProbs, target, weight);
  const { picked, w } = pickLabels('nllLoss', f, f.flatInput, weight, ignoreIndex);
  const losses = neg(mul(picked, w));
  if (reduction === 'mean') return div(sum(losses), sum(w));
  return reduction === 'none' ? reshape(losses, f.batchShape) : reduce('nllLoss', losses, reduction);
}

/**
 * Softmax cross-entropy of logits `[..., C]` against int32 labels `[...]`, as PyTorch's
 * `cross_entropy` (weights, ignoreIndex, labelSmoothing, reduction). The plain case runs core's
 * fused `softmaxCrossEntropy`.
 */
export function crossEntropy(logits: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const { reduction = 'mean', weight, ignoreIndex = -100, labelSmoothing = 0 } = options;
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new ValueError(`crossEntropy: labelSmoothing must be in [0, 1], got ${labelSmoothing}.`);
  }
  if (logits.dtype !== 'float32')
    throw new DTypeError(`crossEntropy: logits must be float32, got ${logits.describe()}.`);
  const f = flattenClassification('crossEntropy', logits, target, weight);
  const anyIgnored = f.labels.some((l) => l === ignoreIndex);
  if (!weight && labelSmoothing === 0 && !anyIgnored) {
    for (let i = 0; i < f.rows; i++) {
      const l = f.labels[i]!;
      if (l < 0 || l >= f.classes)
        throw new ValueError(`crossEntropy: label ${l} at position ${i} is out of range [0, ${f.classes}).`);
    }
    const losses = softmaxCrossEntropy(f.flatInput, f.flatLabels);
    return reduction === 'none' ? reshape(losses, f.batchShape) : reduce('crossEntropy', losses, reduction);
  }
  const logp = logSoftmax(f.flatInput, -1);
  const { picked, w, keep } = pickLabels('crossEntropy', f, logp, weight, ignoreIndex);
  let losses = neg(mul(picked, w));
  const denom = sum(w);
  if (labelSmoothing > 0) {
    // PyTorch: (1 − ε)·nll + ε/C · Σ_c w_c·(−log p_c), ignored rows zeroed; 'mean' divides
    // both terms by the summed weights of the counted labels.
    const weighted = weight ? mul(logp, weight) : logp;
    const smooth = mul(neg(sum(weighted, -1)), keep);
    losses = add(mul(losses, 1 - labelSmoothing), mul(smooth, labelSmoothing / f.classes));
  }
  if (reduction === 'mean') return div(sum(losses), denom);
  return reduction === 'none' ? reshape(losses, f.batchShape) : reduce('crossEntropy', losses, reduction);
}

function checkSame(op: string, input: Tensor, target: Tensor): void {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(
      `${op}: input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same shape.`,
    );
  }
}

export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  checkSame('mseLoss', input, target);
  return reduce('mseLoss', square(sub(input, target)), options.reduction ?? 'mean');
}

export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  checkSame('l1Loss', input, target);
  return reduce('l1Loss', abs(sub(input, target)), options.reduction ?? 'mean');
}

/** ½d² where |d| < delta, delta·(|d| − ½delta) beyond: quadratic near zero, linear in the tails. */
export function huberLoss(
  input: Tensor,
  target: Tensor,
  options: ReductionOptions & { delta?: number } = {},
): Tensor {
  checkSame('huberLoss', input, target);
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`huberLoss: delta must be positive, got ${delta}.`);
  const d = sub(input, target);
  const ad = abs(d);
  const loss = where(less(ad, delta), mul(square(d), 0.5), mul(sub(ad, 0.5 * delta), delta));
  return reduce('huberLoss', loss, options.reduction ?? 'mean');
}

export interface BceOptions extends ReductionOptions {
  /** Elementwise rescaling, broadcast against the input. */
  weight?: Tensor;
}

/** Binary cross-entropy of probabilities; log terms are clamped at −100 as PyTorch. */
export function bce(input: Tensor, target: Tensor, options: BceOptions = {}): Tensor {
  checkSame('bce', input, target);
  const logP = maximum(log(input), -100);
  const log1mP = maximum(log1p(neg(input)), -100);
  let loss = neg(add(mul(target, logP), mul(sub(1, target), log1mP)));
  if (options.weight) loss = mul(loss, options.weight);
  return reduce('bce', loss, options.reduction ?? 'mean');
}

export interface BceWithLogitsOptions extends BceOptions {
  /** Weight of the positive class, broadcast against the last axis (PyTorch's `pos_weight`). */
  posWeight?: Tensor;
}

/** Sigmoid + binary cross-entropy in one numerically stable expression. */
export function bceWithLogits(logits: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  checkSame('bceWithLogits', logits, target);
  // softplus(−x) = log(1 + e^{−x}) = log1p(e^{−|x|}) + max(−x, 0), stable for any x.
  const spNeg = add(log1p(exp(neg(abs(logits)))), relu(neg(logits)));
  let loss: Tensor;
  if (options.posWeight) {
    const coef = add(mul(sub(options.posWeight, 1), target), 1);
    loss = add(mul(sub(1, target), logits), mul(coef, spNeg));
  } else {
    loss = add(mul(sub(1, target), logits), spNeg);
  }
  if (options.weight) loss = mul(loss, options.weight);
  return reduce('bceWithLogits', loss, options.reduction ?? 'mean');
}

/** Fraction of rows whose argmax over the last axis equals the int32 label (a metric, no gradient). */
export function accuracy(logits: Tensor, target: Tensor): number {
  if (!shapesEqual(logits.shape.slice(0, -1), target.shape)) {
    throw new ShapeError(
      `accuracy: logits ${fmtShape(logits.shape)} and labels ${fmtShape(target.shape)} do not fit; expected [..., C] and [...].`,
    );
  }
  const pred = logits.argmax(-1);
  const p = pred.dataSync();
  pred.dispose();
  const t = target.dataSync();
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (p[i] === t[i]) hits++;
  return t.length === 0 ? 0 : hits / t.length;
}

/** Gradient clipping by total norm and by value (PyTorch's clip_grad_norm_ / clip_grad_value_). */
import {
  abs,
  clip,
  isFinite,
  max,
  min,
  mul,
  NonFiniteError,
  noGrad,
  pow,
  sqrt,
  square,
  stack,
  sum,
  Tensor,
  tidy,
  ValueError,
} from '@gradsight/core';
import { describeParam } from './optimizer.js';
import { checkNonNegative } from './validate.js';

export interface ClipGradNormOptions {
  /** The p of the p-norm: any p > 0, or `Infinity` for the max-norm. Default 2. */
  normType?: number;
  /** Throw `NonFiniteError` (naming the first offending parameter) when the total norm is NaN or ±Inf. */
  errorIfNonfinite?: boolean;
}

function toList(params: Tensor | Iterable<Tensor>): Tensor[] {
  return params instanceof Tensor ? [params] : [...params];
}

function gradNorm(g: Tensor, p: number): Tensor {
  if (g.size === 0) return mul(sum(g), 0);
  if (p === Number.POSITIVE_INFINITY) return max(abs(g));
  if (p === 1) return sum(abs(g));
  if (p === 2) return sqrt(sum(square(g)));
  return pow(sum(pow(abs(g), p)), 1 / p);
}

/**
 * Scales the gradients of `params` in place so that their combined p-norm (the norm of the
 * per-parameter norms, i.e. of all gradients concatenated) is at most `maxNorm`: every gradient
 * is multiplied by `min(maxNorm / (norm + 1e-6), 1)`, as PyTorch. Parameters without `.grad`
 * are ignored.
 *
 * Returns the total norm *before* clipping as a plain number (reading it synchronises with the
 * backend once per call; PyTorch returns a 0-d tensor). With no gradients at all it is 0.
 * A NaN or infinite total norm turns the gradients into NaN (as PyTorch) unless
 * `errorIfNonfinite` is set, which throws `NonFiniteError` instead and leaves them untouched.
 */
export function clipGradNorm(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  options: ClipGradNormOptions = {},
): number {
  const { normType = 2, errorIfNonfinite = false } = options;
  checkNonNegative('clipGradNorm', 'maxNorm', maxNorm);
  if (typeof normType !== 'number' || Number.isNaN(normType) || normType <= 0) {
    throw new ValueError(
      `clipGradNorm: invalid normType: ${String(normType)} (expected a number > 0 or Infinity).`,
    );
  }
  const list = toList(params);
  const entries = list.flatMap((p, i) => (p.grad ? [{ p, i, g: p.grad }] : []));
  if (entries.length === 0) return 0;

  const norms = tidy(() => noGrad(() => stack(entries.map((e) => gradNorm(e.g, normType))).dataSync()));
  let total: number;
  if (normType === Number.POSITIVE_INFINITY) {
    total = 0; // NaN wins, as torch.max
    for (const n of norms) {
      if (Number.isNaN(n)) {
        total = n;
        break;
      }
      if (n > total) total = n;
    }
  } else {
    let acc = 0;
    for (const n of norms) acc += n ** normType;
    total = normType === 2 ? Math.sqrt(acc) : acc ** (1 / normType);
  }
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new NonFiniteError(nonFiniteMessage(entries, norms, normType, total));
  }
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1 || Number.isNaN(coef)) {
    tidy(() =>
      noGrad(() => {
        for (const e of entries) e.g.assign(mul(e.g, coef));
      }),
    );
  }
  return total;
}

function nonFiniteMessage(
  entries: { p: Tensor; i: number; g: Tensor }[],
  norms: ArrayLike<number>,
  p: number,
  total: number,
): string {
  const what = `the total ${p === Number.POSITIVE_INFINITY ? 'inf' : p}-norm of the gradients is ${total}`;
  const bad = entries.find((e) => tidy(() => noGrad(() => e.g.size > 0 && min(isFinite(e.g)).item() === 0)));
  if (bad) {
    return `clipGradNorm: ${what}: the gradient of parameter ${describeParam(bad.p, `index ${bad.i}`)} contains NaN or Inf. Pass errorIfNonfinite: false to clip anyway (the gradients become NaN).`;
  }
  const k = Array.from(norms).findIndex((n) => !Number.isFinite(n));
  const big = entries[Math.max(k, 0)]!;
  return `clipGradNorm: ${what}: every gradient is finite but the norm of parameter ${describeParam(big.p, `index ${big.i}`)} overflows float32; use a smaller normType or rescale the loss.`;
}

/** Clamps every gradient of `params` in place to [−clipValue, clipValue] (NaN stays NaN). */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  checkNonNegative('clipGradValue', 'clipValue', clipValue);
  for (const p of toList(params)) {
    const g = p.grad;
    if (g) tidy(() => noGrad(() => void g.assign(clip(g, -clipValue, clipValue))));
  }
}

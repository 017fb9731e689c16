/**
 * Ops backed by the optional fused kernels of the `Backend` interface. Each uses the backend's
 * kernel when it has one and otherwise composes the same computation from primitives, so every
 * backend gives the same numbers (the conformance suite checks both paths).
 */
import { record } from './autograd.js';
import type { AdamUpdateAttrs, SgdUpdateAttrs } from './backend.js';
import { getBackend, noGrad, tidy } from './engine.js';
import { fmtShape, ShapeError } from './errors.js';
import { requireFloat, requireInt, wrap } from './op-utils.js';
import { add, div, maximum, mul, sub } from './ops-binary.js';
import { logSoftmax } from './ops-nn.js';
import { mean, sum } from './ops-reduce.js';
import { gather, reshape } from './ops-shape.js';
import { exp, rsqrt, sqrt, square } from './ops-unary.js';
import type { Tensor } from './tensor.js';

export interface BatchNormResult {
  /** Normalised, scaled and shifted output (differentiable in x, gamma and beta). */
  y: Tensor;
  /** Per-channel batch mean `[C]`. */
  mean: Tensor;
  /** Per-channel biased batch variance `[C]`. */
  variance: Tensor;
}

/**
 * Training-mode batch normalisation over every axis but the last (channels last, NHWC or
 * `[N, C]`): uses the batch statistics. Running statistics are the layer's business.
 */
export function batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): BatchNormResult {
  requireFloat('batchNorm', x);
  const c = x.shape[x.rank - 1]!;
  if (x.rank < 2 || gamma.size !== c || beta.size !== c) {
    throw new ShapeError(
      `batchNorm: input ${fmtShape(x.shape)} needs rank ≥ 2 with channels last, and gamma/beta of shape [${c}]; got gamma ${fmtShape(gamma.shape)}, beta ${fmtShape(beta.shape)}.`,
    );
  }
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.size / Math.max(c, 1);
  const backend = getBackend();
  const { y, m, invStd } = noGrad(() => {
    if (backend.batchNormTrain) {
      const r = backend.batchNormTrain(x, gamma, beta, eps);
      return { y: wrap(r.y), m: wrap(r.mean), invStd: wrap(r.invStd) };
    }
    const mu = mean(x, axes);
    const v = mean(square(sub(x, mu)), axes);
    const is = rsqrt(add(v, eps));
    return { y: add(mul(mul(sub(x, mu), is), gamma), beta), m: mu, invStd: is };
  });
  const variance = noGrad(() => sub(div(1, square(invStd)), eps));
  const out = record('batchNorm', [x, gamma, beta], y, (dy) => {
    const b = getBackend();
    if (b.batchNormBackward) {
      const r = b.batchNormBackward(dy, x, gamma, m, invStd);
      return [wrap(r.dx), wrap(r.dgamma), wrap(r.dbeta)];
    }
    const xhat = mul(sub(x, m), invStd);
    const dbeta = sum(dy, axes);
    const dgamma = sum(mul(dy, xhat), axes);
    // dx = γ·invStd/N · (N·dy − Σdy − x̂·Σ(dy·x̂))
    const dx = mul(mul(gamma, div(invStd, count)), sub(sub(mul(dy, count), dbeta), mul(xhat, dgamma)));
    return [dx, reshape(dgamma, gamma.shape), reshape(dbeta, beta.shape)];
  });
  return { y: out, mean: m, variance };
}

/**
 * Per-row softmax cross-entropy of logits `[B, C]` against int32 labels `[B]`: returns the
 * loss `[B]` (= logSumExp(row) − row[label]), differentiable in the logits.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  requireFloat('softmaxCrossEntropy', logits);
  requireInt('softmaxCrossEntropy', 'labels', labels);
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new ShapeError(
      `softmaxCrossEntropy: expected logits [B, C] and labels [B], got ${fmtShape(logits.shape)} and ${fmtShape(labels.shape)}.`,
    );
  }
  const [bsz, classes] = logits.shape as [number, number];
  const lab = labels.dataSync();
  for (const l of lab) {
    if (l < 0 || l >= classes)
      throw new ShapeError(`softmaxCrossEntropy: label ${l} is out of range [0, ${classes}).`);
  }
  const backend = getBackend();
  const { loss, probs } = noGrad(() => {
    if (backend.softmaxCrossEntropy) {
      const r = backend.softmaxCrossEntropy(logits, labels);
      return { loss: wrap(r.loss), probs: wrap(r.probs) };
    }
    const lsm = logSoftmax(logits, 1);
    const flat = reshape(lsm, [bsz * classes]);
    const idx = add(mul(reshape(labelsRange(bsz), [bsz]), classes), labels);
    return { loss: mul(gather(flat, idx), -1), probs: exp(lsm) };
  });
  return record('softmaxCrossEntropy', [logits], loss, (dloss) => {
    const onehot = oneHotLike(labels, classes);
    return [mul(sub(probs, onehot), reshape(dloss, [bsz, 1]))];
  });
}

function labelsRange(n: number): Tensor {
  return wrap({
    dataId: getBackend().write(
      Int32Array.from({ length: n }, (_, i) => i),
      'int32',
    ),
    shape: [n],
    dtype: 'int32',
  });
}
function oneHotLike(labels: Tensor, classes: number): Tensor {
  const lab = labels.dataSync();
  const data = new Float32Array(lab.length * classes);
  for (let i = 0; i < lab.length; i++) data[i * classes + lab[i]!] = 1;
  return wrap({
    dataId: getBackend().write(data, 'float32'),
    shape: [lab.length, classes],
    dtype: 'float32',
  });
}

/**
 * PyTorch's Adam/AdamW step for one parameter, in place on `param`, `m`, `v` (and `vMax`
 * with AMSGrad). Fused kernel when the backend has one, composed otherwise.
 */
export function adamUpdate(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  vMax: Tensor | null,
  attrs: AdamUpdateAttrs,
): void {
  const backend = getBackend();
  if (backend.adamUpdate) {
    backend.adamUpdate(param, grad, m, v, vMax, attrs);
    return;
  }
  adamUpdateComposed(param, grad, m, v, vMax, attrs);
}

/**
 * {@link adamUpdate} composed from primitive ops, whatever the backend offers: the reference
 * for a backend's fused kernel, and what `fused: false` optimisers and benchmarks call.
 */
export function adamUpdateComposed(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  vMax: Tensor | null,
  attrs: AdamUpdateAttrs,
): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupled, step } = attrs;
  tidy(() =>
    noGrad(() => {
      let g = grad;
      let p = param as Tensor;
      if (weightDecay !== 0 && !decoupled) g = add(g, mul(p, weightDecay));
      if (weightDecay !== 0 && decoupled) p = mul(p, 1 - lr * weightDecay);
      m.assign(add(mul(m, beta1), mul(g, 1 - beta1)));
      v.assign(add(mul(v, beta2), mul(square(g), 1 - beta2)));
      const bc1 = 1 - beta1 ** step;
      const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
      let second = v as Tensor;
      if (vMax) {
        vMax.assign(maximum(vMax, v));
        second = vMax;
      }
      const denom = add(div(sqrt(second), bc2Sqrt), eps);
      param.assign(sub(p, mul(div(m, denom), lr / bc1)));
    }),
  );
}

/** PyTorch's SGD step (momentum, dampening, Nesterov, weight decay) in place. */
export function sgdUpdate(
  param: Tensor,
  grad: Tensor,
  momentumBuf: Tensor | null,
  attrs: SgdUpdateAttrs,
): void {
  const backend = getBackend();
  if (backend.sgdUpdate) {
    backend.sgdUpdate(param, grad, momentumBuf, attrs);
    return;
  }
  sgdUpdateComposed(param, grad, momentumBuf, attrs);
}

/** {@link sgdUpdate} composed from primitive ops, whatever the backend offers. */
export function sgdUpdateComposed(
  param: Tensor,
  grad: Tensor,
  momentumBuf: Tensor | null,
  attrs: SgdUpdateAttrs,
): void {
  const { lr, momentum, dampening, weightDecay, nesterov, firstStep } = attrs;
  tidy(() =>
    noGrad(() => {
      let d = weightDecay !== 0 ? add(grad, mul(param, weightDecay)) : grad;
      if (momentum !== 0 && momentumBuf) {
        momentumBuf.assign(firstStep ? d.clone() : add(mul(momentumBuf, momentum), mul(d, 1 - dampening)));
        d = nesterov ? add(d, mul(momentumBuf, momentum)) : momentumBuf;
      }
      param.assign(sub(param, mul(d, lr)));
    }),
  );
}

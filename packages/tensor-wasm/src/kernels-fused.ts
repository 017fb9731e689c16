/** Glue for the fused training kernels: batch norm, softmax cross-entropy, Adam, SGD. */
import type { AdamUpdateAttrs, SgdUpdateAttrs, TensorInfo } from '@gradsight/core';
import type { KernelContext } from './context.js';
import { sizeOf } from './strides.js';

export function batchNormTrain(
  ctx: KernelContext,
  x: TensorInfo,
  gamma: TensorInfo,
  beta: TensorInfo,
  eps: number,
): { y: TensorInfo; mean: TensorInfo; invStd: TensorInfo } {
  const c = x.shape[x.shape.length - 1]!;
  const total = sizeOf(x.shape);
  const rows = c === 0 ? 0 : total / c;
  const y = ctx.output(x.shape, 'float32');
  const mean = ctx.output([c], 'float32');
  const invStd = ctx.output([c], 'float32');
  if (c > 0) {
    ctx.withTemp(c * 8, (acc) =>
      ctx.wasm.batchNormTrain(
        ctx.ptr(x),
        ctx.ptr(gamma),
        ctx.ptr(beta),
        y.ptr,
        mean.ptr,
        invStd.ptr,
        rows,
        c,
        eps,
        acc,
      ),
    );
  }
  return { y: y.info, mean: mean.info, invStd: invStd.info };
}

export function batchNormBackward(
  ctx: KernelContext,
  dy: TensorInfo,
  x: TensorInfo,
  gamma: TensorInfo,
  mean: TensorInfo,
  invStd: TensorInfo,
): { dx: TensorInfo; dgamma: TensorInfo; dbeta: TensorInfo } {
  const c = x.shape[x.shape.length - 1]!;
  const total = sizeOf(x.shape);
  const rows = c === 0 ? 0 : total / c;
  const dx = ctx.output(x.shape, 'float32');
  const dgamma = ctx.output(gamma.shape, 'float32');
  const dbeta = ctx.output(gamma.shape, 'float32');
  if (c > 0) {
    ctx.withTemp(c * 16, (acc) =>
      ctx.wasm.batchNormBackward(
        ctx.ptr(dy),
        ctx.ptr(x),
        ctx.ptr(gamma),
        ctx.ptr(mean),
        ctx.ptr(invStd),
        dx.ptr,
        dgamma.ptr,
        dbeta.ptr,
        rows,
        c,
        acc,
      ),
    );
  }
  return { dx: dx.info, dgamma: dgamma.info, dbeta: dbeta.info };
}

export function softmaxCrossEntropy(
  ctx: KernelContext,
  logits: TensorInfo,
  labels: TensorInfo,
): { loss: TensorInfo; probs: TensorInfo } {
  const [b, cls] = logits.shape as [number, number];
  const loss = ctx.output([b], 'float32');
  const probs = ctx.output([b, cls], 'float32');
  if (b > 0 && cls > 0) {
    ctx.wasm.softmaxCrossEntropy(ctx.ptr(logits), ctx.ptr(labels), loss.ptr, probs.ptr, b, cls);
  }
  return { loss: loss.info, probs: probs.info };
}

export function adamUpdate(
  ctx: KernelContext,
  param: TensorInfo,
  grad: TensorInfo,
  m: TensorInfo,
  v: TensorInfo,
  vMax: TensorInfo | null,
  a: AdamUpdateAttrs,
): void {
  const n = sizeOf(param.shape);
  if (n === 0) return;
  const decay = a.weightDecay !== 0;
  ctx.wasm.adamUpdate(
    ctx.ptr(param),
    ctx.ptr(grad),
    ctx.ptr(m),
    ctx.ptr(v),
    vMax ? ctx.ptr(vMax) : 0,
    n,
    a.beta1,
    1 - a.beta1,
    a.beta2,
    1 - a.beta2,
    a.eps,
    decay && !a.decoupled ? a.weightDecay : 0,
    decay && a.decoupled ? 1 - a.lr * a.weightDecay : 1,
    decay && a.decoupled ? 1 : 0,
    a.lr / (1 - a.beta1 ** a.step),
    Math.sqrt(1 - a.beta2 ** a.step),
  );
}

export function sgdUpdate(
  ctx: KernelContext,
  param: TensorInfo,
  grad: TensorInfo,
  buf: TensorInfo | null,
  a: SgdUpdateAttrs,
): void {
  const n = sizeOf(param.shape);
  if (n === 0) return;
  ctx.wasm.sgdUpdate(
    ctx.ptr(param),
    ctx.ptr(grad),
    buf ? ctx.ptr(buf) : 0,
    n,
    a.lr,
    a.momentum,
    1 - a.dampening,
    a.weightDecay,
    a.nesterov ? 1 : 0,
    a.firstStep ? 1 : 0,
  );
}

// In-place optimiser steps. The float32 operation sequence is exactly that of core's composed
// adamUpdate/sgdUpdate (each scalar rounded to float32 as a scalar tensor would be), so both
// paths produce the same bits. No fused multiply-add here, even in the relaxed build.
import { SIMD } from './common';

/**
 * PyTorch's Adam/AdamW on n floats. `wdCoupled` is the L2 decay added to the gradient (0 when
 * decoupled), `decayScale` = 1 − lr·wd for AdamW (1 otherwise), `stepSize` = lr / (1 − β1^t),
 * `bc2Sqrt` = √(1 − β2^t), `omb1` = 1 − β1, `omb2` = 1 − β2; vMax = 0 means no AMSGrad.
 */
export function adamUpdate(
  param: usize, grad: usize, m: usize, v: usize, vMax: usize, n: i32,
  beta1: f32, omb1: f32, beta2: f32, omb2: f32, eps: f32,
  wdCoupled: f32, decayScale: f32, useDecoupled: i32, stepSize: f32, bc2Sqrt: f32,
): void {
  let i = 0;
  const coupled = wdCoupled != 0;
  if (SIMD) {
    const vb1 = f32x4.splat(beta1), vo1 = f32x4.splat(omb1), vb2 = f32x4.splat(beta2), vo2 = f32x4.splat(omb2);
    const veps = f32x4.splat(eps), vwd = f32x4.splat(wdCoupled), vds = f32x4.splat(decayScale);
    const vss = f32x4.splat(stepSize), vbc = f32x4.splat(bc2Sqrt);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let p = v128.load(param + o);
      let g = v128.load(grad + o);
      if (coupled) g = f32x4.add(g, f32x4.mul(p, vwd));
      if (useDecoupled) p = f32x4.mul(p, vds);
      const mm = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(g, vo1));
      const vv = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(g, g), vo2));
      v128.store(m + o, mm);
      v128.store(v + o, vv);
      let second = vv;
      if (vMax) {
        second = f32x4.max(v128.load(vMax + o), vv);
        v128.store(vMax + o, second);
      }
      const denom = f32x4.add(f32x4.div(f32x4.sqrt(second), vbc), veps);
      v128.store(param + o, f32x4.sub(p, f32x4.mul(f32x4.div(mm, denom), vss)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let p = load<f32>(param + o);
    let g = load<f32>(grad + o);
    if (coupled) g = g + p * wdCoupled;
    if (useDecoupled) p = p * decayScale;
    const mm = load<f32>(m + o) * beta1 + g * omb1;
    const vv = load<f32>(v + o) * beta2 + g * g * omb2;
    store<f32>(m + o, mm);
    store<f32>(v + o, vv);
    let second = vv;
    if (vMax) {
      const prev = load<f32>(vMax + o);
      second = isNaN(prev) || isNaN(vv) ? NaN : max(prev, vv);
      store<f32>(vMax + o, second);
    }
    const denom = <f32>Math.sqrt(<f64>second) / bc2Sqrt + eps;
    store<f32>(param + o, p - (mm / denom) * stepSize);
  }
}

/**
 * PyTorch's SGD on n floats: d = g + wd·p; with momentum, buf = first ? d : buf·μ + d·(1 − τ),
 * d = nesterov ? d + buf·μ : buf; then p −= d·lr. `buf` = 0 means no momentum buffer.
 */
export function sgdUpdate(
  param: usize, grad: usize, buf: usize, n: i32,
  lr: f32, momentum: f32, omDampening: f32, wd: f32, nesterov: i32, firstStep: i32,
): void {
  const useBuf = buf != 0 && momentum != 0;
  let i = 0;
  if (SIMD) {
    const vlr = f32x4.splat(lr), vmom = f32x4.splat(momentum), vod = f32x4.splat(omDampening), vwd = f32x4.splat(wd);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(param + o);
      let d = v128.load(grad + o);
      if (wd != 0) d = f32x4.add(d, f32x4.mul(p, vwd));
      if (useBuf) {
        const b = firstStep ? d : f32x4.add(f32x4.mul(v128.load(buf + o), vmom), f32x4.mul(d, vod));
        v128.store(buf + o, b);
        d = nesterov ? f32x4.add(d, f32x4.mul(b, vmom)) : b;
      }
      v128.store(param + o, f32x4.sub(p, f32x4.mul(d, vlr)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(param + o);
    let d = load<f32>(grad + o);
    if (wd != 0) d = d + p * wd;
    if (useBuf) {
      const b = firstStep ? d : load<f32>(buf + o) * momentum + d * omDampening;
      store<f32>(buf + o, b);
      d = nesterov ? d + b * momentum : b;
    }
    store<f32>(param + o, p - d * lr);
  }
}

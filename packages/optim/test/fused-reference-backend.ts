/**
 * The reference backend plus JS implementations of the optional fused optimiser kernels,
 * written straight from PyTorch's formulas and updating the reference backend's live typed
 * arrays in place, so the tests can compare core's fused path with its composed path.
 */
import {
  type AdamUpdateAttrs,
  ReferenceBackend,
  type SgdUpdateAttrs,
  type TensorInfo,
} from '@gradsight/core';

export class FusedReferenceBackend extends ReferenceBackend {
  override readonly name: string = 'reference-fused';
  readonly calls = { adamUpdate: 0, sgdUpdate: 0 };

  adamUpdate(
    param: TensorInfo,
    grad: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    vMax: TensorInfo | null,
    a: AdamUpdateAttrs,
  ): void {
    this.calls.adamUpdate++;
    const p = this.get(param);
    const g = this.get(grad);
    const ma = this.get(m);
    const va = this.get(v);
    const vm = vMax ? this.get(vMax) : null;
    const stepSize = a.lr / (1 - a.beta1 ** a.step);
    const bc2Sqrt = Math.sqrt(1 - a.beta2 ** a.step);
    for (let i = 0; i < p.length; i++) {
      let gi = g[i]!;
      let pi = p[i]!;
      if (a.weightDecay !== 0) {
        if (a.decoupled) pi *= 1 - a.lr * a.weightDecay;
        else gi += a.weightDecay * pi;
      }
      ma[i] = a.beta1 * ma[i]! + (1 - a.beta1) * gi;
      va[i] = a.beta2 * va[i]! + (1 - a.beta2) * gi * gi;
      let second = va[i]!;
      if (vm) {
        vm[i] = Number.isNaN(vm[i]!) || vm[i]! > second ? vm[i]! : second;
        second = vm[i]!;
      }
      p[i] = pi - (stepSize * ma[i]!) / (Math.sqrt(second) / bc2Sqrt + a.eps);
    }
  }

  sgdUpdate(param: TensorInfo, grad: TensorInfo, momentumBuf: TensorInfo | null, a: SgdUpdateAttrs): void {
    this.calls.sgdUpdate++;
    const p = this.get(param);
    const g = this.get(grad);
    const b = momentumBuf ? this.get(momentumBuf) : null;
    for (let i = 0; i < p.length; i++) {
      let d = g[i]!;
      if (a.weightDecay !== 0) d += a.weightDecay * p[i]!;
      if (a.momentum !== 0 && b) {
        b[i] = a.firstStep ? d : a.momentum * b[i]! + (1 - a.dampening) * d;
        d = a.nesterov ? d + a.momentum * b[i]! : b[i]!;
      }
      p[i] = p[i]! - a.lr * d;
    }
  }
}

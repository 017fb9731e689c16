import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { hideKernels } from './hide-kernels.js';

/** A backend with a fused Adam and private state, like a wasm backend holding its heap. */
class CountingBackend extends g.ReferenceBackend {
  #fusedCalls = 0;
  get fusedCalls(): number {
    return this.#fusedCalls;
  }
  adamUpdate(): void {
    this.#fusedCalls++;
    throw new Error('fused path taken');
  }
}

const attrs = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 };

describe('hideKernels', () => {
  it('makes core take the composed path while the kernels still run on the real backend', () => {
    const real = new CountingBackend();
    const view = hideKernels(real, ['adamUpdate']);
    expect(view.adamUpdate).toBeUndefined();
    expect(view.name).toBe('reference without adamUpdate');
    g.setBackend(view);
    const p = g.tensor([1, -2, 3]);
    const grad = g.tensor([0.5, 0.5, -1]);
    const [m, v] = [g.zeros([3]), g.zeros([3])];
    g.adamUpdate(p, grad, m, v, null, attrs);
    expect(real.fusedCalls).toBe(0);
    // Adam's first step moves each weight by lr against the sign of its gradient.
    const got = Array.from(p.dataSync());
    for (const [i, want] of [0.9, -2.1, 3.1].entries()) expect(got[i]).toBeCloseTo(want, 5);
    for (const t of [p, grad, m, v]) t.dispose();
  });
  it('leaves the real backend untouched', () => {
    const real = new CountingBackend();
    hideKernels(real, ['adamUpdate']);
    g.setBackend(real);
    const t = g.zeros([1]);
    expect(() => g.adamUpdate(t, t, t, t, null, attrs)).toThrow(/fused path taken/);
    expect(real.fusedCalls).toBe(1);
    t.dispose();
  });
});

import { describe, expect, it } from 'vitest';
import * as g from './index.js';

describe('smoke', () => {
  it('trains xor', () => {
    const x = g.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = g.tensor([[0], [1], [1], [0]]);
    const w1 = g.randn([2, 8], { seed: 1 }).requiresGrad_();
    const b1 = g.zeros([8]).requiresGrad_();
    const w2 = g.randn([8, 1], { seed: 2 }).requiresGrad_();
    const b2 = g.zeros([1]).requiresGrad_();
    let first = 0;
    let last = 0;
    for (let i = 0; i < 500; i++) {
      last = g.tidy(() => {
        const h = g.tanh(x.matmul(w1).add(b1));
        const out = g.sigmoid(h.matmul(w2).add(b2));
        const loss = out.sub(y).square().mean();
        loss.backward();
        for (const p of [w1, b1, w2, b2]) {
          p.assign(p.sub(p.grad!.mul(1.0)));
          p.grad!.dispose();
          p.grad = null;
        }
        return loss.item();
      });
      if (i === 0) first = last;
    }
    console.log(first, last, g.memory());
    expect(last).toBeLessThan(first / 5);
  });
  it('matmul shape error', () => {
    expect(() => g.matmul(g.zeros([2, 3]), g.zeros([4, 5]))).toThrow(/\[2,3\].*\[4,5\]/);
  });
});

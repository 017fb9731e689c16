/**
 * The smallest real example: a 2-layer MLP fitted to XOR with raw core ops and manual SGD.
 * Kept dependency-free (core only) so it shows what autograd does underneath the layers.
 */
import { memory, randn, type Tensor, tensor, tidy, zeros } from '@gradsight/core';

export interface XorResult {
  losses: number[];
  predictions: number[];
  liveTensors: number;
}

export function trainXor(
  options: { steps?: number; lr?: number; seed?: number; onStep?: (step: number, loss: number) => void } = {},
): XorResult {
  const { steps = 600, lr = 0.5, seed = 1 } = options;
  const x = tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
  const y = tensor([[0], [1], [1], [0]]);
  const w1 = randn([2, 8], { seed, std: 1 }).requiresGrad_();
  const b1 = zeros([8]).requiresGrad_();
  const w2 = randn([8, 1], { seed: seed + 1, std: 1 }).requiresGrad_();
  const b2 = zeros([1]).requiresGrad_();
  const params: Tensor[] = [w1, b1, w2, b2];
  const forward = () => x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).sigmoid();
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = tidy(() => {
      const l = forward().sub(y).square().mean();
      l.backward();
      for (const p of params) {
        p.assign(p.sub(p.grad!.mul(lr)));
        p.grad!.dispose();
        p.grad = null;
      }
      return l.item();
    });
    losses.push(loss);
    options.onStep?.(step, loss);
  }
  const predictions = tidy(() => Array.from(forward().dataSync()));
  return { losses, predictions, liveTensors: memory().numTensors };
}

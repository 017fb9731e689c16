/** A tiny seeded MLP regression problem whose gradients come from core's autograd. */
import { noGrad, randn, type Tensor, tidy } from '@gradsight/core';

export interface Problem {
  params: Tensor[];
  /** Sets every parameter's `.grad` to the gradient of the loss and returns the loss. */
  backward(): number;
}

export function mlpProblem(seed = 1, init?: readonly Tensor[]): Problem {
  const x = randn([8, 3], { seed });
  const y = randn([8, 2], { seed: seed + 1 });
  const params = init
    ? init.map((t) => noGrad(() => t.clone()).requiresGrad_())
    : [
        randn([3, 5], { seed: seed + 2, std: 0.5 }),
        randn([5], { seed: seed + 3, std: 0.1 }),
        randn([5, 2], { seed: seed + 4, std: 0.5 }),
      ].map((t) => t.requiresGrad_());
  const [w1, b1, w2] = params as [Tensor, Tensor, Tensor];
  names(params);
  return {
    params,
    backward: () =>
      tidy(() => {
        for (const p of params) {
          p.grad?.dispose();
          p.grad = null;
        }
        const loss = x.matmul(w1).add(b1).tanh().matmul(w2).sub(y).square().mean();
        loss.backward();
        return loss.item();
      }),
  };
}

function names(params: Tensor[]): void {
  ['w1', 'b1', 'w2'].forEach((n, i) => {
    params[i]!.name = n;
  });
}

export function snapshot(params: readonly Tensor[]): Float32Array[] {
  return params.map((p) => p.dataSync() as Float32Array);
}

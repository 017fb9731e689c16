// Fit y = sin(x) with a 1-32-1 tanh MLP: Adam + OneCycleLR + gradient clipping.
// Run from the repository root after `pnpm build`: node packages/optim/examples/train-sine.mjs
import { linspace, randn, sin, tidy, zeros } from '@gradsight/core';
import { Adam, clipGradNorm, OneCycleLR } from '@gradsight/optim';

const x = linspace(-3, 3, 64).reshape([64, 1]);
const y = sin(x);
const w1 = randn([1, 32], { seed: 1 }).requiresGrad_();
const b1 = zeros([32]).requiresGrad_();
const w2 = randn([32, 1], { seed: 2, std: 0.2 }).requiresGrad_();
const b2 = zeros([1]).requiresGrad_();
const params = [w1, b1, w2, b2];

const steps = 300;
const optimizer = new Adam(params, { weightDecay: 1e-4 });
// warms the rate up to 0.05 and anneals it; cycles Adam's beta1 between 0.95 and 0.85
const schedule = new OneCycleLR(optimizer, { maxLr: 0.05, totalSteps: steps });

const losses = [];
for (let step = 0; step < steps; step++) {
  const loss = tidy(() => {
    const pred = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
    const mse = pred.sub(y).square().mean();
    mse.backward();
    return mse.item();
  });
  const gradNorm = clipGradNorm(params, 1.0); // the norm before clipping
  optimizer.step();
  optimizer.zeroGrad();
  schedule.step();
  losses.push(loss);
  if (step % 60 === 0) {
    const lr = schedule.getLastLr()[0];
    console.log(
      `step ${step}: loss ${loss.toFixed(4)}, grad norm ${gradNorm.toFixed(3)}, next lr ${lr.toFixed(4)}`,
    );
  }
}
console.log(`loss ${losses[0].toFixed(4)} -> ${losses[steps - 1].toFixed(4)}`);

export { losses };

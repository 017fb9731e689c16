/**
 * Trains two 20-layer MLPs for a few steps under the monitor and writes the documentation
 * charts to ../docs: the gradient flow of a sigmoid net with PyTorch's default init (vanishing)
 * and of a ReLU net with He init (healthy), plus the vanishing run's heatmap and update ratios.
 *
 *   pnpm --filter @gradsight/gradient-monitor docs:charts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randint, randn, sgdUpdate, softmaxCrossEntropy, tidy } from '@gradsight/core';
import {
  buildReport,
  gradientFlowChart,
  gradNormHeatmap,
  summaryTable,
  updateRatioChart,
  watch,
} from '@gradsight/gradient-monitor';
import { init, Linear, type Module, ReLU, Sequential, Sigmoid } from '@gradsight/layers';

function mlp(act: 'sigmoid' | 'relu', depth = 20, width = 32): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i < depth; i++) {
    const lin = new Linear(i === 0 ? 16 : width, i === depth - 1 ? 10 : width, { seed: 1000 + i });
    if (act === 'relu') init.kaimingNormal(lin.weight, { seed: 2000 + i, nonlinearity: 'relu' });
    layers.push(lin);
    if (i < depth - 1) layers.push(act === 'sigmoid' ? new Sigmoid() : new ReLU());
  }
  return new Sequential(...layers);
}

function run(net: Sequential, steps = 20, lr = 0.01) {
  const monitor = watch(net, { weightsEvery: 1 });
  const params = net.parameters();
  const optimizer = monitor.wrapOptimizer({
    step() {
      for (const p of params) {
        if (p.grad)
          sgdUpdate(p, p.grad, null, {
            lr,
            momentum: 0,
            dampening: 0,
            weightDecay: 0,
            nesterov: false,
            firstStep: false,
          });
      }
    },
  });
  for (let s = 0; s < steps; s++) {
    tidy(() => {
      for (const p of params) p.grad = null;
      const x = randn([32, 16], { seed: s });
      const y = randint(0, 10, [32], { seed: 10_000 + s });
      const loss = softmaxCrossEntropy(net.call(x), y).mean();
      loss.backward();
      monitor.afterBackward(loss);
      optimizer.step();
    });
  }
  monitor.close();
  return buildReport(monitor);
}

const out = fileURLToPath(new URL('../docs/', import.meta.url));
mkdirSync(out, { recursive: true });
const vanishing = run(mlp('sigmoid'));
const healthy = run(mlp('relu'));
const yDomain = [1e-19, 1] as const;
const files: Record<string, string> = {
  'gradient-flow-vanishing.svg': gradientFlowChart(vanishing, {
    title: 'Sigmoid, default init: vanishing',
    weightLayersOnly: true,
    yDomain,
    id: 'vanishing',
  }),
  'gradient-flow-healthy.svg': gradientFlowChart(healthy, {
    title: 'ReLU, He init: healthy',
    weightLayersOnly: true,
    yDomain,
    id: 'healthy',
  }),
  'grad-norm-heatmap-vanishing.svg': gradNormHeatmap(vanishing, {
    title: 'log10 ‖g‖ per layer, sigmoid net',
    id: 'heatmap',
  }),
  'update-ratio-healthy.svg': updateRatioChart(healthy, {
    title: 'Update ratio ‖Δw‖/‖w‖, ReLU net (SGD, lr 0.01)',
    id: 'ratio',
  }),
};
for (const [name, svg] of Object.entries(files)) writeFileSync(out + name, `${svg}\n`);
console.log(summaryTable(vanishing));
console.log();
console.log(summaryTable(healthy));
console.log(`\nwrote ${Object.keys(files).join(', ')} to ${out}`);

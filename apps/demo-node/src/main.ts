/**
 * gradsight's main demo: a deep net that cannot learn, the monitor's diagnosis of why, and the
 * same net with the remedies it suggests. Writes the report, CSV and charts to ./out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getBackend, setBackend } from '@gradsight/core';
import {
  checkInit,
  formatInitReport,
  gradientFlowChart,
  gradNormHeatmap,
  reportToCsv,
  summaryTable,
  updateRatioChart,
} from '@gradsight/gradient-monitor';
import { crossEntropy } from '@gradsight/layers';
import { createWasmBackend } from '@gradsight/tensor-wasm';
import { deepMlp, type Recipe } from './deep-net.js';
import { twoSpirals } from './spirals.js';
import { type RunResult, trainWithMonitor } from './train.js';
import { trainXor } from './xor.js';

const quick = process.argv.includes('--quick');
const steps = quick ? 60 : 300;
const outDir = fileURLToPath(new URL('../out/', import.meta.url));

setBackend(await createWasmBackend());
console.log(`gradsight demo on backend '${getBackend().name}'\n`);

console.log('1. Autograd underneath: a 2-layer MLP learns XOR with raw ops and manual SGD');
const xor = trainXor({ steps: 600 });
console.log(
  `   loss ${xor.losses[0]!.toFixed(4)} → ${xor.losses.at(-1)!.toFixed(4)}; predictions ${xor.predictions.map((p) => p.toFixed(2)).join(' ')}\n`,
);

const data = twoSpirals(256, { seed: 7 });
const runs: Partial<Record<Recipe, RunResult>> = {};
const titles: Record<Recipe, string> = {
  'sigmoid-default': "2. A 16-layer sigmoid MLP with PyTorch's default init, on two spirals",
  'relu-he-batchnorm': '3. The same depth with the remedies: ReLU, He init, BatchNorm',
};
for (const recipe of ['sigmoid-default', 'relu-he-batchnorm'] as const) {
  console.log(titles[recipe]);
  const model = deepMlp(recipe, { seed: 1 });
  // Before training: one forward/backward through depth (signal propagation, χ₁ estimate).
  const initReport = checkInit(model, data.x, (out) => crossEntropy(out, data.y));
  console.log(indent(formatInitReport(initReport).split('\n')[0]!));
  const run = trainWithMonitor(model, data, {
    steps,
    onStep: (s, loss) => {
      if (s % Math.max(1, Math.floor(steps / 5)) === 0 || s === steps - 1)
        console.log(`   step ${String(s).padStart(3)}  loss ${loss.toFixed(4)}`);
    },
  });
  runs[recipe] = run;
  console.log(`   training accuracy: ${(run.accuracy * 100).toFixed(1)}%`);
  if (run.findings.length === 0)
    console.log('   monitor: no findings — gradients are healthy at every depth');
  for (const f of run.findings) {
    console.log(`   monitor [${f.severity}] ${f.kind}: ${f.evidence}`);
    if (f.remedies.length) console.log(`     try: ${f.remedies.slice(0, 4).join('; ')}`);
  }
  console.log();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}${recipe}.report.json`, JSON.stringify(run.report));
  writeFileSync(`${outDir}${recipe}.csv`, reportToCsv(run.report));
  writeFileSync(
    `${outDir}${recipe}.gradient-flow.svg`,
    gradientFlowChart(run.report, { title: `Gradient flow — ${recipe}` }),
  );
  writeFileSync(`${outDir}${recipe}.grad-norm-heatmap.svg`, gradNormHeatmap(run.report));
  writeFileSync(`${outDir}${recipe}.update-ratio.svg`, updateRatioChart(run.report));
  if (recipe === 'relu-he-batchnorm') console.log(indent(summaryTable(run.report)));
}
console.log(`\nReports, CSV and SVG charts written to ${outDir}`);

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}

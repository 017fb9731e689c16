/** Trains one net under the gradient monitor and returns what the demo prints and writes. */
import { noGrad, type Tensor, tidy } from '@gradsight/core';
import { buildReport, type Finding, type MonitorReport, watch } from '@gradsight/gradient-monitor';
import { accuracy, crossEntropy, type Sequential } from '@gradsight/layers';
import { Adam } from '@gradsight/optim';

export interface RunResult {
  losses: number[];
  accuracy: number;
  findings: Finding[];
  report: MonitorReport;
}

export function trainWithMonitor(
  model: Sequential,
  data: { x: Tensor; y: Tensor },
  options: { steps: number; lr?: number; onStep?: (step: number, loss: number) => void },
): RunResult {
  const monitor = watch(model, { weightsEvery: 5 });
  const findings: Finding[] = [];
  monitor.on('finding', (f) => findings.push(f));
  const optimizer = monitor.wrapOptimizer(new Adam(model.parameters(), { lr: options.lr ?? 1e-2 }));
  const losses: number[] = [];
  model.train();
  for (let step = 0; step < options.steps; step++) {
    const loss = tidy(() => {
      optimizer.zeroGrad();
      const l = crossEntropy(model.call(data.x), data.y);
      l.backward();
      monitor.afterBackward(l);
      optimizer.step();
      return l.item();
    });
    losses.push(loss);
    options.onStep?.(step, loss);
  }
  model.eval();
  const acc = tidy(() => noGrad(() => accuracy(model.call(data.x), data.y)));
  const report = buildReport(monitor);
  // Findings raised during training plus the verdict on the final history.
  const final = monitor.diagnose();
  monitor.close();
  return { losses, accuracy: acc, findings: dedupe([...findings, ...final]), report };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) seen.set(`${f.kind}:${f.layers.join(',')}`, f);
  return [...seen.values()];
}

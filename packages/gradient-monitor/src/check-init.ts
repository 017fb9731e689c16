/**
 * `checkInit(model, sampleBatch, lossFn?)`: a signal-propagation check before training. One
 * forward and one backward pass report, per layer through depth, the variance of the
 * activations (forward) and the RMS of the gradient reaching each layer's output (backward),
 * and estimate the per-layer gradient ratio. In the mean-field picture (Schoenholz et al.
 * 2017) the backward second moment changes by χ₁ = σ_w²·E[φ′(h)²] per layer, so the squared
 * RMS ratio between adjacent weight layers estimates χ₁: < 1 vanishes, > 1 explodes.
 *
 * Without a loss function the objective is a probe, (1/N)·Σ output·r with a seeded
 * r ~ N(0, 1) and N the number of output rows: every output row receives a gradient of unit
 * variance per entry, divided by N as a mean-reduced training loss would, so gradient norms
 * have the same order as in training and do not grow with the batch. (A plain sum of the
 * outputs would not do: after a normalisation layer its gradient is exactly 0.)
 *
 * The model's existing `.grad`s and its buffers (BatchNorm running statistics, which a
 * forward pass in training mode updates) are left as they were.
 */
import { mul, randn, sum, type Tensor, tensor, tidy, ValueError } from '@gradsight/core';
import { depthFindings } from './diagnose.js';
import { displayPath } from './model-map.js';
import { watch } from './monitor.js';
import type { WatchOptions } from './options.js';
import { L, L_COLS } from './record.js';
import { valueStats } from './stats.js';
import type { Callable, Finding, HookableModule, HookHandle } from './types.js';

export interface CheckInitOptions
  extends Pick<WatchOptions, 'thresholds' | 'saturation' | 'activationTypes'> {
  /**
   * Loss of the model output. Default: the probe (1/N)·Σ(output · r), r ~ N(0, 1) seeded, N the
   * number of output rows (all axes but the last; each entry of a rank-1 output is a row).
   */
  lossFn?: (output: Tensor) => Tensor;
  /** Seed of the default probe loss. Default 0. */
  seed?: number;
}

export interface InitLayer {
  path: string;
  typeName: string;
  /** Owns a rank ≥ 2 parameter (Linear, Conv): the layers the χ₁ estimate uses. */
  weightLayer: boolean;
  outputMean: number;
  /** Population variance of the module's output over the batch. */
  outputVariance: number;
  /** RMS of ∂loss/∂output (NaN when the output did not require grad). */
  outputGradRms: number;
  /** L2 norm of the gradient of the module's own parameters (NaN if it has none). */
  paramGradNorm: number;
}

export interface InitReport {
  /** Value of `lossFn`, or of the probe objective when none was given (not a loss then). */
  loss: number;
  /** 'loss' when a `lossFn` was given, 'probe' for the default random projection. */
  objective: 'loss' | 'probe';
  /** Leaf modules in the order their forward ran. */
  layers: InitLayer[];
  /**
   * Geometric mean, over adjacent weight layers, of RMS(∂L/∂out) of layer l over that of layer
   * l+1: the factor by which the backward signal changes per layer toward the input.
   */
  gradRatioPerLayer: number;
  /** gradRatioPerLayer² ≈ χ₁ (equal widths): < 1 ordered (vanishing), > 1 chaotic (exploding). */
  chi1: number;
  /** Findings of the depth, activation and non-finite rules on this single step. */
  findings: Finding[];
}

export function checkInit(
  model: Callable,
  sampleBatch: Tensor | Tensor[],
  lossFnOrOptions?: CheckInitOptions['lossFn'] | CheckInitOptions,
): InitReport {
  const opts: CheckInitOptions =
    typeof lossFnOrOptions === 'function' ? { lossFn: lossFnOrOptions } : (lossFnOrOptions ?? {});
  const forward =
    typeof model.call === 'function'
      ? model.call.bind(model)
      : typeof model.forward === 'function'
        ? model.forward.bind(model)
        : null;
  if (!forward)
    throw new ValueError(
      'checkInit: the model needs call(...inputs) or forward(...inputs) to run a forward pass.',
    );
  const inputs = Array.isArray(sampleBatch) ? sampleBatch : [sampleBatch];
  const params = [...model.namedParameters()].map(([, p]) => p);
  const saved = params.map((p) => p.grad);
  for (const p of params) p.grad = null;
  const buffers = typeof model.buffers === 'function' ? [...model.buffers()] : [];
  const savedBuffers = buffers.map((b) => b.dataSync().slice());

  const modules: [string, HookableModule][] =
    typeof model.namedModules === 'function' ? [...model.namedModules()] : [];
  const paths = modules.map(([p]) => p);
  const leaves = modules.filter(
    ([path]) => !paths.some((q) => q !== path && (path === '' || q.startsWith(`${path}.`))),
  );
  const ownsWeight = new Set(
    [...model.namedParameters()]
      .filter(([, t]) => t.rank >= 2)
      .map(([n]) => (n.includes('.') ? n.slice(0, n.lastIndexOf('.')) : '')),
  );
  const probes: InitLayer[] = [];
  const handles: HookHandle[] = [];
  for (const [path, m] of leaves) {
    handles.push(
      m.registerForwardHook((_m: unknown, _in: Tensor[], out: Tensor) => {
        const s = valueStats(out.dataSync());
        const mean = s.sum / Math.max(1, s.n);
        const probe: InitLayer = {
          path,
          typeName: m.typeName,
          weightLayer: ownsWeight.has(path),
          outputMean: mean,
          outputVariance: Math.max(0, s.sumSq / Math.max(1, s.n) - mean * mean),
          outputGradRms: Number.NaN,
          paramGradNorm: Number.NaN,
        };
        probes.push(probe);
        if (out.requiresGrad) {
          out.registerHook((g) => {
            const gs = valueStats(g.dataSync());
            probe.outputGradRms = Math.sqrt(gs.sumSq / Math.max(1, gs.n));
          });
        }
      }),
    );
  }
  const monitor = watch(model, {
    every: 1,
    updateRatio: false,
    diagnoseEvery: 0,
    ...(opts.thresholds ? { thresholds: opts.thresholds } : {}),
    ...(opts.saturation ? { saturation: opts.saturation } : {}),
    ...(opts.activationTypes ? { activationTypes: opts.activationTypes } : {}),
  });
  let loss = Number.NaN;
  try {
    tidy(() => {
      const out = forward(...inputs);
      const l = opts.lossFn ? opts.lossFn(out) : probeObjective(out, opts.seed ?? 0);
      l.backward();
      monitor.step(l);
      loss = l.dataSync()[0]!;
    });
    const rec = monitor.history.last(1)[0]!;
    for (const l of monitor.map.layers) {
      const probe = probes.find((p) => p.path === l.path);
      if (probe) probe.paramGradNorm = rec.layers[l.index * L_COLS + L.gradNorm]!;
    }
    const w = probes.filter((p) => p.weightLayer && Number.isFinite(p.outputGradRms) && p.outputGradRms > 0);
    // The gradient at the output of a layer that feeds a normalisation layer scales as 1/‖w‖:
    // those layers are judged by the monitor's ‖g‖·‖w‖ profile, not by this one.
    const invariant = new Set(monitor.scaleInvariantLayers);
    const ratio =
      w.length >= 2
        ? (w[0]!.outputGradRms / w[w.length - 1]!.outputGradRms) ** (1 / (w.length - 1))
        : Number.NaN;
    const findings = monitor.diagnose();
    // The output-gradient profile is the purer signal at init; add its verdict when the weight-gradient rule was silent.
    const th = monitor.options.thresholds;
    if (!findings.some((f) => f.kind === 'vanishing' || f.kind === 'exploding')) {
      const extra = depthFindings(
        w
          .filter((p) => !invariant.has(p.path))
          .map((p) => ({ layer: p.path, rms: p.outputGradRms, norm: 0 })),
        th,
        modules.map(([, m]) => m.typeName),
        0,
      );
      findings.push(
        ...extra.map((f) => ({ ...f, evidence: `${f.evidence} (gradient w.r.t. layer outputs at init)` })),
      );
    }
    return {
      loss,
      objective: opts.lossFn ? 'loss' : 'probe',
      layers: probes,
      gradRatioPerLayer: ratio,
      chi1: ratio * ratio,
      findings,
    };
  } finally {
    for (const h of handles) h.remove();
    monitor.close();
    buffers.forEach((b, i) => {
      const v = tensor(savedBuffers[i]!, b.shape, b.dtype);
      b.assign(v);
      v.dispose();
    });
    params.forEach((p, i) => {
      if (p.grad && p.grad !== saved[i]) p.grad.dispose();
      p.grad = saved[i] ?? null;
    });
  }
}

/** (1/N)·Σ out·r: a unit-variance gradient per output entry, mean-reduced over the N rows. */
function probeObjective(out: Tensor, seed: number): Tensor {
  const rows = out.rank >= 2 ? out.size / out.shape[out.rank - 1]! : Math.max(1, out.size);
  return mul(sum(mul(out, randn(out.shape, { seed }))), 1 / rows);
}

/** A one-line-per-layer text rendering of an init report. */
export function formatInitReport(r: InitReport): string {
  const objective = r.objective === 'probe' ? 'probe objective (1/N)·Σ out·r' : 'loss';
  const lines = [
    `checkInit: ${objective} ${r.loss.toPrecision(4)}; backward ratio per weight layer ${r.gradRatioPerLayer.toPrecision(3)} (χ₁ ≈ ${r.chi1.toPrecision(3)})`,
  ];
  for (const l of r.layers) {
    lines.push(
      `  ${displayPath(l.path).padEnd(16)} ${l.typeName.padEnd(12)} var(out) ${l.outputVariance.toExponential(2)}  rms(∂L/∂out) ${l.outputGradRms.toExponential(2)}${Number.isFinite(l.paramGradNorm) ? `  ‖∂L/∂θ‖ ${l.paramGradNorm.toExponential(2)}` : ''}`,
    );
  }
  for (const f of r.findings) lines.push(`  [${f.severity}] ${f.kind}: ${f.evidence}`);
  return lines.join('\n');
}

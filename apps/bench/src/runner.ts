/** Runs one case on every engine, one engine after the other, in this process. */
import type { BenchCase, CaseSpec } from './cases.js';
import { makeCaseData } from './data.js';
import { ENGINE_LABELS, type Engine, type EngineId, type Prepared } from './engine.js';
import { formatNumber } from './format.js';
import { type MeasureOptions, measure, measurePair } from './measure.js';
import { type CaseResult, type CellResult, type CellStatus, summarise, timingCell } from './results.js';
import { median } from './stats.js';

export interface RunnerOptions {
  measure: MeasureOptions;
  /**
   * A cell whose predicted time (warm-up + minRuns runs, from the probe) exceeds its engine
   * role's budget is skipped as 'skipped (slow)'. gradsight-wasm cells are never skipped. A
   * budget of 0 runs only the agreement check ('check only'): --quick keeps gs-ref JS as the
   * correctness reference without spending the time to measure it.
   */
  budgets: { reference: number; peer: number };
  log: (line: string) => void;
}

/** The case a monitored step's overhead is measured against: the same MLP step, unmonitored. */
export function baselineOf(spec: CaseSpec): CaseSpec | null {
  return spec.kind === 'mlpStepMonitored'
    ? { kind: 'mlpStep', layers: spec.layers, batch: spec.batch }
    : null;
}

function failure(err: unknown): CellResult {
  const text = (err instanceof Error ? `${err.name}: ${err.message}` : String(err))
    .split('\n')[0]!
    .slice(0, 300);
  const unsupported = /not registered for backend|UnsupportedKernel/i.test(text);
  return { status: unsupported ? 'unsupported' : 'error', note: text };
}

async function runOn(
  e: Engine,
  c: BenchCase,
  data: ReturnType<typeof makeCaseData>,
  opts: RunnerOptions,
): Promise<{ cell: CellResult; check?: Float32Array }> {
  if (e.unavailable) return { cell: { status: e.unavailable as CellStatus, note: e.detail } };
  const no = e.cannotRun(c.spec);
  if (no) return { cell: { status: no.status, note: no.note } };
  let prepared: Prepared | undefined;
  let baseline: Prepared | undefined;
  let check: Float32Array | undefined;
  // more samples where the overhead ratio needs them, on the gradsight-wasm builds only: the
  // peers' cells keep their budget and the run its length
  const method =
    c.measure && e.role === 'wasm'
      ? { ...opts.measure, minRuns: Math.max(opts.measure.minRuns, c.measure.minRuns) }
      : opts.measure;
  try {
    prepared = await e.prepare(c.spec, data);
    // The check run doubles as a probe of how long one run takes.
    const t0 = performance.now();
    check = prepared.check();
    const probeMs = performance.now() - t0;
    const predictedMs = Math.max(method.warmupMs - probeMs, 0) + probeMs * method.minRuns;
    const budget = e.role === 'wasm' ? Number.POSITIVE_INFINITY : opts.budgets[e.role];
    if (budget === 0) return { cell: { status: 'check only', note: 'not timed in this mode' }, check };
    if (predictedMs > budget) {
      const note = `one run took ${probeMs.toFixed(0)} ms; ${method.minRuns} runs would exceed ${budget / 1000} s`;
      return { cell: { status: 'skipped (slow)', note }, check };
    }
    const base = baselineOf(c.spec);
    if (base) {
      // the overhead cases time their plain step alternately with themselves
      baseline = await e.prepare(base, data);
      const [b, m] = measurePair([baseline.run, prepared.run], method);
      const cell = timingCell(c, m.samples, m.warmupRuns, m.cpuSamples);
      cell.baselineMedianMs = median(b.samples);
      cell.baselineCpuMedianMs = median(b.cpuSamples);
      return { cell, check };
    }
    const m = measure(prepared.run, method, probeMs);
    return { cell: timingCell(c, m.samples, m.warmupRuns, m.cpuSamples), check };
  } catch (err) {
    return { cell: failure(err), ...(check ? { check } : {}) };
  } finally {
    try {
      baseline?.dispose();
      prepared?.dispose();
    } catch (err) {
      opts.log(`  warning: ${e.id} failed to dispose case ${c.id}: ${String(err)}`);
    }
  }
}

export async function runCase(
  c: BenchCase,
  engines: readonly Engine[],
  opts: RunnerOptions,
): Promise<CaseResult> {
  const data = makeCaseData(c.spec);
  const cells: Partial<Record<EngineId, CellResult>> = {};
  const checks: Partial<Record<EngineId, Float32Array>> = {};
  const line: string[] = [];
  for (const e of engines) {
    const before = e.unavailable ? 0 : e.liveTensors();
    const { cell, check } = await runOn(e, c, data, opts);
    cells[e.id] = cell;
    if (check) checks[e.id] = check;
    const leaked = e.unavailable ? 0 : e.liveTensors() - before;
    if (leaked !== 0) opts.log(`  warning: ${ENGINE_LABELS[e.id]} left ${leaked} live tensors after ${c.id}`);
    if (cell.status === 'error') opts.log(`  ${ENGINE_LABELS[e.id]}: ${cell.note}`);
    line.push(`${ENGINE_LABELS[e.id]} ${cell.status === 'ok' ? formatNumber(cell.value!) : cell.status}`);
  }
  opts.log(`  ${line.join(' | ')}  (${c.unit})`);
  return summarise(c, cells, checks);
}

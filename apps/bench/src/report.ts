/** The markdown report (bench-results.md) and the JSON document (bench-results.json). */
import { ENGINE_IDS, ENGINE_LABELS, type EngineId } from './engine.js';
import type { MachineInfo } from './machine.js';
import type { MeasureOptions } from './measure.js';
import { type CaseResult, CONTENDED_RATIO } from './results.js';
import { renderMarkdownTable, renderResults } from './table.js';
import type { TargetResult } from './targets.js';

export interface EngineInfo {
  id: EngineId;
  label: string;
  status: string;
  detail: string;
}

export interface BenchRun {
  mode: 'quick' | 'full';
  machine: MachineInfo;
  method: MeasureOptions & { budgets: { reference: number; peer: number } };
  engines: EngineInfo[];
  cases: CaseResult[];
  targets: TargetResult[];
  totalSeconds: number;
}

/** What to print in the ratio column when no wasm build ran. */
export function wasmStatusOf(engines: readonly EngineInfo[]): string | null {
  const wasm = engines.filter((e) => e.id.startsWith('gs-wasm'));
  return wasm.every((e) => e.status !== 'ready') ? (wasm[0]?.status ?? null) : null;
}

export function renderTargets(targets: readonly TargetResult[]): string {
  return renderMarkdownTable(
    ['target (issue 3)', 'measured', 'met'],
    targets.map((t) => [
      t.target,
      `${t.measured}${t.contended ? ' *' : ''}`,
      t.met === null ? '–' : t.met ? 'yes' : 'no',
    ]),
  );
}

/** Why cells have no number (skipped, unsupported, errors), one line each. */
function notesSection(cases: readonly CaseResult[]): string[] {
  const lines: string[] = [];
  for (const c of cases) {
    for (const id of ENGINE_IDS) {
      const cell = c.cells[id];
      if (!cell?.note || cell.status === 'not built' || cell.status === 'check only' || cell.status === 'n/a')
        continue;
      lines.push(`- ${c.title}, ${ENGINE_LABELS[id]}: ${cell.status} — ${cell.note}`);
    }
  }
  return lines.length === 0 ? [] : ['## Cells without a number', '', ...lines, ''];
}

export function renderReport(run: BenchRun): string {
  const m = run.machine;
  const engineLines = ENGINE_IDS.map((id) => run.engines.find((e) => e.id === id))
    .filter((e): e is EngineInfo => e !== undefined)
    .map((e) => `- **${ENGINE_LABELS[e.id]}**: ${e.status}. ${e.detail}`);
  return [
    `# gradsight bench (${run.mode})`,
    '',
    `${m.date} · ${m.cpuModel} · ${m.logicalCores} logical cores · ${m.platform} · Node ${m.node} (V8 ${m.v8}) · flags \`${m.execArgv.join(' ')}\` · ` +
      `load average ${m.loadAverageStart.toFixed(2)} at start, ${m.loadAverageEnd?.toFixed(2) ?? '?'} at end · ${run.totalSeconds.toFixed(0)} s in total`,
    '',
    `Median wall time of ≥ ${run.method.minRuns} runs after ≥ ${run.method.warmupMs} ms of warm-up per case and engine, single thread, all engines in one process. ` +
      'GFLOP/s and GB/s: higher is better; ms: lower is better. Ratios are peer time / best gradsight-wasm time (> 1: gradsight-wasm is faster). ' +
      "max rel diff: max over engines of max|x − ref| / max|ref| for one output per case (a training step: the first layer's weight gradient), ref = gs-ref JS unless noted. " +
      (run.method.budgets.reference === 0
        ? 'check only: gs-ref JS ran once, as the agreement reference, and was not timed. '
        : `skipped (slow): one run predicted the cell to exceed ${run.method.budgets.reference / 1000} s (gs-ref JS) or ${run.method.budgets.peer / 1000} s (tfjs). `) +
      `* wall median > ${CONTENDED_RATIO}× CPU median: another process took the core during that cell, so its number is pessimistic.`,
    '',
    renderResults(run.cases, ENGINE_IDS, wasmStatusOf(run.engines)),
    '',
    '## Engines',
    '',
    ...engineLines,
    '',
    ...notesSection(run.cases),
    '## Targets',
    '',
    renderTargets(run.targets),
    '',
  ].join('\n');
}

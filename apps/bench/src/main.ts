/**
 * `pnpm bench [--quick]`: gradsight-wasm (each build), gradsight's reference JS backend,
 * tfjs-backend-wasm and tfjs-backend-cpu on the cases of issue 3, in one process and one run.
 * Progress goes to stderr, the markdown table to stdout, and bench-results.{json,md} next to
 * this package.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allCases, selectCases } from './cases.js';
import { parseArgs, USAGE } from './cli-args.js';
import { ENGINE_IDS, ENGINE_LABELS, type Engine } from './engine.js';
import { loadGradsightEngines } from './engine-gradsight.js';
import { loadTfjsEngines } from './engine-tfjs.js';
import { currentLoad, machineInfo } from './machine.js';
import { type BenchRun, renderReport, renderTargets, wasmStatusOf } from './report.js';
import { type CaseResult, CONTENDED_RATIO, compareFusedAdam, compareMonitorOverhead } from './results.js';
import { runCase } from './runner.js';
import { renderResults } from './table.js';
import { evaluateTargets } from './targets.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const started = performance.now();
  const machine = machineInfo();
  const method = args.quick
    ? { warmupMs: 300, minRuns: 10, minTimedMs: 0, maxRuns: 10, budgets: { reference: 0, peer: 2_500 } }
    : {
        warmupMs: 300,
        minRuns: 10,
        minTimedMs: 500,
        maxRuns: 200,
        budgets: { reference: 20_000, peer: 90_000 },
      };
  log(
    `gradsight bench (${args.quick ? 'quick' : 'full'}) on ${machine.cpuModel}, Node ${machine.node}, load ${machine.loadAverageStart.toFixed(2)}`,
  );

  const loaded: Engine[] = [...(await loadGradsightEngines()), ...(await loadTfjsEngines())];
  const engines = ENGINE_IDS.map((id) => loaded.find((e) => e.id === id)!);
  const engineInfo = engines.map((e) => ({
    id: e.id,
    label: ENGINE_LABELS[e.id],
    status: e.unavailable ?? 'ready',
    detail: e.detail,
  }));
  for (const e of engineInfo) log(`  ${e.label}: ${e.status} — ${e.detail}`);

  const cases = selectCases(allCases(), {
    quick: args.quick,
    ...(args.filter ? { filter: args.filter } : {}),
  });
  if (cases.length === 0) throw new Error(`bench: no case matches ${String(args.filter)}.`);
  const results: CaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    log(`[${i + 1}/${cases.length}] ${c.title} (at ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    results.push(await runCase(c, engines, { measure: method, budgets: method.budgets, log }));
  }

  compareFusedAdam(results);
  compareMonitorOverhead(results);
  machine.loadAverageEnd = currentLoad();
  const run: BenchRun = {
    mode: args.quick ? 'quick' : 'full',
    machine,
    method,
    engines: engineInfo,
    cases: results,
    targets: evaluateTargets(results),
    totalSeconds: (performance.now() - started) / 1000,
  };
  console.log(renderResults(results, ENGINE_IDS, wasmStatusOf(engineInfo)));
  console.log(
    `\n\\* wall median > ${CONTENDED_RATIO}× CPU median: another process took the core during that cell.\n`,
  );
  console.log(renderTargets(run.targets));
  if (args.write) {
    const dir = fileURLToPath(new URL('..', import.meta.url));
    writeFileSync(`${dir}bench-results.json`, `${JSON.stringify(run, null, 2)}\n`);
    writeFileSync(`${dir}bench-results.md`, renderReport(run));
    log(`wrote ${dir}bench-results.json and ${dir}bench-results.md`);
  }
  log(
    `done in ${run.totalSeconds.toFixed(0)} s; load average ${machine.loadAverageStart.toFixed(2)} → ${machine.loadAverageEnd.toFixed(2)}`,
  );
}

main().catch((err: unknown) => {
  // The bench's own errors (bad arguments, no matching case) need no stack trace.
  const own = err instanceof Error && err.message.startsWith('bench:');
  log(err instanceof Error ? (own ? err.message : (err.stack ?? err.message)) : String(err));
  process.exitCode = 1;
});

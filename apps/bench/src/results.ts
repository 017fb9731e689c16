/** The shape of bench-results.json and the arithmetic on it: values, ratios, agreement. */
import { type BenchCase, MLP_STEP_ID, MONITOR_HISTOGRAMS_ID, MONITOR_NORMS_ID, type Unit } from './cases.js';
import { CHECK_ORDER, type EngineId, PEER_IDS, WASM_IDS } from './engine.js';
import { maxRelDiff, median } from './stats.js';

export type CellStatus =
  | 'ok'
  | 'not built'
  | 'unsupported'
  | 'skipped (slow)'
  | 'check only'
  | 'n/a'
  | 'error';

export interface CellResult {
  status: CellStatus;
  /** Why a cell has no number (error message, missing kernel, …). */
  note?: string;
  medianMs?: number;
  /** Median CPU time of the process per run; well below medianMs means it was descheduled. */
  cpuMedianMs?: number;
  minMs?: number;
  maxMs?: number;
  runs?: number;
  warmupRuns?: number;
  /** The median expressed in the case's unit. */
  value?: number;
  /** Agreement with the case's check reference (max |x − ref| / max |ref|). */
  maxRelDiff?: number;
  /**
   * Cases with a baseline (the monitored MLP steps): the baseline's medians, from samples
   * taken alternately with this cell's.
   */
  baselineMedianMs?: number;
  baselineCpuMedianMs?: number;
}

export interface CaseResult {
  id: string;
  title: string;
  unit: Unit;
  work?: number;
  cells: Partial<Record<EngineId, CellResult>>;
  /** The fastest gradsight-wasm build on this case. */
  bestWasm?: EngineId;
  /** Peer median time / best wasm median time: > 1 means gradsight-wasm is faster. */
  ratios: Partial<Record<EngineId, number>>;
  /**
   * Fused-Adam row only: the best wasm build's composed-Adam time / its fused time. The peer
   * ratios of that row compare with the peers' (composed) Adam, as no peer has a fused one.
   */
  fusedSpeedup?: number;
  /**
   * Monitored-MLP rows only: per engine, (monitored step time / plain MLP step time − 1) × 100,
   * both medians from the same run.
   */
  overheadPct?: Partial<Record<EngineId, number>>;
  /** The same from the CPU-time medians (what the process spent, whatever else ran). */
  overheadCpuPct?: Partial<Record<EngineId, number>>;
  checkReference?: EngineId;
  maxRelDiff?: number;
  worstEngine?: EngineId;
}

/**
 * Gives the fused-Adam row its comparisons: with gradsight's own composed path (same build)
 * and with each peer's Adam, which is composed from ops in every peer.
 */
export function compareFusedAdam(results: readonly CaseResult[]): void {
  const fused = results.find((r) => r.id === 'adam-fused');
  const composed = results.find((r) => r.id === 'adam-composed');
  if (!fused?.bestWasm || !composed) return;
  const fusedMs = fused.cells[fused.bestWasm]!.medianMs!;
  const ownComposed = composed.cells[fused.bestWasm]?.medianMs;
  if (ownComposed !== undefined) fused.fusedSpeedup = ownComposed / fusedMs;
  for (const peer of PEER_IDS) {
    const ms = composed.cells[peer]?.medianMs;
    if (ms !== undefined) fused.ratios[peer] = ms / fusedMs;
  }
}

/**
 * Gives the monitored-MLP rows their overhead against the plain MLP step, per engine: the
 * plain step timed alternately with the monitored one (see `measurePair`), or else the plain
 * MLP row of the same run.
 */
export function compareMonitorOverhead(results: readonly CaseResult[]): void {
  const plain = results.find((r) => r.id === MLP_STEP_ID);
  for (const r of results) {
    if (r.id !== MONITOR_NORMS_ID && r.id !== MONITOR_HISTOGRAMS_ID) continue;
    const over: Partial<Record<EngineId, number>> = {};
    const overCpu: Partial<Record<EngineId, number>> = {};
    for (const [id, cell] of Object.entries(r.cells) as [EngineId, CellResult][]) {
      // the baseline timed alternately with the cell when there is one, else the plain row's
      const baseMs = cell.baselineMedianMs ?? plain?.cells[id]?.medianMs;
      const baseCpu =
        cell.baselineMedianMs !== undefined ? cell.baselineCpuMedianMs : plain?.cells[id]?.cpuMedianMs;
      if (cell.medianMs !== undefined && baseMs !== undefined) over[id] = (cell.medianMs / baseMs - 1) * 100;
      if (cell.cpuMedianMs !== undefined && baseCpu !== undefined)
        overCpu[id] = (cell.cpuMedianMs / baseCpu - 1) * 100;
    }
    if (Object.keys(over).length > 0) r.overheadPct = over;
    if (Object.keys(overCpu).length > 0) r.overheadCpuPct = overCpu;
  }
}

/** A median time in the case's unit: GFLOP/s or GB/s from the work count, or ms as is. */
export function valueOf(unit: Unit, work: number | undefined, medianMs: number): number {
  if (unit === 'ms') return medianMs;
  if (work === undefined) throw new RangeError(`valueOf: a ${unit} case needs a work count.`);
  return work / (medianMs * 1e6);
}

/** Wall median this much above CPU median: the run shared its core with another process. */
export const CONTENDED_RATIO = 1.3;

export function isContended(cell: CellResult): boolean {
  return (
    cell.medianMs !== undefined &&
    cell.cpuMedianMs !== undefined &&
    cell.medianMs > CONTENDED_RATIO * cell.cpuMedianMs
  );
}

export function timingCell(
  c: BenchCase,
  samples: readonly number[],
  warmupRuns: number,
  cpuSamples?: readonly number[],
): CellResult {
  const med = median(samples);
  return {
    status: 'ok',
    medianMs: med,
    ...(cpuSamples && cpuSamples.length > 0 ? { cpuMedianMs: median(cpuSamples) } : {}),
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
    runs: samples.length,
    warmupRuns,
    value: valueOf(c.unit, c.work, med),
  };
}

/**
 * Fills in the best wasm build, the ratios to each peer and the agreement of every engine's
 * check output with the reference engine's.
 */
export function summarise(
  c: BenchCase,
  cells: Partial<Record<EngineId, CellResult>>,
  checks: Partial<Record<EngineId, Float32Array>>,
): CaseResult {
  const result: CaseResult = { id: c.id, title: c.title, unit: c.unit, cells, ratios: {} };
  if (c.work !== undefined) result.work = c.work;
  let best: EngineId | undefined;
  for (const id of WASM_IDS) {
    const ms = cells[id]?.medianMs;
    if (ms !== undefined && (best === undefined || ms < cells[best]!.medianMs!)) best = id;
  }
  if (best) {
    result.bestWasm = best;
    for (const peer of PEER_IDS) {
      const ms = cells[peer]?.medianMs;
      if (ms !== undefined) result.ratios[peer] = ms / cells[best]!.medianMs!;
    }
  }
  const ref = CHECK_ORDER.find((id) => checks[id] !== undefined);
  if (ref) {
    result.checkReference = ref;
    for (const [id, out] of Object.entries(checks) as [EngineId, Float32Array][]) {
      if (id === ref) continue;
      const d = maxRelDiff(out, checks[ref]!);
      const cell = cells[id];
      if (cell) cell.maxRelDiff = d;
      if (result.maxRelDiff === undefined || d > result.maxRelDiff) {
        result.maxRelDiff = d;
        result.worstEngine = id;
      }
    }
  }
  return result;
}

/** Markdown rendering of the results: one row per case, one column per engine. */
import { ENGINE_IDS, ENGINE_LABELS, type EngineId } from './engine.js';
import { formatDiff, formatNumber, formatRatio, formatRatios } from './format.js';
import { type CaseResult, type CellResult, isContended } from './results.js';

export type Align = 'left' | 'right';

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A GitHub-flavoured markdown table, padded so that it also reads well as plain text. */
export function renderMarkdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const cells = [headers, ...rows].map((r) => headers.map((_, i) => escapeCell(r[i] ?? '')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((r) => [...r[i]!].length)));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i]! - [...s].length);
    return align[i] === 'right' ? fill + s : s + fill;
  };
  const line = (r: readonly string[]) => `| ${r.map(pad).join(' | ')} |`;
  // '| --- | --: |', the delimiter row that markdown formatters (biome) also write
  const rule = `| ${widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

export function cellText(cell: CellResult | undefined): string {
  if (!cell) return '–';
  if (cell.status === 'ok') return `${formatNumber(cell.value!)}${isContended(cell) ? '*' : ''}`;
  return cell.status;
}

export function ratioText(r: CaseResult, wasmStatus: string | null): string {
  if (!r.bestWasm) return wasmStatus ? `gs-wasm ${wasmStatus}` : '–';
  const parts = [formatRatios(r.ratios)].filter((s) => s !== '');
  if (r.fusedSpeedup !== undefined) parts.unshift(`${formatRatio(r.fusedSpeedup)} own composed path`);
  if (r.overheadPct) parts.unshift(overheadText(r.overheadPct, r.overheadCpuPct));
  return parts.length === 0 ? '–' : parts.join(', ');
}

const signedPct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;

/** "+7.9% vs plain step (gs-wasm simd; CPU +6.5%), +9.1% (gs-wasm scalar)". */
export function overheadText(
  over: Partial<Record<EngineId, number>>,
  cpu: Partial<Record<EngineId, number>> = {},
): string {
  const parts = ENGINE_IDS.filter((id) => over[id] !== undefined).map((id, i) => {
    const c = cpu[id] === undefined ? '' : `; CPU ${signedPct(cpu[id]!)}`;
    return `${signedPct(over[id]!)}${i === 0 ? ' vs plain step' : ''} (${ENGINE_LABELS[id]}${c})`;
  });
  return parts.join(', ');
}

export function diffText(r: CaseResult): string {
  const d = formatDiff(r.maxRelDiff);
  return r.checkReference && r.checkReference !== 'gs-ref' && r.maxRelDiff !== undefined
    ? `${d} (vs ${ENGINE_LABELS[r.checkReference]})`
    : d;
}

/**
 * The results table. `wasmStatus` is what to say in the ratio column when no gradsight-wasm
 * build ran at all (e.g. 'not built').
 */
export function renderResults(
  results: readonly CaseResult[],
  engines: readonly EngineId[] = ENGINE_IDS,
  wasmStatus: string | null = null,
): string {
  const headers = [
    'case',
    'unit',
    ...engines.map((id) => ENGINE_LABELS[id]),
    'gs-wasm (best build) vs peers',
    'max rel diff',
  ];
  const rows = results.map((r) => [
    r.title,
    r.unit,
    ...engines.map((id) => cellText(r.cells[id])),
    ratioText(r, wasmStatus),
    diffText(r),
  ]);
  const align: Align[] = ['left', 'left', ...engines.map((): Align => 'right'), 'left', 'left'];
  return renderMarkdownTable(headers, rows, align);
}

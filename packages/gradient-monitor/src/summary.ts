/** A plain-text summary table for terminals and logs: per layer at the last recorded step, then the findings. */
import { formatNumber } from '@gradsight/viz';
import { displayPath } from './model-map.js';
import { decodeNumber, type MonitorReport, type ReportNumber } from './report.js';

function num(v: ReportNumber | undefined): string {
  if (v === null || v === undefined) return '-';
  return formatNumber(decodeNumber(v));
}

function pct(v: ReportNumber | undefined): string {
  if (v === null || v === undefined) return '-';
  const x = decodeNumber(v);
  return Number.isFinite(x) ? `${formatNumber(x * 100, 3)}%` : String(v);
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function summaryTable(report: MonitorReport): string {
  const h = report.history;
  const i = h.step.length - 1;
  const out: string[] = [];
  out.push(
    `gradient monitor — step ${i >= 0 ? h.step[i] : '-'} (${report.steps.total} steps, ${report.steps.recorded} recorded, ${report.steps.retained} retained` +
      `${report.steps.skipped ? `, ${report.steps.skipped} skipped` : ''})${i >= 0 && h.loss[i] !== null ? `, loss ${num(h.loss[i])}` : ''}`,
  );
  if (i >= 0) {
    const actByLayer = new Map<string, string>();
    for (const a of report.activations) {
      const s = h.activations[a.path];
      if (!s) continue;
      const dead = s.deadFractionWindow[i] ?? s.deadFraction[i];
      const sat = s.saturatedFraction[i];
      const note =
        a.kind === 'relu'
          ? `dead ${pct(dead)}`
          : a.kind === 'tanh' || a.kind === 'sigmoid'
            ? `sat ${pct(sat)}`
            : `std ${num(s.std[i])}`;
      actByLayer.set(a.path, `${a.typeName} ${note}`);
    }
    // weights are measured every `weightsEvery` steps: show the latest measurement
    let wi = i;
    while (wi > 0 && report.layers.every((l) => h.layers[l.path]!.weightNorm[wi] === null)) wi--;
    const rows = report.layers.map((l) => {
      const s = h.layers[l.path]!;
      return [
        displayPath(l.path),
        `${l.typeName ?? ''}${l.scaleInvariant ? '*' : ''}`,
        num(s.gradNorm[i]),
        num(s.gradMeanAbs[i]),
        num(s.gradMaxAbs[i]),
        num(s.weightNorm[wi]),
        num(s.updateRatio[wi]),
      ];
    });
    out.push(formatTable(['layer', 'type', '‖g‖', 'mean|g|', 'max|g|', '‖w‖', '‖Δw‖/‖w‖'], rows));
    if (wi !== i) out.push(`(‖w‖ and ‖Δw‖/‖w‖ from step ${h.step[wi]}, the last step that measured weights)`);
    if (report.layers.some((l) => l.scaleInvariant))
      out.push('* output normalised: scale-invariant weights, compared over depth by ‖g‖·‖w‖');
    if (actByLayer.size > 0) {
      out.push('');
      out.push(
        formatTable(
          ['activation', 'statistics'],
          [...actByLayer].map(([p, s]) => [displayPath(p), s]),
        ),
      );
    }
  }
  out.push('');
  if (report.findings.length === 0) out.push('findings: none');
  for (const f of report.findings) {
    out.push(
      `[${f.severity}] ${f.kind}${f.layers.length ? ` (${f.layers.slice(0, 6).map(displayPath).join(', ')}${f.layers.length > 6 ? `, … ${f.layers.length - 6} more` : ''})` : ''}: ${f.evidence}`,
    );
    for (const r of f.remedies.slice(0, 3)) out.push(`    → ${r}`);
  }
  return out.join('\n');
}

/**
 * Per-step statistics as CSV in long ("tidy") form, one value per row:
 * `step,scope,name,stat,value` with scope ∈ loss | layer | parameter | activation. Long form
 * keeps one schema however many layers a model has (wide files with thousands of columns
 * are what users of other tools complain about) and loads straight into pandas or a sheet.
 * Non-finite values are written as NaN / Infinity / -Infinity; unmeasured values are skipped.
 */
import type { MonitorReport, ReportNumber } from './report.js';

function cell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportToCsv(report: MonitorReport): string {
  const rows: string[] = ['step,scope,name,stat,value'];
  const h = report.history;
  const emit = (i: number, scope: string, name: string, stat: string, v: ReportNumber | undefined) => {
    if (v === null || v === undefined) return;
    rows.push(`${h.step[i]},${scope},${cell(name)},${stat},${v}`);
  };
  for (let i = 0; i < h.step.length; i++) {
    emit(i, 'loss', '', 'loss', h.loss[i]);
    for (const [name, series] of Object.entries(h.layers)) {
      for (const [stat, values] of Object.entries(series))
        emit(i, 'layer', name, stat, (values as ReportNumber[])[i]);
    }
    for (const [name, series] of Object.entries(h.parameters)) {
      for (const [stat, values] of Object.entries(series))
        emit(i, 'parameter', name, stat, (values as ReportNumber[])[i]);
    }
    for (const [name, series] of Object.entries(h.activations)) {
      for (const [stat, values] of Object.entries(series))
        emit(i, 'activation', name, stat, (values as ReportNumber[])[i]);
    }
  }
  return `${rows.join('\n')}\n`;
}

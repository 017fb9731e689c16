/** Number and ratio formatting for the table. */
import type { EngineId } from './engine.js';
import { ENGINE_LABELS, PEER_IDS } from './engine.js';

/** About three significant digits without exponents: 1234 → "1234", 41.23 → "41.2", 0.0123 → "0.0123". */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return '0';
  return v.toPrecision(3);
}

/** A speed ratio: "40×", "1.6×", "0.62×". */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r) || r <= 0) return '–';
  if (r >= 10) return `${r.toFixed(0)}×`;
  if (r >= 1) return `${r.toFixed(1)}×`;
  return `${r.toFixed(2)}×`;
}

/** "1.6× tfjs-wasm, 40× tfjs-cpu" in the fixed peer order; peers without a time are left out. */
export function formatRatios(ratios: Partial<Record<EngineId, number>>): string {
  return PEER_IDS.filter((id) => ratios[id] !== undefined)
    .map((id) => `${formatRatio(ratios[id]!)} ${ENGINE_LABELS[id]}`)
    .join(', ');
}

/** Agreement between engines, flagged past `tolerance`: "3e-7", "0", "2e-2 ⚠". */
export function formatDiff(d: number | undefined, tolerance = 1e-3): string {
  if (d === undefined) return '–';
  const text = d === 0 ? '0' : Number.isFinite(d) ? d.toExponential(0) : '∞';
  return d > tolerance ? `${text} ⚠` : text;
}

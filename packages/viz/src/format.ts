/** Compact number formatting for tick labels, tooltips and legends. */

/** 3 significant digits; exponent form outside [1e-3, 1e5); '—' for NaN, '∞' for infinities. */
export function formatNumber(v: number, digits = 3): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '-∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = v.toExponential(digits - 1).split('e') as [string, string];
    return `${trimZeros(m)}e${Number(e)}`;
  }
  // via Number: toPrecision alone writes 1000 as '1.00e+3'
  return String(Number(v.toPrecision(digits)));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Power-of-ten label for log axes: 1e-3, 1, 10, 1e3 … */
export function formatPow10(v: number): string {
  if (!(v > 0)) return formatNumber(v);
  const e = Math.log10(v);
  if (Math.abs(e - Math.round(e)) > 1e-9) return formatNumber(v);
  const k = Math.round(e);
  if (k === 0) return '1';
  if (k === 1) return '10';
  return `1e${k}`;
}

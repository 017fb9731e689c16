/** Histogram from bin edges and counts, or from raw values binned here. */
import { scaleLinear, scaleLog } from 'd3-scale';
import { VizInputError } from './errors.js';
import { formatNumber } from './format.js';
import { axisTitles, bottomAxis, type ChartBase, chartRoot, leftAxis, type Margins } from './frame.js';
import { h, type SvgNode } from './svg.js';

export interface HistogramOptions extends ChartBase {
  /** Either edges (bins + 1, increasing) and counts (bins)… */
  edges?: readonly number[];
  counts?: readonly number[];
  /** …or raw values with a bin count (default 30); non-finite values are counted apart. */
  values?: ArrayLike<number>;
  bins?: number;
  /** Log count axis (empty bins are not drawn). */
  logY?: boolean;
  /** Bar fill. */
  color?: string;
}

export interface Binned {
  edges: number[];
  counts: number[];
  nonFinite: number;
}

/** Equal-width bins over the finite range of `values`. */
export function binValues(values: ArrayLike<number>, bins = 30): Binned {
  if (!Number.isInteger(bins) || bins < 1)
    throw new VizInputError(`binValues: bins must be a positive integer, got ${bins}.`);
  let lo = Infinity;
  let hi = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return { edges: [0, 1], counts: [0], nonFinite };
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const w = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * w);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / w))]!++;
  }
  return { edges, counts, nonFinite };
}

export function histogram(opts: HistogramOptions): SvgNode {
  let edges: readonly number[];
  let counts: readonly number[];
  let nonFinite = 0;
  if (opts.values) {
    ({ edges, counts, nonFinite } = binValues(opts.values, opts.bins));
  } else if (opts.edges && opts.counts) {
    edges = opts.edges;
    counts = opts.counts;
    if (edges.length !== counts.length + 1) {
      throw new VizInputError(
        `histogram: ${edges.length} edges for ${counts.length} counts; expected counts.length + 1 edges.`,
      );
    }
    for (let i = 1; i < edges.length; i++) {
      if (!(edges[i]! > edges[i - 1]!))
        throw new VizInputError(
          `histogram: edges must increase, but edge ${i} (${edges[i]}) ≤ edge ${i - 1} (${edges[i - 1]}).`,
        );
    }
  } else {
    throw new VizInputError('histogram: pass either { values, bins } or { edges, counts }.');
  }
  const width = opts.width ?? 480;
  const height = opts.height ?? 300;
  const logY = opts.logY ?? false;
  const m: Margins = {
    top: opts.title ? 32 : 12,
    right: 16,
    bottom: opts.xLabel ? 44 : 28,
    left: opts.yLabel ? 62 : 48,
  };
  const maxCount = Math.max(1, ...counts);
  const x = scaleLinear()
    .domain([edges[0]!, edges[edges.length - 1]!])
    .range([m.left, width - m.right]);
  const y = logY
    ? scaleLog()
        .domain([0.8, maxCount * 1.2])
        .range([height - m.bottom, m.top])
    : scaleLinear()
        .domain([0, maxCount])
        .range([height - m.bottom, m.top])
        .nice();
  const base = height - m.bottom;
  const bars = counts.map((c, i) => {
    const tip = h('title', {}, `[${formatNumber(edges[i]!)}, ${formatNumber(edges[i + 1]!)}): ${c}`);
    if (c <= 0) return null;
    const top = y(c);
    return h(
      'rect',
      {
        class: 'bar',
        x: x(edges[i]!) + 0.5,
        y: top,
        width: Math.max(0.5, x(edges[i + 1]!) - x(edges[i]!) - 1),
        height: base - top,
      },
      tip,
    );
  });
  const body: SvgNode[] = [
    leftAxis(y, m.left, logY, 5, width - m.right),
    bottomAxis(x, base, false, 6),
    h(
      'g',
      { class: 'bars', fill: opts.color ?? '#4e79a7' },
      bars.filter((b): b is SvgNode => b !== null),
    ),
    ...axisTitles(opts, m, width, height),
  ];
  if (nonFinite > 0)
    body.push(
      h(
        'text',
        { class: 'nonfinite-note', x: width - m.right, y: m.top + 10, 'text-anchor': 'end', fill: '#d62728' },
        `${nonFinite} non-finite`,
      ),
    );
  const total = counts.reduce((a, b) => a + b, 0);
  const summary = `Histogram of ${total} values in ${counts.length} bins from ${formatNumber(edges[0]!)} to ${formatNumber(edges[edges.length - 1]!)}${nonFinite ? `, ${nonFinite} non-finite values left out` : ''}.`;
  return chartRoot(opts, width, height, summary, body);
}

/**
 * Grouped bars (and optional line overlays) over named categories, with a log y option and
 * rotated category labels: the shape of a "gradient flow" chart (mean and max |g| per layer).
 */
import { scaleBand, scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { VizInputError } from './errors.js';
import { formatNumber } from './format.js';
import {
  axisTitles,
  bandAxis,
  type ChartBase,
  chartRoot,
  type LegendItem,
  leftAxis,
  legend,
  type Margins,
  seriesColor,
} from './frame.js';
import { extent } from './line-chart.js';
import { h, type SvgNode } from './svg.js';

export interface BarSeries {
  name: string;
  /** One value per category. */
  values: readonly number[];
  /** 'bar' (default) draws grouped bars; 'line' draws a polyline with markers across categories. */
  kind?: 'bar' | 'line';
  color?: string;
}

export interface GroupedBarChartOptions extends ChartBase {
  categories: readonly string[];
  series: readonly BarSeries[];
  logY?: boolean;
  /** Category label rotation in degrees; defaults to -45 when labels are long or many. */
  rotateLabels?: number;
  yDomain?: readonly [number, number];
}

/**
 * A grouped bar chart. Bars whose value cannot be drawn (non-finite, or ≤ 0 on a log axis)
 * are drawn as an empty marker with class `missing` so the gap is visible, not silent.
 */
export function groupedBarChart(opts: GroupedBarChartOptions): SvgNode {
  const { categories, series } = opts;
  for (const [i, s] of series.entries()) {
    if (s.values.length !== categories.length) {
      throw new VizInputError(
        `groupedBarChart: series ${i} '${s.name}' has ${s.values.length} values for ${categories.length} categories; expected one value per category.`,
      );
    }
  }
  const logY = opts.logY ?? false;
  const longest = categories.reduce((a, c) => Math.max(a, c.length), 0);
  const rotate = opts.rotateLabels ?? (longest > 6 || categories.length > 10 ? -45 : 0);
  const labelRoom = rotate
    ? Math.min(140, 12 + longest * 6 * Math.abs(Math.sin((rotate * Math.PI) / 180)))
    : 20;
  const width = opts.width ?? Math.max(480, 120 + categories.length * 28 + 150);
  const height = opts.height ?? 360 + (rotate ? labelRoom - 20 : 0);
  const m: Margins = {
    top: opts.title ? 32 : 12,
    right: 150,
    bottom: labelRoom + (opts.xLabel ? 26 : 8),
    left: opts.yLabel ? 62 : 48,
  };
  const usable = (v: number) => Number.isFinite(v) && (!logY || v > 0);

  const all: number[] = [];
  for (const s of series) for (const v of s.values) if (usable(v)) all.push(v);
  let [y0, y1] = opts.yDomain ?? extent(all, logY ? [1e-3, 1] : [0, 1]);
  if (!logY) y0 = Math.min(0, y0);
  if (y0 === y1) [y0, y1] = logY ? [y0 / 10, y1 * 10] : [y0, y1 + 1];

  const x = scaleBand<string>()
    .domain([...categories])
    .range([m.left, width - m.right])
    .padding(0.2);
  const y = (logY ? scaleLog() : scaleLinear())
    .domain([y0, y1])
    .range([height - m.bottom, m.top])
    .nice();
  const base = height - m.bottom;
  const bars = series.filter((s) => (s.kind ?? 'bar') === 'bar');
  const inner = scaleBand<number>()
    .domain(bars.map((_, i) => i))
    .range([0, x.bandwidth()])
    .padding(0.08);

  const barGroups = bars.map((s, bi) => {
    const color = s.color ?? seriesColor(series.indexOf(s));
    return h(
      'g',
      { class: 'bar-series', 'data-series': s.name, fill: color },
      s.values.map((v, ci) => {
        const bx = x(categories[ci]!)! + inner(bi)!;
        const tip = h('title', {}, `${categories[ci]}: ${s.name} = ${formatNumber(v)}`);
        if (!usable(v)) {
          return h(
            'rect',
            {
              class: 'bar missing',
              x: bx,
              y: base - 6,
              width: inner.bandwidth(),
              height: 6,
              fill: 'none',
              stroke: color,
              'stroke-dasharray': '2 2',
            },
            tip,
          );
        }
        const top = y(v);
        return h(
          'rect',
          {
            class: 'bar',
            x: bx,
            y: Math.min(top, base),
            width: inner.bandwidth(),
            height: Math.abs(base - top),
          },
          tip,
        );
      }),
    );
  });
  const lines = series
    .filter((s) => s.kind === 'line')
    .map((s) => {
      const color = s.color ?? seriesColor(series.indexOf(s));
      const pts = s.values.map((v, ci) => [x(categories[ci]!)! + x.bandwidth() / 2, v] as [number, number]);
      const d = line<[number, number]>()
        .defined(([, v]) => usable(v))
        .x(([px]) => px)
        .y(([, v]) => y(v))(pts);
      return h(
        'g',
        { class: 'line-series', 'data-series': s.name },
        h(
          'path',
          { class: 'series', d: d ?? '', fill: 'none', stroke: color, 'stroke-width': 1.6 },
          h('title', {}, s.name),
        ),
        pts
          .filter(([, v]) => usable(v))
          .map(([px, v], i) =>
            h(
              'circle',
              { class: 'marker', cx: px, cy: y(v), r: 2.5, fill: color },
              h('title', {}, `${categories[i]}: ${s.name} = ${formatNumber(v)}`),
            ),
          ),
      );
    });
  const items: LegendItem[] = series.map((s, i) => ({
    label: s.name,
    color: s.color ?? seriesColor(i),
    shape: s.kind === 'line' ? 'line' : 'rect',
  }));
  const body: SvgNode[] = [
    leftAxis(y, m.left, logY, 6, width - m.right),
    h('g', { class: 'bars' }, barGroups),
    h('g', { class: 'lines' }, lines),
    bandAxis(x, base, rotate),
    ...axisTitles({ ...opts, xLabel: undefined }, m, width, height),
    opts.xLabel
      ? h(
          'text',
          {
            class: 'axis-label x-label',
            x: m.left + (width - m.left - m.right) / 2,
            y: height - 6,
            'text-anchor': 'middle',
            'font-size': 12,
          },
          opts.xLabel,
        )
      : null,
    legend(items, width - m.right + 12, m.top + 8),
  ].filter((n): n is SvgNode => n !== null);
  const summary = `Grouped bar chart over ${categories.length} categories with series ${series.map((s) => s.name).join(', ')}${logY ? ' on a log y axis' : ''}.`;
  return chartRoot(opts, width, height, summary, body);
}

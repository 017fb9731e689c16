/** Multi-series line chart with an optional log y axis and horizontal guide lines. */
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { VizInputError } from './errors.js';
import { formatNumber } from './format.js';
import {
  axisTitles,
  bottomAxis,
  type ChartBase,
  chartRoot,
  type LegendItem,
  leftAxis,
  legend,
  type Margins,
  seriesColor,
} from './frame.js';
import { h, type SvgNode } from './svg.js';

export interface LineSeries {
  name: string;
  /** x values; defaults to 0, 1, 2, … */
  x?: readonly number[];
  y: readonly number[];
  color?: string;
  dashed?: boolean;
}

export interface GuideLine {
  y: number;
  label?: string;
  color?: string;
}

export interface LineChartOptions extends ChartBase {
  series: readonly LineSeries[];
  /** Log10 y axis; non-positive values are left out (gaps in the line). */
  logY?: boolean;
  /** Horizontal reference lines, e.g. `{ y: 1e-3, label: 'update ratio 1e-3' }`. */
  guides?: readonly GuideLine[];
  yDomain?: readonly [number, number];
  /** Default true when there is more than one series. */
  showLegend?: boolean;
}

/** A line chart. Non-finite points (and non-positive ones on a log axis) break the line. */
export function lineChart(opts: LineChartOptions): SvgNode {
  const width = opts.width ?? 640;
  const height = opts.height ?? 360;
  const logY = opts.logY ?? false;
  if (opts.series.length === 0)
    throw new VizInputError('lineChart: got no series; pass at least one { name, y }.');
  const showLegend = opts.showLegend ?? opts.series.length > 1;
  const m: Margins = {
    top: opts.title ? 32 : 12,
    right: showLegend ? 150 : 20,
    bottom: opts.xLabel ? 44 : 28,
    left: opts.yLabel ? 62 : 48,
  };
  const usable = (v: number) => Number.isFinite(v) && (!logY || v > 0);

  const xs: number[] = [];
  const ys: number[] = [];
  const pts = opts.series.map((s, si) => {
    if (s.x && s.x.length !== s.y.length) {
      throw new VizInputError(
        `lineChart: series ${si} '${s.name}' has ${s.x.length} x values and ${s.y.length} y values; expected equal lengths.`,
      );
    }
    return s.y.map((y, i) => {
      const x = s.x ? s.x[i]! : i;
      if (Number.isFinite(x)) xs.push(x);
      if (usable(y)) ys.push(y);
      return [x, y] as [number, number];
    });
  });
  for (const g of opts.guides ?? []) if (usable(g.y)) ys.push(g.y);
  const [x0, x1] = extent(xs, [0, 1]);
  let [y0, y1] = opts.yDomain ?? extent(ys, logY ? [1e-3, 1] : [0, 1]);
  if (y0 === y1) [y0, y1] = logY ? [y0 / 10, y1 * 10] : [y0 - 1, y1 + 1];

  const x = scaleLinear()
    .domain([x0, x1 === x0 ? x0 + 1 : x1])
    .range([m.left, width - m.right]);
  const y = (logY ? scaleLog() : scaleLinear())
    .domain([y0, y1])
    .range([height - m.bottom, m.top])
    .nice();
  const path = line<[number, number]>()
    .defined(([px, py]) => Number.isFinite(px) && usable(py))
    .x(([px]) => x(px))
    .y(([, py]) => y(py));

  const body: SvgNode[] = [
    leftAxis(y, m.left, logY, 6, width - m.right),
    bottomAxis(x, height - m.bottom, false),
    ...(opts.guides ?? [])
      .filter((g) => usable(g.y))
      .map((g) =>
        h(
          'g',
          { class: 'guide' },
          h('title', {}, g.label ?? `y = ${formatNumber(g.y)}`),
          h('line', {
            x1: m.left,
            x2: width - m.right,
            y1: y(g.y),
            y2: y(g.y),
            stroke: g.color ?? '#d62728',
            'stroke-dasharray': '6 4',
            'stroke-width': 1.5,
          }),
          g.label
            ? h(
                'text',
                { x: width - m.right - 4, y: y(g.y) - 4, 'text-anchor': 'end', fill: g.color ?? '#d62728' },
                g.label,
              )
            : null,
        ),
      ),
    h(
      'g',
      { class: 'series-group' },
      opts.series.map((s, si) =>
        h(
          'path',
          {
            class: 'series',
            'data-series': s.name,
            d: path(pts[si]!) ?? '',
            fill: 'none',
            stroke: s.color ?? seriesColor(si),
            'stroke-width': 1.6,
            'stroke-dasharray': s.dashed ? '5 3' : null,
          },
          h('title', {}, s.name),
        ),
      ),
    ),
    ...axisTitles(opts, m, width, height),
  ];
  if (showLegend) {
    const items: LegendItem[] = opts.series.map((s, i) => ({
      label: s.name,
      color: s.color ?? seriesColor(i),
      shape: s.dashed ? 'dashed' : 'line',
    }));
    body.push(legend(items, width - m.right + 12, m.top + 8));
  }
  const summary = `Line chart of ${opts.series.length} series (${opts.series.map((s) => s.name).join(', ')})${logY ? ' on a log y axis' : ''}.`;
  return chartRoot(opts, width, height, summary, body);
}

export function extent(values: readonly number[], fallback: [number, number]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : fallback;
}

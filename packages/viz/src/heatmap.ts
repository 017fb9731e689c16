/**
 * Heatmap of a rows × cols matrix (e.g. layer × step) with a colour-bar legend. Non-finite
 * cells are never given a colour from the scale: they are drawn hatched with class `nan`
 * (NaN) or `inf` (±Inf), and the legend shows the swatch when any exist.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { type Colormap, type ColormapName, resolveColormap, rgbToCss } from './colormap.js';
import { formatNumber } from './format.js';
import { axisTitles, type ChartBase, chartRoot, type Margins } from './frame.js';
import { finiteExtent, type MatrixInput, normalize, toMatrix } from './matrix.js';
import { h, type SvgNode, uniqueId } from './svg.js';

export interface HeatmapOptions extends ChartBase {
  matrix: MatrixInput;
  rowLabels?: readonly string[];
  colLabels?: readonly string[];
  colormap?: Colormap | ColormapName;
  /** Value range mapped onto the colormap; defaults to the finite min and max. */
  domain?: readonly [number, number];
  /** Caption of the colour bar. */
  legendLabel?: string;
  /** Show at most this many column labels (evenly spaced). Default 12. */
  maxColLabels?: number;
}

export function heatmap(opts: HeatmapOptions): SvgNode {
  const m = toMatrix('heatmap', opts.matrix);
  const cm = resolveColormap(opts.colormap);
  const [lo, hi] = opts.domain ?? finiteExtent(m);
  const rowLabels = opts.rowLabels ?? Array.from({ length: m.rows }, (_, i) => String(i));
  const colLabels = opts.colLabels ?? Array.from({ length: m.cols }, (_, i) => String(i));
  const longest = rowLabels.reduce((a, s) => Math.max(a, s.length), 0);
  const width = opts.width ?? 720;
  const height = opts.height ?? Math.max(200, 80 + m.rows * 18);
  const mg: Margins = {
    top: opts.title ? 32 : 12,
    right: 96,
    bottom: opts.xLabel ? 44 : 28,
    left: Math.min(180, 16 + longest * 6.5) + (opts.yLabel ? 20 : 0),
  };
  const id = opts.id ?? uniqueId('gs-heatmap');

  const x = scaleBand<number>()
    .domain(range(m.cols))
    .range([mg.left, width - mg.right]);
  const y = scaleBand<number>()
    .domain(range(m.rows))
    .range([mg.top, height - mg.bottom]);
  let nonFinite = 0;
  const cells: SvgNode[] = [];
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.at(r, c);
      const tip = h('title', {}, `${rowLabels[r] ?? r}, ${colLabels[c] ?? c}: ${formatNumber(v)}`);
      const geom = { x: x(c)!, y: y(r)!, width: x.bandwidth() + 0.3, height: y.bandwidth() + 0.3 };
      if (Number.isFinite(v)) {
        cells.push(h('rect', { class: 'cell', ...geom, fill: rgbToCss(cm(normalize(v, lo, hi))) }, tip));
      } else {
        nonFinite++;
        cells.push(
          h(
            'rect',
            {
              class: Number.isNaN(v) ? 'cell nan' : 'cell inf',
              'data-value': String(v),
              ...geom,
              fill: `url(#${id}-nan)`,
            },
            tip,
          ),
        );
      }
    }
  }
  const step = Math.max(1, Math.ceil(m.cols / (opts.maxColLabels ?? 12)));
  const base = height - mg.bottom;
  const xTicks = range(m.cols)
    .filter((c) => c % step === 0)
    .map((c) =>
      h(
        'text',
        { class: 'tick', x: x(c)! + x.bandwidth() / 2, y: base + 14, 'text-anchor': 'middle' },
        colLabels[c] ?? String(c),
      ),
    );
  const yTicks = range(m.rows).map((r) =>
    h(
      'text',
      { class: 'tick', x: mg.left - 6, y: y(r)! + y.bandwidth() / 2 + 3.5, 'text-anchor': 'end' },
      rowLabels[r] ?? String(r),
    ),
  );

  const body: SvgNode[] = [
    h(
      'defs',
      {},
      h(
        'pattern',
        {
          id: `${id}-nan`,
          width: 6,
          height: 6,
          patternUnits: 'userSpaceOnUse',
          patternTransform: 'rotate(45)',
        },
        h('rect', { width: 6, height: 6, fill: '#ffffff' }),
        h('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#d62728', 'stroke-width': 2 }),
      ),
      colorBarGradient(`${id}-bar`, cm),
    ),
    h('g', { class: 'cells' }, cells),
    h('g', { class: 'axis x-axis' }, xTicks),
    h('g', { class: 'axis y-axis' }, yTicks),
    colorBar(
      `${id}`,
      lo,
      hi,
      width - mg.right + 16,
      mg.top,
      Math.max(60, height - mg.top - mg.bottom),
      opts.legendLabel,
      nonFinite > 0,
    ),
    ...axisTitles(opts, mg, width, height),
  ];
  const summary = `Heatmap of ${m.rows} rows by ${m.cols} columns, values ${formatNumber(lo)} to ${formatNumber(hi)}${nonFinite ? `, ${nonFinite} non-finite cells hatched` : ''}.`;
  return chartRoot({ ...opts, id }, width, height, summary, body);
}

function colorBarGradient(id: string, cm: Colormap): SvgNode {
  const stops: SvgNode[] = [];
  for (let i = 0; i <= 10; i++) {
    const t = i / 10;
    // the bar runs bottom (low) to top (high)
    stops.push(h('stop', { offset: `${(1 - t) * 100}%`, 'stop-color': rgbToCss(cm(t)) }));
  }
  return h('linearGradient', { id, x1: 0, y1: 0, x2: 0, y2: 1 }, stops.reverse());
}

function colorBar(
  id: string,
  lo: number,
  hi: number,
  x: number,
  top: number,
  length: number,
  label: string | undefined,
  showNan: boolean,
): SvgNode {
  const barH = showNan ? length - 26 : length;
  const s = scaleLinear()
    .domain([lo, hi === lo ? lo + 1 : hi])
    .range([top + barH, top]);
  const ticks = s
    .ticks(5)
    .map((v) =>
      h(
        'g',
        { class: 'tick' },
        h('line', { x1: x + 12, x2: x + 16, y1: s(v), y2: s(v), stroke: '#444' }),
        h('text', { x: x + 18, y: s(v) + 3.5 }, formatNumber(v)),
      ),
    );
  return h(
    'g',
    { class: 'legend color-bar' },
    label ? h('text', { class: 'legend-label', x, y: top - 4, 'font-size': 10 }, label) : null,
    h('rect', {
      x,
      y: top,
      width: 12,
      height: barH,
      fill: `url(#${id}-bar)`,
      stroke: '#888',
      'stroke-width': 0.5,
    }),
    ticks,
    showNan
      ? h(
          'g',
          { class: 'nan-swatch' },
          h('rect', {
            x,
            y: top + barH + 10,
            width: 12,
            height: 12,
            fill: `url(#${id}-nan)`,
            stroke: '#888',
            'stroke-width': 0.5,
          }),
          h('text', { x: x + 18, y: top + barH + 20 }, 'NaN/Inf'),
        )
      : null,
  );
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

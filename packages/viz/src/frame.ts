/**
 * The parts every chart shares: the root `<svg>` with its accessible title and description,
 * margins, axes with tick labels, axis titles and a legend box.
 */
import type { ScaleBand, ScaleContinuousNumeric } from 'd3-scale';
import { formatNumber, formatPow10 } from './format.js';
import { h, type SvgNode, uniqueId } from './svg.js';

export interface ChartBase {
  /** Drawn at the top and used as the `<title>` of the root (read by screen readers). */
  title?: string;
  /** Longer text for `<desc>`; defaults to a summary the chart writes itself. */
  description?: string;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** Prefix for element ids (aria-labelledby, gradients); fixed ids give reproducible output. */
  id?: string;
}

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';

export function chartRoot(
  base: ChartBase,
  width: number,
  height: number,
  summary: string,
  body: SvgNode[],
): SvgNode {
  const id = base.id ?? uniqueId('gs-chart');
  const title = base.title ?? 'Chart';
  return h(
    'svg',
    {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      'font-family': FONT,
      'font-size': 11,
    },
    h('title', { id: `${id}-title` }, title),
    h('desc', { id: `${id}-desc` }, base.description ?? summary),
    h('rect', { class: 'background', x: 0, y: 0, width, height, fill: '#ffffff' }),
    base.title
      ? h(
          'text',
          {
            class: 'chart-title',
            x: width / 2,
            y: 18,
            'text-anchor': 'middle',
            'font-size': 14,
            'font-weight': 600,
          },
          base.title,
        )
      : null,
    body,
  );
}

export function axisTitles(base: ChartBase, m: Margins, width: number, height: number): SvgNode[] {
  const out: SvgNode[] = [];
  if (base.xLabel) {
    out.push(
      h(
        'text',
        {
          class: 'axis-label x-label',
          x: m.left + (width - m.left - m.right) / 2,
          y: height - 6,
          'text-anchor': 'middle',
          'font-size': 12,
        },
        base.xLabel,
      ),
    );
  }
  if (base.yLabel) {
    const cy = m.top + (height - m.top - m.bottom) / 2;
    out.push(
      h(
        'text',
        {
          class: 'axis-label y-label',
          x: 14,
          y: cy,
          transform: `rotate(-90 14 ${cy})`,
          'text-anchor': 'middle',
          'font-size': 12,
        },
        base.yLabel,
      ),
    );
  }
  return out;
}

type Numeric = ScaleContinuousNumeric<number, number>;

function tickLabel(log: boolean, v: number): string {
  return log ? formatPow10(v) : formatNumber(v);
}

/** Log-scale ticks at powers of ten only (d3's default adds 2…9 multiples when the span is short). */
export function logTicks(domain: readonly number[], maxTicks = 8): number[] {
  const lo = Math.floor(Math.log10(Math.min(domain[0]!, domain[1]!)));
  const hi = Math.ceil(Math.log10(Math.max(domain[0]!, domain[1]!)));
  const step = Math.max(1, Math.ceil((hi - lo) / maxTicks));
  const out: number[] = [];
  for (let k = lo; k <= hi; k += step) out.push(10 ** k);
  return out;
}

export function leftAxis(scale: Numeric, x: number, log: boolean, ticks = 6, gridTo?: number): SvgNode {
  const values = log ? logTicks(scale.domain(), ticks).filter((v) => inDomain(scale, v)) : scale.ticks(ticks);
  const [r0, r1] = scale.range() as [number, number];
  return h(
    'g',
    { class: 'axis y-axis' },
    h('line', { x1: x, x2: x, y1: r0, y2: r1, stroke: '#444' }),
    values.map((v) => {
      const y = scale(v);
      return h(
        'g',
        { class: 'tick' },
        gridTo !== undefined
          ? h('line', { class: 'grid', x1: x, x2: gridTo, y1: y, y2: y, stroke: '#e6e6e6' })
          : null,
        h('line', { x1: x - 4, x2: x, y1: y, y2: y, stroke: '#444' }),
        h('text', { x: x - 6, y: y + 3.5, 'text-anchor': 'end' }, tickLabel(log, v)),
      );
    }),
  );
}

export function bottomAxis(scale: Numeric, y: number, log: boolean, ticks = 8): SvgNode {
  const values = log ? logTicks(scale.domain(), ticks).filter((v) => inDomain(scale, v)) : scale.ticks(ticks);
  const [r0, r1] = scale.range() as [number, number];
  return h(
    'g',
    { class: 'axis x-axis' },
    h('line', { x1: r0, x2: r1, y1: y, y2: y, stroke: '#444' }),
    values.map((v) => {
      const x = scale(v);
      return h(
        'g',
        { class: 'tick' },
        h('line', { x1: x, x2: x, y1: y, y2: y + 4, stroke: '#444' }),
        h('text', { x, y: y + 15, 'text-anchor': 'middle' }, tickLabel(log, v)),
      );
    }),
  );
}

/** A category axis; `rotate` (degrees, e.g. -45) turns long names so that they do not overlap. */
export function bandAxis(scale: ScaleBand<string>, y: number, rotate = 0): SvgNode {
  const [r0, r1] = scale.range() as [number, number];
  return h(
    'g',
    { class: 'axis x-axis band-axis' },
    h('line', { x1: r0, x2: r1, y1: y, y2: y, stroke: '#444' }),
    scale.domain().map((name) => {
      const x = scale(name)! + scale.bandwidth() / 2;
      const ty = y + 12;
      return h(
        'g',
        { class: 'tick' },
        h('line', { x1: x, x2: x, y1: y, y2: y + 4, stroke: '#444' }),
        h(
          'text',
          rotate
            ? { x, y: ty, 'text-anchor': 'end', transform: `rotate(${rotate} ${x} ${ty})` }
            : { x, y: ty + 3, 'text-anchor': 'middle' },
          name,
        ),
      );
    }),
  );
}

function inDomain(scale: Numeric, v: number): boolean {
  const [a, b] = scale.domain() as [number, number];
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
}

export interface LegendItem {
  label: string;
  color: string;
  shape: 'line' | 'rect' | 'dashed';
}

export function legend(items: LegendItem[], x: number, y: number): SvgNode {
  return h(
    'g',
    { class: 'legend', transform: `translate(${x} ${y})` },
    items.map((it, i) =>
      h(
        'g',
        { class: 'legend-item', transform: `translate(0 ${i * 16})` },
        it.shape === 'rect'
          ? h('rect', { x: 0, y: -8, width: 12, height: 10, fill: it.color })
          : h('line', {
              x1: 0,
              x2: 14,
              y1: -3,
              y2: -3,
              stroke: it.color,
              'stroke-width': 2,
              'stroke-dasharray': it.shape === 'dashed' ? '4 3' : null,
            }),
        h('text', { x: 18, y: 0 }, it.label),
      ),
    ),
  );
}

/** Category colours (Tableau 10), cycled. */
export const SERIES_COLORS = [
  '#4e79a7',
  '#f28e2c',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc949',
  '#af7aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ab',
];
export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length]!;
}

/** SVG charts of a report, drawn with @gradsight/viz (no DOM: Node or browser). */
import { ValueError } from '@gradsight/core';
import { groupedBarChart, heatmap, lineChart, svgToString } from '@gradsight/viz';
import { displayPath } from './model-map.js';
import { decodeNumber, type MonitorReport } from './report.js';

export interface ChartOptions {
  title?: string;
  width?: number;
  height?: number;
  /** Fixed element-id prefix for reproducible output. */
  id?: string;
}

/**
 * Gradient flow: mean |g| and max |g| per layer (bars, log scale) at one recorded step
 * (default the last), in model order, input side on the left. Vanishing shows as bars that
 * shrink by decades toward the left; exploding as bars that grow.
 */
export function gradientFlowChart(
  report: MonitorReport,
  options: ChartOptions & {
    index?: number;
    weightLayersOnly?: boolean;
    yDomain?: readonly [number, number];
  } = {},
): string {
  const h = report.history;
  if (h.step.length === 0) throw new ValueError('gradientFlowChart: the report has no recorded step yet.');
  const i = options.index ?? h.step.length - 1;
  const layers = report.layers.filter((l) => !options.weightLayersOnly || l.weightLayer);
  return svgToString(
    groupedBarChart({
      title: options.title ?? `Gradient flow at step ${h.step[i]}`,
      xLabel: 'layer (input → output)',
      yLabel: '|gradient|',
      logY: true,
      categories: layers.map((l) => displayPath(l.path)),
      series: [
        { name: 'mean |g|', values: layers.map((l) => decodeNumber(h.layers[l.path]!.gradMeanAbs[i]!)) },
        { name: 'max |g|', values: layers.map((l) => decodeNumber(h.layers[l.path]!.gradMaxAbs[i]!)) },
      ],
      ...(options.yDomain ? { yDomain: options.yDomain } : {}),
      ...(options.width ? { width: options.width } : {}),
      ...(options.height ? { height: options.height } : {}),
      ...(options.id ? { id: options.id } : {}),
    }),
  );
}

/** Layer × step heatmap of log10 of the gradient L2 norm; NaN/Inf cells are hatched. */
export function gradNormHeatmap(
  report: MonitorReport,
  options: ChartOptions & { maxSteps?: number } = {},
): string {
  const h = report.history;
  const maxSteps = options.maxSteps ?? 200;
  const n = h.step.length;
  const cols =
    n <= maxSteps
      ? [...Array(n).keys()]
      : Array.from({ length: maxSteps }, (_, k) => Math.round((k * (n - 1)) / (maxSteps - 1)));
  const matrix = report.layers.map((l) =>
    cols.map((i) => {
      const v = decodeNumber(h.layers[l.path]!.gradNorm[i]!);
      return Number.isFinite(v) ? (v > 0 ? Math.log10(v) : -Infinity) : v;
    }),
  );
  return svgToString(
    heatmap({
      title: options.title ?? 'log10 gradient norm per layer',
      xLabel: 'step',
      matrix,
      rowLabels: report.layers.map((l) => displayPath(l.path)),
      colLabels: cols.map((i) => String(h.step[i])),
      legendLabel: 'log10 ‖g‖',
      colormap: 'viridis',
      ...(options.width ? { width: options.width } : {}),
      ...(options.height ? { height: options.height } : {}),
      ...(options.id ? { id: options.id } : {}),
    }),
  );
}

/** Update-to-weight ratio ‖Δw‖/‖w‖ per weight layer over steps, log scale, with the 1e-3 guide. */
export function updateRatioChart(report: MonitorReport, options: ChartOptions = {}): string {
  const h = report.history;
  const layers = report.layers.filter((l) => l.weightLayer);
  // only the steps where the update was measured (every `weightsEvery`-th), so lines connect
  const idx = h.step
    .map((_, i) => i)
    .filter((i) => layers.some((l) => h.layers[l.path]!.updateRatio[i] !== null));
  return svgToString(
    lineChart({
      title: options.title ?? 'Update-to-weight ratio ‖Δw‖/‖w‖',
      xLabel: 'step',
      yLabel: '‖Δw‖/‖w‖',
      logY: true,
      series: layers.map((l) => ({
        name: displayPath(l.path),
        x: idx.map((i) => h.step[i]!),
        y: idx.map((i) => decodeNumber(h.layers[l.path]!.updateRatio[i]!)),
      })),
      guides: [{ y: 1e-3, label: '1e-3 rule of thumb' }],
      ...(options.width ? { width: options.width } : {}),
      ...(options.height ? { height: options.height } : {}),
      ...(options.id ? { id: options.id } : {}),
    }),
  );
}

/** Loss over the recorded steps. */
export function lossChart(report: MonitorReport, options: ChartOptions & { logY?: boolean } = {}): string {
  const h = report.history;
  return svgToString(
    lineChart({
      title: options.title ?? 'Loss',
      xLabel: 'step',
      yLabel: 'loss',
      logY: options.logY ?? false,
      series: [{ name: 'loss', x: h.step, y: h.loss.map(decodeNumber) }],
      ...(options.width ? { width: options.width } : {}),
      ...(options.height ? { height: options.height } : {}),
      ...(options.id ? { id: options.id } : {}),
    }),
  );
}

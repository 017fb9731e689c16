export { type BarSeries, type GroupedBarChartOptions, groupedBarChart } from './bar-chart.js';
export {
  type Colormap,
  type ColormapName,
  colormapFromInterpolator,
  colormapReversed,
  colormaps,
  magma,
  parseColor,
  type Rgb,
  rdBu,
  resolveColormap,
  rgbToCss,
  viridis,
} from './colormap.js';
export { VizInputError } from './errors.js';
export { formatNumber, formatPow10 } from './format.js';
export { type ChartBase, type LegendItem, SERIES_COLORS, seriesColor } from './frame.js';
export { type HeatmapOptions, heatmap } from './heatmap.js';
export { type Binned, binValues, type HistogramOptions, histogram } from './histogram.js';
export { type GuideLine, type LineChartOptions, type LineSeries, lineChart } from './line-chart.js';
export { type MatrixInput, toMatrix } from './matrix.js';
export { type HeatmapPngOptions, heatmapToPng } from './png.js';
export {
  type AttrValue,
  escapeXml,
  h,
  type SvgChild,
  type SvgChildren,
  type SvgNode,
  svgToString,
  uniqueId,
} from './svg.js';

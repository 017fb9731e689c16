export { type AttrValue, type SvgChild, type SvgChildren, type SvgNode, escapeXml, h, svgToString, uniqueId } from './svg.js';
export {
  type Colormap, type ColormapName, type Rgb, colormapFromInterpolator, colormapReversed, colormaps, magma, parseColor, rdBu,
  resolveColormap, rgbToCss, viridis,
} from './colormap.js';
export { VizInputError } from './errors.js';
export { formatNumber, formatPow10 } from './format.js';
export { type ChartBase, type LegendItem, SERIES_COLORS, seriesColor } from './frame.js';
export { type GuideLine, type LineChartOptions, type LineSeries, lineChart } from './line-chart.js';
export { type BarSeries, type GroupedBarChartOptions, groupedBarChart } from './bar-chart.js';
export { type HeatmapOptions, heatmap } from './heatmap.js';
export { type Binned, type HistogramOptions, binValues, histogram } from './histogram.js';
export { type MatrixInput, toMatrix } from './matrix.js';
export { type HeatmapPngOptions, heatmapToPng } from './png.js';

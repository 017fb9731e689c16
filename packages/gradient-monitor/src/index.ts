export { GradientMonitor, watch } from './monitor.js';
export type { MemoryUse, MonitorEvents, StepEvent, StepVerdict } from './monitor.js';
export { defaultActivationTypes, defaultThresholds } from './options.js';
export type { NonFiniteOptions, NonFinitePolicy, ParamSelector, SaturationLimits, Thresholds, WatchOptions } from './options.js';
export { depthFindings, diagnose } from './diagnose.js';
export type { DepthPoint, DiagnosisInput } from './diagnose.js';
export { DownsampledHistory } from './history.js';
export type { Histogram, HistogramConfig } from './histogram.js';
export type {
  ActivationKind, Callable, Finding, FindingKind, HookHandle, HookableModule, NonFiniteEvent, Pass, Severity, Watchable,
} from './types.js';
export { checkInit, formatInitReport } from './check-init.js';
export type { CheckInitOptions, InitLayer, InitReport } from './check-init.js';
export { REPORT_SCHEMA_VERSION, buildReport, decodeNumber, encodeNumber, parseReport } from './report.js';
export type { ActivationSeries, EncodedEvent, EncodedFinding, LayerSeries, MonitorReport, ParamSeries, ReportNumber, ReportOptions } from './report.js';
export { reportToCsv } from './csv.js';
export { summaryTable } from './summary.js';
export { gradNormHeatmap, gradientFlowChart, lossChart, updateRatioChart } from './charts.js';
export type { ChartOptions } from './charts.js';

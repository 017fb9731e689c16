export type { ChartOptions } from './charts.js';
export { gradientFlowChart, gradNormHeatmap, lossChart, updateRatioChart } from './charts.js';
export type { CheckInitOptions, InitLayer, InitReport } from './check-init.js';
export { checkInit, formatInitReport } from './check-init.js';
export { reportToCsv } from './csv.js';
export type { DepthPoint, DiagnosisInput } from './diagnose.js';
export { depthFindings, diagnose } from './diagnose.js';
export type { Histogram, HistogramConfig } from './histogram.js';
export { DownsampledHistory } from './history.js';
export type { MemoryUse, MonitorEvents, StepVerdict } from './monitor.js';
export { GradientMonitor, watch } from './monitor.js';
export type {
  NonFiniteOptions,
  NonFinitePolicy,
  ParamSelector,
  SaturationLimits,
  Thresholds,
  WatchOptions,
} from './options.js';
export { defaultActivationTypes, defaultThresholds } from './options.js';
export type { StepEvent } from './record-builder.js';
export type {
  ActivationSeries,
  EncodedEvent,
  EncodedFinding,
  LayerSeries,
  MonitorReport,
  ParamSeries,
  ReportNumber,
  ReportOptions,
} from './report.js';
export { buildReport, decodeNumber, encodeNumber, parseReport, REPORT_SCHEMA_VERSION } from './report.js';
export { summaryTable } from './summary.js';
export type {
  ActivationKind,
  Callable,
  Finding,
  FindingKind,
  HookableModule,
  HookHandle,
  NonFiniteEvent,
  Pass,
  Severity,
  Watchable,
} from './types.js';

/**
 * The JSON report: a stable, documented schema (`schemaVersion` 1) that holds everything the
 * monitor retained, so charts and tables can be drawn later or elsewhere (a browser page
 * reading a file written by a Node training run).
 *
 * Numbers: finite values are JSON numbers; NaN and ±Inf (which a monitor must not drop) are
 * the strings "NaN", "Infinity", "-Infinity"; a value that was not measured is null.
 */
import { ValueError } from '@gradsight/core';
import type { Histogram } from './histogram.js';
import type { GradientMonitor } from './monitor.js';
import { A, A_COLS, L, L_COLS, P, P_COLS, type StepRecord } from './record.js';
import type { ActivationKind, Finding, NonFiniteEvent } from './types.js';

export const REPORT_SCHEMA_VERSION = 1;

export type ReportNumber = number | 'NaN' | 'Infinity' | '-Infinity' | null;

export interface LayerSeries {
  gradNorm: ReportNumber[];
  gradMeanAbs: ReportNumber[];
  gradMaxAbs: ReportNumber[];
  gradRms: ReportNumber[];
  weightNorm: ReportNumber[];
  updateRatio: ReportNumber[];
}
export interface ParamSeries {
  gradNorm: ReportNumber[];
  gradMaxAbs: ReportNumber[];
  gradMean: ReportNumber[];
  gradStd: ReportNumber[];
  gradMeanAbs: ReportNumber[];
  weightNorm: ReportNumber[];
  updateNorm: ReportNumber[];
  updateRatio: ReportNumber[];
}
export interface ActivationSeries {
  mean: ReportNumber[];
  std: ReportNumber[];
  deadFraction: ReportNumber[];
  deadFractionWindow: ReportNumber[];
  saturatedFraction: ReportNumber[];
}

export interface MonitorReport {
  schemaVersion: 1;
  kind: 'gradsight.gradient-monitor.report';
  steps: {
    /** Steps seen (ended) so far. */
    total: number;
    /** Steps whose statistics were recorded (every `every`-th). */
    recorded: number;
    /** Records still held (older ones are downsampled). */
    retained: number;
    /** Stride of the downsampled part of the history (1 = nothing dropped yet). */
    downsampleStride: number;
    every: number;
    skipped: number;
  };
  parameters: { name: string; layer: string; shape: number[]; size: number; isWeight: boolean }[];
  /**
   * In model order (input side first). `weightLayer`: owns a rank ≥ 2 parameter (used for depth
   * rules). `scaleInvariant`: its output goes into a normalisation layer (verified), so the
   * depth rules compare ‖g‖·‖w‖ for it; absent in reports written before it existed.
   */
  layers: {
    path: string;
    typeName: string | null;
    parameters: string[];
    weightLayer: boolean;
    scaleInvariant?: boolean;
  }[];
  activations: { path: string; typeName: string; kind: ActivationKind }[];
  /** Column-oriented history: index i of every array is `history.step[i]`. */
  history: {
    step: number[];
    loss: ReportNumber[];
    skipped: boolean[];
    layers: Record<string, LayerSeries>;
    parameters: Record<string, ParamSeries>;
    activations: Record<string, ActivationSeries>;
  };
  /** Histogram snapshots; `parameters[name]` holds the gradient and weight histograms. */
  histograms: {
    step: number;
    parameters: Record<string, { grad: Histogram | null; weight: Histogram | null }>;
  }[];
  nonFinite: { first: EncodedEvent | null; events: EncodedEvent[] };
  findings: EncodedFinding[];
  /** Anything the caller passed to `report({ meta })`. */
  meta?: Record<string, unknown>;
}

export type EncodedEvent = Omit<NonFiniteEvent, 'inputMin' | 'inputMax'> & {
  inputMin?: ReportNumber;
  inputMax?: ReportNumber;
};
export type EncodedFinding = Omit<Finding, 'numbers'> & {
  numbers: Record<string, ReportNumber | ReportNumber[]>;
};

export function encodeNumber(v: number): ReportNumber {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Infinity' : '-Infinity';
}

export function decodeNumber(v: ReportNumber): number {
  if (typeof v === 'number') return v;
  if (v === null) return Number.NaN;
  return v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : -Infinity;
}

function encodeFinding(f: Finding): EncodedFinding {
  const numbers: EncodedFinding['numbers'] = {};
  for (const [k, v] of Object.entries(f.numbers))
    numbers[k] = Array.isArray(v) ? v.map(encodeNumber) : encodeNumber(v as number);
  return { ...f, numbers };
}

function encodeEvent(e: NonFiniteEvent): EncodedEvent {
  const { inputMin, inputMax, ...rest } = e;
  return {
    ...rest,
    ...(inputMin !== undefined
      ? { inputMin: encodeNumber(inputMin), inputMax: encodeNumber(inputMax!) }
      : {}),
  };
}

export interface ReportOptions {
  /** Findings to include; default: a fresh `monitor.diagnose()`. */
  findings?: Finding[];
  meta?: Record<string, unknown>;
}

type Needs = 'weights' | 'update';
const measured = (r: StepRecord, needs?: Needs): boolean =>
  needs === 'weights' ? r.hasWeights : needs === 'update' ? r.hasUpdate : true;

export function buildReport(monitor: GradientMonitor, options: ReportOptions = {}): MonitorReport {
  const { params, layers } = monitor.map;
  const recs = monitor.history.values();
  const invariant = new Set(monitor.scaleInvariantLayers);
  const col = (table: Float64Array, i: number, stride: number, c: number, measured = true): ReportNumber =>
    measured ? encodeNumber(table[i * stride + c]!) : null;

  const layerSeries: Record<string, LayerSeries> = {};
  for (const l of layers) {
    const s = (c: number, needs?: Needs) =>
      recs.map((r) => col(r.layers, l.index, L_COLS, c, measured(r, needs)));
    layerSeries[l.path] = {
      gradNorm: s(L.gradNorm),
      gradMeanAbs: s(L.gradMeanAbs),
      gradMaxAbs: s(L.gradMaxAbs),
      gradRms: s(L.gradRms),
      weightNorm: s(L.weightNorm, 'weights'),
      updateRatio: s(L.updateRatio, 'update'),
    };
  }
  const paramSeries: Record<string, ParamSeries> = {};
  for (const p of params) {
    const s = (c: number, needs?: Needs) =>
      recs.map((r) =>
        r.missingGrad.includes(p.index) && c <= P.gradMeanAbs
          ? null
          : col(r.params, p.index, P_COLS, c, measured(r, needs)),
      );
    paramSeries[p.name] = {
      gradNorm: s(P.gradNorm),
      gradMaxAbs: s(P.gradMaxAbs),
      gradMean: s(P.gradMean),
      gradStd: s(P.gradStd),
      gradMeanAbs: s(P.gradMeanAbs),
      weightNorm: s(P.weightNorm, 'weights'),
      updateNorm: s(P.updateNorm, 'update'),
      updateRatio: s(P.updateRatio, 'update'),
    };
  }
  const actSeries: Record<string, ActivationSeries> = {};
  for (const a of monitor.activations) {
    const s = (c: number) =>
      recs.map((r) => {
        if (r.actSeen[a.index] !== 1) return null;
        const v = r.acts[a.index * A_COLS + c]!;
        // dead/saturated fractions are NaN by construction for kinds they do not apply to
        return Number.isNaN(v) &&
          (c === A.deadFraction || c === A.deadFractionWindow || c === A.saturatedFraction)
          ? null
          : encodeNumber(v);
      });
    actSeries[a.module.path] = {
      mean: s(A.mean),
      std: s(A.std),
      deadFraction: s(A.deadFraction),
      deadFractionWindow: s(A.deadFractionWindow),
      saturatedFraction: s(A.saturatedFraction),
    };
  }
  const findings = options.findings ?? monitor.diagnose();
  const report: MonitorReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'gradsight.gradient-monitor.report',
    steps: {
      total: monitor.currentStep,
      recorded: monitor.recordedSteps,
      retained: recs.length,
      downsampleStride: monitor.history.stride,
      every: monitor.options.every,
      skipped: monitor.skippedStepCount,
    },
    parameters: params.map((p) => ({
      name: p.name,
      layer: layers[p.layer]!.path,
      shape: [...p.shape],
      size: p.size,
      isWeight: p.isWeight,
    })),
    layers: layers.map((l) => ({
      path: l.path,
      typeName: l.typeName,
      parameters: l.params.map((i) => params[i]!.name),
      weightLayer: l.isWeightLayer,
      scaleInvariant: invariant.has(l.path),
    })),
    activations: monitor.activations.map((a) => ({
      path: a.module.path,
      typeName: a.module.typeName,
      kind: a.module.kind!,
    })),
    history: {
      step: recs.map((r) => r.step),
      loss: recs.map((r) => (r.lossGiven ? encodeNumber(r.loss) : null)),
      skipped: recs.map((r) => r.skipped),
      layers: layerSeries,
      parameters: paramSeries,
      activations: actSeries,
    },
    histograms: monitor.histograms.values().map((h) => {
      const out: MonitorReport['histograms'][number]['parameters'] = {};
      params.forEach((p, i) => {
        out[p.name] = { grad: h.grad[i] ?? null, weight: h.weight[i] ?? null };
      });
      return { step: h.step, parameters: out };
    }),
    nonFinite: {
      first: monitor.firstNonFinite ? encodeEvent(monitor.firstNonFinite) : null,
      events: monitor.nonFiniteEvents.map(encodeEvent),
    },
    findings: findings.map(encodeFinding),
  };
  if (options.meta) report.meta = options.meta;
  return report;
}

/** Validates the envelope of a parsed report (e.g. from `JSON.parse`) and returns it typed. */
export function parseReport(json: unknown): MonitorReport {
  const r = json as Partial<MonitorReport> | null;
  if (!r || typeof r !== 'object' || r.kind !== 'gradsight.gradient-monitor.report') {
    throw new ValueError(
      "parseReport: not a gradient-monitor report (missing kind 'gradsight.gradient-monitor.report').",
    );
  }
  if (r.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new ValueError(
      `parseReport: schemaVersion ${String(r.schemaVersion)} is not supported; this version reads ${REPORT_SCHEMA_VERSION}.`,
    );
  }
  return r as MonitorReport;
}

/**
 * The cases of issue 3's benchmark. Each case is plain data; engines turn it into kernels.
 * `work` is what turns a median time into the reported rate (FLOPs or bytes); cases without
 * it (training steps, optimiser updates) are reported in milliseconds.
 */
import { conv2dFlops, elementwiseBytes, matmulFlops } from './flops.js';

export type Shape4 = readonly [number, number, number, number];

export type CaseSpec =
  | { kind: 'matmul'; m: number; k: number; n: number; transposeA: boolean; transposeB: boolean }
  /** x·W + b then relu, through the fused path where the engine has one. */
  | { kind: 'dense'; batch: number; inFeatures: number; outFeatures: number }
  | {
      kind: 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter';
      input: Shape4;
      filter: Shape4;
      stride: number;
    }
  | { kind: 'add' | 'relu' | 'sum'; size: number }
  /** forward, backward and Adam on an MLP with relu hidden layers and softmax cross-entropy. */
  | { kind: 'mlpStep'; layers: readonly number[]; batch: number }
  /**
   * The MLP step with `@gradsight/gradient-monitor` recording gradient statistics every step
   * (and histograms every `histogramEvery` steps when set); gradsight engines only.
   */
  | { kind: 'mlpStepMonitored'; layers: readonly number[]; batch: number; histogramEvery: number | null }
  /** conv3×3×16-relu-maxpool2-conv3×3×32-relu-maxpool2-dense10 on 28×28×1, same padding. */
  | { kind: 'cnnStep'; batch: number }
  /** One Adam update of every parameter of the MLP, with the backend's kernel or composed. */
  | { kind: 'adam'; variant: 'fused' | 'composed'; layers: readonly number[] };

export type Unit = 'GFLOP/s' | 'GB/s' | 'ms';

export interface BenchCase {
  id: string;
  title: string;
  spec: CaseSpec;
  unit: Unit;
  /** FLOPs (GFLOP/s cases) or bytes (GB/s cases) of one run. */
  work?: number;
  /** Part of `--quick`. */
  quick: boolean;
  /**
   * Overrides of the run's measurement options. The plain and monitored MLP steps take more
   * samples (also under --quick): their ratio is the monitor's overhead, a difference of a
   * few percent that 10 samples cannot resolve.
   */
  measure?: { minRuns: number };
}

export const MLP_LAYERS = [784, 256, 256, 256, 10] as const;
/** The plain MLP step, and the monitored steps whose overhead is measured against it. */
export const MLP_STEP_ID = 'mlp-step';
export const MONITOR_NORMS_ID = 'mlp-step-monitor-norms';
export const MONITOR_HISTOGRAMS_ID = 'mlp-step-monitor-hist10';
const OVERHEAD_SAMPLES = { minRuns: 100 } as const;
const CONV_A = { input: [8, 32, 32, 32], filter: [3, 3, 32, 64], stride: 1 } as const;
const CONV_B = { input: [1, 224, 224, 3], filter: [3, 3, 3, 32], stride: 2 } as const;
const ONE_M = 1 << 20;

function shapeText(s: readonly number[]): string {
  return `[${s.join(',')}]`;
}

function matmulCases(): BenchCase[] {
  const out: BenchCase[] = [];
  for (const n of [128, 256, 512, 1024]) {
    for (const [tA, tB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const flags = `${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'}`;
      out.push({
        id: `matmul-${n}-${tA ? 't' : 'n'}${tB ? 't' : 'n'}`,
        title: `matmul ${n} ${flags}`,
        spec: { kind: 'matmul', m: n, k: n, n, transposeA: tA, transposeB: tB },
        unit: 'GFLOP/s',
        work: matmulFlops(n, n, n),
        quick: n === 256 || n === 512,
      });
    }
  }
  return out;
}

function convCase(
  kind: 'conv2d' | 'conv2dBackpropInput' | 'conv2dBackpropFilter',
  c: { input: Shape4; filter: Shape4; stride: number },
  quick: boolean,
): BenchCase {
  const label = {
    conv2d: 'conv2d',
    conv2dBackpropInput: 'conv2d ∂input',
    conv2dBackpropFilter: 'conv2d ∂filter',
  }[kind];
  return {
    id: `${kind}-${c.input.join('x')}-${c.filter.join('x')}-s${c.stride}`,
    title: `${label} ${shapeText(c.input)}×${shapeText(c.filter)} s${c.stride}`,
    spec: { kind, ...c },
    unit: 'GFLOP/s',
    work: conv2dFlops(c.input, c.filter, c.stride),
    quick,
  };
}

export function allCases(): BenchCase[] {
  const layersText = MLP_LAYERS.join('-');
  return [
    ...matmulCases(),
    {
      id: 'dense-64x784x256-relu',
      title: 'dense 64×784 @ 784×256 +bias relu',
      spec: { kind: 'dense', batch: 64, inFeatures: 784, outFeatures: 256 },
      unit: 'GFLOP/s',
      work: matmulFlops(64, 256, 784),
      quick: false,
    },
    convCase('conv2d', CONV_A, true),
    convCase('conv2d', CONV_B, false),
    convCase('conv2dBackpropInput', CONV_A, false),
    convCase('conv2dBackpropFilter', CONV_A, false),
    ...(['add', 'relu', 'sum'] as const).map(
      (kind): BenchCase => ({
        id: `${kind}-1M`,
        title: `${kind} 1M floats`,
        spec: { kind, size: ONE_M },
        unit: 'GB/s',
        work: elementwiseBytes(kind, ONE_M),
        quick: true,
      }),
    ),
    {
      id: MLP_STEP_ID,
      title: `MLP ${layersText} step, batch 64`,
      spec: { kind: 'mlpStep', layers: MLP_LAYERS, batch: 64 },
      unit: 'ms',
      quick: true,
      measure: OVERHEAD_SAMPLES,
    },
    {
      id: MONITOR_NORMS_ID,
      title: 'MLP step + monitor (norms every step)',
      spec: { kind: 'mlpStepMonitored', layers: MLP_LAYERS, batch: 64, histogramEvery: null },
      unit: 'ms',
      quick: true,
      measure: OVERHEAD_SAMPLES,
    },
    {
      id: MONITOR_HISTOGRAMS_ID,
      title: 'MLP step + monitor (norms + histograms every 10 steps)',
      spec: { kind: 'mlpStepMonitored', layers: MLP_LAYERS, batch: 64, histogramEvery: 10 },
      unit: 'ms',
      quick: true,
      measure: OVERHEAD_SAMPLES,
    },
    {
      id: 'cnn-step',
      title: 'CNN 28×28×1 step, batch 32',
      spec: { kind: 'cnnStep', batch: 32 },
      unit: 'ms',
      quick: false,
    },
    {
      id: 'adam-fused',
      title: `Adam update, MLP params (fused kernel)`,
      spec: { kind: 'adam', variant: 'fused', layers: MLP_LAYERS },
      unit: 'ms',
      quick: false,
    },
    {
      id: 'adam-composed',
      title: `Adam update, MLP params (composed ops)`,
      spec: { kind: 'adam', variant: 'composed', layers: MLP_LAYERS },
      unit: 'ms',
      quick: false,
    },
  ];
}

export function selectCases(
  cases: readonly BenchCase[],
  opts: { quick: boolean; filter?: RegExp },
): BenchCase[] {
  return cases.filter(
    (c) => (!opts.quick || c.quick) && (!opts.filter || opts.filter.test(c.id) || opts.filter.test(c.title)),
  );
}

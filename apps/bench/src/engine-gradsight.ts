/**
 * gradsight engines: the reference JS backend and each build of `@gradsight/tensor-wasm`.
 * Steps are written with core ops the way a user would (fusedMatmul, conv2d, maxPool2d,
 * softmaxCrossEntropy, backward, adamUpdate inside tidy).
 */

import type { Backend, Conv2DAttrs, Tensor } from '@gradsight/core';
import * as g from '@gradsight/core';
import { type GradientMonitor, type WatchOptions, watch } from '@gradsight/gradient-monitor';
import type { CaseSpec } from './cases.js';
import { ADAM, type Array32, type CaseData } from './data.js';
import { type Engine, type EngineId, type EngineRole, type Prepared, unavailableEngine } from './engine.js';
import { hideKernels } from './hide-kernels.js';

type Params = Tensor[];

function upload(a: Array32): Tensor {
  return g.tensor(a.values, a.shape, 'float32');
}

function toF32(v: ArrayLike<number>): Float32Array {
  return Float32Array.from(v);
}

function sameConvAttrs(input: readonly number[], filter: readonly number[], stride: number): Conv2DAttrs {
  const strides: [number, number] = [stride, stride];
  const pads = g.resolvePadding(
    'conv2d',
    'same',
    [input[1]!, input[2]!],
    [filter[0]!, filter[1]!],
    strides,
    [1, 1],
  );
  return { strides, dilations: [1, 1], pads };
}

function mlpLogits(x: Tensor, p: Params): Tensor {
  let h = x;
  for (let i = 0; i < p.length; i += 2) {
    const last = i + 2 >= p.length;
    h = g.fusedMatmul(h, p[i]!, p[i + 1]!, { activation: last ? 'none' : 'relu' });
  }
  return h;
}

function cnnLogits(x: Tensor, p: Params): Tensor {
  const [c1w, c1b, c2w, c2b, fw, fb] = p as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
  let h = g.relu(g.add(g.conv2d(x, c1w, { padding: 'same' }), c1b));
  h = g.maxPool2d(h, { kernelSize: 2 });
  h = g.relu(g.add(g.conv2d(h, c2w, { padding: 'same' }), c2b));
  h = g.maxPool2d(h, { kernelSize: 2 });
  h = g.reshape(h, [h.shape[0]!, -1]);
  return g.fusedMatmul(h, fw, fb);
}

/** Adam state for a list of parameters, updated in place with core's `adamUpdate`. */
class AdamState {
  private readonly m: Tensor[];
  private readonly v: Tensor[];
  private step = 0;
  constructor(private readonly params: Params) {
    this.m = params.map((p) => g.zeros(p.shape));
    this.v = params.map((p) => g.zeros(p.shape));
  }
  update(grads: readonly Tensor[]): void {
    this.step++;
    const attrs = { ...ADAM, weightDecay: 0, decoupled: false, step: this.step };
    for (const [i, p] of this.params.entries())
      g.adamUpdate(p, grads[i]!, this.m[i]!, this.v[i]!, null, attrs);
  }
  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}

/**
 * Monitor options of the monitored MLP cases: gradient statistics (norm, max|g|, mean, std,
 * mean|g|) of every parameter on every step, as a user recording norms would set it up. The
 * parameters are plain tensors (no modules), so no forward hooks are involved.
 */
export function monitorOptions(histogramEvery: number | null): WatchOptions {
  return {
    updateRatio: false,
    ...(histogramEvery === null ? {} : { histograms: true, histogramEvery }),
  };
}

/** The MLP's parameters named as `Linear` layers would name them ('0.weight', '0.bias', …). */
function watchParams(params: Params, histogramEvery: number | null): GradientMonitor {
  const named = params.map((p, i): [string, Tensor] => [`${i >> 1}.${i % 2 === 0 ? 'weight' : 'bias'}`, p]);
  return watch({ namedParameters: () => named }, monitorOptions(histogramEvery));
}

function trainStep(spec: CaseSpec, data: CaseData): Prepared {
  const forward = spec.kind === 'cnnStep' ? cnnLogits : mlpLogits;
  const x = upload(data.x!);
  const labels = g.tensor(data.labels!.values, [data.labels!.values.length], 'int32');
  const params = data.params!.map((p) => upload(p).requiresGrad_());
  const adam = new AdamState(params);
  const monitor = spec.kind === 'mlpStepMonitored' ? watchParams(params, spec.histogramEvery) : null;
  const lossOf = () => g.mean(g.softmaxCrossEntropy(forward(x, params), labels));
  const dropGrads = () => {
    for (const p of params) {
      p.grad?.dispose();
      p.grad = null;
    }
  };
  return {
    run: () =>
      g.tidy(() => {
        const loss = lossOf();
        loss.backward();
        if (monitor) {
          // the plain step reads the loss too: the monitor gets the number, not a second read
          monitor.afterBackward(loss.item());
          adam.update(params.map((p) => p.grad!));
          monitor.endStep();
          dropGrads();
          return;
        }
        adam.update(params.map((p) => p.grad!));
        dropGrads();
        loss.item();
      }),
    check: () =>
      g.tidy(() => {
        lossOf().backward();
        const grad = toF32(params[0]!.grad!.dataSync());
        dropGrads();
        return grad;
      }),
    dispose: () => {
      monitor?.close();
      adam.dispose();
      dropGrads();
      for (const t of [x, labels, ...params]) t.dispose();
    },
  };
}

function adamCase(data: CaseData): Prepared {
  const grads = data.grads!.map(upload);
  const fresh = () => {
    const params = data.params!.map(upload);
    return { params, adam: new AdamState(params) };
  };
  const timed = fresh();
  return {
    run: () => timed.adam.update(grads),
    check: () => {
      const once = fresh();
      once.adam.update(grads);
      const out = toF32(once.params[0]!.dataSync());
      once.adam.dispose();
      for (const p of once.params) p.dispose();
      return out;
    },
    dispose: () => {
      timed.adam.dispose();
      for (const t of [...timed.params, ...grads]) t.dispose();
    },
  };
}

/** A kernel case: `make` builds the output inside a tidy, which disposes it after timing. */
function kernel(inputs: Tensor[], make: () => Tensor): Prepared {
  return {
    run: () => g.tidy(() => void make()),
    check: () => g.tidy(() => toF32(make().dataSync())),
    dispose: () => {
      for (const t of inputs) t.dispose();
    },
  };
}

/** The conv backprops are backend kernels with no op of their own; call them directly. */
function rawKernel(backend: Backend, inputs: Tensor[], make: () => g.TensorInfo): Prepared {
  return {
    run: () => backend.disposeData(make().dataId),
    check: () => {
      const info = make();
      const out = toF32(backend.readSync(info.dataId));
      backend.disposeData(info.dataId);
      return out;
    },
    dispose: () => {
      for (const t of inputs) t.dispose();
    },
  };
}

function prepareOn(backend: Backend, spec: CaseSpec, data: CaseData): Prepared {
  g.setBackend(backend);
  switch (spec.kind) {
    case 'matmul': {
      const [a, b] = [upload(data.a!), upload(data.b!)];
      return kernel([a, b], () => g.matmul(a, b, spec.transposeA, spec.transposeB));
    }
    case 'dense': {
      const [x, w, bias] = [upload(data.x!), upload(data.b!), upload(data.bias!)];
      return kernel([x, w, bias], () => g.fusedMatmul(x, w, bias, { activation: 'relu' }));
    }
    case 'conv2d': {
      const [x, f] = [upload(data.x!), upload(data.filter!)];
      return kernel([x, f], () => g.conv2d(x, f, { stride: spec.stride, padding: 'same' }));
    }
    case 'conv2dBackpropInput': {
      const [dy, f] = [upload(data.dy!), upload(data.filter!)];
      const attrs = sameConvAttrs(spec.input, spec.filter, spec.stride);
      return rawKernel(backend, [dy, f], () => backend.conv2dBackpropInput(dy, f, spec.input, attrs));
    }
    case 'conv2dBackpropFilter': {
      const [x, dy] = [upload(data.x!), upload(data.dy!)];
      const attrs = sameConvAttrs(spec.input, spec.filter, spec.stride);
      return rawKernel(backend, [x, dy], () => backend.conv2dBackpropFilter(x, dy, spec.filter, attrs));
    }
    case 'add': {
      const [a, b] = [upload(data.a!), upload(data.b!)];
      return kernel([a, b], () => g.add(a, b));
    }
    case 'relu': {
      const a = upload(data.a!);
      return kernel([a], () => g.relu(a));
    }
    case 'sum': {
      const a = upload(data.a!);
      return kernel([a], () => g.sum(a));
    }
    case 'mlpStep':
    case 'mlpStepMonitored':
    case 'cnnStep':
      return trainStep(spec, data);
    case 'adam':
      return adamCase(data);
  }
}

export function gradsightEngine(id: EngineId, backend: Backend, detail: string, role: EngineRole): Engine {
  return {
    id,
    unavailable: null,
    detail,
    role,
    cannotRun: (spec) =>
      spec.kind === 'adam' && spec.variant === 'fused' && !backend.adamUpdate
        ? { status: 'n/a', note: `backend '${backend.name}' has no fused adamUpdate kernel` }
        : null,
    prepare: async (spec, data) => {
      const target =
        spec.kind === 'adam' && spec.variant === 'composed' ? hideKernels(backend, ['adamUpdate']) : backend;
      return prepareOn(target, spec, data);
    },
    liveTensors: () => g.memory().numTensors,
  };
}

/** The shape of `@gradsight/tensor-wasm` that the bench relies on, checked at run time. */
interface WasmModule {
  createWasmBackend(options: { build: 'simd' | 'scalar' | 'relaxed' }): Backend | Promise<Backend>;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}

/**
 * Loads each wasm build. The package is imported by a computed name so that the bench runs
 * (printing "not built") before `@gradsight/tensor-wasm` exists or has compiled its modules.
 */
export async function loadGradsightEngines(): Promise<Engine[]> {
  const engines: Engine[] = [];
  const builds = [
    ['gs-wasm-simd', 'simd'],
    ['gs-wasm-scalar', 'scalar'],
    ['gs-wasm-relaxed', 'relaxed'],
  ] as const;
  let mod: WasmModule | null = null;
  let why = '';
  const specifier = '@gradsight/tensor-wasm';
  try {
    const m = (await import(specifier)) as Partial<WasmModule>;
    if (typeof m.createWasmBackend === 'function') mod = m as WasmModule;
    else why = `${specifier} has no createWasmBackend export`;
  } catch (err) {
    why = `${specifier} could not be loaded: ${message(err)}`;
  }
  let anyBuilt = false;
  for (const [id, build] of builds) {
    if (!mod) {
      engines.push(unavailableEngine(id, 'not built', why));
      continue;
    }
    try {
      const backend = await mod.createWasmBackend({ build });
      anyBuilt = true;
      engines.push(
        gradsightEngine(
          id,
          backend,
          `createWasmBackend({ build: '${build}' }) → backend '${backend.name}'`,
          'wasm',
        ),
      );
    } catch (err) {
      // Relaxed SIMD failing while another build loaded is missing engine support (Node 20
      // needs --experimental-wasm-relaxed-simd), not a missing build.
      const status = build === 'relaxed' && anyBuilt ? 'unsupported' : 'not built';
      engines.push(
        unavailableEngine(id, status, `createWasmBackend({ build: '${build}' }) failed: ${message(err)}`),
      );
    }
  }
  engines.push(
    gradsightEngine('gs-ref', new g.ReferenceBackend(), "core's ReferenceBackend (plain JS)", 'reference'),
  );
  return engines;
}

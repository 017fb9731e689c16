/**
 * tfjs peers: tfjs-core 4.22 with tfjs-backend-wasm (XNNPACK) and tfjs-backend-cpu, in the
 * same process as gradsight. tfjs-core alone registers no chained ops, so only the functional
 * API is used (tf.matMul(a, b), not a.matMul(b)). Kernels on these backends are synchronous;
 * each run still reads one value back, which is how a user forces completion in tfjs.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { CaseSpec } from './cases.js';
import { ADAM, type Array32, type CaseData, type ParamSpec } from './data.js';
import { type Engine, type EngineId, type Prepared, unavailableEngine } from './engine.js';
import { registerTfjsGradients } from './tfjs-gradients.js';

type Name = 'cpu' | 'wasm';

function upload(a: Array32): tf.Tensor {
  return tf.tensor(a.values, [...a.shape], 'float32');
}

/**
 * Forces completion by reading one element straight from the backend. Both backends here run
 * kernels synchronously, so this costs next to nothing, as intended. Not `tf.slice(y, 0, 1)`:
 * tfjs-backend-wasm's Slice copies its whole input out of wasm memory first (13 ms for 1M
 * floats here), which would time a large copy instead of the kernel.
 */
function readOne(t: tf.Tensor): number {
  const backend = tf.backend() as unknown as {
    readSync(id: object, start?: number, end?: number): ArrayLike<number>;
  };
  return backend.readSync(t.dataId, 0, 1)[0]!;
}

function copyOut(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}

let nextVar = 0;
function variables(params: readonly ParamSpec[]): tf.Variable[] {
  return params.map((p) => {
    const init = upload(p);
    const v = tf.variable(init, true, `bench${nextVar++}_${p.name}`);
    init.dispose();
    return v;
  });
}

function mlpLogits(x: tf.Tensor, p: tf.Variable[]): tf.Tensor {
  let h = x;
  for (let i = 0; i < p.length; i += 2) {
    const last = i + 2 >= p.length;
    h = tf.fused.matMul({ a: h, b: p[i]!, bias: p[i + 1]!, activation: last ? 'linear' : 'relu' });
  }
  return h;
}

function cnnLogits(x: tf.Tensor, p: tf.Variable[]): tf.Tensor {
  const [c1w, c1b, c2w, c2b, fw, fb] = p as [
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
  ];
  let h = tf.fused.conv2d({
    x: x as tf.Tensor4D,
    filter: c1w as tf.Tensor4D,
    strides: 1,
    pad: 'same',
    bias: c1b,
    activation: 'relu',
  });
  h = tf.maxPool(h, 2, 2, 'valid');
  h = tf.fused.conv2d({
    x: h,
    filter: c2w as tf.Tensor4D,
    strides: 1,
    pad: 'same',
    bias: c2b,
    activation: 'relu',
  });
  h = tf.maxPool(h, 2, 2, 'valid');
  const flat = tf.reshape(h, [h.shape[0], -1]);
  return tf.fused.matMul({ a: flat, b: fw, bias: fb });
}

function adamOptimizer(): tf.AdamOptimizer {
  return tf.train.adam(ADAM.lr, ADAM.beta1, ADAM.beta2, ADAM.eps);
}

function trainStep(spec: CaseSpec, data: CaseData): Prepared {
  const forward = spec.kind === 'cnnStep' ? cnnLogits : mlpLogits;
  const x = upload(data.x!);
  const { values, classes } = data.labels!;
  // Built in JS: tfjs-backend-wasm 4.22's OneHot ignores dtype 'float32' (it writes int32
  // bits into a float32 tensor), which the agreement check caught as a wrong loss.
  const hot = new Float32Array(values.length * classes);
  values.forEach((label, i) => {
    hot[i * classes + label] = 1;
  });
  const onehot = tf.tensor2d(hot, [values.length, classes]);
  const vars = variables(data.params!);
  const opt = adamOptimizer();
  const lossOf = () => tf.losses.softmaxCrossEntropy(onehot, forward(x, vars)) as tf.Scalar;
  return {
    run: () => {
      const cost = opt.minimize(lossOf, true, vars)!;
      cost.dataSync();
      cost.dispose();
    },
    check: () => {
      const { value, grads } = tf.variableGrads(lossOf, [vars[0]!]);
      const out = copyOut(grads[vars[0]!.name]!);
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    },
    dispose: () => {
      opt.dispose();
      tf.dispose([x, onehot, ...vars]);
    },
  };
}

function adamCase(data: CaseData): Prepared {
  const grads = data.grads!.map(upload);
  const fresh = () => {
    const vars = variables(data.params!);
    const named = vars.map((v, i) => ({ name: v.name, tensor: grads[i]! }));
    return { vars, named, opt: adamOptimizer() };
  };
  const timed = fresh();
  return {
    run: () => {
      timed.opt.applyGradients(timed.named);
      readOne(timed.vars[timed.vars.length - 1]!);
    },
    check: () => {
      const once = fresh();
      once.opt.applyGradients(once.named);
      const out = copyOut(once.vars[0]!);
      once.opt.dispose();
      tf.dispose(once.vars);
      return out;
    },
    dispose: () => {
      timed.opt.dispose();
      tf.dispose([...timed.vars, ...grads]);
    },
  };
}

function kernel(inputs: tf.Tensor[], make: () => tf.Tensor): Prepared {
  return {
    run: () => {
      const y = make();
      readOne(y);
      y.dispose();
    },
    check: () => {
      const y = make();
      const out = copyOut(y);
      y.dispose();
      return out;
    },
    dispose: () => tf.dispose(inputs),
  };
}

function prepare(spec: CaseSpec, data: CaseData): Prepared {
  switch (spec.kind) {
    case 'matmul': {
      const [a, b] = [upload(data.a!), upload(data.b!)];
      return kernel([a, b], () => tf.matMul(a, b, spec.transposeA, spec.transposeB));
    }
    case 'dense': {
      const [x, w, bias] = [upload(data.x!), upload(data.b!), upload(data.bias!)];
      return kernel([x, w, bias], () => tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' }));
    }
    case 'conv2d': {
      const [x, f] = [upload(data.x!) as tf.Tensor4D, upload(data.filter!) as tf.Tensor4D];
      return kernel([x, f], () => tf.conv2d(x, f, spec.stride, 'same'));
    }
    case 'conv2dBackpropInput': {
      // conv2dTranspose is the public op over the Conv2DBackpropInput kernel.
      const [dy, f] = [upload(data.dy!) as tf.Tensor4D, upload(data.filter!) as tf.Tensor4D];
      return kernel([dy, f], () => tf.conv2dTranspose(dy, f, [...spec.input], spec.stride, 'same'));
    }
    case 'conv2dBackpropFilter': {
      // No public op runs this kernel alone; run it the way tfjs's conv2d gradient does.
      const [x, dy] = [upload(data.x!), upload(data.dy!)];
      const attrs = {
        strides: spec.stride,
        pad: 'same',
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
        filterShape: [...spec.filter],
      };
      return kernel(
        [x, dy],
        () =>
          tf
            .engine()
            .runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
      );
    }
    case 'add': {
      const [a, b] = [upload(data.a!), upload(data.b!)];
      return kernel([a, b], () => tf.add(a, b));
    }
    case 'relu': {
      const a = upload(data.a!);
      return kernel([a], () => tf.relu(a));
    }
    case 'sum': {
      const a = upload(data.a!);
      return kernel([a], () => tf.sum(a));
    }
    case 'mlpStep':
    case 'cnnStep':
      return trainStep(spec, data);
    case 'adam':
      return adamCase(data);
    case 'mlpStepMonitored':
      throw new Error('the gradient monitor runs on gradsight backends only');
  }
}

/** Kernels a case needs beyond the common ones, to report "unsupported" instead of crashing. */
function neededKernels(spec: CaseSpec): string[] {
  if (spec.kind === 'conv2dBackpropFilter' || spec.kind === 'cnnStep') return ['Conv2DBackpropFilter'];
  return [];
}

function tfjsEngine(id: EngineId, name: Name, detail: string): Engine {
  return {
    id,
    unavailable: null,
    detail,
    role: 'peer',
    cannotRun: (spec) => {
      if (spec.kind === 'adam' && spec.variant === 'fused')
        return { status: 'n/a', note: 'tfjs has no fused Adam kernel' };
      if (spec.kind === 'mlpStepMonitored')
        return { status: 'n/a', note: '@gradsight/gradient-monitor watches gradsight tensors only' };
      const missing = neededKernels(spec).filter((k) => !tf.getKernel(k, name));
      return missing.length > 0
        ? { status: 'unsupported', note: `tfjs-backend-${name} has no ${missing.join(', ')} kernel` }
        : null;
    },
    prepare: async (spec, data) => {
      if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
      return prepare(spec, data);
    },
    liveTensors: () => tf.memory().numTensors,
  };
}

export async function loadTfjsEngines(): Promise<Engine[]> {
  // PROD silences tfjs's "install tfjs-node" banner and debug-only checks, as in a deployment.
  tf.env().set('PROD', true);
  await registerTfjsGradients();
  // In Node the wasm binaries are read from disk: point tfjs at the package's own dist folder.
  const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  setWasmPaths(`${dist}/`);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const wasmBinary = simd
    ? threads
      ? 'tfjs-backend-wasm-threaded-simd.wasm'
      : 'tfjs-backend-wasm-simd.wasm'
    : 'tfjs-backend-wasm.wasm';
  const engines: Engine[] = [];
  for (const [id, name, detail] of [
    ['tfjs-wasm', 'wasm', `@tensorflow/tfjs-backend-wasm ${tf.version_core}, ${wasmBinary}`],
    ['tfjs-cpu', 'cpu', `@tensorflow/tfjs-backend-cpu ${tf.version_core}`],
  ] as const) {
    // Initialise now: tf.memory() and friends throw while a registered backend is pending.
    const ok = await tf.setBackend(name).catch(() => false);
    engines.push(
      ok ? tfjsEngine(id, name, detail) : unavailableEngine(id, 'error', `tf.setBackend('${name}') failed`),
    );
  }
  return engines;
}

/**
 * PyTorch parity: every layer, activation and loss against fixtures written by
 * scripts/goldens/layers_goldens.py. Parameters arrive in PyTorch layout and go through
 * `loadTorchStateDict`, so these cases also test the importer's layout conversions.
 */
import * as g from '@gradsight/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  bce,
  bceWithLogits,
  Conv2d,
  convertTorchStateDict,
  crossEntropy,
  ELU,
  Embedding,
  Flatten,
  GELU,
  GlobalAvgPool2d,
  GRU,
  huberLoss,
  LayerNorm,
  LeakyReLU,
  Linear,
  LogSoftmax,
  LSTM,
  l1Loss,
  loadTorchStateDict,
  MaxPool2d,
  type Module,
  mseLoss,
  nllLoss,
  PReLU,
  ReLU,
  Residual,
  RNN,
  SELU,
  Sequential,
  Sigmoid,
  SiLU,
  Softmax,
  Softplus,
  Tanh,
} from '../src/index.js';
import { suiteName, testBackends } from './backends.js';
import { expectClose, fromJson, loadFixture, type TensorJson } from './fixtures.js';

interface LayerCase {
  name: string;
  layer: string;
  args: any[];
  options: Record<string, any>;
  mode: 'train' | 'eval';
  state: Record<string, TensorJson>;
  inputs: TensorJson[];
  outputs: TensorJson[];
  cotangents: TensorJson[];
  inputGrads: (TensorJson | null)[];
  paramGrads: Record<string, TensorJson>;
  buffersAfter?: Record<string, TensorJson>;
  evalInput?: TensorJson;
  evalOutput?: TensorJson;
}

interface LossCase {
  name: string;
  fn: string;
  options: Record<string, any>;
  tensorOptions: Record<string, TensorJson>;
  inputs: TensorJson[];
  output: TensorJson;
  cotangent: TensorJson;
  grad: TensorJson;
}

const factories: Record<string, (a: any[], o: any) => Module> = {
  Linear: (a, o) => new Linear(a[0], a[1], o),
  Conv2d: (a, o) => new Conv2d(a[0], a[1], a[2], o),
  MaxPool2d: (a, o) => new MaxPool2d(a[0], o),
  AvgPool2d: (a, o) => new AvgPool2d(a[0], o),
  GlobalAvgPool2d: () => new GlobalAvgPool2d(),
  Flatten: () => new Flatten(),
  BatchNorm1d: (a, o) => new BatchNorm1d(a[0], o),
  BatchNorm2d: (a, o) => new BatchNorm2d(a[0], o),
  LayerNorm: (a, o) => new LayerNorm(a[0], o),
  Embedding: (a, o) => new Embedding(a[0], a[1], o),
  ReLU: () => new ReLU(),
  LeakyReLU: (a) => new LeakyReLU(a[0]),
  ELU: (a) => new ELU(a[0]),
  SELU: () => new SELU(),
  GELU: (a) => new GELU(a[0]),
  SiLU: () => new SiLU(),
  Sigmoid: () => new Sigmoid(),
  Tanh: () => new Tanh(),
  Softplus: (a) => new Softplus(a[0], a[1]),
  Softmax: (a) => new Softmax(a[0]),
  LogSoftmax: (a) => new LogSoftmax(a[0]),
  PReLU: (_a, o) => new PReLU(o),
  ResidualIdentity: () => new Residual(new Sequential(new Linear(4, 4), new Tanh())),
  ResidualProjection: () =>
    new Residual(
      new Sequential(new Linear(4, 6), new ReLU(), new Linear(6, 6)),
      new Linear(4, 6, { bias: false }),
    ),
  SequentialCnn: () =>
    new Sequential(
      new Conv2d(3, 4, 3, { padding: 1 }),
      new BatchNorm2d(4),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(36, 5),
    ),
  RNN: (a, o) => new RNN(a[0], a[1], o),
  LSTM: (a, o) => new LSTM(a[0], a[1], o),
  GRU: (a, o) => new GRU(a[0], a[1], o),
};

/** The CNN flattens NHWC features, PyTorch NCHW ones: the importer permutes the Linear's rows. */
const importOptions: Record<string, { chwInputs?: Record<string, [number, number, number]> }> = {
  SequentialCnn: { chwInputs: { '5': [4, 3, 3] } },
};

function mapJson(rec: Record<string, TensorJson>): Record<string, g.Tensor> {
  return Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, fromJson(v)]));
}

function runLayerCase(c: LayerCase): void {
  const layer = factories[c.layer]!(c.args, c.options);
  const opts = importOptions[c.layer] ?? {};
  loadTorchStateDict(layer, mapJson(c.state), opts);
  layer.train(c.mode === 'train');
  const inputs = c.inputs.map((t) => {
    const x = fromJson(t);
    return x.dtype === 'float32' ? x.requiresGrad_() : x;
  });
  let outputs: g.Tensor[];
  if (layer instanceof RNN || layer instanceof GRU) {
    const r = layer.forwardWithState(inputs[0]!, inputs[1]);
    outputs = [r.output, r.hN];
  } else if (layer instanceof LSTM) {
    const r = layer.forwardWithState(inputs[0]!, inputs[1], inputs[2]);
    outputs = [r.output, r.hN, r.cN];
  } else {
    outputs = [layer.call(...inputs)];
  }
  expect(outputs.length).toBe(c.outputs.length);
  let loss = g.scalar(0);
  for (const [i, o] of outputs.entries()) {
    expectClose(o, c.outputs[i]!, `output ${i}`);
    loss = loss.add(o.mul(fromJson(c.cotangents[i]!)).sum());
  }
  loss.backward();
  c.inputGrads.forEach((expected, i) => {
    if (expected) expectClose(inputs[i]!.grad, expected, `gradient of input ${i}`);
    else expect(inputs[i]!.grad).toBeNull();
  });
  const expectedGrads = convertTorchStateDict(layer, mapJson(c.paramGrads), opts);
  const params = layer.namedParameters();
  expect(params.map(([n]) => n).sort()).toEqual(Object.keys(expectedGrads).sort());
  for (const [name, p] of params) {
    const want = expectedGrads[name]!;
    expectClose(
      p.grad,
      { shape: [...want.shape], data: Array.from(want.dataSync()) },
      `gradient of parameter '${name}'`,
    );
  }
  if (c.buffersAfter) {
    const expectedBuffers = convertTorchStateDict(layer, mapJson(c.buffersAfter));
    const buffers = new Map(layer.namedBuffers());
    expect([...buffers.keys()].sort()).toEqual(Object.keys(expectedBuffers).sort());
    for (const [name, want] of Object.entries(expectedBuffers)) {
      const have = buffers.get(name)!;
      if (want.dtype === 'int32') expect(Array.from(have.dataSync())).toEqual(Array.from(want.dataSync()));
      else
        expectClose(
          have,
          { shape: [...want.shape], data: Array.from(want.dataSync()) },
          `buffer '${name}' after the step`,
        );
    }
  }
  if (c.evalInput && c.evalOutput) {
    layer.eval();
    expectClose(layer.call(fromJson(c.evalInput)), c.evalOutput, 'eval-mode output');
  }
}

const lossFns: Record<string, (x: g.Tensor, t: g.Tensor, o: any) => g.Tensor> = {
  crossEntropy,
  nllLoss,
  mseLoss,
  l1Loss,
  huberLoss,
  bceWithLogits,
  bce,
};

function runLossCase(c: LossCase): void {
  const x = fromJson(c.inputs[0]!).requiresGrad_();
  const t = fromJson(c.inputs[1]!);
  const out = lossFns[c.fn]!(x, t, { ...c.options, ...mapJson(c.tensorOptions) });
  expectClose(out, c.output, 'loss');
  out.mul(fromJson(c.cotangent)).sum().backward();
  expectClose(x.grad, c.grad, 'gradient of the input');
}

const layerCases = loadFixture<LayerCase>('layers.json').cases;
const lossCases = loadFixture<LossCase>('losses.json').cases;

for (const b of await testBackends()) {
  describe.skipIf(!b.backend)(suiteName('PyTorch goldens', b), () => {
    beforeAll(() => void g.setBackend(b.backend!));
    afterAll(() => void g.setBackend('reference'));

    it('covers every layer type of the package', () => {
      const covered = new Set(layerCases.map((c) => c.layer));
      for (const name of Object.keys(factories)) expect(covered.has(name), name).toBe(true);
      expect(layerCases.length).toBeGreaterThan(50);
      expect(new Set(lossCases.map((c) => c.fn))).toEqual(new Set(Object.keys(lossFns)));
    });

    for (const c of layerCases) {
      it(`layer ${c.name}`, () => g.tidy(() => runLayerCase(c)));
    }
    for (const c of lossCases) {
      it(`loss ${c.name}`, () => g.tidy(() => runLossCase(c)));
    }
  });
}

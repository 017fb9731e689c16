/**
 * PyTorch → safetensors → gradsight: models saved by PyTorch (weights in PyTorch layout,
 * num_batches_tracked as I64) load through `loadSafetensors` + `loadTorchStateDict` and give
 * PyTorch's outputs. Also the gradsight-format save/load round trip.
 */
import * as g from '@gradsight/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchNorm2d,
  Conv2d,
  Flatten,
  GRU,
  Linear,
  loadSafetensors,
  loadTorchStateDict,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  StateDictError,
  saveSafetensors,
} from '../src/index.js';
import { suiteName, testBackends } from './backends.js';
import { expectClose, fromJson, loadFixture, type TensorJson } from './fixtures.js';

interface SafetensorsCase {
  name: string;
  model: 'cnn' | 'gru';
  bytesBase64: string;
  input: TensorJson;
  output: TensorJson;
}

class GruClassifier extends Module {
  readonly typeName = 'GruClassifier';
  readonly rnn = this.registerModule('rnn', new GRU(4, 6, { numLayers: 2, batchFirst: true }));
  readonly head = this.registerModule('head', new Linear(6, 3));
  forward(x: g.Tensor): g.Tensor {
    const out = this.rnn.call(x);
    const [b, t, h] = out.shape as [number, number, number];
    return this.head.call(g.reshape(g.slice(out, [0, t - 1, 0], [b, 1, h]), [b, h]));
  }
}

const cnn = () =>
  new Sequential(
    new Conv2d(3, 4, 3, { padding: 1 }),
    new BatchNorm2d(4),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(36, 5),
  );

const cases = loadFixture<SafetensorsCase>('safetensors.json').cases;
const bytesOf = (c: SafetensorsCase) => new Uint8Array(Buffer.from(c.bytesBase64, 'base64'));

for (const b of await testBackends()) {
  describe.skipIf(!b.backend)(suiteName('safetensors', b), () => {
    beforeAll(() => void g.setBackend(b.backend!));
    afterAll(() => void g.setBackend('reference'));

    for (const c of cases) {
      it(`loads ${c.name} exported from PyTorch and reproduces its output`, () => {
        const model = c.model === 'cnn' ? cnn() : new GruClassifier();
        const result = loadSafetensors(model, bytesOf(c), {
          chwInputs: c.model === 'cnn' ? { '5': [4, 3, 3] } : undefined,
        });
        expect(result).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
        model.eval();
        expectClose(model.call(fromJson(c.input)), c.output, `${c.name} output`);
      });
    }

    it('carries batch-norm buffers, including the int64 num_batches_tracked, across', () => {
      const model = cnn();
      loadSafetensors(model, bytesOf(cases.find((c) => c.model === 'cnn')!), {
        chwInputs: { '5': [4, 3, 3] },
      });
      const bn = model[1] as BatchNorm2d;
      expect(bn.numBatchesTracked!.dtype).toBe('int32');
      expect(bn.numBatchesTracked!.item()).toBe(3);
      expect(Array.from(bn.runningVar!.dataSync()).every((v) => v > 0 && v !== 1)).toBe(true);
    });

    it('without chwInputs the flattened CNN gives different numbers (the permutation matters)', () => {
      const c = cases.find((k) => k.model === 'cnn')!;
      const model = cnn();
      loadSafetensors(model, bytesOf(c));
      model.eval();
      expect(() => expectClose(model.call(fromJson(c.input)), c.output, 'output')).toThrow(/relative error/);
    });

    it('saves and loads gradsight-format safetensors, preserving outputs, buffers and identity', () => {
      const src = cnn();
      src.train().call(g.randn([4, 6, 6, 3], { seed: 5 }));
      src.eval();
      const bytes = saveSafetensors(src, { note: 'test' });
      const header = g.tensorsFromSafetensors(bytes);
      expect(header.metadata).toEqual({ format: 'gradsight', note: 'test' });
      expect(Object.keys(header.tensors).sort()).toEqual(Object.keys(src.stateDict()).sort());
      const dst = cnn().eval();
      const weight = (dst[0] as Conv2d).weight;
      expect(loadSafetensors(dst, bytes)).toEqual({
        missingKeys: [],
        unexpectedKeys: [],
        mismatchedKeys: [],
      });
      expect((dst[0] as Conv2d).weight).toBe(weight);
      expect((dst[1] as BatchNorm2d).numBatchesTracked!.item()).toBe(1);
      const x = g.randn([2, 6, 6, 3], { seed: 6 });
      expect(Array.from(dst.call(x).dataSync())).toEqual(Array.from(src.call(x).dataSync()));
    });

    it('a file for another architecture fails strictly with every bad key listed', () => {
      const bytes = saveSafetensors(new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2)));
      const target = new Sequential(new Linear(3, 5), new ReLU(), new Linear(5, 2), new Linear(2, 2));
      expect(() => loadSafetensors(target, bytes)).toThrow(StateDictError);
      try {
        loadSafetensors(target, bytes);
      } catch (e) {
        const err = e as StateDictError;
        expect(err.missingKeys).toEqual(['3.weight', '3.bias']);
        expect(err.mismatchedKeys.map((m) => m.key)).toEqual(['0.weight', '0.bias', '2.weight']);
        expect(err.message).toContain('0.weight (got [3,4], expected [3,5])');
      }
      const res = loadSafetensors(target, bytes, { strict: false });
      expect(res.missingKeys).toEqual(['3.weight', '3.bias']);
    });
  });
}

describe('loadTorchStateDict conversions', () => {
  it('transposes Linear, permutes Conv2d, renames batch-norm and recurrent keys', () => {
    const conv = new Conv2d(2, 3, [2, 1]);
    // PyTorch weight [cout=3, cin=2, kh=2, kw=1] with value 1000·o + 100·i + 10·y + x
    const w = new Float32Array(12);
    for (let o = 0; o < 3; o++)
      for (let i = 0; i < 2; i++)
        for (let y = 0; y < 2; y++) w[((o * 2 + i) * 2 + y) * 1] = 1000 * o + 100 * i + 10 * y;
    loadTorchStateDict(conv, { weight: g.tensor(w, [3, 2, 2, 1]), bias: g.zeros([3]) });
    // gradsight [kh, kw, cin, cout]: element [y, 0, i, o]
    const ours = conv.weight.arraySync() as number[][][][];
    expect(ours[1]![0]![1]![2]).toBe(2110);
    expect(ours[0]![0]![0]![1]).toBe(1000);

    const lin = new Linear(2, 3);
    loadTorchStateDict(lin, {
      weight: g.tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      bias: g.tensor([0, 0, 0]),
    });
    expect(lin.weight.arraySync()).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);

    const gru = new GRU(2, 1);
    const sd = {
      weight_ih_l0: g.tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      weight_hh_l0: g.tensor([[7], [8], [9]]),
      bias_ih_l0: g.tensor([1, 2, 3]),
      bias_hh_l0: g.tensor([4, 5, 6]),
    };
    loadTorchStateDict(gru, sd);
    const p = Object.fromEntries(gru.namedParameters().map(([n, t]) => [n, t.arraySync()]));
    expect(p).toEqual({
      weightIhL0: [
        [1, 3, 5],
        [2, 4, 6],
      ],
      weightHhL0: [[7, 8, 9]],
      biasIhL0: [1, 2, 3],
      biasHhL0: [4, 5, 6],
    });

    const bn = new BatchNorm2d(2);
    loadTorchStateDict(bn, {
      weight: g.tensor([1, 2]),
      bias: g.tensor([3, 4]),
      running_mean: g.tensor([5, 6]),
      running_var: g.tensor([7, 8]),
      num_batches_tracked: { dtype: 'int32', shape: [], data: Int32Array.of(9) },
    });
    expect(bn.runningMean!.arraySync()).toEqual([5, 6]);
    expect(bn.numBatchesTracked!.item()).toBe(9);
  });

  it('keyMap renames or drops keys; unknown keys are reported', () => {
    const net = new Sequential(new Linear(2, 2));
    const sd = { 'fc.weight': g.eye(2), 'fc.bias': g.zeros([2]), 'aux.weight': g.zeros([1]) };
    const res = loadTorchStateDict(net, sd, {
      keyMap: (k) => (k.startsWith('aux') ? null : k.replace('fc.', '0.')),
    });
    expect(res.unexpectedKeys).toEqual([]);
    expect(() => loadTorchStateDict(net, sd)).toThrow(/unexpected keys: fc.weight, fc.bias, aux.weight/);
  });
});

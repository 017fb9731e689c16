import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import {
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  GELU,
  GlobalAvgPool2d,
  GRU,
  LayerNorm,
  Linear,
  LSTM,
  MaxPool2d,
  Module,
  PReLU,
  ReLU,
  Residual,
  RNN,
  Sequential,
} from './index.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('bad input names the layer type, its path, the received and the expected shape', () => {
  const model = () => {
    const features = new Sequential(
      new Conv2d(3, 8, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(8, 16, 3),
    );
    class Net extends Module {
      readonly typeName = 'Net';
      readonly features = this.registerModule('features', features);
      readonly pool = this.registerModule('pool', new GlobalAvgPool2d());
      readonly head = this.registerModule('head', new Linear(16, 4));
      forward(x: g.Tensor): g.Tensor {
        return this.head.call(this.pool.call(this.features.call(x)));
      }
    }
    return new Net();
  };

  it('wrong channel count deep inside a model', () => {
    const net = model();
    // replace the input so that features.3 receives the wrong channel count
    net.features[2]!.registerForwardHook((_m, _i, out) => g.concat([out, out], 3));
    const err = thrown(() => net.call(g.zeros([1, 8, 8, 3])));
    expect(err).toBeInstanceOf(g.ShapeError);
    expect(err.message).toContain("Conv2d at 'features.3'");
    expect(err.message).toContain('[1,4,4,16]');
    expect(err.message).toContain('[N, H, W, 8]');
  });

  it('wrong rank and wrong channels at the first layer', () => {
    const net = model();
    const rank = thrown(() => net.call(g.zeros([8, 8])));
    expect(rank).toBeInstanceOf(g.ShapeError);
    expect(rank.message).toMatch(
      /Conv2d at 'features.0': got input of shape \[8,8\], expected \[N, H, W, 3\] \(NHWC\)/,
    );
    const chw = thrown(() => net.call(g.zeros([1, 3, 8, 8])));
    expect(chw.message).toContain("Conv2d at 'features.0': got input of shape [1,3,8,8]");
    expect(chw.message).toContain('8 channels on the last axis, expected inChannels = 3');
  });

  it('every layer type checks its input', () => {
    const cases: [Module, g.Tensor, RegExp][] = [
      [new Linear(3, 2), g.zeros([2, 4]), /Linear \(root\).*\[2,4\].*\[\.\.\., 3\]/],
      [new BatchNorm1d(4), g.zeros([2, 3]), /BatchNorm1d.*\[2,3\].*\[N, 4\] or \[N, L, 4\]/],
      [new BatchNorm2d(4), g.zeros([2, 3, 3, 3]), /BatchNorm2d.*\[2,3,3,3\].*\[N, H, W, 4\]/],
      [new LayerNorm([2, 3]), g.zeros([4, 3, 2]), /LayerNorm.*\[4,3,2\].*\[\.\.\., 2, 3\]/],
      [new PReLU({ numParameters: 3 }), g.zeros([2, 4]), /PReLU.*\[2,4\].*\[\.\.\., 3\]/],
      [new MaxPool2d(2), g.zeros([4, 4]), /MaxPool2d.*\[4,4\]/],
      [new AvgPool2d(5), g.zeros([1, 4, 4, 1]), /AvgPool2d.*\[1,4,4,1\].*smaller than the window/],
      [new GlobalAvgPool2d(), g.zeros([2, 3]), /GlobalAvgPool2d.*\[2,3\]/],
      [new Flatten(2), g.zeros([3]), /Flatten.*\[3\]/],
      [new LSTM(3, 4), g.zeros([5, 2, 2]), /LSTM.*\[5,2,2\].*\[time, batch, 3\]/],
      [
        new Residual(new Linear(3, 4)),
        g.zeros([2, 3]),
        /Residual.*block gives \[2,4\] but the identity shortcut gives \[2,3\]/,
      ],
    ];
    for (const [layer, x, re] of cases) {
      const err = thrown(() => layer.call(x));
      expect(err, layer.typeName).toBeInstanceOf(g.ShapeError);
      expect(err.message, layer.typeName).toMatch(re);
    }
    expect(
      thrown(() => new GRU(3, 4, { numLayers: 2 }).forwardWithState(g.zeros([5, 2, 3]), g.zeros([1, 2, 4])))
        .message,
    ).toMatch(/GRU.*h0 of shape \[2,2,4\]/);
    expect(thrown(() => new Embedding(4, 2).call(g.tensor([1, 4], [2], 'int32')))).toBeInstanceOf(
      g.ValueError,
    );
    expect(thrown(() => new Embedding(4, 2).call(g.tensor([1, 2])))).toBeInstanceOf(g.DTypeError);
    expect(thrown(() => new BatchNorm1d(2).call(g.zeros([1, 2]))).message).toMatch(
      /more than 1 value per channel/,
    );
    expect(() => new GELU('fast' as never)).toThrow(g.ValueError);
  });
});

describe('Dropout', () => {
  it('drops with probability p, scales by 1/(1−p), and is the identity in eval mode', () => {
    const d = new Dropout(0.3, { seed: 1 });
    const x = g.ones([200, 100]);
    const y = Array.from(d.call(x).dataSync());
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(kept.length / y.length).toBeGreaterThan(0.68);
    expect(kept.length / y.length).toBeLessThan(0.72);
    d.eval();
    expect(d.call(x)).toBe(x);
  });

  it('is reproducible from a seed or generator, with a fresh mask on each call', () => {
    const x = g.ones([50]);
    const a1 = Array.from(new Dropout(0.5, { seed: 7 }).call(x).dataSync());
    const d = new Dropout(0.5, { seed: 7 });
    expect(Array.from(d.call(x).dataSync())).toEqual(a1);
    expect(Array.from(d.call(x).dataSync())).not.toEqual(a1);
    expect(Array.from(new Dropout(0.5, { generator: new g.Generator(7) }).call(x).dataSync())).toEqual(a1);
    expect(Array.from(new Dropout(0.5, new g.Generator(7)).call(x).dataSync())).toEqual(a1);
  });

  it('gradient flows only through the kept elements, scaled', () => {
    const x = g.randn([30], { seed: 1 }).requiresGrad_();
    const y = new Dropout(0.25, { seed: 2 }).call(x);
    y.sum().backward();
    const yd = y.dataSync();
    const gd = x.grad!.dataSync();
    for (let i = 0; i < 30; i++) expect(gd[i]).toBeCloseTo(yd[i] === 0 ? 0 : 1 / 0.75, 6);
    expect(new Dropout(1).call(g.ones([3])).dataSync()).toEqual(new Float32Array(3));
    expect(() => new Dropout(1.5)).toThrow(g.ValueError);
  });
});

describe('BatchNorm', () => {
  it('updates running statistics only in training mode and uses them in eval', () => {
    const bn = new BatchNorm1d(2, { momentum: 0.5 });
    const x = g.tensor([
      [1, 10],
      [3, 14],
      [5, 18],
    ]);
    bn.call(x);
    // batch mean [3, 14], unbiased variance [4, 16]
    expect(Array.from(bn.runningMean!.dataSync())).toEqual([1.5, 7]);
    expect(Array.from(bn.runningVar!.dataSync())).toEqual([2.5, 8.5]);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    bn.eval();
    const y = bn.call(g.tensor([[1.5, 7]]));
    expect(Array.from(y.dataSync()).every((v) => Math.abs(v) < 1e-6)).toBe(true);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expect(bn.namedBuffers().map(([n]) => n)).toEqual(['runningMean', 'runningVar', 'numBatchesTracked']);
    expect(Object.keys(bn.stateDict())).toEqual([
      'weight',
      'bias',
      'runningMean',
      'runningVar',
      'numBatchesTracked',
    ]);
  });

  it('momentum null keeps a cumulative average; trackRunningStats false has no buffers', () => {
    const bn = new BatchNorm1d(1, { momentum: null });
    bn.call(g.tensor([[0], [2]]));
    bn.call(g.tensor([[4], [8]]));
    expect(Array.from(bn.runningMean!.dataSync())).toEqual([(1 + 6) / 2]);
    expect(Array.from(bn.runningVar!.dataSync())).toEqual([(2 + 8) / 2]);
    const free = new BatchNorm2d(3, { trackRunningStats: false, affine: false });
    expect(free.buffers()).toEqual([]);
    expect(free.parameters()).toEqual([]);
    free.eval();
    const y = free.call(g.randn([2, 2, 2, 3], { seed: 1 }));
    const m = g.mean(y, [0, 1, 2]).dataSync();
    for (const v of m) expect(Math.abs(v)).toBeLessThan(1e-5);
  });

  it('does not leak tensors across training steps', () => {
    const net = new Sequential(new Linear(3, 4, { seed: 1 }), new BatchNorm1d(4), new ReLU());
    const x = g.randn([8, 3], { seed: 2 });
    const step = () =>
      g.tidy(() => {
        net.call(x).sum().backward();
        net.zeroGrad();
      });
    step();
    const before = g.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(g.memory().numTensors).toBe(before);
  });
});

describe('recurrent layers', () => {
  it('call() returns the output sequence; forwardWithState also the final states', () => {
    const lstm = new LSTM(3, 4, { numLayers: 2, batchFirst: true, seed: 1 });
    const x = g.randn([2, 5, 3], { seed: 2 });
    const out = lstm.call(x);
    const s = lstm.forwardWithState(x);
    expect(out.shape).toEqual([2, 5, 4]);
    expect(s.hN.shape).toEqual([2, 2, 4]);
    expect(s.cN.shape).toEqual([2, 2, 4]);
    // the top layer's final hidden state is the last output step
    expect(Array.from(g.slice(s.hN, [1, 0, 0], [1, 2, 4]).dataSync())).toEqual(
      Array.from(g.slice(out, [0, 4, 0], [2, 1, 4]).dataSync()),
    );
    expect(lstm.namedParameters().map(([n]) => n)).toEqual([
      'weightIhL0',
      'weightHhL0',
      'biasIhL0',
      'biasHhL0',
      'weightIhL1',
      'weightHhL1',
      'biasIhL1',
      'biasHhL1',
    ]);
    expect(lstm.layerParameters(0).wIh.shape).toEqual([3, 16]);
    expect(lstm.layerParameters(1).wIh.shape).toEqual([4, 16]);
  });

  it('dropout between layers acts only in training mode and is seeded', () => {
    const make = () => new RNN(3, 4, { numLayers: 2, dropout: 0.5, seed: 3 });
    const x = g.randn([4, 2, 3], { seed: 4 });
    const a = make();
    const b = make();
    const ya = Array.from(a.call(x).dataSync());
    expect(Array.from(b.call(x).dataSync())).toEqual(ya);
    a.eval();
    const noDrop = new RNN(3, 4, { numLayers: 2, seed: 3 }).eval();
    expect(Array.from(a.call(x).dataSync())).toEqual(Array.from(noDrop.call(x).dataSync()));
    expect(Array.from(a.call(x).dataSync())).not.toEqual(ya);
  });
});

describe('containers and shape layers', () => {
  it('Sequential is indexable, iterable and appendable', () => {
    const s = new Sequential(new Linear(2, 3), new ReLU());
    expect(s[0]).toBeInstanceOf(Linear);
    expect(s.at(-1)).toBeInstanceOf(ReLU);
    expect(() => s.at(5)).toThrow(g.ValueError);
    s.append(new Linear(3, 1));
    expect(s.length).toBe(3);
    expect(s.call(g.zeros([4, 2])).shape).toEqual([4, 1]);
  });

  it('Flatten, GlobalAvgPool2d and unbatched Conv2d', () => {
    expect(new Flatten().call(g.zeros([2, 3, 4, 5])).shape).toEqual([2, 60]);
    expect(new GlobalAvgPool2d(true).call(g.ones([2, 3, 4, 5])).shape).toEqual([2, 1, 1, 5]);
    const conv = new Conv2d(2, 3, 3, { padding: 'same', seed: 1 });
    const x = g.randn([5, 5, 2], { seed: 2 });
    const batched = conv.call(g.reshape(x, [1, 5, 5, 2]));
    expect(Array.from(conv.call(x).dataSync())).toEqual(Array.from(batched.dataSync()));
  });

  it('Embedding gives no gradient to the padding row', () => {
    const e = new Embedding(4, 2, { paddingIdx: 1, seed: 1 });
    e.call(
      g.tensor(
        [
          [1, 2],
          [1, 3],
        ],
        [2, 2],
        'int32',
      ),
    )
      .sum()
      .backward();
    expect(e.weight.grad!.arraySync()).toEqual([
      [0, 0],
      [0, 0],
      [1, 1],
      [1, 1],
    ]);
  });
});

describe('memory', () => {
  it('saving, loading and importing leave no tensors behind', async () => {
    const { saveSafetensors, loadSafetensors, loadTorchStateDict } = await import('./index.js');
    const net = new Sequential(
      new Conv2d(2, 3, 3, { seed: 1 }),
      new BatchNorm2d(3),
      new Flatten(),
      new Linear(3, 2, { seed: 2 }),
    );
    const torchSd = {
      '0.weight': g.zeros([3, 2, 3, 3]),
      '0.bias': g.zeros([3]),
      '3.weight': g.zeros([2, 3]),
      '3.bias': g.zeros([2]),
    };
    const bytes = saveSafetensors(net);
    loadSafetensors(net, bytes);
    loadTorchStateDict(net, torchSd, { strict: false });
    const before = g.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      loadSafetensors(net, saveSafetensors(net));
      loadTorchStateDict(net, torchSd, { strict: false });
    }
    expect(g.memory().numTensors).toBe(before);
  });
});

describe('option errors', () => {
  it('bad layer options raise ValueError, not a shape error', () => {
    expect(() => new Conv2d(2, 2, 0)).toThrow(g.ValueError);
    const conv = new Conv2d(2, 2, 3, { stride: 0 });
    expect(() => conv.call(g.zeros([1, 5, 5, 2]))).toThrow(g.ValueError);
    expect(() => new MaxPool2d(2, { padding: -1 as never }).call(g.zeros([1, 4, 4, 1]))).toThrow(
      g.ValueError,
    );
  });
});

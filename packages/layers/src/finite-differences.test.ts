/** Input gradients of the composite layers against central finite differences (core's gradcheck). */
import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import {
  AvgPool2d,
  BatchNorm1d,
  Conv2d,
  crossEntropy,
  GELU,
  GRU,
  LayerNorm,
  Linear,
  LSTM,
  type Module,
  PReLU,
  Residual,
  RNN,
  Sequential,
  Tanh,
} from './index.js';

const cases: [string, () => Module, number[]][] = [
  ['LayerNorm([3, 4])', () => new LayerNorm([3, 4]), [2, 3, 4]],
  ['BatchNorm1d train, [N, L, C]', () => new BatchNorm1d(3), [4, 2, 3]],
  [
    "Conv2d 'same' stride 2 dilation 1",
    () => new Conv2d(2, 3, 3, { padding: 'same', stride: 2, seed: 1 }),
    [1, 5, 6, 2],
  ],
  [
    'AvgPool2d countIncludePad false',
    () => new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
    [1, 5, 5, 2],
  ],
  ['PReLU per channel', () => new PReLU({ numParameters: 3, init: 0.1 }), [4, 3]],
  ['GELU tanh', () => new GELU('tanh'), [3, 4]],
  [
    'Residual(Linear, Tanh)',
    () => new Residual(new Sequential(new Linear(4, 4, { seed: 2 }), new Tanh())),
    [3, 4],
  ],
  // (tanh: relu's kink would sit inside the finite-difference step for some hidden units)
  ['RNN tanh 2 layers', () => new RNN(3, 4, { numLayers: 2, seed: 3 }), [4, 2, 3]],
  ['LSTM batchFirst', () => new LSTM(3, 4, { batchFirst: true, seed: 4 }), [2, 4, 3]],
  ['GRU 2 layers', () => new GRU(3, 4, { numLayers: 2, seed: 5 }), [4, 2, 3]],
];

describe('finite differences', () => {
  for (const [name, make, shape] of cases) {
    it(name, () => {
      const layer = make();
      // inputs at least 0.1 from 0, the kink of PReLU, farther than the difference step
      const z = g.randn(shape, { seed: 11 });
      const x = g.where(g.greater(z, 0), z.add(0.1), z.sub(0.1));
      const r = g.gradcheck((t) => layer.call(t), [x], { eps: 1e-2, atol: 2e-3, rtol: 2e-2 });
      expect(r.checked).toBe(x.size);
    });
  }

  it('crossEntropy with label smoothing, weights and ignored rows', () => {
    const labels = g.tensor([0, 2, -100, 1], [4], 'int32');
    const weight = g.tensor([0.5, 1, 2]);
    const f = (t: g.Tensor) => crossEntropy(t, labels, { weight, labelSmoothing: 0.2 });
    expect(g.gradcheck(f, [g.randn([4, 3], { seed: 12 })]).checked).toBe(12);
  });
});

/** Finite-difference cases for matmul, shape ops, conv2d, pooling and the fused ops. */
import type { FusedActivation } from './backend.js';
import type { HostTensor } from './conformance-compare.js';
import type { GradSpec } from './conformance-gradients.js';
import { distinct, host, ints, uniform } from './conformance-harness.js';
import { batchNormTrain, softmaxCrossEntropy } from './ops-fused.js';
import { fusedMatmul, matmul } from './ops-matmul.js';
import { avgPool2d, type Conv2DOptions, conv2d, maxPool2d } from './ops-nn.js';
import * as shp from './ops-shape.js';
import type { Generator } from './random.js';
import type { Tensor } from './tensor.js';

const swapLast = (s: number[]) => [...s.slice(0, -2), s[s.length - 1]!, s[s.length - 2]!];

function matmulSpecs(): GradSpec[] {
  const specs: GradSpec[] = [];
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      specs.push({
        name: `matmul/transposeA=${tA}/transposeB=${tB}`,
        kernel: 'matmul',
        f: (a, b) => matmul(a, b, tA, tB),
        inputs: (g) => [uniform(g, tA ? [4, 3] : [3, 4]), uniform(g, tB ? [5, 4] : [4, 5])],
      });
    }
  }
  const batched: [string, number[], number[]][] = [
    ['batch-broadcast', [2, 1, 3, 4], [3, 4, 2]],
    ['batch-broadcast-b', [2, 3, 4], [4, 5]],
    ['vector-matrix', [4], [4, 3]],
    ['matrix-vector', [2, 3, 4], [4]],
  ];
  for (const [label, a, b] of batched) {
    specs.push({
      name: `matmul/${label}`,
      kernel: 'matmul',
      f: (x, y) => matmul(x, y),
      inputs: (g) => [uniform(g, a), uniform(g, b)],
    });
  }
  specs.push({
    name: 'matmul/batch-broadcast/transposeA=true/transposeB=true',
    kernel: 'matmul',
    f: (x, y) => matmul(x, y, true, true),
    inputs: (g) => [uniform(g, swapLast([1, 3, 4])), uniform(g, swapLast([2, 4, 2]))],
  });
  return specs;
}

/** x·w + bias on the host, to keep the pre-activation away from the relu/leakyRelu kink. */
function preActivation(x: HostTensor, w: HostTensor, bias: HostTensor): number[] {
  const [m, k] = x.shape as [number, number];
  const n = w.shape[1]!;
  const z: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias.values[j]!;
      for (let p = 0; p < k; p++) s += x.values[i * k + p]! * w.values[p * n + j]!;
      z.push(s);
    }
  }
  return z;
}

function fusedSpecs(): GradSpec[] {
  const acts: FusedActivation[] = ['none', 'relu', 'sigmoid', 'tanh', 'gelu', 'leakyRelu'];
  const transposed: GradSpec = {
    name: 'fusedMatmul/tanh/transposed-batched-no-bias',
    kernel: 'fusedMatmul',
    f: (x, w) => fusedMatmul(x, w!, null, { activation: 'tanh', transposeA: true, transposeB: true }),
    inputs: (g) => [uniform(g, [2, 4, 3]), uniform(g, [5, 4])],
  };
  return [
    transposed,
    ...acts.map(
      (activation): GradSpec => ({
        name: `fusedMatmul/${activation}`,
        kernel: 'fusedMatmul',
        f: (x, w, b) => fusedMatmul(x, w, b!, { activation, alpha: 0.2 }),
        inputs: (g) => {
          for (;;) {
            const xs = [uniform(g, [3, 4]), uniform(g, [4, 5]), uniform(g, [5])];
            // a step of eps in an input moves z by ≤ 0.02·|weights| < 0.1
            if (preActivation(xs[0]!, xs[1]!, xs[2]!).every((z) => Math.abs(z) > 0.1)) return xs;
          }
        },
      }),
    ),
  ];
}

function shapeSpecs(): GradSpec[] {
  const S = [2, 3, 4];
  const one = (name: string, kernel: string, f: (x: Tensor) => Tensor, shape = S): GradSpec => ({
    name,
    kernel,
    f,
    inputs: (g) => [uniform(g, shape)],
  });
  return [
    one('reshape', 'storage', (x) => shp.reshape(x, [4, -1])),
    one('flatten', 'storage', (x) => shp.flatten(x, 1)),
    one('expandDims', 'storage', (x) => shp.expandDims(x, 1)),
    one('squeeze', 'storage', (x) => shp.squeeze(x), [2, 1, 3]),
    one('transpose', 'transpose', (x) => shp.transpose(x, [2, 0, 1])),
    one('slice', 'slice', (x) => shp.slice(x, [1, 0, 1], [1, -1, 2])),
    one('pad', 'pad', (x) =>
      shp.pad(
        x,
        [
          [1, 0],
          [0, 2],
          [1, 1],
        ],
        0.5,
      ),
    ),
    one('broadcastTo', 'binary', (x) => shp.broadcastTo(x, [2, 3, 4]), [3, 1]),
    {
      name: 'concat',
      kernel: 'concat',
      f: (...xs) => shp.concat(xs, 1),
      inputs: (g) => [uniform(g, [2, 3]), uniform(g, [2, 1]), uniform(g, [2, 2])],
    },
    {
      name: 'stack',
      kernel: 'concat',
      f: (...xs) => shp.stack(xs, 1),
      inputs: (g) => [uniform(g, [2, 3]), uniform(g, [2, 3])],
    },
    {
      // repeated indices: their gradients add (scatterAdd)
      name: 'gather',
      kernel: 'gather',
      f: (x, i) => shp.gather(x, i!, 1),
      inputs: (g) => [uniform(g, [2, 4, 3]), host([2, 2], 'int32', [3, 0, 3, 3])],
    },
  ];
}

function convSpecs(): GradSpec[] {
  const variants: [string, number[], number[], Conv2DOptions][] = [
    ['valid', [1, 5, 5, 2], [3, 3, 2, 2], {}],
    ['same-stride2', [1, 6, 6, 2], [3, 3, 2, 3], { padding: 'same', stride: 2 }],
    ['dilation2', [1, 6, 6, 1], [2, 2, 1, 2], { dilation: 2, padding: 1 }],
    [
      'asymmetric-non-square',
      [2, 4, 5, 2],
      [2, 3, 2, 2],
      {
        padding: [
          [1, 0],
          [2, 1],
        ],
        stride: [1, 2],
      },
    ],
  ];
  return variants.map(([label, xs, fs, options]) => ({
    name: `conv2d/${label}`,
    kernel: 'conv2d',
    f: (x, w) => conv2d(x, w!, options),
    inputs: (g) => [uniform(g, xs, -1, 1), uniform(g, fs, -1, 1)],
  }));
}

function poolSpecs(): GradSpec[] {
  const specs: GradSpec[] = [
    {
      name: 'maxPool2d/overlapping-padded',
      kernel: 'maxPool2d',
      // distinct values 0.1 apart: one winner per window
      f: (x) => maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }),
      inputs: (g) => [distinct(g, [1, 5, 5, 2], 0.1)],
    },
    {
      name: 'maxPool2d/same-asymmetric',
      kernel: 'maxPool2d',
      f: (x) => maxPool2d(x, { kernelSize: 3, stride: 2, padding: 'same' }),
      inputs: (g) => [distinct(g, [2, 6, 6, 1], 0.1)],
    },
  ];
  for (const countIncludePad of [true, false]) {
    specs.push({
      name: `avgPool2d/padded/countIncludePad=${countIncludePad}`,
      kernel: 'avgPool2d',
      f: (x) => avgPool2d(x, { kernelSize: [3, 2], stride: [2, 1], padding: 1, countIncludePad }),
      inputs: (g) => [uniform(g, [1, 5, 4, 2])],
    });
  }
  return specs;
}

function fusedOpSpecs(): GradSpec[] {
  const batchNorm = (label: string, shape: number[]): GradSpec => ({
    name: `batchNormTrain/${label}`,
    kernel: 'batchNormTrain',
    f: (x, gamma, beta) => batchNormTrain(x, gamma!, beta!, 1e-3).y,
    inputs: (g: Generator) => {
      const c = shape[shape.length - 1]!;
      return [uniform(g, shape, -1, 3), uniform(g, [c], 0.5, 1.5), uniform(g, [c], -1, 1)];
    },
  });
  return [
    batchNorm('2d', [6, 3]),
    batchNorm('nhwc', [2, 2, 2, 3]),
    {
      name: 'softmaxCrossEntropy',
      kernel: 'softmaxCrossEntropy',
      f: (x, labels) => softmaxCrossEntropy(x, labels!),
      inputs: (g) => [uniform(g, [4, 5], -3, 3), ints(g, [4], 0, 5)],
    },
  ];
}

export function nnGradSpecs(): GradSpec[] {
  return [
    ...matmulSpecs(),
    ...fusedSpecs(),
    ...shapeSpecs(),
    ...convSpecs(),
    ...poolSpecs(),
    ...fusedOpSpecs(),
  ];
}

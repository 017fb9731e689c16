/**
 * Kernel cases at sizes the conformance suite does not reach: matrices that cross the GEMM's
 * cache blocks (K > 384, M > 64, N > 1024), convolutions whose patch matrix is split into
 * several chunks, long rows for the SIMD loops and their tails. Each case runs one kernel on the
 * backend under test and on the reference backend and compares. Browser-safe (no Node imports):
 * the Chromium test runs the same list in a page.
 */ import {
  type Backend,
  batchNormTrain,
  type Conv2DAttrs,
  type Generator,
  gradients,
  type TensorInfo,
} from '@gradsight/core';
import { f32, type Input, type KernelCase, kernelCase, opCase } from './kernel-case-harness.js';

export { checkKernelCase, type KernelCase } from './kernel-case-harness.js';

const GEMM: KernelCase['tol'] = { rtol: 2e-5, atol: 1e-6, scaled: true };

function matmulCases(): KernelCase[] {
  const out: KernelCase[] = [];
  // M = 70 crosses MC = 64, K = 400 crosses KC = 384 (two blocks of 200), N = 1030 crosses
  // NC = 1024; odd edges everywhere
  const [m, k, n] = [70, 400, 1030];
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      out.push(
        kernelCase(
          `matmul/${m}x${k}x${n}/tA=${tA}/tB=${tB}`,
          (g) => [f32(g, tA ? [k, m] : [m, k]), f32(g, tB ? [n, k] : [k, n])],
          (b, [a, bb]) => b.matmul(a!, bb!, tA, tB),
          GEMM,
        ),
      );
    }
  }
  out.push(
    kernelCase(
      'matmul/batch-broadcast/[3,1,37,45]x[2,45,29]',
      (g) => [f32(g, [3, 1, 37, 45]), f32(g, [2, 45, 29])],
      (b, [a, bb]) => b.matmul(a!, bb!, false, false),
      GEMM,
    ),
    kernelCase(
      'matmul/shared-B/[4,33,65]x[65,17]',
      (g) => [f32(g, [4, 33, 65]), f32(g, [65, 17])],
      (b, [a, bb]) => b.matmul(a!, bb!, false, false),
      GEMM,
    ),
    kernelCase(
      'fusedMatmul/bias-relu/130x257x200',
      (g) => [f32(g, [130, 257]), f32(g, [257, 200]), f32(g, [200])],
      (b, [a, bb, bias]) => b.fusedMatmul!(a!, bb!, false, false, bias!, 'relu', 0),
      { rtol: 2e-5, atol: 1e-5 },
      {
        kernel: 'fusedMatmul',
        outputs: 1,
        call: (b, [a, bb, bias]) => {
          const z = b.matmul(a!, bb!, false, false);
          const zb = b.binary('add', z, bias!);
          return [b.unary('relu', zb), z, zb];
        },
      },
    ),
  );
  return out;
}

function convCases(): KernelCase[] {
  const out: KernelCase[] = [];
  const geoms: { name: string; x: number[]; f: number[]; a: Conv2DAttrs }[] = [
    // 1152 patch rows of K = 576: the filter gradient's 2 MiB patch buffer takes 910 rows (two
    // chunks); the forward and input-gradient kernels run direct
    {
      name: 'chunked-3x3-same',
      x: [2, 24, 24, 64],
      f: [3, 3, 64, 8],
      a: { strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1] },
    },
    {
      name: 'stride2-dilation2-asym',
      x: [2, 17, 15, 5],
      f: [3, 2, 5, 7],
      a: { strides: [2, 1], dilations: [2, 2], pads: [2, 1, 0, 3] },
    },
    // K = 450: the direct kernel accumulates over two K blocks; 12 columns: a partial panel
    {
      name: 'two-k-blocks',
      x: [1, 9, 10, 50],
      f: [3, 3, 50, 12],
      a: { strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1] },
    },
    // stride 1, dilated, asymmetric pads: the input gradient runs as a direct conv of dy
    {
      name: 'stride1-dilated-asym',
      x: [2, 13, 11, 6],
      f: [3, 2, 6, 5],
      a: { strides: [1, 1], dilations: [2, 1], pads: [2, 1, 0, 1] },
    },
    // padding wider than the kernel: the input gradient falls back to GEMM + col2im
    {
      name: 'stride1-wide-pad',
      x: [1, 6, 7, 9],
      f: [2, 2, 9, 10],
      a: { strides: [1, 1], dilations: [1, 1], pads: [3, 2, 0, 2] },
    },
    {
      name: 'pointwise',
      x: [3, 9, 7, 19],
      f: [1, 1, 19, 13],
      a: { strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0] },
    },
  ];
  for (const { name, x, f, a } of geoms) {
    const ho =
      Math.floor((x[1]! + a.pads[0] + a.pads[1] - a.dilations[0] * (f[0]! - 1) - 1) / a.strides[0]) + 1;
    const wo =
      Math.floor((x[2]! + a.pads[2] + a.pads[3] - a.dilations[1] * (f[1]! - 1) - 1) / a.strides[1]) + 1;
    const y = [x[0]!, ho, wo, f[3]!];
    const xs = x as [number, number, number, number];
    const fs = f as [number, number, number, number];
    out.push(
      kernelCase(
        `conv2d/${name}`,
        (g) => [f32(g, x), f32(g, f)],
        (b, [xi, fi]) => b.conv2d(xi!, fi!, a),
        GEMM,
      ),
      kernelCase(
        `conv2dBackpropInput/${name}`,
        (g) => [f32(g, y), f32(g, f)],
        (b, [dy, fi]) => b.conv2dBackpropInput(dy!, fi!, xs, a),
        GEMM,
      ),
      kernelCase(
        `conv2dBackpropFilter/${name}`,
        (g) => [f32(g, x), f32(g, y)],
        (b, [xi, dy]) => b.conv2dBackpropFilter(xi!, dy!, fs, a),
        GEMM,
      ),
    );
  }
  return out;
}

function elementwiseCases(): KernelCase[] {
  const n = 10007; // odd: SIMD body and scalar tail
  const EW = { rtol: 2e-6, atol: 1e-7 };
  const out: KernelCase[] = [];
  for (const op of ['relu', 'exp', 'sigmoid', 'tanh', 'gelu', 'silu', 'erf', 'sqrt', 'leakyRelu'] as const) {
    out.push(
      kernelCase(
        `unary/${op}/${n}`,
        (g) => [f32(g, [n], op === 'sqrt' ? 0 : -12, 12)],
        (b, [x]) => b.unary(op, x!, { alpha: 0.1 }),
        // erf's contract is an absolute error ≤ 1e-6 (backend.ts)
        op === 'erf' ? { rtol: 2e-6, atol: 1e-6 } : EW,
      ),
    );
  }
  out.push(
    kernelCase(
      `binary/add/same/${n}`,
      (g) => [f32(g, [n]), f32(g, [n])],
      (b, [x, y]) => b.binary('add', x!, y!),
      EW,
    ),
    kernelCase(
      'binary/mul/row/[129,77]x[77]',
      (g) => [f32(g, [129, 77]), f32(g, [77])],
      (b, [x, y]) => b.binary('mul', x!, y!),
      EW,
    ),
    kernelCase(
      'binary/sub/col/[129,77]x[129,1]',
      (g) => [f32(g, [129, 77]), f32(g, [129, 1])],
      (b, [x, y]) => b.binary('sub', x!, y!),
      EW,
    ),
    kernelCase(
      'binary/maximum/outer/[33,1,5]x[1,21,1]',
      (g) => [f32(g, [33, 1, 5]), f32(g, [1, 21, 1])],
      (b, [x, y]) => b.binary('maximum', x!, y!),
      EW,
    ),
    kernelCase(
      'reduce/sum/axes0/[513,131]',
      (g) => [f32(g, [513, 131])],
      (b, [x]) => b.reduce('sum', x!, [0]),
      { rtol: 1e-5, atol: 1e-5 },
    ),
    kernelCase(
      'reduce/max/axes1/[131,513]',
      (g) => [f32(g, [131, 513])],
      (b, [x]) => b.reduce('max', x!, [1]),
      EW,
    ),
    kernelCase(
      'reduce/sum/axes02/[9,31,17]',
      (g) => [f32(g, [9, 31, 17])],
      (b, [x]) => b.reduce('sum', x!, [0, 2]),
      { rtol: 1e-5, atol: 1e-5 },
    ),
    kernelCase(
      'transpose/[67,129]',
      (g) => [f32(g, [67, 129])],
      (b, [x]) => b.transpose(x!, [1, 0]),
      EW,
    ),
    kernelCase(
      'transpose/[3,5,7,11]/perm2031',
      (g) => [f32(g, [3, 5, 7, 11])],
      (b, [x]) => b.transpose(x!, [2, 0, 3, 1]),
      EW,
    ),
    kernelCase(
      'maxPool2d/[2,33,31,13]/3x3s2',
      (g) => [f32(g, [2, 33, 31, 13])],
      (b, [x]) => b.maxPool2d(x!, { kernelSize: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
      EW,
    ),
    kernelCase(
      'avgPool2d/[2,33,31,13]/3x3s2',
      (g) => [f32(g, [2, 33, 31, 13])],
      (b, [x]) =>
        b.avgPool2d(x!, { kernelSize: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: false }),
      { rtol: 1e-5, atol: 1e-6 },
    ),
    kernelCase(
      'maxPool2dBackward/[2,9,11,13]/3x3s2/ties-and-NaN',
      (g) => {
        // few distinct values: many ties; a sprinkle of NaN and -Infinity
        const x = f32(g, [2, 9, 11, 13]);
        x.values = x.values.map((v) => {
          const r = g.random();
          return r < 0.03 ? Number.NaN : r < 0.05 ? -Infinity : Math.round(v * 2);
        }) as Float32Array;
        return [f32(g, [2, 5, 6, 13]), x];
      },
      (b, [dy, x]) =>
        b.maxPool2dBackward(dy!, x!, { kernelSize: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
      EW,
    ),
    kernelCase(
      'softmaxCrossEntropy/[64,10]',
      (g) => [
        f32(g, [64, 10], -5, 5),
        {
          shape: [64],
          dtype: 'int32',
          values: Int32Array.from({ length: 64 }, () => Math.floor(g.random() * 10)),
        },
      ],
      (b, [l, y]) => {
        const r = b.softmaxCrossEntropy!(l!, y!);
        return [r.loss, r.probs];
      },
      { rtol: 1e-5, atol: 1e-6 },
      { kernel: 'softmaxCrossEntropy', outputs: 2, call: composedSoftmaxCrossEntropy },
    ),
  );
  return out;
}

function fusedOpCases(): KernelCase[] {
  // 13 channels: the SIMD body (12) and a scalar tail (1)
  const shape = [4, 7, 5, 13];
  const inputs = (g: Generator): Input[] => [
    f32(g, shape, -2, 3),
    f32(g, [13], 0.5, 1.5),
    f32(g, [13]),
    f32(g, shape),
  ];
  return [
    opCase(
      'batchNormTrain/[4,7,5,13]',
      inputs,
      ([x, gamma, beta]) => {
        const r = batchNormTrain(x!, gamma!, beta!, 1e-3);
        return [r.y, r.mean, r.variance];
      },
      { rtol: 1e-5, atol: 1e-5 },
    ),
    opCase(
      'batchNormBackward/[4,7,5,13]',
      inputs,
      ([x, gamma, beta, dy]) => {
        for (const t of [x!, gamma!, beta!]) t.requiresGrad_();
        const y = batchNormTrain(x!, gamma!, beta!, 1e-3).y;
        return gradients(y, [x!, gamma!, beta!], dy!);
      },
      { rtol: 1e-4, atol: 1e-5 },
    ),
  ];
}

/** core's composition: loss = −logSoftmax[label], probs = exp(logSoftmax), from primitives. */
function composedSoftmaxCrossEntropy(b: Backend, [l, y]: TensorInfo[]): TensorInfo[] {
  const [rows, cls] = l!.shape as [number, number];
  const col = (t: TensorInfo): TensorInfo => ({ ...t, shape: [rows, 1] });
  const m = b.reduce('max', l!, [1]);
  const d = b.binary('sub', l!, col(m));
  const ex = b.unary('exp', d);
  const s = b.reduce('sum', ex, [1]);
  const ls = b.unary('log', s);
  const lse = b.binary('add', ls, m);
  const lsm = b.binary('sub', l!, col(lse));
  const probs = b.unary('exp', lsm);
  const labels = b.readSync(y!.dataId);
  const idx = {
    dataId: b.write(
      Int32Array.from(labels, (v, r) => r * cls + v),
      'int32',
    ),
    shape: [rows],
    dtype: 'int32' as const,
  };
  const picked = b.gather({ ...lsm, shape: [rows * cls] }, idx, 0);
  const loss = b.unary('neg', picked);
  return [loss, probs, m, d, ex, s, ls, lse, lsm, idx, picked];
}

export function kernelCases(): KernelCase[] {
  return [...matmulCases(), ...convCases(), ...elementwiseCases(), ...fusedOpCases()];
}

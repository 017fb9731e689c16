/** Conformance cases for conv2d, its two backprops, and max/avg pooling with their backwards. */
import type { Conv2DAttrs, Pool2DAttrs } from './backend.js';
import { EXACT, type Tolerance } from './conformance-compare.js';
import {
  type CaseSpec,
  caseRng,
  checkKernel,
  host,
  type KernelCall,
  type SuiteContext,
  scaled,
  uniform,
} from './conformance-harness.js';
import { convOutShape } from './reference-conv.js';
import { poolOutShape } from './reference-pool.js';

type Shape4 = [number, number, number, number];
type Pads = [number, number, number, number];

interface ConvSpec {
  label: string;
  x: Shape4;
  /** [kh, kw, cin, cout] */
  f: Shape4;
  strides?: [number, number];
  dilations?: [number, number];
  pads?: Pads;
}

export const CONV_SPECS: ConvSpec[] = [
  { label: 'valid-3x3', x: [1, 5, 5, 2], f: [3, 3, 2, 3] },
  { label: 'same-3x3', x: [1, 5, 5, 2], f: [3, 3, 2, 2], pads: [1, 1, 1, 1] },
  { label: 'stride2-same-even', x: [1, 6, 6, 2], f: [3, 3, 2, 2], strides: [2, 2], pads: [0, 1, 0, 1] },
  { label: 'stride2-valid-odd', x: [1, 7, 7, 2], f: [3, 3, 2, 2], strides: [2, 2] },
  { label: 'dilation2', x: [1, 7, 7, 2], f: [3, 3, 2, 2], dilations: [2, 2] },
  { label: 'dilation2-padded', x: [1, 6, 6, 2], f: [3, 3, 2, 2], dilations: [2, 2], pads: [2, 2, 2, 2] },
  { label: 'asymmetric-pads', x: [1, 5, 5, 2], f: [3, 3, 2, 2], pads: [1, 0, 2, 1] },
  {
    label: 'non-square',
    x: [2, 5, 7, 3],
    f: [2, 3, 3, 2],
    strides: [1, 2],
    dilations: [2, 1],
    pads: [1, 1, 0, 2],
  },
  { label: '1x1', x: [2, 4, 4, 3], f: [1, 1, 3, 5] },
  { label: 'stride-exceeds-kernel', x: [1, 7, 7, 1], f: [2, 2, 1, 1], strides: [3, 3] },
  { label: 'pads-exceed-kernel', x: [1, 2, 2, 1], f: [2, 2, 1, 2], pads: [2, 2, 2, 2] },
  { label: 'kernel-covers-input', x: [2, 3, 3, 2], f: [3, 3, 2, 1] },
  { label: 'batch0', x: [0, 4, 4, 2], f: [3, 3, 2, 2], pads: [1, 1, 1, 1] },
  { label: 'channels-8-16', x: [2, 9, 9, 8], f: [3, 3, 8, 16], pads: [1, 1, 1, 1] },
  { label: 'channels-3-5-stride2', x: [1, 8, 9, 3], f: [3, 3, 3, 5], strides: [2, 2], pads: [1, 1, 1, 1] },
];

function convAttrs(s: ConvSpec): Conv2DAttrs {
  return { strides: s.strides ?? [1, 1], dilations: s.dilations ?? [1, 1], pads: s.pads ?? [0, 0, 0, 0] };
}

function convCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  out.push({
    name: 'conv2d/nan-propagation',
    kernel: 'conv2d',
    run: (backend) => {
      // a NaN pixel poisons every output whose window covers it, even through a zero weight
      const g = caseRng(ctx, 'conv2d/nan-propagation');
      const x = uniform(g, [1, 4, 4, 1]);
      (x.values as Float32Array)[5] = Number.NaN;
      const f = uniform(g, [2, 2, 1, 2]);
      (f.values as Float32Array).fill(0, 0, 2);
      const attrs: Conv2DAttrs = { strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0] };
      const call: KernelCall = (b, xs) => b.conv2d(xs[0]!, xs[1]!, attrs);
      checkKernel('conv2d/nan-propagation', backend, ctx, [x, f], call, scaled(ctx.reference, call, 1e-4, 0));
    },
  });
  for (const spec of CONV_SPECS) {
    const attrs = convAttrs(spec);
    const yShape = convOutShape(spec.x, spec.f[0], spec.f[1], spec.f[3], attrs);
    const kernels: [string, KernelCall, () => Shape4[]][] = [
      ['conv2d', (b, xs) => b.conv2d(xs[0]!, xs[1]!, attrs), () => [spec.x, spec.f]],
      [
        'conv2dBackpropInput',
        (b, xs) => b.conv2dBackpropInput(xs[0]!, xs[1]!, spec.x, attrs),
        () => [yShape, spec.f],
      ],
      [
        'conv2dBackpropFilter',
        (b, xs) => b.conv2dBackpropFilter(xs[0]!, xs[1]!, spec.f, attrs),
        () => [spec.x, yShape],
      ],
    ];
    for (const [kernel, call, shapes] of kernels) {
      const name = `${kernel}/${spec.label}`;
      out.push({
        name,
        kernel,
        run: (backend) => {
          const g = caseRng(ctx, name);
          const inputs = shapes().map((s) => uniform(g, s, -1, 1));
          // summation order is free: 1e-4 of Σ|x·w| per output (backend.ts)
          checkKernel(
            `${name} x${JSON.stringify(spec.x)} f${JSON.stringify(spec.f)} ${JSON.stringify(attrs)}`,
            backend,
            ctx,
            inputs,
            call,
            scaled(ctx.reference, call, 1e-4, 0),
          );
        },
      });
    }
  }
  return out;
}

interface PoolSpec {
  label: string;
  x: Shape4;
  kernelSize: [number, number];
  strides: [number, number];
  pads?: Pads;
}

const POOL_SPECS: PoolSpec[] = [
  { label: '2x2-stride2', x: [1, 4, 4, 2], kernelSize: [2, 2], strides: [2, 2] },
  { label: '2x2-stride2-odd', x: [1, 5, 5, 2], kernelSize: [2, 2], strides: [2, 2] },
  { label: '3x3-stride1-padded', x: [1, 5, 5, 2], kernelSize: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] },
  { label: 'same-asymmetric', x: [1, 6, 6, 1], kernelSize: [3, 3], strides: [2, 2], pads: [0, 1, 0, 1] },
  { label: 'non-square', x: [2, 5, 6, 3], kernelSize: [2, 3], strides: [2, 1], pads: [1, 0, 1, 1] },
  { label: 'stride-exceeds-kernel', x: [1, 7, 7, 1], kernelSize: [2, 2], strides: [3, 3] },
  { label: 'global', x: [1, 3, 3, 4], kernelSize: [3, 3], strides: [1, 1] },
  { label: 'batch0', x: [0, 4, 4, 2], kernelSize: [2, 2], strides: [2, 2] },
  { label: 'channels-9', x: [2, 8, 8, 9], kernelSize: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
];

const AVG_TOL: Tolerance = { rtol: 1e-5, atol: 1e-6 };

function poolCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const spec of POOL_SPECS) {
    const base: Pool2DAttrs = {
      kernelSize: spec.kernelSize,
      strides: spec.strides,
      pads: spec.pads ?? [0, 0, 0, 0],
    };
    const yShape = poolOutShape(spec.x, base);
    const what = (k: string) => `${k}/${spec.label} x${JSON.stringify(spec.x)} ${JSON.stringify(base)}`;
    out.push({
      name: `maxPool2d/${spec.label}`,
      kernel: 'maxPool2d',
      run: (backend) => {
        const x = uniform(caseRng(ctx, `maxPool2d/${spec.label}`), spec.x, -2, 2);
        checkKernel(what('maxPool2d'), backend, ctx, [x], (b, xs) => b.maxPool2d(xs[0]!, base), EXACT);
      },
    });
    out.push({
      name: `maxPool2dBackward/${spec.label}`,
      kernel: 'maxPool2dBackward',
      run: (backend) => {
        const g = caseRng(ctx, `maxPool2dBackward/${spec.label}`);
        const inputs = [uniform(g, yShape), uniform(g, spec.x)];
        // overlapping windows add several dy into one cell, in any order
        checkKernel(
          what('maxPool2dBackward'),
          backend,
          ctx,
          inputs,
          (b, xs) => b.maxPool2dBackward(xs[0]!, xs[1]!, base),
          AVG_TOL,
        );
      },
    });
    for (const countIncludePad of [true, false]) {
      const attrs = { ...base, countIncludePad };
      const suffix = `${spec.label}/countIncludePad=${countIncludePad}`;
      out.push({
        name: `avgPool2d/${suffix}`,
        kernel: 'avgPool2d',
        run: (backend) => {
          const x = uniform(caseRng(ctx, `avgPool2d/${suffix}`), spec.x);
          checkKernel(
            `${what('avgPool2d')} countIncludePad=${countIncludePad}`,
            backend,
            ctx,
            [x],
            (b, xs) => b.avgPool2d(xs[0]!, attrs),
            AVG_TOL,
          );
        },
      });
      out.push({
        name: `avgPool2dBackward/${suffix}`,
        kernel: 'avgPool2dBackward',
        run: (backend) => {
          const dy = uniform(caseRng(ctx, `avgPool2dBackward/${suffix}`), yShape);
          const call: KernelCall = (b, xs) => b.avgPool2dBackward(xs[0]!, spec.x, attrs);
          checkKernel(
            `${what('avgPool2dBackward')} countIncludePad=${countIncludePad}`,
            backend,
            ctx,
            [dy],
            call,
            AVG_TOL,
          );
        },
      });
    }
  }
  out.push({
    name: 'avgPool2d/nan-propagation',
    kernel: 'avgPool2d',
    run: (backend) => {
      const x = uniform(caseRng(ctx, 'avgPool2d/nan-propagation'), [1, 4, 4, 1]);
      (x.values as Float32Array)[5] = Number.NaN;
      for (const countIncludePad of [true, false]) {
        const attrs: Pool2DAttrs = {
          kernelSize: [2, 2],
          strides: [1, 1],
          pads: [1, 0, 1, 0],
          countIncludePad,
        };
        checkKernel(
          `avgPool2d NaN countIncludePad=${countIncludePad}`,
          backend,
          ctx,
          [x],
          (b, xs) => b.avgPool2d(xs[0]!, attrs),
          AVG_TOL,
        );
      }
    },
  });
  out.push({
    name: 'maxPool2d/ties-nan-padding-only',
    kernel: 'maxPool2d',
    run: (backend) => {
      // windows of only padding give −Inf; NaN wins a window
      const x = host([1, 2, 2, 1], 'float32', [1, Number.NaN, 2, 2]);
      const attrs: Pool2DAttrs = { kernelSize: [1, 1], strides: [1, 1], pads: [1, 1, 1, 1] };
      checkKernel(
        'maxPool2d 1x1 window over padding',
        backend,
        ctx,
        [x],
        (b, xs) => b.maxPool2d(xs[0]!, attrs),
        EXACT,
      );
      const attrs2: Pool2DAttrs = { kernelSize: [2, 2], strides: [1, 1], pads: [0, 1, 0, 1] };
      checkKernel('maxPool2d NaN', backend, ctx, [x], (b, xs) => b.maxPool2d(xs[0]!, attrs2), EXACT);
    },
  });
  out.push({
    name: 'maxPool2dBackward/ties-nan',
    kernel: 'maxPool2dBackward',
    run: (backend) => {
      // ties route to the first cell in row-major window order; NaN wins; overlaps accumulate
      const x = host([1, 3, 4, 1], 'float32', [5, 5, 1, 5, 5, 5, 2, 2, Number.NaN, 0, 2, 2]);
      const attrs: Pool2DAttrs = { kernelSize: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0] };
      const dy = host([1, 2, 3, 1], 'float32', [1, 2, 4, 8, 16, 32]);
      checkKernel(
        'maxPool2dBackward ties/NaN',
        backend,
        ctx,
        [dy, x],
        (b, xs) => b.maxPool2dBackward(xs[0]!, xs[1]!, attrs),
        EXACT,
      );
      const padOnly: Pool2DAttrs = { kernelSize: [1, 1], strides: [1, 1], pads: [1, 1, 1, 1] };
      const x2 = host([1, 2, 2, 1], 'float32', [1, 2, 3, 4]);
      const dy2 = uniform(caseRng(ctx, 'maxPool2dBackward/ties-nan'), [1, 4, 4, 1]);
      checkKernel(
        'maxPool2dBackward windows of only padding route nothing',
        backend,
        ctx,
        [dy2, x2],
        (b, xs) => b.maxPool2dBackward(xs[0]!, xs[1]!, padOnly),
        EXACT,
      );
    },
  });
  return out;
}

export function convPoolCases(ctx: SuiteContext): CaseSpec[] {
  return [...convCases(ctx), ...poolCases(ctx)];
}

/**
 * Conformance cases for the optional fused kernels. Each runs the core op on the backend under
 * test (which uses the backend's fused kernel when it has one) and on the reference backend
 * (which has none, so core composes the op from primitives), and compares values and gradients.
 * A backend without the kernel still runs the case: then it checks core's composition on that
 * backend's primitives.
 */

import { valueAndGrads } from './autograd.js';
import type { AdamUpdateAttrs, Backend, FusedActivation, SgdUpdateAttrs } from './backend.js';
import type { HostTensor, Tolerance } from './conformance-compare.js';
import {
  assertAllClose,
  type CaseSpec,
  caseRng,
  evalOn,
  fromHost,
  host,
  ints,
  type SuiteContext,
  uniform,
} from './conformance-harness.js';
import { adamUpdate, batchNormTrain, sgdUpdate, softmaxCrossEntropy } from './ops-fused.js';
import { fusedMatmul } from './ops-matmul.js';
import type { Tensor } from './tensor.js';

/** Fused kernels may round differently from the composition (one pass vs several): 1e-4. */
const FUSED: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** Runs `fn` on both backends and compares every result. */
function compare(
  what: string,
  names: string[],
  backend: Backend,
  ctx: SuiteContext,
  fn: () => Tensor[],
  tol = FUSED,
): void {
  const want = evalOn(ctx.reference, fn);
  const got = evalOn(backend, fn);
  assertAllClose(
    `${what} on '${backend.name}' vs core's composition on the reference backend`,
    names,
    got,
    want,
    tol,
  );
}

/** Forward value and the gradients of Σ value·cotangent w.r.t. every float input. */
function withGrads(f: (...xs: Tensor[]) => Tensor, inputs: HostTensor[], cot: HostTensor): () => Tensor[] {
  return () => {
    const { value, grads } = valueAndGrads(f)(inputs.map(fromHost), fromHost(cot));
    return [value, ...grads];
  };
}

const ACTIVATIONS: FusedActivation[] = ['none', 'relu', 'sigmoid', 'tanh', 'gelu', 'leakyRelu'];

function fusedMatmulCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const activation of ACTIVATIONS) {
    for (const variant of ['bias', 'no-bias-transposed-batched'] as const) {
      const name = `fused/fusedMatmul/${activation}/${variant}`;
      out.push({
        name,
        kernel: 'fusedMatmul',
        run: (backend) => {
          const g = caseRng(ctx, name);
          const biased = variant === 'bias';
          const a = uniform(g, biased ? [5, 7] : [2, 7, 5]);
          const b = uniform(g, biased ? [7, 4] : [4, 7]);
          const inputs = biased ? [a, b, uniform(g, [4])] : [a, b];
          const cot = uniform(g, biased ? [5, 4] : [2, 5, 4]);
          const options = { transposeA: !biased, transposeB: !biased, activation, alpha: 0.1 };
          const f = (x: Tensor, w: Tensor, bias?: Tensor) => fusedMatmul(x, w, bias ?? null, options);
          const names = ['output', 'grad a', 'grad b', ...(biased ? ['grad bias'] : [])];
          compare(name, names, backend, ctx, withGrads(f, inputs, cot));
        },
      });
    }
  }
  return out;
}

function batchNormCases(ctx: SuiteContext): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const shape of [
    [2, 3, 3, 4],
    [16, 3],
  ]) {
    const label = shape.length === 4 ? 'nhwc' : '2d';
    const data = (name: string) => {
      const g = caseRng(ctx, name);
      const x = uniform(g, shape, 1, 5); // mean ≈ 3: a one-pass variance must not cancel badly
      const c = shape[shape.length - 1]!;
      return { g, inputs: [x, uniform(g, [c], 0.5, 1.5), uniform(g, [c], -1, 1)], cot: uniform(g, shape) };
    };
    // normalised outputs are O(1); batch statistics of 18-48 values carry ≈ 1e-6 of rounding
    const tol: Tolerance = { rtol: 1e-4, atol: 1e-4 };
    out.push({
      name: `fused/batchNormTrain/${label}`,
      kernel: 'batchNormTrain',
      run: (backend) => {
        const { inputs } = data(`fused/batchNormTrain/${label}`);
        const fn = () => {
          const r = batchNormTrain(fromHost(inputs[0]!), fromHost(inputs[1]!), fromHost(inputs[2]!), 1e-3);
          return [r.y, r.mean, r.variance];
        };
        compare(`fused/batchNormTrain/${label}`, ['y', 'mean', 'variance'], backend, ctx, fn, tol);
      },
    });
    out.push({
      name: `fused/batchNormBackward/${label}`,
      kernel: 'batchNormBackward',
      run: (backend) => {
        const { inputs, cot } = data(`fused/batchNormBackward/${label}`);
        const f = (x: Tensor, gamma: Tensor, beta: Tensor) => batchNormTrain(x, gamma, beta, 1e-3).y;
        compare(
          `fused/batchNormBackward/${label}`,
          ['y', 'dx', 'dgamma', 'dbeta'],
          backend,
          ctx,
          withGrads(f, inputs, cot),
          tol,
        );
      },
    });
  }
  return out;
}

function softmaxCrossEntropyCases(ctx: SuiteContext): CaseSpec[] {
  return [
    {
      name: 'fused/softmaxCrossEntropy',
      kernel: 'softmaxCrossEntropy',
      run: (backend) => {
        const g = caseRng(ctx, 'fused/softmaxCrossEntropy');
        const logits = uniform(g, [6, 5], -3, 3);
        const v = logits.values as Float32Array;
        // rows far from 0 must neither overflow nor lose the loss to cancellation
        for (let j = 0; j < 5; j++) {
          v[5 + j]! += 80;
          v[10 + j]! -= 80;
        }
        const labels = ints(g, [6], 0, 5);
        const f = (x: Tensor) => softmaxCrossEntropy(x, fromHost(labels));
        compare(
          'fused/softmaxCrossEntropy',
          ['loss', 'dlogits'],
          backend,
          ctx,
          withGrads(f, [logits], uniform(g, [6])),
        );
      },
    },
  ];
}

const ADAM: [string, Partial<AdamUpdateAttrs>, boolean][] = [
  ['adam', {}, false],
  ['adam-l2', { weightDecay: 0.1 }, false],
  ['adamw', { weightDecay: 0.1, decoupled: true }, false],
  ['amsgrad', {}, true],
];

const SGD: [string, Partial<SgdUpdateAttrs>][] = [
  ['plain', { momentum: 0 }],
  ['momentum', { momentum: 0.9 }],
  ['nesterov', { momentum: 0.9, nesterov: true }],
  ['dampening-weight-decay', { momentum: 0.9, dampening: 0.5, weightDecay: 0.01 }],
];

/** Optimiser states after 4 updates agree within float32 rounding of O(1) parameters. */
const OPTIM: Tolerance = { rtol: 1e-5, atol: 1e-6 };

function optimiserCases(ctx: SuiteContext): CaseSpec[] {
  const shape = [3, 5];
  const out: CaseSpec[] = [];
  for (const [label, extra, amsgrad] of ADAM) {
    const name = `fused/adamUpdate/${label}`;
    out.push({
      name,
      kernel: 'adamUpdate',
      run: (backend) => {
        const g = caseRng(ctx, name);
        const p0 = uniform(g, shape);
        const grads = [0, 1, 2, 3].map(() => uniform(g, shape));
        const zeros = host(shape, 'float32', new Float32Array(15));
        const fn = () => {
          const [p, m, v] = [fromHost(p0), fromHost(zeros), fromHost(zeros)];
          const vMax = amsgrad ? fromHost(zeros) : null;
          grads.forEach((gr, i) => {
            const attrs: AdamUpdateAttrs = {
              lr: 0.01,
              beta1: 0.9,
              beta2: 0.999,
              eps: 1e-8,
              weightDecay: 0,
              decoupled: false,
              step: i + 1,
              ...extra,
            };
            adamUpdate(p, fromHost(gr), m, v, vMax, attrs);
          });
          return vMax ? [p, m, v, vMax] : [p, m, v];
        };
        compare(name, ['param', 'm', 'v', 'vMax'].slice(0, amsgrad ? 4 : 3), backend, ctx, fn, OPTIM);
      },
    });
  }
  for (const [label, extra] of SGD) {
    const name = `fused/sgdUpdate/${label}`;
    out.push({
      name,
      kernel: 'sgdUpdate',
      run: (backend) => {
        const g = caseRng(ctx, name);
        const p0 = uniform(g, shape);
        const grads = [0, 1, 2, 3].map(() => uniform(g, shape));
        const withBuf = (extra.momentum ?? 0) !== 0;
        const fn = () => {
          const p = fromHost(p0);
          const buf = withBuf ? fromHost(host(shape, 'float32', new Float32Array(15))) : null;
          grads.forEach((gr, i) => {
            const attrs: SgdUpdateAttrs = {
              lr: 0.05,
              momentum: 0,
              dampening: 0,
              weightDecay: 0,
              nesterov: false,
              firstStep: i === 0,
              ...extra,
            };
            sgdUpdate(p, fromHost(gr), buf, attrs);
          });
          return buf ? [p, buf] : [p];
        };
        compare(name, ['param', 'momentumBuf'].slice(0, withBuf ? 2 : 1), backend, ctx, fn, OPTIM);
      },
    });
  }
  return out;
}

export function fusedCases(ctx: SuiteContext): CaseSpec[] {
  return [
    ...fusedMatmulCases(ctx),
    ...batchNormCases(ctx),
    ...softmaxCrossEntropyCases(ctx),
    ...optimiserCases(ctx),
  ];
}

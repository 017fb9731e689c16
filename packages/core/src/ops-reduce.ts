/** Reductions along axes with `keepDims`, and their gradients. */
import { record } from './autograd.js';
import type { ReduceOp } from './backend.js';
import { zeros } from './creation.js';
import { getBackend, noGrad } from './engine.js';
import { fmtShape, ShapeError } from './errors.js';
import { castIfNeeded, wrap } from './op-utils.js';
import { add, div, equal, mul, sub, where } from './ops-binary.js';
import { reshape } from './ops-shape.js';
import { exp, isFinite, log, sqrt, square } from './ops-unary.js';
import { normalizeAxes, normalizeAxis, reducedShape } from './shape.js';
import type { Tensor } from './tensor.js';

export type Axis = number | readonly number[] | null | undefined;

function reduceKernel(op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean): Tensor {
  const info = getBackend().reduce(op, x, axes);
  return wrap(keepDims ? { ...info, shape: reducedShape(x.shape, axes, true) } : info);
}

/** Broadcasts a reduced gradient (or value) back over the reduced axes of `shape`. */
function expandBack(g: Tensor, shape: readonly number[], axes: number[]): Tensor {
  return add(reshape(g, reducedShape(shape, axes, true)), zeros(shape, g.dtype));
}

export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('sum', axis, x.rank);
  const y = reduceKernel('sum', x, axes, keepDims);
  return record('sum', [x], y, (dy) => [expandBack(dy, x.shape, axes)]);
}

export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const xf = castIfNeeded(x, 'float32');
  const axes = normalizeAxes('mean', axis, x.rank);
  let count = 1;
  for (const a of axes) count *= x.shape[a]!;
  const y = noGrad(() => div(reduceKernel('sum', xf, axes, keepDims), count));
  return record('mean', [xf], y, (dy) => [div(expandBack(dy, x.shape, axes), count)]);
}

function extremum(op: 'max' | 'min') {
  return (x: Tensor, axis?: Axis, keepDims = false): Tensor => {
    const axes = normalizeAxes(op, axis, x.rank);
    for (const a of axes) {
      if (x.shape[a] === 0)
        throw new ShapeError(`${op}: cannot reduce over axis ${a} of size 0 in ${fmtShape(x.shape)}.`);
    }
    const y = reduceKernel(op, x, axes, keepDims);
    return record(op, [x], y, (dy) => {
      // Ties share the gradient evenly (PyTorch's amax/amin).
      const mask = equal(x, expandBack(y, x.shape, axes));
      const count = expandBack(reduceKernel('sum', mask, axes, false), x.shape, axes);
      return [div(mul(expandBack(dy, x.shape, axes), mask), count)];
    });
  };
}
export const max = extremum('max');
export const min = extremum('min');

/** Product; its gradient is y/x and so is undefined where x = 0. */
export function prod(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('prod', axis, x.rank);
  const y = reduceKernel('prod', x, axes, keepDims);
  return record('prod', [x], y, (dy) => [
    div(mul(expandBack(dy, x.shape, axes), expandBack(y, x.shape, axes)), x),
  ]);
}

function argOp(op: 'argmax' | 'argmin') {
  return (x: Tensor, axis = -1, keepDims = false): Tensor => {
    const a = normalizeAxis(op, axis, x.rank);
    if (x.rank === 0) return wrap(getBackend().cast(x.mul(0), 'int32'));
    if (x.shape[a] === 0) throw new ShapeError(`${op}: axis ${a} of ${fmtShape(x.shape)} is empty.`);
    const info = getBackend().argReduce(op, x, a);
    return wrap(keepDims ? { ...info, shape: reducedShape(x.shape, [a], true) } : info);
  };
}
export const argmax = argOp('argmax');
export const argmin = argOp('argmin');

/** Variance with Bessel's `correction` (default 1, unbiased, as PyTorch's `var`). */
export function variance(x: Tensor, axis?: Axis, keepDims = false, correction = 1): Tensor {
  const axes = normalizeAxes('variance', axis, x.rank);
  let count = 1;
  for (const a of axes) count *= x.shape[a]!;
  const centred = sub(x, mean(x, axes, true));
  return div(sum(square(centred), axes, keepDims), Math.max(count - correction, 0));
}

export function std(x: Tensor, axis?: Axis, keepDims = false, correction = 1): Tensor {
  return sqrt(variance(x, axis, keepDims, correction));
}

/** log Σ exp(x), stabilised by the max (constant for autograd, since its gradient cancels). */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('logSumExp', axis, x.rank);
  const m = noGrad(() => {
    const raw = reduceKernel('max', x, axes, true);
    return where(isFinite(raw), raw, 0);
  });
  const s = log(sum(exp(sub(x, m)), axes, true));
  const y = add(s, m);
  return keepDims ? y : reshape(y, reducedShape(x.shape, axes, false));
}

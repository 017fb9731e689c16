/** Elementwise binary ops with numpy broadcasting, `where`, `cast`, and their gradients. */
import { record } from './autograd.js';
import type { BinaryOp, DType } from './backend.js';
import { getBackend } from './engine.js';
import { binaryOperands, castIfNeeded, scalarTensor, wrap } from './op-utils.js';
import { unaryKernel } from './ops-unary.js';
import { broadcastedAxes, broadcastShapes, shapesEqual } from './shape.js';
import type { Tensor, TensorLike } from './tensor.js';

/** Sums a broadcast gradient back to `shape` (the adjoint of broadcasting). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const axes = broadcastedAxes(shape, g.shape);
  const info = getBackend().reduce('sum', g, axes);
  return wrap({ ...info, shape });
}

export function binaryKernel(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  broadcastShapes(op, a.shape, b.shape);
  return wrap(getBackend().binary(op, a, b));
}

type Grads = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];

function binaryOp(op: BinaryOp, grads: Grads | null, floatOnly = false) {
  return (x: TensorLike, z: TensorLike): Tensor => {
    let [a, b] = binaryOperands(op, x, z);
    if (floatOnly) {
      a = castIfNeeded(a, 'float32');
      b = castIfNeeded(b, 'float32');
    }
    const y = binaryKernel(op, a, b);
    if (!grads) return y;
    return record(op, [a, b], y, (dy) => {
      const [ga, gb] = grads(dy, a, b, y);
      return [ga && sumToShape(ga, a.shape), gb && sumToShape(gb, b.shape)];
    });
  };
}

export const add = binaryOp('add', (dy) => [dy, dy]);
export const sub = binaryOp('sub', (dy) => [dy, unaryKernel('neg', dy)]);
export const mul = binaryOp('mul', (dy, a, b) => [mul(dy, b), mul(dy, a)]);
/** True division: int32 operands are promoted to float32, as PyTorch's `/`. */
export const div = binaryOp(
  'div',
  (dy, a, b) => [div(dy, b), mul(unaryKernel('neg', dy), div(a, mul(b, b)))],
  true,
);
export const pow = binaryOp(
  'pow',
  (dy, a, b, y) => [
    mul(dy, mul(b, pow(a, sub(b, 1)))),
    // d/db a^b = a^b·ln a; PyTorch defines it as 0 where a = 0.
    mul(dy, where(equal(a, 0), 0, mul(y, unaryKernel('log', a)))),
  ],
  true,
);
/** Elementwise max; NaN propagates. Ties split the gradient in half, as PyTorch. */
export const maximum = binaryOp('maximum', (dy, a, b) => {
  const share = add(greater(a, b), mul(equal(a, b), 0.5));
  return [mul(dy, share), mul(dy, sub(1, share))];
});
export const minimum = binaryOp('minimum', (dy, a, b) => {
  const share = add(less(a, b), mul(equal(a, b), 0.5));
  return [mul(dy, share), mul(dy, sub(1, share))];
});
/** Python's modulo (sign of the divisor). */
export const mod = binaryOp('mod', (dy, a, b) => [
  dy,
  mul(unaryKernel('neg', dy), unaryKernel('floor', div(a, b))),
]);
export const atan2 = binaryOp(
  'atan2',
  (dy, a, b) => {
    const denom = add(mul(a, a), mul(b, b));
    return [mul(dy, div(b, denom)), mul(dy, div(unaryKernel('neg', a), denom))];
  },
  true,
);

// Comparisons and logic return int32 0/1 masks (gradsight has no bool dtype) and no gradient.
export const equal = binaryOp('equal', null);
export const notEqual = binaryOp('notEqual', null);
export const less = binaryOp('less', null);
export const lessEqual = binaryOp('lessEqual', null);
export const greater = binaryOp('greater', null);
export const greaterEqual = binaryOp('greaterEqual', null);
export const logicalAnd = binaryOp('logicalAnd', null);
export const logicalOr = binaryOp('logicalOr', null);

/** `cond ? a : b` elementwise with broadcasting; `cond` is any tensor, non-zero meaning true. */
export function where(cond: Tensor, x: TensorLike, z: TensorLike): Tensor {
  // Two plain numbers are allowed (torch.where(c, 1.0, 0.2)); gradients such as leakyRelu's use it.
  const [a, b] =
    typeof x === 'number' && typeof z === 'number' ? bothScalars(x, z) : binaryOperands('where', x, z);
  const c = castIfNeeded(cond, 'int32');
  broadcastShapes('where', c.shape, a.shape, b.shape);
  const y = wrap(getBackend().where(c, a, b));
  return record('where', [a, b], y, (dy) => {
    const zero = scalarTensor(0, dy.dtype);
    return [
      sumToShape(wrap(getBackend().where(c, dy, zero)), a.shape),
      sumToShape(wrap(getBackend().where(c, zero, dy)), b.shape),
    ];
  });
}

function bothScalars(x: number, z: number): [Tensor, Tensor] {
  const dtype: DType = Number.isInteger(x) && Number.isInteger(z) ? 'int32' : 'float32';
  return [scalarTensor(x, dtype), scalarTensor(z, dtype)];
}

/** Converts dtype; float → int truncates toward zero. Gradient flows only float → float. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return wrap(getBackend().cast(x, dtype));
}

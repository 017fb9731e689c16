/** Shape and layout ops: reshape, transpose, concat, slice, gather, pad, oneHot, … */
import { record } from './autograd.js';
import { arange, zeros } from './creation.js';
import { getBackend } from './engine.js';
import { fmtShape, ShapeError, ValueError } from './errors.js';
import { castIfNeeded, requireInt, wrap } from './op-utils.js';
import { equal } from './ops-binary.js';
import { normalizeAxis, shapesEqual, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** Reshape (shares storage). One dimension may be −1 and is inferred. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = [...shape];
  const inferAt = target.indexOf(-1);
  if (inferAt !== target.lastIndexOf(-1))
    throw new ShapeError(`reshape: only one dimension can be -1, got ${fmtShape(shape)}.`);
  if (inferAt >= 0) {
    const known = sizeOf(target.filter((_, i) => i !== inferAt));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot infer -1 in ${fmtShape(shape)} for a tensor of shape ${fmtShape(x.shape)} (${x.size} elements).`,
      );
    }
    target[inferAt] = x.size / known;
  }
  if (target.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(target) !== x.size) {
    throw new ShapeError(
      `reshape: cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)}.`,
    );
  }
  if (shapesEqual(target, x.shape) && !x.requiresGrad) return x.view(target);
  const y = x.view(target);
  return record('reshape', [x], y, (dy) => [reshape(dy, x.shape)]);
}

/** Flattens dims startDim..endDim into one (PyTorch's `flatten`). */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.rank === 0) return reshape(x, [1]);
  const s = normalizeAxis('flatten', startDim, x.rank);
  const e = normalizeAxis('flatten', endDim, x.rank);
  const shape = [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm
    ? perm.map((a) => normalizeAxis('transpose', a, x.rank))
    : x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || new Set(p).size !== p.length) {
    throw new ValueError(
      `transpose: perm ${JSON.stringify(perm)} is not a permutation of the ${x.rank} axes of ${fmtShape(x.shape)}.`,
    );
  }
  const y = wrap(getBackend().transpose(x, p));
  const inverse = new Array<number>(p.length);
  for (let i = 0; i < p.length; i++) inverse[p[i]!] = i;
  return record('transpose', [x], y, (dy) => [transpose(dy, inverse)]);
}

export const permute = (x: Tensor, ...perm: number[]): Tensor => transpose(x, perm);

export function expandDims(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('expandDims', axis, x.rank + 1);
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}
export const unsqueeze = expandDims;

/** Removes size-1 dims: all of them, or only `axis` (a no-op if that dim is not 1, as PyTorch). */
export function squeeze(x: Tensor, axis?: number): Tensor {
  if (axis === undefined || axis === null)
    return reshape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const a = normalizeAxis('squeeze', axis, x.rank);
  if (x.shape[a] !== 1) return reshape(x, x.shape);
  return reshape(
    x,
    x.shape.filter((_, i) => i !== a),
  );
}

export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (!first) throw new ValueError('concat: expected at least one tensor.');
  const a = normalizeAxis('concat', axis, first.rank);
  for (const t of xs) {
    const ok = t.rank === first.rank && t.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!ok) {
      throw new ShapeError(
        `concat: shapes ${xs.map((t) => fmtShape(t.shape)).join(', ')} differ outside axis ${a}; all dims but the concatenation axis must match.`,
      );
    }
  }
  const dtype = xs.some((t) => t.dtype === 'float32') ? 'float32' : 'int32';
  const inputs = xs.map((t) => castIfNeeded(t, dtype));
  const y = wrap(getBackend().concat(inputs, a));
  return record('concat', inputs, y, (dy) => {
    let offset = 0;
    return inputs.map((t) => {
      const begin = t.shape.map((_, i) => (i === a ? offset : 0));
      offset += t.shape[a]!;
      return slice(dy, begin, t.shape);
    });
  });
}

export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (!first) throw new ValueError('stack: expected at least one tensor.');
  for (const t of xs) {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: all tensors must have the same shape, got ${xs.map((t) => fmtShape(t.shape)).join(', ')}.`,
      );
    }
  }
  const a = normalizeAxis('stack', axis, first.rank + 1);
  return concat(
    xs.map((t) => expandDims(t, a)),
    a,
  );
}

/** Contiguous slice; `size[i] = -1` means "to the end"; negative `begin` counts from the end. */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  if (begin.length !== x.rank || (size && size.length !== x.rank)) {
    throw new ShapeError(
      `slice: begin ${JSON.stringify(begin)} and size ${JSON.stringify(size)} must have one entry per dim of ${fmtShape(x.shape)}.`,
    );
  }
  const b = begin.map((v, i) => (v < 0 ? v + x.shape[i]! : v));
  const s = b.map((v, i) => {
    const want = size?.[i] ?? -1;
    return want === -1 ? x.shape[i]! - v : want;
  });
  for (let i = 0; i < x.rank; i++) {
    if (b[i]! < 0 || s[i]! < 0 || b[i]! + s[i]! > x.shape[i]!) {
      throw new ShapeError(
        `slice: begin ${JSON.stringify(begin)} size ${JSON.stringify(size)} is out of bounds for ${fmtShape(x.shape)} at dim ${i}.`,
      );
    }
  }
  const y = wrap(getBackend().slice(x, b, s));
  return record('slice', [x], y, (dy) => [
    wrap(
      getBackend().pad(
        dy,
        x.shape.map((d, i) => [b[i]!, d - b[i]! - s[i]!] as [number, number]),
        0,
      ),
    ),
  ]);
}

/** Gathers slices along `axis` at int32 `indices` (negative indices count from the end). */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  requireInt('gather', 'indices', indices);
  const a = normalizeAxis('gather', axis, x.rank);
  const n = x.shape[a]!;
  const idx = indices.dataSync();
  let fixed: Int32Array | null = null;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < -n || v >= n) {
      throw new ValueError(
        `gather: index ${v} is out of range for axis ${a} of size ${n} in ${fmtShape(x.shape)}.`,
      );
    }
    if (v < 0) {
      fixed ??= Int32Array.from(idx);
      fixed[i] = v + n;
    }
  }
  const ind = fixed
    ? wrap({ dataId: getBackend().write(fixed, 'int32'), shape: indices.shape, dtype: 'int32' })
    : indices;
  const y = wrap(getBackend().gather(x, ind, a));
  return record('gather', [x], y, (dy) => [wrap(getBackend().scatterAdd(ind, dy, x.shape, a))]);
}

/** Constant padding; `paddings[i] = [before, after]`. */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  if (
    paddings.length !== x.rank ||
    paddings.some(([p, q]) => !(p >= 0 && q >= 0 && Number.isInteger(p) && Number.isInteger(q)))
  ) {
    throw new ShapeError(
      `pad: paddings ${JSON.stringify(paddings)} must give [before, after] ≥ 0 for each of the ${x.rank} dims of ${fmtShape(x.shape)}.`,
    );
  }
  const y = wrap(getBackend().pad(x, paddings, value));
  return record('pad', [x], y, (dy) => [
    slice(
      dy,
      paddings.map(([p]) => p),
      x.shape,
    ),
  ]);
}

/** One-hot float32 encoding of int32 `indices` along a new last axis of size `depth`. */
export function oneHot(indices: Tensor, depth: number): Tensor {
  requireInt('oneHot', 'indices', indices);
  const classes = arange(0, depth, 1, 'int32');
  return castIfNeeded(equal(expandDims(indices, indices.rank), classes), 'float32');
}

/** Broadcasts to `shape` (numpy rules); the gradient sums back. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return x.add(zeros(shape, x.dtype));
}

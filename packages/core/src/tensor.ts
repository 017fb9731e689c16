import { type GradHook, type GradNode, backward as runBackward } from './autograd.js';
import type { DataId, DType, TensorInfo, TypedArray } from './backend.js';
import { engine, getBackend, keep, nextTensorId, type Storage, trackTensor } from './engine.js';
import { DisposedError, fmtShape, ShapeError, ValueError } from './errors.js';
import * as b from './ops-binary.js';
import * as m from './ops-matmul.js';
import * as n from './ops-nn.js';
import * as r from './ops-reduce.js';
import * as s from './ops-shape.js';
import * as u from './ops-unary.js';
import { shapesEqual, sizeOf } from './shape.js';

export type NestedArray = number | NestedArray[];
export type TensorLike = Tensor | number;

/**
 * An n-dimensional array of float32 or int32 on a backend, with PyTorch-shaped autograd:
 * `requiresGrad`, `backward()`, `.grad`, `retainGrad()`, `registerHook()`.
 */
export class Tensor implements TensorInfo {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** Leaves (and tensors with `retainGrad`) receive their gradient here after `backward()`. */
  grad: Tensor | null = null;
  /** Optional label used in error messages and by the gradient monitor. */
  name: string | undefined;
  /** @internal the node that produced this tensor, or null for leaves and constants. */
  node: GradNode | null = null;
  /** @internal */
  retainsGrad = false;
  /** @internal */
  hooks: GradHook[] = [];
  private _requiresGrad = false;
  private storage: Storage | null;

  /** @internal use the creation functions (`tensor`, `zeros`, …) instead. */
  constructor(storage: Storage, shape: readonly number[], dtype: DType) {
    this.id = nextTensorId();
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    trackTensor(this);
  }

  get rank(): number {
    return this.shape.length;
  }
  get isDisposed(): boolean {
    return this.storage === null;
  }
  get isLeaf(): boolean {
    return this.node === null;
  }
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(flag: boolean) {
    this.requiresGrad_(flag);
  }

  /**
   * Marks a leaf as a parameter to differentiate. Such tensors are kept out of `tidy` scopes,
   * since they outlive training steps (like tfjs variables).
   */
  requiresGrad_(flag = true): this {
    if (!flag && this.node) {
      throw new ValueError(
        'requiresGrad_(false): only leaves can stop requiring grad; use detach() on a result.',
      );
    }
    if (flag && this.dtype !== 'float32') {
      throw new ValueError(`requiresGrad_: only float32 tensors can require gradients, got ${this.dtype}.`);
    }
    this._requiresGrad = flag;
    if (flag && !this.node) keep(this);
    return this;
  }

  /** @internal set by autograd on op outputs. */
  markRequiresGrad(node: GradNode): void {
    this._requiresGrad = true;
    this.node = node;
  }

  /** @internal the storage, moved to the active backend if it lives elsewhere. */
  get dataId(): DataId {
    return this.liveStorage('use').dataId;
  }

  /** @internal */
  liveStorage(what: string): Storage {
    const st = this.storage;
    if (!st) {
      throw new DisposedError(
        `Tensor ${this.describe()} was disposed (by dispose() or an enclosing tidy) and cannot be used in ${what}.`,
      );
    }
    const current = getBackend();
    if (st.backend !== current) {
      const data = st.backend.readSync(st.dataId);
      st.backend.disposeData(st.dataId);
      st.backend = current;
      st.dataId = current.write(data, this.dtype);
    }
    return st;
  }

  /** @internal a new tensor object over the same storage (reshape, detach). */
  view(shape: readonly number[]): Tensor {
    const st = this.liveStorage('a view');
    st.refCount++;
    return new Tensor(st, shape, this.dtype);
  }

  describe(): string {
    return `${this.name ? `'${this.name}' ` : ''}${fmtShape(this.shape)} ${this.dtype}`;
  }

  dataSync(): TypedArray {
    const st = this.liveStorage('dataSync()');
    return st.backend.readSync(st.dataId);
  }
  async data(): Promise<TypedArray> {
    const st = this.liveStorage('data()');
    return st.backend.read(st.dataId);
  }
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape);
  }
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape);
  }
  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new ShapeError(`item(): tensor ${this.describe()} has ${this.size} elements, expected 1.`);
    return this.dataSync()[0]!;
  }

  dispose(): void {
    const st = this.storage;
    if (!st) return;
    this.storage = null;
    this.node = null;
    engine.numTensors--;
    if (--st.refCount === 0) st.backend.disposeData(st.dataId);
  }

  /** Replaces the values in place (no autograd), keeping identity; used by optimisers. */
  assign(value: Tensor): this {
    if (!shapesEqual(value.shape, this.shape) || value.dtype !== this.dtype) {
      throw new ShapeError(`assign: value ${value.describe()} does not match tensor ${this.describe()}.`);
    }
    const src = value.liveStorage('assign');
    const old = this.liveStorage('assign');
    src.refCount++;
    this.storage = src;
    if (--old.refCount === 0) old.backend.disposeData(old.dataId);
    return this;
  }

  /** A tensor sharing this data with no autograd history. */
  detach(): Tensor {
    return this.view(this.shape);
  }

  /** Keeps `.grad` on this non-leaf tensor after `backward()` (PyTorch's `retain_grad`). */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /**
   * Calls `hook(grad)` when this tensor's gradient has been fully accumulated during a
   * backward pass; a returned tensor replaces the gradient that flows on. The gradient passed
   * in lives until `backward()` returns: compute what you need inside the hook, or
   * `keep(grad.clone())` to hold on to it.
   */
  registerHook(hook: GradHook): { remove(): void } {
    this.hooks.push(hook);
    return {
      remove: () => {
        this.hooks = this.hooks.filter((h) => h !== hook);
      },
    };
  }

  /** Backpropagates from this tensor; `gradient` defaults to 1 for a one-element tensor. */
  backward(gradient?: Tensor, options?: { retainGraph?: boolean }): void {
    runBackward(this, gradient, options);
  }

  toString(): string {
    const body = this.size <= 64 ? JSON.stringify(this.arraySync()) : '…';
    return `Tensor(${fmtShape(this.shape)}, ${this.dtype}) ${body}`;
  }

  // --- op methods (PyTorch names, camelCased) ---------------------------------------------
  clone(): Tensor {
    return u.clone(this);
  }
  add(o: TensorLike): Tensor {
    return b.add(this, o);
  }
  sub(o: TensorLike): Tensor {
    return b.sub(this, o);
  }
  mul(o: TensorLike): Tensor {
    return b.mul(this, o);
  }
  div(o: TensorLike): Tensor {
    return b.div(this, o);
  }
  pow(o: TensorLike): Tensor {
    return b.pow(this, o);
  }
  maximum(o: TensorLike): Tensor {
    return b.maximum(this, o);
  }
  minimum(o: TensorLike): Tensor {
    return b.minimum(this, o);
  }
  eq(o: TensorLike): Tensor {
    return b.equal(this, o);
  }
  ne(o: TensorLike): Tensor {
    return b.notEqual(this, o);
  }
  lt(o: TensorLike): Tensor {
    return b.less(this, o);
  }
  le(o: TensorLike): Tensor {
    return b.lessEqual(this, o);
  }
  gt(o: TensorLike): Tensor {
    return b.greater(this, o);
  }
  ge(o: TensorLike): Tensor {
    return b.greaterEqual(this, o);
  }
  cast(dtype: DType): Tensor {
    return b.cast(this, dtype);
  }
  float(): Tensor {
    return b.cast(this, 'float32');
  }
  int(): Tensor {
    return b.cast(this, 'int32');
  }
  neg(): Tensor {
    return u.neg(this);
  }
  abs(): Tensor {
    return u.abs(this);
  }
  exp(): Tensor {
    return u.exp(this);
  }
  log(): Tensor {
    return u.log(this);
  }
  sqrt(): Tensor {
    return u.sqrt(this);
  }
  rsqrt(): Tensor {
    return u.rsqrt(this);
  }
  square(): Tensor {
    return u.square(this);
  }
  sin(): Tensor {
    return u.sin(this);
  }
  cos(): Tensor {
    return u.cos(this);
  }
  tanh(): Tensor {
    return u.tanh(this);
  }
  sigmoid(): Tensor {
    return u.sigmoid(this);
  }
  relu(): Tensor {
    return u.relu(this);
  }
  clip(min: number, max: number): Tensor {
    return u.clip(this, min, max);
  }
  clamp(min: number, max: number): Tensor {
    return u.clip(this, min, max);
  }
  sum(axis?: number | number[] | null, keepDims = false): Tensor {
    return r.sum(this, axis, keepDims);
  }
  mean(axis?: number | number[] | null, keepDims = false): Tensor {
    return r.mean(this, axis, keepDims);
  }
  max(axis?: number | number[] | null, keepDims = false): Tensor {
    return r.max(this, axis, keepDims);
  }
  min(axis?: number | number[] | null, keepDims = false): Tensor {
    return r.min(this, axis, keepDims);
  }
  argmax(axis = -1, keepDims = false): Tensor {
    return r.argmax(this, axis, keepDims);
  }
  argmin(axis = -1, keepDims = false): Tensor {
    return r.argmin(this, axis, keepDims);
  }
  matmul(o: Tensor): Tensor {
    return m.matmul(this, o);
  }
  reshape(shape: readonly number[]): Tensor {
    return s.reshape(this, shape);
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return s.flatten(this, startDim, endDim);
  }
  transpose(perm?: readonly number[]): Tensor {
    return s.transpose(this, perm);
  }
  permute(...perm: number[]): Tensor {
    return s.transpose(this, perm);
  }
  get T(): Tensor {
    return s.transpose(this);
  }
  expandDims(axis: number): Tensor {
    return s.expandDims(this, axis);
  }
  unsqueeze(axis: number): Tensor {
    return s.expandDims(this, axis);
  }
  squeeze(axis?: number): Tensor {
    return s.squeeze(this, axis);
  }
  softmax(axis = -1): Tensor {
    return n.softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return n.logSoftmax(this, axis);
  }
}

function toNested(data: TypedArray, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return data[0]!;
  const rec = (offset: number, dim: number): NestedArray[] => {
    const len = shape[dim]!;
    const out: NestedArray[] = [];
    if (dim === shape.length - 1) {
      for (let i = 0; i < len; i++) out.push(data[offset + i]!);
      return out;
    }
    const stride = sizeOf(shape.slice(dim + 1));
    for (let i = 0; i < len; i++) out.push(rec(offset + i * stride, dim + 1));
    return out;
  };
  return rec(0, 0);
}

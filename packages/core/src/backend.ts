/**
 * The `Backend` interface: the contract between gradsight's `core` and a compute engine.
 *
 * Everything above this file (tensors, autograd, layers, optimisers, explainers) talks to a
 * backend only through these kernels. A backend stores data and runs kernels; it never sees
 * autograd. Gradients are written once, in `core`, in terms of ops that call these kernels, so
 * a backend that passes the conformance suite (`@gradsight/core/conformance`) gets every
 * gradient for free.
 *
 * ## General rules (apply to every kernel unless the kernel says otherwise)
 *
 * - **Handles.** Data lives behind an opaque {@link DataId} owned by the backend. A kernel
 *   receives {@link TensorInfo}s (handle + shape + dtype) and returns a new `TensorInfo` whose
 *   handle it has allocated with reference count 1. A kernel never mutates its inputs, except
 *   the in-place optimiser kernels, which say so.
 * - **Layout.** Dense, row-major (C order), no strides or offsets: element `[i0, …, ik]` of a
 *   tensor of shape `[d0, …, dk]` is at flat index `((i0·d1 + i1)·d2 + …)·dk + ik`. Images are
 *   NHWC, conv filters `[kh, kw, cin, cout]`, dense kernels `[in, out]` (as in tfjs-core).
 * - **DTypes.** `float32` for data, `int32` for labels, indices and 0/1 masks. `core` has
 *   already validated and promoted dtypes before calling: a backend may assume its inputs are
 *   valid and need not re-check shapes (core raises `ShapeError`/`DTypeError` first).
 * - **Empty tensors.** Any dimension may be 0. Kernels must accept empty inputs and return
 *   correctly shaped empty outputs; reductions over an empty axis return the identity of the
 *   reduction (sum 0, prod 1, max -Infinity, min +Infinity; argmax/argmin of an empty axis is
 *   rejected by core before it reaches the backend).
 * - **Scalars.** Shape `[]` has one element.
 * - **Non-finite values.** IEEE-754 semantics: NaN propagates through every arithmetic kernel,
 *   `max`/`min`/`maximum`/`minimum` propagate NaN (as PyTorch does, unlike `Math.max` on some
 *   engines' SIMD paths), comparisons with NaN are false (`notEqual` true).
 * - **float32 rounding.** Results must match the reference backend within the tolerances of
 *   the conformance suite (about 1e-5 relative for elementwise kernels, 1e-4 for reductions and
 *   matmul/conv whose summation order may differ).
 * - **Errors.** A backend that does not implement an optional kernel simply omits it; core
 *   composes it from primitives. A backend that cannot run a required kernel for a given
 *   input throws {@link UnsupportedKernelError} naming itself and the kernel. It never silently
 *   falls back to something that changes numbers.
 *
 * `backendVersion` is bumped on any breaking change to this file.
 */

export type DType = 'float32' | 'int32';
export type TypedArray = Float32Array | Int32Array;

/** An opaque handle to backend-owned storage. */
export type DataId = object;

/** What a kernel receives and returns: a handle with its logical shape and dtype. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * Elementwise unary kernels. Input and output have the same shape. Output dtype equals the
 * input dtype except: `isNaN`, `isFinite` and `logicalNot` return int32 0/1.
 *
 * | op | definition | notes |
 * |---|---|---|
 * | neg, abs, sign | −x, \|x\|, sgn(x) (sign(0)=0, sign(NaN)=NaN) | int32 allowed |
 * | exp, expm1, log, log1p | | log(0) = −Inf, log(x<0) = NaN |
 * | sqrt, rsqrt | √x, 1/√x | rsqrt(0) = +Inf |
 * | square, reciprocal | x², 1/x | square: int32 allowed |
 * | sin, cos, tanh, sigmoid | | sigmoid = 1/(1+e^−x), computed without overflow |
 * | erf | error function | |abs error| ≤ 1e-6 |
 * | relu | max(x, 0) | relu(NaN) = NaN |
 * | step | x > 0 ? 1 : 0 (NaN → NaN) | used by gradients |
 * | leakyRelu | x ≥ 0 ? x : alpha·x | attr `alpha` |
 * | elu | x > 0 ? x : alpha·(eˣ − 1) | attr `alpha` |
 * | selu | scale·elu(x, alpha) with PyTorch's constants | |
 * | gelu | x·Φ(x) (exact, erf form) | |
 * | geluTanh | 0.5x(1+tanh(√(2/π)(x+0.044715x³))) | |
 * | softplus | log(1+eˣ), linear above attr `threshold`/`beta` as PyTorch | attrs `beta`, `threshold` |
 * | silu | x·sigmoid(x) | |
 * | floor, ceil, round | round half to even | |
 * | isNaN, isFinite, logicalNot | int32 0/1 | int32 input allowed (masks) |
 */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'sqrt'
  | 'rsqrt'
  | 'square'
  | 'reciprocal'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'sigmoid'
  | 'erf'
  | 'relu'
  | 'step'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'geluTanh'
  | 'softplus'
  | 'silu'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'isNaN'
  | 'isFinite'
  | 'logicalNot';

export interface UnaryAttrs {
  alpha?: number;
  beta?: number;
  threshold?: number;
}

/**
 * Elementwise binary kernels with numpy broadcasting: the output shape is
 * `broadcastShapes(a.shape, b.shape)` (dimensions aligned from the right; each pair equal or
 * one of them 1). Both inputs have the same dtype (core casts first). Output dtype: the input
 * dtype for arithmetic; int32 0/1 for comparisons and logical ops.
 *
 * `div` on int32 is not called (core promotes to float32: true division, as PyTorch).
 * `pow` follows `Math.pow` (pow(x, 0) = 1 even for NaN). `mod` is Python's (sign of divisor).
 * `maximum`/`minimum` propagate NaN.
 */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'mod'
  | 'atan2'
  | 'equal'
  | 'notEqual'
  | 'less'
  | 'lessEqual'
  | 'greater'
  | 'greaterEqual'
  | 'logicalAnd'
  | 'logicalOr';

/**
 * Reductions over `axes` (sorted, unique, non-negative, each < rank; may be empty, meaning
 * "copy"). The output shape drops the reduced axes (core re-inserts them for `keepDims`).
 * `sum`/`prod` keep the input dtype; `mean` is never called (core divides a sum).
 * `max`/`min` propagate NaN. See the general rules for empty axes.
 */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

/** Activation fused into {@link Backend.fusedMatmul}; 'none' means identity. */
export type FusedActivation = 'none' | 'relu' | 'sigmoid' | 'tanh' | 'gelu' | 'leakyRelu';

/**
 * Convolution attributes, shared by conv2d and its backprops.
 * `pads` are explicit `[top, bottom, left, right]` (core resolves 'same'/'valid' with the
 * TensorFlow rule: for 'same' the extra pixel goes to bottom/right).
 */
export interface Conv2DAttrs {
  strides: readonly [number, number];
  dilations: readonly [number, number];
  pads: readonly [number, number, number, number];
}

/** Pooling attributes. Padded cells never win a max; `countIncludePad` decides avg divisor. */
export interface Pool2DAttrs {
  kernelSize: readonly [number, number];
  strides: readonly [number, number];
  pads: readonly [number, number, number, number];
  /** avg only: divide by kh·kw (true, PyTorch's default) or by the count of real cells. */
  countIncludePad?: boolean;
}

/** Hyper-parameters of the in-place Adam/AdamW update; see {@link Backend.adamUpdate}. */
export interface AdamUpdateAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** L2 decay added to the gradient (Adam) — 0 to disable. */
  weightDecay: number;
  /** true: AdamW's decoupled decay, param ·= (1 − lr·weightDecay) before the update. */
  decoupled: boolean;
  /** 1-based step count after this update, for bias correction. */
  step: number;
}

/** Hyper-parameters of the in-place SGD update; see {@link Backend.sgdUpdate}. */
export interface SgdUpdateAttrs {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  /** true on the first step: the momentum buffer is set to the gradient, as PyTorch does. */
  firstStep: boolean;
}

export interface BackendMemoryInfo {
  /** Number of live data handles. */
  numDataIds: number;
  /** Bytes held by live handles. */
  numBytes: number;
  /** Backend-specific extras (e.g. wasm heap size). */
  [key: string]: number;
}

export interface Backend {
  readonly backendVersion: 1;
  /** Short name used in errors and the skip list, e.g. 'reference', 'wasm-simd', 'tfjs-cpu'. */
  readonly name: string;

  // ---------------------------------------------------------------------------------------
  // Storage
  // ---------------------------------------------------------------------------------------

  /**
   * Copies `values` into new storage of `dtype` (length = product of the shape the caller
   * will use). The backend must not keep a reference to `values`: the caller may reuse it.
   */
  write(values: TypedArray, dtype: DType): DataId;
  /** A copy of the data, synchronously. Length = number of elements. */
  readSync(dataId: DataId): TypedArray;
  /** A copy of the data; asynchronous backends (GPU) resolve when the data is ready. */
  read(dataId: DataId): Promise<TypedArray>;
  /** Frees storage. Called exactly once per handle by core's reference counting. */
  disposeData(dataId: DataId): void;
  memory(): BackendMemoryInfo;

  // ---------------------------------------------------------------------------------------
  // Required primitive kernels
  // ---------------------------------------------------------------------------------------

  /** See {@link UnaryOp}. */
  unary(op: UnaryOp, x: TensorInfo, attrs?: UnaryAttrs): TensorInfo;
  /** See {@link BinaryOp}. */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo;
  /**
   * `cond ? a : b` elementwise, with all three broadcast together. `cond` is int32 (non-zero
   * is true); `a` and `b` share a dtype, which is the output dtype.
   */
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo): TensorInfo;
  /** Converts dtype. float32 → int32 truncates toward zero; NaN/±Inf → 0. */
  cast(x: TensorInfo, dtype: DType): TensorInfo;
  /** See {@link ReduceOp}. */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): TensorInfo;
  /**
   * Index of the max/min along one `axis`, int32, the axis removed. Ties: the first index.
   * NaN wins (its index is returned), as PyTorch. The axis has length ≥ 1.
   */
  argReduce(op: 'argmax' | 'argmin', x: TensorInfo, axis: number): TensorInfo;
  /**
   * Batched matrix product. `a` is `[...batchA, M, K]` (or `[..., K, M]` with `transposeA`),
   * `b` is `[...batchB, K, N]` (or `[..., N, K]` with `transposeB`). Both have rank ≥ 2;
   * batch dimensions broadcast. Output `[...broadcast(batchA, batchB), M, N]`, float32.
   * K = 0 gives zeros.
   */
  matmul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo;
  /**
   * 2-D convolution (cross-correlation, as every DL framework). `x` `[N, H, W, Cin]`,
   * `filter` `[kh, kw, Cin, Cout]`. Output `[N, Ho, Wo, Cout]` with
   * `Ho = floor((H + top + bottom − dh·(kh−1) − 1) / sh) + 1` (likewise Wo). Padding is zeros.
   */
  conv2d(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): TensorInfo;
  /** Gradient of conv2d with respect to `x`: `dy` `[N, Ho, Wo, Cout]` → `[N, H, W, Cin]`. */
  conv2dBackpropInput(
    dy: TensorInfo,
    filter: TensorInfo,
    inputShape: readonly [number, number, number, number],
    attrs: Conv2DAttrs,
  ): TensorInfo;
  /** Gradient of conv2d with respect to the filter: → `[kh, kw, Cin, Cout]`. */
  conv2dBackpropFilter(
    x: TensorInfo,
    dy: TensorInfo,
    filterShape: readonly [number, number, number, number],
    attrs: Conv2DAttrs,
  ): TensorInfo;
  /** Max pooling, NHWC. Padded cells are −Inf. A window of only padding yields −Inf. */
  maxPool2d(x: TensorInfo, attrs: Pool2DAttrs): TensorInfo;
  /**
   * Gradient of maxPool2d: routes each `dy` cell to the arg-max of its window in `x` (the
   * first one in row-major window order on ties; NaN wins), accumulating where windows overlap.
   */
  maxPool2dBackward(dy: TensorInfo, x: TensorInfo, attrs: Pool2DAttrs): TensorInfo;
  /** Average pooling, NHWC; divisor per `countIncludePad`. */
  avgPool2d(x: TensorInfo, attrs: Pool2DAttrs): TensorInfo;
  /** Gradient of avgPool2d: spreads each `dy` cell over its window with the same divisor. */
  avgPool2dBackward(dy: TensorInfo, inputShape: readonly number[], attrs: Pool2DAttrs): TensorInfo;
  /** Permutes axes: output dim i = input dim `perm[i]`. `perm` is a permutation of 0..rank−1. */
  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo;
  /** Contiguous slice: `begin[i] + size[i] ≤ shape[i]`, all non-negative. */
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): TensorInfo;
  /** Concatenation along `axis`; all inputs agree on every other dim and on dtype. ≥ 1 input. */
  concat(xs: readonly TensorInfo[], axis: number): TensorInfo;
  /** Pads with a constant. `paddings[i] = [before, after]`, both ≥ 0. */
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): TensorInfo;
  /**
   * Gathers along `axis`: out shape = `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.
   * `indices` is int32; core has checked 0 ≤ index < x.shape[axis].
   */
  gather(x: TensorInfo, indices: TensorInfo, axis: number): TensorInfo;
  /**
   * The adjoint of gather: a zero tensor of `shape` into which each slice of `updates`
   * (shaped like gather's output) is added at its index along `axis`. Repeated indices add.
   */
  scatterAdd(indices: TensorInfo, updates: TensorInfo, shape: readonly number[], axis: number): TensorInfo;

  // ---------------------------------------------------------------------------------------
  // Optional fused kernels. Core composes each from the primitives above when absent, and
  // the conformance suite checks that a backend's fused version matches the composition.
  // ---------------------------------------------------------------------------------------

  /**
   * `act(op(a) @ op(b) + bias)`. `bias` broadcasts against `[..., M, N]` (typically `[N]`).
   * `alpha` is leakyRelu's slope.
   */
  fusedMatmul?(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    bias: TensorInfo | null,
    activation: FusedActivation,
    alpha: number,
  ): TensorInfo;
  /**
   * Training-mode batch normalisation over every axis but the last (channels):
   * `y = (x − mean)·invStd·gamma + beta`, `invStd = 1/√(var + eps)`, var biased.
   * Returns `y`, and per-channel `mean` and `invStd` `[C]` (saved for backward).
   */
  batchNormTrain?(
    x: TensorInfo,
    gamma: TensorInfo,
    beta: TensorInfo,
    eps: number,
  ): { y: TensorInfo; mean: TensorInfo; invStd: TensorInfo };
  /** Gradient of batchNormTrain: returns dx (shape of x), dgamma and dbeta `[C]`. */
  batchNormBackward?(
    dy: TensorInfo,
    x: TensorInfo,
    gamma: TensorInfo,
    mean: TensorInfo,
    invStd: TensorInfo,
  ): { dx: TensorInfo; dgamma: TensorInfo; dbeta: TensorInfo };
  /**
   * Row-wise softmax cross-entropy. `logits` `[B, C]` float32, `labels` `[B]` int32 in
   * [0, C). Returns per-row `loss` `[B]` = logSumExp(row) − row[label], and `probs` `[B, C]`
   * (softmax, saved for backward: dlogits = (probs − onehot)·dloss).
   */
  softmaxCrossEntropy?(logits: TensorInfo, labels: TensorInfo): { loss: TensorInfo; probs: TensorInfo };
  /**
   * In place: updates `param`, `m`, `v` (and `vMax` when AMSGrad, else null) of one
   * parameter from `grad`, all float32 of one shape, following PyTorch's Adam/AdamW exactly.
   * The only kernels that mutate their inputs.
   */
  adamUpdate?(
    param: TensorInfo,
    grad: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    vMax: TensorInfo | null,
    attrs: AdamUpdateAttrs,
  ): void;
  /** In place: PyTorch's SGD step on `param` and `momentumBuf` (null when momentum = 0). */
  sgdUpdate?(
    param: TensorInfo,
    grad: TensorInfo,
    momentumBuf: TensorInfo | null,
    attrs: SgdUpdateAttrs,
  ): void;
}

/** Names of the optional kernels, for the conformance suite and error messages. */
export const optionalKernels = [
  'fusedMatmul',
  'batchNormTrain',
  'batchNormBackward',
  'softmaxCrossEntropy',
  'adamUpdate',
  'sgdUpdate',
] as const;
export type OptionalKernel = (typeof optionalKernels)[number];

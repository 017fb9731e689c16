export type { BackwardFn, GradHook, GradNode, GradOverride } from './autograd.js';
export {
  backward,
  grad,
  gradients,
  record,
  valueAndGrad,
  valueAndGrads,
  withGradOverride,
} from './autograd.js';
export type {
  AdamUpdateAttrs,
  Backend,
  BackendMemoryInfo,
  BinaryOp,
  Conv2DAttrs,
  DataId,
  DType,
  FusedActivation,
  OptionalKernel,
  Pool2DAttrs,
  ReduceOp,
  SgdUpdateAttrs,
  TensorInfo,
  TypedArray,
  UnaryAttrs,
  UnaryOp,
} from './backend.js';
export { optionalKernels } from './backend.js';
export {
  arange,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  randperm,
  scalar,
  tensor,
  zeros,
  zerosLike,
} from './creation.js';
export type { MemoryInfo } from './engine.js';
export {
  getBackend,
  isGradEnabled,
  keep,
  memory,
  noGrad,
  registerBackend,
  setBackend,
  tidy,
} from './engine.js';
export type { ErrorCode } from './errors.js';
export {
  AbortError,
  AutogradError,
  BackendError,
  DisposedError,
  DTypeError,
  fmtShape,
  GradsightError,
  NonFiniteError,
  SafetensorsError,
  ShapeError,
  throwIfAborted,
  UnsupportedKernelError,
  ValueError,
} from './errors.js';
export type { GradcheckOptions, GradcheckResult } from './gradcheck.js';
export { GradcheckError, gradcheck } from './gradcheck.js';
export {
  add,
  atan2,
  cast,
  div,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  logicalOr,
  maximum,
  minimum,
  mod,
  mul,
  notEqual,
  pow,
  sub,
  sumToShape,
  where,
} from './ops-binary.js';
export type { BatchNormResult } from './ops-fused.js';
export {
  adamUpdate,
  adamUpdateComposed,
  batchNormTrain,
  sgdUpdate,
  sgdUpdateComposed,
  softmaxCrossEntropy,
} from './ops-fused.js';
export type { LinearOptions } from './ops-matmul.js';
export { fusedMatmul, matmul } from './ops-matmul.js';
export type { Conv2DOptions, Padding2D, Pair, Pool2DOptions } from './ops-nn.js';
export { avgPool2d, conv2d, logSoftmax, maxPool2d, resolvePadding, softmax } from './ops-nn.js';
export type { Axis } from './ops-reduce.js';
export { argmax, argmin, logSumExp, max, mean, min, prod, std, sum, variance } from './ops-reduce.js';
export {
  broadcastTo,
  concat,
  expandDims,
  flatten,
  gather,
  oneHot,
  pad,
  permute,
  reshape,
  slice,
  squeeze,
  stack,
  transpose,
  unsqueeze,
} from './ops-shape.js';
export {
  abs,
  ceil,
  clip,
  clone,
  cos,
  elu,
  erf,
  exp,
  expm1,
  floor,
  gelu,
  isFinite,
  isNaN,
  leakyRelu,
  log,
  log1p,
  logicalNot,
  neg,
  reciprocal,
  relu,
  round,
  rsqrt,
  selu,
  sigmoid,
  sign,
  silu,
  sin,
  softplus,
  sqrt,
  square,
  tanh,
} from './ops-unary.js';
export type { RandomOptions } from './random.js';
export { Generator, manualSeed } from './random.js';
export { ReferenceBackend } from './reference-backend.js';
export type { DecodeOptions, RawTensor, SafetensorsHeader, SafetensorsHeaderEntry } from './safetensors.js';
export {
  DEFAULT_MAX_HEADER_BYTES,
  decodeSafetensors,
  encodeSafetensors,
  readSafetensorsHeader,
} from './safetensors.js';
export { tensorsFromSafetensors, tensorsToSafetensors } from './safetensors-tensors.js';
export { SELU_ALPHA, SELU_SCALE } from './selu-constants.js';
export { broadcastShapes, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from './shape.js';
export type { NestedArray, TensorLike } from './tensor.js';
export { Tensor } from './tensor.js';

export type {
  AdamUpdateAttrs, Backend, BackendMemoryInfo, BinaryOp, Conv2DAttrs, DataId, DType, FusedActivation,
  OptionalKernel, Pool2DAttrs, ReduceOp, SgdUpdateAttrs, TensorInfo, TypedArray, UnaryAttrs, UnaryOp,
} from './backend.js';
export { optionalKernels } from './backend.js';
export {
  AbortError, AutogradError, BackendError, DTypeError, DisposedError, GradsightError, NonFiniteError, SafetensorsError,
  ShapeError, UnsupportedKernelError, ValueError, throwIfAborted, fmtShape,
} from './errors.js';
export type { ErrorCode } from './errors.js';
export { getBackend, isGradEnabled, keep, memory, noGrad, registerBackend, setBackend, tidy } from './engine.js';
export type { MemoryInfo } from './engine.js';
export { Tensor } from './tensor.js';
export type { NestedArray, TensorLike } from './tensor.js';
export { backward, grad, gradients, record, valueAndGrad, valueAndGrads, withGradOverride } from './autograd.js';
export type { BackwardFn, GradHook, GradNode, GradOverride } from './autograd.js';
export {
  arange, eye, full, fullLike, linspace, ones, onesLike, rand, randint, randn, randperm, scalar, tensor, zeros, zerosLike,
} from './creation.js';
export { Generator, manualSeed } from './random.js';
export type { RandomOptions } from './random.js';
export {
  abs, ceil, clip, clone, cos, elu, erf, exp, expm1, floor, gelu, isFinite, isNaN, leakyRelu, log, log1p, logicalNot, neg,
  reciprocal, relu, round, rsqrt, selu, sigmoid, sign, silu, sin, softplus, sqrt, square, tanh,
} from './ops-unary.js';
export { SELU_ALPHA, SELU_SCALE } from './selu-constants.js';
export {
  add, atan2, cast, div, equal, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr, maximum, minimum, mod, mul,
  notEqual, pow, sub, sumToShape, where,
} from './ops-binary.js';
export { argmax, argmin, logSumExp, max, mean, min, prod, std, sum, variance } from './ops-reduce.js';
export type { Axis } from './ops-reduce.js';
export { fusedMatmul, matmul } from './ops-matmul.js';
export type { LinearOptions } from './ops-matmul.js';
export {
  broadcastTo, concat, expandDims, flatten, gather, oneHot, pad, permute, reshape, slice, squeeze, stack, transpose, unsqueeze,
} from './ops-shape.js';
export { avgPool2d, conv2d, logSoftmax, maxPool2d, resolvePadding, softmax } from './ops-nn.js';
export type { Conv2DOptions, Padding2D, Pair, Pool2DOptions } from './ops-nn.js';
export {
  adamUpdate, adamUpdateComposed, batchNormTrain, sgdUpdate, sgdUpdateComposed, softmaxCrossEntropy,
} from './ops-fused.js';
export type { BatchNormResult } from './ops-fused.js';
export { ReferenceBackend } from './reference-backend.js';
export { broadcastShapes, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from './shape.js';
export { GradcheckError, gradcheck } from './gradcheck.js';
export type { GradcheckOptions, GradcheckResult } from './gradcheck.js';
export { tensorsFromSafetensors, tensorsToSafetensors } from './safetensors-tensors.js';
export { DEFAULT_MAX_HEADER_BYTES, decodeSafetensors, encodeSafetensors, readSafetensorsHeader } from './safetensors.js';
export type { DecodeOptions, RawTensor, SafetensorsHeader, SafetensorsHeaderEntry } from './safetensors.js';

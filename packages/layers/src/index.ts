export type { PReLUOptions } from './activations.js';
export {
  ELU,
  GELU,
  LeakyReLU,
  LogSoftmax,
  PReLU,
  ReLU,
  SELU,
  Sigmoid,
  SiLU,
  Softmax,
  Softplus,
  Tanh,
} from './activations.js';
export type { BatchNormOptions } from './batch-norm.js';
export { BatchNorm1d, BatchNorm2d } from './batch-norm.js';
export type { Conv2dOptions } from './conv.js';
export { Conv2d } from './conv.js';
export type { DropoutOptions } from './dropout.js';
export { Dropout } from './dropout.js';
export type { EmbeddingOptions } from './embedding.js';
export { Embedding } from './embedding.js';
export { layerShapeError } from './errors.js';
export type { FitHistory, FitOptions, FitProgress, Metric, OptimizerLike } from './fit.js';
export { fit } from './fit.js';
export { Flatten } from './flatten.js';
export type { FanMode, KaimingOptions, Nonlinearity, SeedOptions } from './init.js';
export * as init from './init.js';
export { calculateGain, computeFans, layerRandom } from './init.js';
export type { LayerNormOptions } from './layer-norm.js';
export { LayerNorm } from './layer-norm.js';
export type { LinearOptions } from './linear.js';
export { Linear } from './linear.js';
export {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  HuberLoss,
  L1Loss,
  LossModule,
  MSELoss,
  NLLLoss,
} from './loss-modules.js';
export type {
  BceOptions,
  BceWithLogitsOptions,
  CrossEntropyOptions,
  NllLossOptions,
  Reduction,
  ReductionOptions,
} from './losses.js';
export { accuracy, bce, bceWithLogits, crossEntropy, huberLoss, l1Loss, mseLoss, nllLoss } from './losses.js';
export type { ForwardHook, ForwardPreHook, RemovableHandle, StateDict } from './module.js';
export { Module } from './module.js';
export type { AvgPool2dOptions, Pool2dOptions } from './pooling.js';
export { AvgPool2d, GlobalAvgPool2d, MaxPool2d } from './pooling.js';
export type { RecurrentState, RNNOptions, SimpleRNNOptions } from './recurrent.js';
export { GRU, LSTM, RNN } from './recurrent.js';
export { Residual } from './residual.js';
export type { LoadSafetensorsOptions } from './safetensors-io.js';
export { GRADSIGHT_FORMAT, loadSafetensors, saveSafetensors } from './safetensors-io.js';
export { Sequential } from './sequential.js';
export type { LoadStateDictResult, MismatchedKey } from './state-dict.js';
export { StateDictError } from './state-dict.js';
export type { TorchImportOptions, TorchTensorLike } from './torch-import.js';
export { convertTorchStateDict, loadTorchStateDict } from './torch-import.js';

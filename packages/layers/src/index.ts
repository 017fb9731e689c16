export { Module } from './module.js';
export type { ForwardHook, ForwardPreHook, RemovableHandle, StateDict } from './module.js';
export { StateDictError } from './state-dict.js';
export type { LoadStateDictResult, MismatchedKey } from './state-dict.js';
export { layerShapeError } from './errors.js';
export { Linear } from './linear.js';
export type { LinearOptions } from './linear.js';
export { Sequential } from './sequential.js';
export {
  ELU, GELU, LeakyReLU, LogSoftmax, PReLU, ReLU, SELU, SiLU, Sigmoid, Softmax, Softplus, Tanh,
} from './activations.js';
export type { PReLUOptions } from './activations.js';
export * as init from './init.js';
export { calculateGain, computeFans, layerRandom } from './init.js';
export type { FanMode, KaimingOptions, Nonlinearity, SeedOptions } from './init.js';

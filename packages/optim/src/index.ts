export type { AdagradOptions } from './adagrad.js';
export { Adagrad } from './adagrad.js';
export type { AdamOptions } from './adam.js';
export { Adam, AdamW } from './adam.js';
export type { ClipGradNormOptions } from './clip-grad.js';
export { clipGradNorm, clipGradValue } from './clip-grad.js';
export type { CosineAnnealingLROptions, CosineAnnealingWarmRestartsOptions } from './cosine-schedules.js';
export { CosineAnnealingLR, CosineAnnealingWarmRestarts } from './cosine-schedules.js';
export type { ExponentialLROptions, MultiStepLROptions, StepLROptions } from './decay-schedules.js';
export { ExponentialLR, MultiStepLR, StepLR } from './decay-schedules.js';
export type { LinearLROptions } from './linear-lr.js';
export { LinearLR } from './linear-lr.js';
export type { LRSchedulerOptions, Scheduler } from './lr-scheduler.js';
export { LRScheduler } from './lr-scheduler.js';
export type { NAdamOptions } from './nadam.js';
export { NAdam } from './nadam.js';
export type { OneCycleLROptions } from './one-cycle-lr.js';
export { OneCycleLR } from './one-cycle-lr.js';
export type {
  BaseOptions,
  ParamGroup,
  ParamGroupInput,
  ParamState,
  Params,
  ScheduleKeys,
  StateValue,
} from './optimizer.js';
export { Optimizer, SCHEDULE_KEYS } from './optimizer.js';
export type { RAdamOptions } from './radam.js';
export { RAdam } from './radam.js';
export type { ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
export type { RMSpropOptions } from './rmsprop.js';
export { RMSprop } from './rmsprop.js';
export type { SequentialLROptions } from './sequential-lr.js';
export { SequentialLR } from './sequential-lr.js';
export type { SGDOptions } from './sgd.js';
export { SGD } from './sgd.js';
export type { OptimizerStateDict, TensorRecord } from './state-dict.js';
export { disposeStateDict, stateDictToJSON } from './state-dict.js';

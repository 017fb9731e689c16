/**
 * Importing PyTorch state dicts: renames PyTorch's keys to gradsight's and converts layouts, so
 * a model trained in PyTorch runs (and can be explained) here with the same numbers.
 *
 * | layer | PyTorch | gradsight |
 * |---|---|---|
 * | Linear `weight` | `[out, in]` | `[in, out]` |
 * | Conv2d `weight` | `[cout, cin, kh, kw]` | `[kh, kw, cin, cout]` |
 * | RNN/LSTM/GRU `weight_ih_l{k}`, `weight_hh_l{k}` | `[gates·H, in]` | `weightIhL{k}`, `weightHhL{k}`: `[in, gates·H]` (same gate order) |
 * | RNN/LSTM/GRU `bias_ih_l{k}`, `bias_hh_l{k}` | `[gates·H]` | `biasIhL{k}`, `biasHhL{k}` |
 * | BatchNorm `running_mean`, `running_var`, `num_batches_tracked` | | `runningMean`, `runningVar`, `numBatchesTracked` (int32) |
 */
import {
  cast,
  type DType,
  fmtShape,
  reshape,
  type Tensor,
  tensor,
  transpose,
  ValueError,
} from '@gradsight/core';
import { BatchNorm1d, BatchNorm2d } from './batch-norm.js';
import { Conv2d } from './conv.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { GRU, LSTM, RNN } from './recurrent.js';
import type { LoadStateDictResult } from './state-dict.js';

/** A tensor, or the `{ dtype, shape, data }` records that core's `decodeSafetensors` returns. */
export type TorchTensorLike =
  | Tensor
  | { dtype: DType; shape: readonly number[]; data: Float32Array | Int32Array };

export interface TorchImportOptions {
  /** Default true: one error listing every missing, unexpected and mis-shaped key. */
  strict?: boolean;
  /** Renames a PyTorch key before conversion (return null to drop it), for models whose module names differ. */
  keyMap?: (torchKey: string) => string | null;
  /**
   * For a Linear layer that follows a Flatten of image features: its path → the `[C, H, W]`
   * of the features. PyTorch flattens NCHW in (C, H, W) order, gradsight flattens NHWC in
   * (H, W, C) order, so the weight's input rows are permuted to match.
   */
  chwInputs?: Record<string, readonly [number, number, number]>;
}

function toTensor(key: string, v: TorchTensorLike): Tensor {
  if (v && typeof v === 'object' && 'dataSync' in v) return v;
  if (!v || typeof v !== 'object' || !('data' in v) || !('shape' in v)) {
    throw new ValueError(
      `loadTorchStateDict: value of '${key}' is neither a Tensor nor a { dtype, shape, data } record.`,
    );
  }
  return tensor(v.data, v.shape, v.dtype);
}

const RECURRENT_KEY = /^(weight|bias)_(ih|hh)_l(\d+)$/;
const BATCH_NORM_KEYS: Record<string, string> = {
  running_mean: 'runningMean',
  running_var: 'runningVar',
  num_batches_tracked: 'numBatchesTracked',
};

function convertEntry(
  owner: Module | undefined,
  ownerPath: string,
  local: string,
  t: Tensor,
  options: TorchImportOptions,
): [string, Tensor] {
  if (owner instanceof Linear && local === 'weight' && t.rank === 2) {
    const chw = options.chwInputs?.[ownerPath];
    const w = transpose(t); // [in, out]
    if (!chw) return [local, w];
    const [c, h, wd] = chw;
    if (c * h * wd !== w.shape[0]) {
      throw new ValueError(
        `loadTorchStateDict: chwInputs for '${ownerPath}' is ${fmtShape(chw)} (${c * h * wd} features) but its weight has ${w.shape[0]} inputs.`,
      );
    }
    const out = w.shape[1]!;
    return [local, reshape(transpose(reshape(w, [c, h, wd, out]), [1, 2, 0, 3]), [c * h * wd, out])];
  }
  if (owner instanceof Conv2d && local === 'weight' && t.rank === 4)
    return [local, transpose(t, [2, 3, 1, 0])];
  if (owner instanceof BatchNorm1d || owner instanceof BatchNorm2d) {
    const name = BATCH_NORM_KEYS[local];
    if (name === 'numBatchesTracked') return [name, t.dtype === 'int32' ? t : cast(t, 'int32')];
    if (name) return [name, t];
  }
  if (owner instanceof RNN || owner instanceof LSTM || owner instanceof GRU) {
    const m = RECURRENT_KEY.exec(local);
    if (m) {
      const name = `${m[1]}${m[2] === 'ih' ? 'Ih' : 'Hh'}L${m[3]}`;
      return [name, m[1] === 'weight' && t.rank === 2 ? transpose(t) : t];
    }
  }
  return [local, t];
}

/**
 * Converts a PyTorch state dict to gradsight names and layouts for `module` (see the table in
 * this file's comment). Keys that do not belong to a module of the tree pass through unchanged
 * (and `loadStateDict` then reports them as unexpected).
 */
export function convertTorchStateDict(
  module: Module,
  sd: Record<string, TorchTensorLike> | Map<string, TorchTensorLike>,
  options: TorchImportOptions = {},
): Record<string, Tensor> {
  const modules = new Map(module.namedModules());
  const out: Record<string, Tensor> = {};
  const entries = sd instanceof Map ? [...sd] : Object.entries(sd);
  for (const [rawKey, value] of entries) {
    const key = options.keyMap ? options.keyMap(rawKey) : rawKey;
    if (key === null) continue;
    const dot = key.lastIndexOf('.');
    const ownerPath = dot < 0 ? '' : key.slice(0, dot);
    const local = key.slice(dot + 1);
    const [name, t] = convertEntry(
      modules.get(ownerPath),
      ownerPath,
      local,
      toTensor(rawKey, value),
      options,
    );
    out[ownerPath ? `${ownerPath}.${name}` : name] = t;
  }
  return out;
}

/** `convertTorchStateDict` then `module.loadStateDict`: loads weights trained in PyTorch. */
export function loadTorchStateDict(
  module: Module,
  sd: Record<string, TorchTensorLike> | Map<string, TorchTensorLike>,
  options: TorchImportOptions = {},
): LoadStateDictResult {
  const inputs = new Set<unknown>(sd instanceof Map ? sd.values() : Object.values(sd));
  const converted = convertTorchStateDict(module, sd, options);
  try {
    return module.loadStateDict(converted, { strict: options.strict ?? true });
  } finally {
    // loadStateDict copied the values: free the converted tensors this call created
    for (const t of Object.values(converted)) if (!inputs.has(t)) t.dispose();
  }
}

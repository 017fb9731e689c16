/** The plain-data side of optimiser state dicts: layout, JSON conversion, disposal, copying. */
import { Tensor } from '@gradsight/core';

/** A tensor as plain data, for state dicts that went through JSON. */
export interface TensorRecord {
  shape: readonly number[];
  dtype?: 'float32';
  data: readonly number[] | Float32Array;
}

/**
 * An optimiser's state, laid out as PyTorch's: `state` keyed by the position of the parameter
 * across all groups, `paramGroups` with parameter positions instead of tensors. The tensors
 * are copies owned by the caller (dispose them when done); everything else is plain data.
 */
export interface OptimizerStateDict {
  state: Record<number, Record<string, number | Tensor | TensorRecord>>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/** Deep copy of plain data (options such as `betas`, schedule state); drops undefined and functions. */
export function copyPlain<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyPlain) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      if (v !== undefined && typeof v !== 'function') out[k] = copyPlain(v);
    return out as T;
  }
  return value;
}

export function isTensorRecord(v: unknown): v is TensorRecord {
  return typeof v === 'object' && v !== null && Array.isArray((v as TensorRecord).shape) && 'data' in v;
}

/** Converts the tensors of a state dict to `{shape, dtype, data}` so that `JSON.stringify` keeps them. */
export function stateDictToJSON(sd: OptimizerStateDict): OptimizerStateDict {
  const state: OptimizerStateDict['state'] = {};
  for (const [k, entry] of Object.entries(sd.state)) {
    const out: Record<string, number | TensorRecord> = {};
    for (const [name, v] of Object.entries(entry)) {
      out[name] =
        v instanceof Tensor
          ? { shape: [...v.shape], dtype: 'float32', data: Array.from(v.dataSync()) }
          : (v as number | TensorRecord);
    }
    state[Number(k)] = out;
  }
  return { state, paramGroups: copyPlain(sd.paramGroups) };
}

/** Disposes the tensors of a state dict returned by `stateDict()`. */
export function disposeStateDict(sd: OptimizerStateDict): void {
  for (const entry of Object.values(sd.state))
    for (const v of Object.values(entry)) if (v instanceof Tensor) v.dispose();
}

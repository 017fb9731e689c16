/** Saving and loading a module's state dict as safetensors (gradsight or PyTorch layout). */
import { type Tensor, tensorsFromSafetensors, tensorsToSafetensors } from '@gradsight/core';
import type { Module } from './module.js';
import type { LoadStateDictResult } from './state-dict.js';
import { loadTorchStateDict, type TorchImportOptions } from './torch-import.js';

/** The `format` metadata gradsight writes; PyTorch-exported files say 'pt' (Hugging Face's convention). */
export const GRADSIGHT_FORMAT = 'gradsight';

/** The module's state dict (parameters and persistent buffers) as safetensors bytes. */
export function saveSafetensors(module: Module, metadata: Record<string, string> = {}): Uint8Array {
  const sd = module.stateDict();
  try {
    return tensorsToSafetensors(sd, { format: GRADSIGHT_FORMAT, ...metadata });
  } finally {
    // the state dict's views hold references to the storage: release them
    for (const t of Object.values(sd)) t.dispose();
  }
}

export interface LoadSafetensorsOptions extends TorchImportOptions {
  /**
   * 'gradsight' (names and layouts as `stateDict()`), 'torch' (a PyTorch state dict, converted
   * by `loadTorchStateDict`), or 'auto' (the default): 'torch' when the file's `format`
   * metadata is 'pt'.
   */
  layout?: 'auto' | 'gradsight' | 'torch';
}

/** Loads safetensors bytes into `module`; returns the key report of `loadStateDict`. */
export function loadSafetensors(
  module: Module,
  bytes: Uint8Array,
  options: LoadSafetensorsOptions = {},
): LoadStateDictResult {
  const { tensors, metadata } = tensorsFromSafetensors(bytes);
  const layout = options.layout ?? 'auto';
  const torch = layout === 'torch' || (layout === 'auto' && metadata.format === 'pt');
  try {
    if (torch) return loadTorchStateDict(module, tensors, options);
    const keyed: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(tensors)) {
      const key = options.keyMap ? options.keyMap(k) : k;
      if (key !== null) keyed[key] = v;
    }
    return module.loadStateDict(keyed, { strict: options.strict ?? true });
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

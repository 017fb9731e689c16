/**
 * Safetensors for `Tensor`s: thin wrappers over the byte-level codec in `safetensors.ts`, so
 * packages above core (layers' save/load, importers) need not touch raw typed arrays.
 */
import { fromValues } from './op-utils.js';
import { type DecodeOptions, decodeSafetensors, encodeSafetensors, type RawTensor } from './safetensors.js';
import type { Tensor } from './tensor.js';

/** Encodes named tensors (float32 as F32, int32 as I32) with optional string metadata. */
export function tensorsToSafetensors(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const raw: Record<string, RawTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    // dataSync may return the backend's own buffer; the encoder only reads it.
    raw[name] = { dtype: t.dtype, shape: [...t.shape], data: t.dataSync() };
  }
  return encodeSafetensors(raw, metadata);
}

/**
 * Decodes a safetensors file into tensors on the active backend (F64/F16/BF16 become float32,
 * integer and bool dtypes int32; see `decodeSafetensors`).
 */
export function tensorsFromSafetensors(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const { tensors, metadata } = decodeSafetensors(bytes, options);
  const out: Record<string, Tensor> = {};
  for (const [name, r] of Object.entries(tensors)) out[name] = fromValues(r.data, r.shape, r.dtype);
  return { tensors: out, metadata };
}

/**
 * The backends the layer tests run on: the reference backend always, and
 * `@gradsight/tensor-wasm` (SIMD and scalar builds) when its package is present and built.
 * An absent backend is reported with the reason it was skipped, never silently dropped.
 */
import { type Backend, setBackend } from '@gradsight/core';

export interface BackendCase {
  name: string;
  /** Null when unavailable; `reason` then says why. */
  backend: Backend | null;
  reason?: string;
}

type WasmModule = { createWasmBackend: (options: { build: string }) => Backend | Promise<Backend> };

async function wasmBackends(): Promise<BackendCase[]> {
  let mod: WasmModule;
  try {
    // A variable specifier keeps bundlers from failing when the package does not exist yet.
    const spec = '@gradsight/tensor-wasm';
    mod = (await import(/* @vite-ignore */ spec)) as WasmModule;
  } catch (e) {
    return [
      {
        name: 'tensor-wasm',
        backend: null,
        reason: `@gradsight/tensor-wasm is not importable (${(e as Error).message.split('\n')[0]})`,
      },
    ];
  }
  if (typeof mod.createWasmBackend !== 'function') {
    return [
      {
        name: 'tensor-wasm',
        backend: null,
        reason: '@gradsight/tensor-wasm has no createWasmBackend export',
      },
    ];
  }
  const out: BackendCase[] = [];
  for (const build of ['simd', 'scalar']) {
    try {
      out.push({ name: `tensor-wasm (${build})`, backend: await mod.createWasmBackend({ build }) });
    } catch (e) {
      out.push({
        name: `tensor-wasm (${build})`,
        backend: null,
        reason: `not built or failed to load: ${(e as Error).message.split('\n')[0]}`,
      });
    }
  }
  return out;
}

export async function testBackends(): Promise<BackendCase[]> {
  const reference = setBackend('reference');
  const cases: BackendCase[] = [{ name: 'reference', backend: reference }];
  cases.push(...(await wasmBackends()));
  setBackend('reference');
  return cases;
}

/** Suite title: the backend's name, or why it is skipped. */
export function suiteName(prefix: string, b: BackendCase): string {
  return b.backend ? `${prefix} [${b.name}]` : `${prefix} [${b.name}: skipped, ${b.reason}]`;
}

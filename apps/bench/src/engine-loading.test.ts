import * as g from '@gradsight/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Loads the engine list against a stand-in `@gradsight/tensor-wasm`. */
async function loadWith(createWasmBackend: (o: { build: string }) => unknown) {
  vi.resetModules();
  vi.doMock('@gradsight/tensor-wasm', () => ({ createWasmBackend }));
  const { loadGradsightEngines } = await import('./engine-gradsight.js');
  const engines = await loadGradsightEngines();
  return Object.fromEntries(engines.map((e) => [e.id, e.unavailable ?? 'ready']));
}

afterEach(() => {
  vi.doUnmock('@gradsight/tensor-wasm');
});

describe('loadGradsightEngines', () => {
  it('says "not built" for every wasm column when no build loads', async () => {
    const status = await loadWith(() => {
      throw new Error('could not read build/tensor-simd.wasm');
    });
    expect(status).toEqual({
      'gs-wasm-simd': 'not built',
      'gs-wasm-scalar': 'not built',
      'gs-wasm-relaxed': 'not built',
      'gs-ref': 'ready',
    });
  });
  it('says "unsupported" for relaxed SIMD alone when the other builds load', async () => {
    const status = await loadWith(({ build }) => {
      if (build === 'relaxed') throw new Error('this engine does not support WebAssembly relaxed SIMD');
      return Object.assign(new g.ReferenceBackend(), { name: `fake-${build}` });
    });
    expect(status).toEqual({
      'gs-wasm-simd': 'ready',
      'gs-wasm-scalar': 'ready',
      'gs-wasm-relaxed': 'unsupported',
      'gs-ref': 'ready',
    });
  });
  it('says "not built" when the package has no createWasmBackend', async () => {
    vi.resetModules();
    vi.doMock('@gradsight/tensor-wasm', () => ({ createWasmBackend: undefined }));
    const { loadGradsightEngines } = await import('./engine-gradsight.js');
    const engines = await loadGradsightEngines();
    expect(engines.find((e) => e.id === 'gs-wasm-simd')).toMatchObject({
      unavailable: 'not built',
      detail: expect.stringContaining('no createWasmBackend export'),
    });
  });
});

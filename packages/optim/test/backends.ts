/**
 * The backends the optimiser tests run on: the reference backend (core's composed updates),
 * the reference backend with JS fused kernels (core's fused path), and the wasm backend of
 * `@gradsight/tensor-wasm` when that package is present and built. A backend that cannot be
 * loaded is reported with the reason, so the test output says what was not covered.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Backend, ReferenceBackend } from '@gradsight/core';
import { FusedReferenceBackend } from './fused-reference-backend.js';

export interface TestBackend {
  name: string;
  create(): Backend;
}
export interface SkippedBackend {
  name: string;
  reason: string;
}

type CreateWasm = (options: { build: string }) => Promise<Backend>;

/** The wasm backend's SIMD and scalar builds, through its `createWasmBackend({ build })`. */
async function loadWasm(): Promise<(TestBackend | SkippedBackend)[]> {
  const entry = new URL('../../tensor-wasm/src/index.ts', import.meta.url);
  if (!existsSync(entry))
    return [
      {
        name: 'tensor-wasm',
        reason: 'packages/tensor-wasm/src/index.ts does not exist (package not written yet)',
      },
    ];
  let create: CreateWasm | undefined;
  try {
    const mod = (await import(/* @vite-ignore */ fileURLToPath(entry))) as { createWasmBackend?: CreateWasm };
    create = mod.createWasmBackend;
  } catch (err) {
    return [{ name: 'tensor-wasm', reason: `importing it failed: ${(err as Error).message}` }];
  }
  if (typeof create !== 'function')
    return [{ name: 'tensor-wasm', reason: 'it exports no createWasmBackend()' }];
  const out: (TestBackend | SkippedBackend)[] = [];
  for (const build of ['simd', 'scalar']) {
    try {
      const backend = await create({ build });
      out.push({ name: backend.name, create: () => backend });
    } catch (err) {
      out.push({
        name: `wasm-${build}`,
        reason: `createWasmBackend({ build: '${build}' }) failed (wasm not built? run pnpm --filter @gradsight/tensor-wasm build:wasm): ${(err as Error).message}`,
      });
    }
  }
  return out;
}

/** Every backend to parameterise over, and the ones skipped with a reason. */
export async function testBackends(): Promise<{ backends: TestBackend[]; skipped: SkippedBackend[] }> {
  const backends: TestBackend[] = [
    { name: 'reference', create: () => new ReferenceBackend() },
    { name: 'reference-fused', create: () => new FusedReferenceBackend() },
  ];
  const skipped: SkippedBackend[] = [];
  for (const wasm of await loadWasm()) {
    if ('create' in wasm) backends.push(wasm);
    else skipped.push(wasm);
  }
  return { backends, skipped };
}

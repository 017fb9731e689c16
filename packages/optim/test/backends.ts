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

function isBackend(x: unknown): x is Backend {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as Backend).backendVersion === 1 &&
    typeof (x as Backend).unary === 'function'
  );
}

/** Finds a backend in the wasm package's exports without knowing its exact API. */
async function loadWasm(): Promise<TestBackend | SkippedBackend> {
  const name = 'tensor-wasm';
  const entry = new URL('../../tensor-wasm/src/index.ts', import.meta.url);
  if (!existsSync(entry))
    return { name, reason: 'packages/tensor-wasm/src/index.ts does not exist (package not written yet)' };
  let mod: Record<string, unknown>;
  try {
    mod = await import(/* @vite-ignore */ fileURLToPath(entry));
  } catch (err) {
    return { name, reason: `importing it failed (not built?): ${(err as Error).message}` };
  }
  const tried: string[] = [];
  for (const [key, value] of Object.entries(mod)) {
    try {
      if (isBackend(value)) return { name: value.name, create: () => value };
      if (typeof value !== 'function' || !/backend/i.test(key)) continue;
      tried.push(key);
      const isClass = /^class\b/.test(Function.prototype.toString.call(value));
      const made = isClass ? new (value as new () => unknown)() : await (value as () => unknown)();
      const backend = made instanceof Promise ? await made : made;
      if (isBackend(backend)) return { name: backend.name, create: () => backend };
    } catch (err) {
      return { name, reason: `${key}() failed (wasm not built?): ${(err as Error).message}` };
    }
  }
  return {
    name,
    reason: `no Backend found among its exports (${Object.keys(mod).join(', ') || 'none'}; tried ${tried.join(', ') || 'nothing'})`,
  };
}

/** Every backend to parameterise over, and the ones skipped with a reason. */
export async function testBackends(): Promise<{ backends: TestBackend[]; skipped: SkippedBackend[] }> {
  const backends: TestBackend[] = [
    { name: 'reference', create: () => new ReferenceBackend() },
    { name: 'reference-fused', create: () => new FusedReferenceBackend() },
  ];
  const skipped: SkippedBackend[] = [];
  const wasm = await loadWasm();
  if ('create' in wasm) backends.push(wasm);
  else skipped.push(wasm);
  return { backends, skipped };
}

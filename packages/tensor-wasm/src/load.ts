/**
 * Loading: pick a build (relaxed SIMD, SIMD or scalar) with wasm-feature-detect, fetch or read
 * its bytes from the package's build/ directory, instantiate it. The `new URL(…, import.meta.url)`
 * literals resolve the same from src/ and dist/, and bundlers (Vite) emit the files as assets.
 */
import { BackendError } from '@gradsight/core';
import { relaxedSimd, simd } from 'wasm-feature-detect';
import { WasmBackend, type WasmBuild } from './wasm-backend.js';
import type { WasmExports } from './wasm-exports.js';

export interface WasmBackendOptions {
  /** Which module to load; 'auto' (default) takes the fastest one the engine supports. */
  build?: WasmBuild | 'auto';
  /** Upper bound of the wasm heap in bytes (default 2 GiB, at most 4 GiB − 64 KiB). */
  maxMemoryBytes?: number;
  /** Where to load a module file from, for apps that host the .wasm files themselves. */
  locateFile?: (file: string, build: WasmBuild) => string | URL;
}

const DEFAULT_MAX = 2 ** 31;
const WASM32_MAX = 2 ** 32 - 65536;

function defaultUrl(build: WasmBuild): URL {
  // one literal per build so that bundlers see (and emit) each file
  switch (build) {
    case 'relaxed':
      return new URL('../build/tensor-relaxed.wasm', import.meta.url);
    case 'simd':
      return new URL('../build/tensor-simd.wasm', import.meta.url);
    case 'scalar':
      return new URL('../build/tensor-scalar.wasm', import.meta.url);
  }
}

/** The build 'auto' chooses on this engine. */
export async function detectWasmBuild(): Promise<WasmBuild> {
  if (await relaxedSimd()) return 'relaxed';
  if (await simd()) return 'simd';
  return 'scalar';
}

async function supported(build: WasmBuild): Promise<boolean> {
  if (build === 'relaxed') return relaxedSimd();
  if (build === 'simd') return simd();
  return true;
}

async function readBytes(url: URL): Promise<ArrayBuffer | Uint8Array> {
  if (url.protocol === 'file:') {
    // a computed specifier keeps browser bundlers from trying to resolve node:fs
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as { readFile(u: URL): Promise<Uint8Array> };
    return fs.readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  return res.arrayBuffer();
}

const modules = new Map<string, Promise<WebAssembly.Module>>();

function compile(build: WasmBuild, url: URL): Promise<WebAssembly.Module> {
  const key = `${build} ${url.href}`;
  let m = modules.get(key);
  if (!m) {
    m = readBytes(url).then((bytes) => WebAssembly.compile(bytes as BufferSource));
    m.catch(() => modules.delete(key));
    modules.set(key, m);
  }
  return m;
}

/**
 * Loads the wasm module and returns a ready `Backend` named 'wasm-relaxed', 'wasm-simd' or
 * 'wasm-scalar'. Use it with core: `setBackend(await createWasmBackend())`.
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const requested = options.build ?? 'auto';
  const build = requested === 'auto' ? await detectWasmBuild() : requested;
  if (!['relaxed', 'simd', 'scalar'].includes(build)) {
    throw new BackendError(
      `createWasmBackend: unknown build '${String(build)}'; expected 'auto', 'relaxed', 'simd' or 'scalar'.`,
    );
  }
  if (!(await supported(build))) {
    const hint = build === 'relaxed' ? ' (Node 20 needs --experimental-wasm-relaxed-simd)' : '';
    throw new BackendError(
      `createWasmBackend: this engine does not support WebAssembly ${build === 'relaxed' ? 'relaxed SIMD' : 'SIMD'}${hint}; ` +
        `use build 'auto' or 'scalar'.`,
    );
  }
  const maxMemoryBytes = options.maxMemoryBytes ?? DEFAULT_MAX;
  if (!(maxMemoryBytes > 0 && maxMemoryBytes <= WASM32_MAX)) {
    throw new BackendError(
      `createWasmBackend: maxMemoryBytes must be in (0, ${WASM32_MAX}], got ${maxMemoryBytes}.`,
    );
  }
  const file = `tensor-${build}.wasm`;
  const url = options.locateFile
    ? new URL(options.locateFile(file, build), defaultUrl(build))
    : defaultUrl(build);
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(await compile(build, url), {});
  } catch (cause) {
    throw new BackendError(
      `createWasmBackend: could not load ${url.href} (${(cause as Error).message}). The .wasm files ship in the ` +
        "package's build/ directory; a bundler must emit them as assets (Vite: build.assetsInlineLimit: 0), " +
        'or pass locateFile to point at where you host them.',
      { cause },
    );
  }
  return new WasmBackend(instance.exports as unknown as WasmExports, build, maxMemoryBytes);
}

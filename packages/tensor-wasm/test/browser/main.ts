/**
 * Browser page of the Chromium test: loads every wasm build the browser supports, runs the
 * shared kernel cases against the reference backend in the page, and publishes the results on
 * `window.__results` for the test to assert.
 */
import { ReferenceBackend } from '@gradsight/core';
import { relaxedSimd, simd } from 'wasm-feature-detect';
import { createWasmBackend, detectWasmBuild, type WasmBuild } from '../../src/index.js';
import { checkKernelCase, kernelCases } from '../kernel-cases.js';

interface PageResults {
  detected: WasmBuild;
  features: { simd: boolean; relaxedSimd: boolean };
  backends: string[];
  cases: { build: WasmBuild; name: string; error: string | null }[];
  fatal: string | null;
}

declare global {
  interface Window {
    __results?: PageResults;
  }
}

async function main(): Promise<PageResults> {
  const features = { simd: await simd(), relaxedSimd: await relaxedSimd() };
  const builds: WasmBuild[] = ['scalar'];
  if (features.simd) builds.push('simd');
  if (features.relaxedSimd) builds.push('relaxed');
  const results: PageResults = {
    detected: await detectWasmBuild(),
    features,
    backends: [],
    cases: [],
    fatal: null,
  };
  const auto = await createWasmBackend();
  results.backends.push(auto.name);
  const ref = new ReferenceBackend();
  for (const build of builds) {
    const backend = await createWasmBackend({ build });
    results.backends.push(backend.name);
    for (const c of kernelCases()) {
      let error: string | null = null;
      try {
        checkKernelCase(c, backend, ref);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      results.cases.push({ build, name: c.name, error });
    }
  }
  return results;
}

const log = document.getElementById('log')!;
main()
  .then((r) => {
    window.__results = r;
    const failed = r.cases.filter((c) => c.error).length;
    log.textContent = `${r.cases.length - failed} passed, ${failed} failed`;
  })
  .catch((e: unknown) => {
    window.__results = {
      detected: 'scalar',
      features: { simd: false, relaxedSimd: false },
      backends: [],
      cases: [],
      fatal: String(e),
    };
    log.textContent = String(e);
  });

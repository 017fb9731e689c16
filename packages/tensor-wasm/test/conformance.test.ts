/**
 * Core's conformance suite (kernels vs the reference backend, fused vs composed, finite-difference
 * gradients) and the PyTorch goldens, run on every build this engine supports.
 */
import { readFileSync } from 'node:fs';
import { conformanceSuite, type GoldenFixture } from '@gradsight/core/conformance';
import { describe, it } from 'vitest';
import { WASM_SKIP } from '../src/compatibility.js';
import { createWasmBackend } from '../src/index.js';
import { testedBuilds } from './builds.js';

const goldens = JSON.parse(
  readFileSync(new URL('../../core/test/fixtures/ops.json', import.meta.url), 'utf8'),
) as GoldenFixture;

for (const build of await testedBuilds()) {
  describe(`conformance: wasm-${build}`, () => {
    const cases = conformanceSuite({
      backend: () => createWasmBackend({ build }),
      skip: WASM_SKIP,
      goldens,
      numRuns: 40,
    });
    for (const c of cases) (c.skipReason ? it.skip : it)(c.name, c.run);
  });
}

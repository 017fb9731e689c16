/** Kernel-vs-reference checks at sizes that cross the GEMM blocks and the conv chunks, per build. */
import { ReferenceBackend } from '@gradsight/core';
import { describe, it } from 'vitest';
import { createWasmBackend } from '../src/index.js';
import { testedBuilds } from './builds.js';
import { checkKernelCase, kernelCases } from './kernel-cases.js';

const ref = new ReferenceBackend();

for (const build of await testedBuilds()) {
  describe(`large kernels: wasm-${build}`, async () => {
    const backend = await createWasmBackend({ build });
    for (const c of kernelCases()) {
      it(c.name, () => {
        checkKernelCase(c, backend, ref);
      });
    }
  });
}

import { ReferenceBackend } from '@gradsight/core';
import { conformanceSuite } from '@gradsight/core/conformance';
import { describe, it } from 'vitest';

// Kernel-vs-reference comparisons are trivial here; the finite differences (grad/*), the
// properties' shape coverage and the PyTorch goldens (goldens.test.ts) are what verify it.
describe('conformance: reference backend', () => {
  for (const c of conformanceSuite({ backend: new ReferenceBackend() })) {
    it.skipIf(c.skipReason !== undefined)(c.name, c.run);
  }
});

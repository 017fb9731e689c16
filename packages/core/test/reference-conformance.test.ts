import { ReferenceBackend } from '@gradsight/core';
import { conformanceSuite } from '@gradsight/core/conformance';
import { describe, it } from 'vitest';

// Kernel-vs-reference comparisons are trivial here. What verifies the reference backend is the
// rest: the documented-semantics oracles (semantics/*), the finite differences (grad/*), the
// storage checks, and the PyTorch goldens (goldens.test.ts).
describe('conformance: reference backend', () => {
  for (const c of conformanceSuite({ backend: new ReferenceBackend() })) {
    it.skipIf(c.skipReason !== undefined)(c.name, c.run);
  }
});

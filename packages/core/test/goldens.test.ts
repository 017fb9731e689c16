import { readFileSync } from 'node:fs';
import { getBackend, memory } from '@gradsight/core';
import { type GoldenFixture, goldenOps, runGoldenCase } from '@gradsight/core/conformance';
import { describe, expect, it } from 'vitest';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/ops.json', import.meta.url), 'utf8'),
) as GoldenFixture;

describe('PyTorch goldens (scripts/goldens/core_ops.py) on the reference backend', () => {
  it('the fixture has the expected cases and every op is mapped', () => {
    expect(fixture.generator).toBe('scripts/goldens/core_ops.py');
    expect(fixture.cases.length).toBe(386);
    const unmapped = [...new Set(fixture.cases.map((c) => c.op))].filter((op) => !(op in goldenOps));
    expect(unmapped).toEqual([]);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      expect(getBackend().name).toBe('reference');
      const before = memory();
      runGoldenCase(c);
      const after = memory();
      // the harness cleans up after itself, so a backend's goldens do not fill its memory
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numDataIds).toBe(before.numDataIds);
    });
  }
});

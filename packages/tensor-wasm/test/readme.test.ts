/**
 * The README's compatibility table is core's `compatibilityTable` of this backend's skip list.
 * `UPDATE_README=1 vitest run test/readme.test.ts` rewrites it. The comparison ignores the case
 * counts, so new conformance cases in core do not fail this package until one is skipped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compatibilityTable, type GoldenFixture } from '@gradsight/core/conformance';
import { expect, it } from 'vitest';
import { WASM_SKIP } from '../src/compatibility.js';

const readme = new URL('../README.md', import.meta.url);
const START = '<!-- compatibility:start -->\n';
const END = '<!-- compatibility:end -->';

function withoutCounts(table: string): string[] {
  return table
    .trim()
    .split('\n')
    .map((row) =>
      row
        .split('|')
        .filter((_, i) => i !== 3)
        .join('|'),
    );
}

it('README compatibility table matches the skip list', () => {
  const goldens = JSON.parse(
    readFileSync(new URL('../../core/test/fixtures/ops.json', import.meta.url), 'utf8'),
  ) as GoldenFixture;
  const table = compatibilityTable(WASM_SKIP, { goldens });
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  expect(from, 'README.md lacks the compatibility markers').toBeGreaterThanOrEqual(0);
  if (process.env.UPDATE_README === '1') {
    writeFileSync(readme, `${text.slice(0, from + START.length)}${table}${text.slice(to)}`);
    return;
  }
  expect(withoutCounts(text.slice(from + START.length, to))).toEqual(withoutCounts(table));
});

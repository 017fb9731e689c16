/**
 * The README's compatibility table is core's `compatibilityTable` of this backend's skip list.
 * `UPDATE_README=1 vitest run test/readme.test.ts` rewrites it. The comparison ignores the case
 * counts and the column padding, so new conformance cases in core (or a markdown formatter) do
 * not fail this package; a change to the skip list does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compatibilityTable, type GoldenFixture } from '@gradsight/core/conformance';
import { expect, it } from 'vitest';
import { WASM_SKIP } from '../src/compatibility.js';

const readme = new URL('../README.md', import.meta.url);
const START = '<!-- compatibility:start -->\n';
const END = '<!-- compatibility:end -->';

/** Table rows as trimmed cells without the counts column, so column padding does not matter. */
function withoutCounts(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .filter((row) => row.startsWith('|') && !/^\|[\s|:-]+\|$/.test(row))
    .map((row) =>
      row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim())
        .filter((_, i) => i !== 2),
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

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README example', () => {
  it('is the file examples/train-sine.mjs, verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../examples/train-sine.mjs', import.meta.url), 'utf8');
    expect(readme).toContain(example.trim());
  });

  it('trains: the loss falls by more than 20x', async () => {
    // @ts-expect-error plain JS example without type declarations
    const { losses } = (await import('../examples/train-sine.mjs')) as { losses: number[] };
    expect(losses).toHaveLength(300);
    expect(losses[299]!).toBeLessThan(losses[0]! / 20);
  });
});

import { describe, expect, it } from 'vitest';
import { parseArgs } from './cli-args.js';

describe('parseArgs', () => {
  it('defaults to the full run, writing results', () => {
    expect(parseArgs([])).toEqual({ quick: false, write: true, help: false });
  });
  it('reads --quick, --no-write and both forms of --filter', () => {
    const a = parseArgs(['--quick', '--no-write', '--filter', 'matmul-512']);
    expect(a).toMatchObject({ quick: true, write: false });
    expect(a.filter?.test('MATMUL-512-nn')).toBe(true);
    expect(parseArgs(['--filter=cnn']).filter?.source).toBe('cnn');
  });
  it('ignores the -- separator a package manager may forward', () => {
    expect(parseArgs(['--', '--quick']).quick).toBe(true);
  });
  it('rejects unknown arguments and a bare --filter, printing the usage', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument '--fast'[\s\S]*usage: pnpm bench/);
    expect(() => parseArgs(['--filter'])).toThrow(/needs a regular expression/);
  });
});

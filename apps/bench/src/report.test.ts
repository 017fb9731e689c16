import { describe, expect, it } from 'vitest';
import type { BenchCase } from './cases.js';
import { type BenchRun, renderReport, wasmStatusOf } from './report.js';
import { summarise, timingCell } from './results.js';
import { evaluateTargets } from './targets.js';

const sum: BenchCase = {
  id: 'sum-1M',
  title: 'sum 1M floats',
  spec: { kind: 'sum', size: 1 << 20 },
  unit: 'GB/s',
  work: 4 << 20,
  quick: true,
};

function run(): BenchRun {
  const cases = [
    summarise(
      sum,
      {
        'gs-wasm-simd': { status: 'not built', note: 'no package' },
        'gs-ref': timingCell(sum, [2], 1),
        'tfjs-cpu': { status: 'skipped (slow)', note: 'one run took 9000 ms' },
      },
      {},
    ),
  ];
  return {
    mode: 'quick',
    machine: {
      cpuModel: 'Test CPU',
      logicalCores: 2,
      memoryGiB: 24,
      platform: 'linux x64',
      node: 'v20.0.0',
      v8: '11',
      execArgv: ['--experimental-wasm-relaxed-simd'],
      date: '2026-01-01T00:00:00.000Z',
      loadAverageStart: 0.5,
      loadAverageEnd: 0.7,
    },
    method: {
      warmupMs: 300,
      minRuns: 10,
      minTimedMs: 0,
      maxRuns: 10,
      budgets: { reference: 20_000, peer: 90_000 },
    },
    engines: [{ id: 'gs-wasm-simd', label: 'gs-wasm simd', status: 'not built', detail: 'no package' }],
    cases,
    targets: evaluateTargets(cases),
    totalSeconds: 12,
  };
}

describe('renderReport', () => {
  it('has the machine line, the table, the engines, the cells without a number and the targets', () => {
    const md = renderReport(run());
    expect(md).toContain('# gradsight bench (quick)');
    expect(md).toContain('Test CPU · 2 logical cores');
    expect(md).toMatch(/\| sum 1M floats +\| GB\/s +\|/);
    expect(md).toContain('- **gs-wasm simd**: not built. no package');
    expect(md).toContain('- sum 1M floats, tfjs-cpu: skipped (slow) — one run took 9000 ms');
    expect(md).not.toContain('sum 1M floats, gs-wasm simd');
    expect(md).toContain('| relu/add on 1M floats ≥ 20 GB/s');
  });
  it('names the missing wasm build in the ratio column when none ran', () => {
    expect(wasmStatusOf(run().engines)).toBe('not built');
    expect(wasmStatusOf([{ id: 'gs-wasm-simd', label: '', status: 'ready', detail: '' }])).toBeNull();
  });
});

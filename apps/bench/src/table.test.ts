import { describe, expect, it } from 'vitest';
import type { BenchCase } from './cases.js';
import { summarise, timingCell } from './results.js';
import { cellText, overheadText, renderMarkdownTable, renderResults } from './table.js';

describe('renderMarkdownTable', () => {
  it('pads columns, right-aligns where asked and escapes pipes', () => {
    const text = renderMarkdownTable(
      ['case', 'value'],
      [
        ['a|b', '1.5'],
        ['long case', '12'],
      ],
      ['left', 'right'],
    );
    expect(text.split('\n')).toEqual([
      '| case      | value |',
      '| --------- | ----: |',
      '| a\\|b      |   1.5 |',
      '| long case |    12 |',
    ]);
  });
  it('pads by characters, not UTF-16 units, and fills missing cells', () => {
    const text = renderMarkdownTable(['x', 'y'], [['Aᵀ·B']]);
    expect(text.split('\n')[2]).toBe('| Aᵀ·B |     |');
  });
});

const mm: BenchCase = {
  id: 'matmul-512-nn',
  title: 'matmul 512 A·B',
  spec: { kind: 'matmul', m: 512, k: 512, n: 512, transposeA: false, transposeB: false },
  unit: 'GFLOP/s',
  work: 2 * 512 ** 3,
  quick: true,
};

describe('renderResults', () => {
  it('shows values, statuses, ratios to each peer and the agreement column', () => {
    const cells = {
      'gs-wasm-simd': timingCell(mm, [10, 11, 9], 5),
      'gs-wasm-scalar': timingCell(mm, [40], 2),
      'gs-wasm-relaxed': { status: 'unsupported' as const },
      'gs-ref': { status: 'skipped (slow)' as const },
      'tfjs-wasm': timingCell(mm, [16], 2),
      'tfjs-cpu': timingCell(mm, [400], 1),
    };
    const ref = Float32Array.of(1, 2, 4);
    const r = summarise(mm, cells, { 'tfjs-cpu': ref, 'gs-wasm-simd': Float32Array.of(1, 2, 4.0004) });
    const lines = renderResults([r]).split('\n');
    const header = lines[0]!.split('|').map((s) => s.trim());
    expect(header.slice(1, -1)).toEqual([
      'case',
      'unit',
      'gs-wasm simd',
      'gs-wasm scalar',
      'gs-wasm relaxed',
      'gs-ref JS',
      'tfjs-wasm',
      'tfjs-cpu',
      'gs-wasm (best build) vs peers',
      'max rel diff',
    ]);
    const row = lines[2]!.split('|').map((s) => s.trim());
    // 2·512³ FLOP in 10 ms = 26.8 GFLOP/s
    expect(row.slice(1, 9)).toEqual([
      'matmul 512 A·B',
      'GFLOP/s',
      '26.8',
      '6.71',
      'unsupported',
      'skipped (slow)',
      '16.8',
      '0.671',
    ]);
    expect(row[9]).toBe('1.6× tfjs-wasm, 40× tfjs-cpu');
    expect(row[10]).toBe('1e-4 (vs tfjs-cpu)');
  });
  it('says why there is no ratio when no wasm build ran', () => {
    const r = summarise(
      mm,
      { 'gs-wasm-simd': { status: 'not built' }, 'tfjs-cpu': timingCell(mm, [400], 1) },
      {},
    );
    const row = renderResults([r], ['gs-wasm-simd', 'tfjs-cpu'], 'not built')
      .split('\n')[2]!
      .split('|')
      .map((s) => s.trim());
    expect(row.slice(3)).toEqual(['not built', '0.671', 'gs-wasm not built', '–', '']);
  });
});

describe('cellText', () => {
  it('marks a cell whose wall time is well above its CPU time (another process took the core)', () => {
    expect(cellText(timingCell(mm, [10, 10, 10], 1, [9, 9, 9]))).toBe('26.8');
    expect(cellText(timingCell(mm, [10, 10, 10], 1, [5, 5, 5]))).toBe('26.8*');
    expect(cellText({ status: 'skipped (slow)' })).toBe('skipped (slow)');
  });
});

describe('overheadText', () => {
  it('prints signed percentages in column order, naming the plain step once', () => {
    expect(overheadText({ 'gs-wasm-scalar': 12.34, 'gs-wasm-simd': 7.9 })).toBe(
      '+7.9% vs plain step (gs-wasm simd), +12.3% (gs-wasm scalar)',
    );
    expect(overheadText({ 'gs-wasm-simd': -0.4 }, { 'gs-wasm-simd': 2 })).toBe(
      '-0.4% vs plain step (gs-wasm simd; CPU +2.0%)',
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { BenchCase } from './cases.js';
import {
  type CaseResult,
  compareFusedAdam,
  compareMonitorOverhead,
  summarise,
  timingCell,
  valueOf,
} from './results.js';
import { evaluateTargets } from './targets.js';

const stepCase: BenchCase = {
  id: 'mlp-step',
  title: 'MLP step',
  spec: { kind: 'mlpStep', layers: [4, 2], batch: 2 },
  unit: 'ms',
  quick: true,
};

describe('valueOf', () => {
  it('turns a time into GFLOP/s or GB/s, and leaves ms alone', () => {
    expect(valueOf('GFLOP/s', 2e9, 1000)).toBe(2);
    expect(valueOf('GB/s', 12e6, 1)).toBe(12);
    expect(valueOf('ms', undefined, 3.5)).toBe(3.5);
    expect(() => valueOf('GB/s', undefined, 1)).toThrow(/work count/);
  });
});

describe('summarise', () => {
  it('picks the fastest wasm build and divides each peer time by it', () => {
    const r = summarise(
      stepCase,
      {
        'gs-wasm-simd': timingCell(stepCase, [10], 1),
        'gs-wasm-relaxed': timingCell(stepCase, [8], 1),
        'tfjs-wasm': timingCell(stepCase, [40], 1),
        'gs-ref': { status: 'skipped (slow)' },
      },
      {},
    );
    expect(r.bestWasm).toBe('gs-wasm-relaxed');
    expect(r.ratios).toEqual({ 'tfjs-wasm': 5 });
  });
  it('compares every check output with the first engine of the check order and names the worst', () => {
    const cells = {
      'gs-ref': { status: 'ok' as const },
      'tfjs-cpu': { status: 'ok' as const },
      'gs-wasm-simd': { status: 'ok' as const },
    };
    const r = summarise(stepCase, cells, {
      'gs-wasm-simd': Float32Array.of(1, 2.5),
      'tfjs-cpu': Float32Array.of(1, 2),
      'gs-ref': Float32Array.of(1, 2),
    });
    expect(r.checkReference).toBe('gs-ref');
    expect(r.worstEngine).toBe('gs-wasm-simd');
    expect(r.maxRelDiff).toBeCloseTo(0.25, 7);
    expect(cells['tfjs-cpu']).toMatchObject({ maxRelDiff: 0 });
  });
});

function fake(id: string, ms: Record<string, number>, ratios: CaseResult['ratios'] = {}): CaseResult {
  const cells: CaseResult['cells'] = {};
  for (const [k, v] of Object.entries(ms))
    cells[k as 'gs-wasm-simd'] = { status: 'ok', medianMs: v, value: v };
  return { id, title: id, unit: 'ms', cells, ratios, bestWasm: 'gs-wasm-simd' };
}

describe('evaluateTargets', () => {
  it('judges each measured target and marks the rest as not measured', () => {
    const results = [
      fake('matmul-256-nn', { 'gs-wasm-simd': 1 }, { 'tfjs-wasm': 1.5 }),
      fake('matmul-512-nn', { 'gs-wasm-simd': 8 }, { 'tfjs-wasm': 1.3 }),
      fake('matmul-512-tn', { 'gs-wasm-simd': 9 }),
      fake('matmul-512-tt', { 'gs-wasm-simd': 8.4 }),
      fake('mlp-step', { 'gs-wasm-simd': 10, 'tfjs-wasm': 41 }, { 'tfjs-wasm': 4.1 }),
    ];
    const t = evaluateTargets(results);
    expect(t[0]).toEqual({
      target: expect.stringContaining('1.4×'),
      measured: 'min 1.3× (N=512)',
      met: false,
      contended: false,
    });
    expect(t[1]).toMatchObject({ measured: 'worst +13% (N=512 tn, gs-wasm simd)', met: true });
    expect(t[2]).toMatchObject({ measured: 'not measured', met: null });
    expect(t[3]).toMatchObject({ measured: '10.0 ms vs 41.0 ms (4.1×)', met: true });
    expect(t[4]!.met).toBeNull();
  });
  it('flags a target whose cells shared their core with another process', () => {
    const step = fake('mlp-step', { 'gs-wasm-simd': 10, 'tfjs-wasm': 41 }, { 'tfjs-wasm': 4.1 });
    step.cells['tfjs-wasm']!.cpuMedianMs = 20;
    expect(evaluateTargets([step])[3]).toMatchObject({ met: true, contended: true });
  });
});

describe('compareFusedAdam', () => {
  it('compares the fused row with the same build composed and with each peer Adam', () => {
    const fused = fake('adam-fused', { 'gs-wasm-simd': 0.5 });
    const composed = fake('adam-composed', { 'gs-wasm-simd': 2, 'tfjs-wasm': 3, 'tfjs-cpu': 100 });
    compareFusedAdam([fused, composed]);
    expect(fused.fusedSpeedup).toBe(4);
    expect(fused.ratios).toEqual({ 'tfjs-wasm': 6, 'tfjs-cpu': 200 });
  });
});

describe('compareMonitorOverhead', () => {
  it('gives each monitored row its overhead over the plain MLP step, per engine that timed both', () => {
    const monitored = { ...stepCase, id: 'mlp-step-monitor-norms', title: 'monitored' };
    const plain = summarise(
      stepCase,
      { 'gs-wasm-simd': timingCell(stepCase, [4], 1, [5]), 'gs-ref': { status: 'check only' } },
      {},
    );
    const rows = [
      plain,
      summarise(
        monitored,
        { 'gs-wasm-simd': timingCell(monitored, [4.3], 1, [5.5]), 'gs-ref': { status: 'check only' } },
        {},
      ),
      summarise({ ...monitored, id: 'other' }, { 'gs-wasm-simd': timingCell(monitored, [8], 1) }, {}),
    ];
    compareMonitorOverhead(rows);
    expect(rows[1]!.overheadPct!['gs-wasm-simd']).toBeCloseTo(7.5, 10);
    expect(Object.keys(rows[1]!.overheadPct!)).toEqual(['gs-wasm-simd']);
    expect(rows[1]!.overheadCpuPct!['gs-wasm-simd']).toBeCloseTo(10, 10);
    expect(rows[2]!.overheadPct).toBeUndefined();
    expect(plain.overheadPct).toBeUndefined();
  });
  it('prefers the baseline timed alternately with the monitored cell over the plain row', () => {
    const monitored = { ...stepCase, id: 'mlp-step-monitor-hist10', title: 'monitored' };
    const cell = { ...timingCell(monitored, [4.4], 1, [4.4]), baselineMedianMs: 4, baselineCpuMedianMs: 4 };
    const plain = summarise(stepCase, { 'gs-wasm-simd': timingCell(stepCase, [2], 1, [2]) }, {});
    const row = summarise(monitored, { 'gs-wasm-simd': cell }, {});
    compareMonitorOverhead([plain, row]);
    expect(row.overheadPct!['gs-wasm-simd']).toBeCloseTo(10, 10);
    expect(row.overheadCpuPct!['gs-wasm-simd']).toBeCloseTo(10, 10);
  });
});

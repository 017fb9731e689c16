import { type Tensor, tensor } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { DownsampledHistory, watch } from './index.js';

const rec = (step: number) => ({ step, bytes: 16 });

describe('DownsampledHistory', () => {
  it('keeps the newest records at full resolution and older ones every 2^k-th', () => {
    const h = new DownsampledHistory<{ step: number; bytes: number }>(16);
    for (let i = 0; i < 1000; i++) h.push(rec(i));
    const steps = h.values().map((r) => r.step);
    expect(steps.length).toBeLessThanOrEqual(16);
    expect(steps.slice(-8)).toEqual([992, 993, 994, 995, 996, 997, 998, 999]);
    // a strided prefix (every stride-th record) and a contiguous, full-resolution suffix
    let k = steps.length - 1;
    while (k > 0 && steps[k - 1] === steps[k]! - 1) k--;
    expect(steps.length - k).toBeGreaterThanOrEqual(8);
    const old = steps.slice(0, k);
    expect(old[0]).toBe(0);
    for (const s of old) expect(s % h.stride).toBe(0);
    expect(Math.log2(h.stride) % 1).toBe(0);
    expect(h.stride).toBeGreaterThanOrEqual(128);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(h.pushed).toBe(1000);
  });

  it('rejects a capacity that cannot hold a recent and an old part', () => {
    expect(() => new DownsampledHistory(3)).toThrow(RangeError);
  });
});

describe('bounded memory of a long run', () => {
  it('100 000 recorded steps keep the retained records and bytes flat', () => {
    const w = tensor(new Float32Array(64).fill(0.5), [8, 8]).requiresGrad_();
    const b = tensor(new Float32Array(8).fill(0.1)).requiresGrad_();
    w.grad = tensor(new Float32Array(64).fill(1e-3), [8, 8]);
    b.grad = tensor(new Float32Array(8).fill(1e-3));
    const model = {
      namedParameters: () =>
        [
          ['fc.weight', w],
          ['fc.bias', b],
        ] as [string, Tensor][],
    };
    const m = watch(model, {
      historyCapacity: 256,
      histograms: true,
      histogramEvery: 100,
      histogramCapacity: 16,
      diagnoseEvery: 0,
    });
    const bytes: number[] = [];
    let maxRecords = 0;
    let maxHist = 0;
    for (let s = 1; s <= 100_000; s++) {
      m.step(1 / s);
      if (s % 500 === 0) {
        const mem = m.memory();
        bytes.push(mem.bytes);
        maxRecords = Math.max(maxRecords, mem.records);
        maxHist = Math.max(maxHist, mem.histogramRecords);
      }
    }
    expect(m.recordedSteps).toBe(100_000);
    expect(maxRecords).toBeLessThanOrEqual(256);
    expect(maxHist).toBeLessThanOrEqual(16);
    // flat: the second half of the run never holds more than the first half did
    const firstHalf = Math.max(...bytes.slice(0, 100));
    const secondHalf = Math.max(...bytes.slice(100));
    expect(secondHalf).toBeLessThanOrEqual(firstHalf);
    const record = m.history.last(1)[0]!.bytes;
    const hist = m.histograms.last(1)[0]!.bytes;
    expect(secondHalf).toBeLessThanOrEqual(256 * record + 16 * hist);
    // the whole run is still visible: the first and the last step are retained
    const steps = m.history.values().map((r) => r.step);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(99_999);
  });
});

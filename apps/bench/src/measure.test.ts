import { describe, expect, it } from 'vitest';
import { measure, measurePair } from './measure.js';

/** A clock that advances only when the measured function runs, so no real time is involved. */
function fakeClock(costs: () => number) {
  let t = 0;
  return {
    now: () => t,
    run: () => {
      t += costs();
    },
  };
}

describe('measure', () => {
  it('warms up for at least warmupMs before keeping any sample', () => {
    const c = fakeClock(() => 40);
    const m = measure(c.run, { warmupMs: 300, minRuns: 10, minTimedMs: 0, maxRuns: 100 }, 0, c.now, c.now);
    expect(m.warmupRuns).toBe(8);
    expect(m.cpuSamples).toEqual(m.samples); // 8 × 40 ms ≥ 300 ms
    expect(m.samples).toHaveLength(10);
    expect(m.samples.every((s) => s === 40)).toBe(true);
  });
  it('always warms up with at least one run, even for a slow case', () => {
    const c = fakeClock(() => 5000);
    expect(
      measure(c.run, { warmupMs: 300, minRuns: 10, minTimedMs: 0, maxRuns: 100 }, 0, c.now).warmupRuns,
    ).toBe(1);
  });
  it('counts a run that just happened (the agreement check) toward the warm-up', () => {
    const c = fakeClock(() => 100);
    const opts = { warmupMs: 300, minRuns: 10, minTimedMs: 0, maxRuns: 100 };
    expect(measure(c.run, opts, 100, c.now).warmupRuns).toBe(2);
    expect(measure(c.run, opts, 5000, c.now).warmupRuns).toBe(0);
  });
  it('keeps sampling a fast case up to minTimedMs, capped by maxRuns', () => {
    const c = fakeClock(() => 1);
    expect(
      measure(c.run, { warmupMs: 0, minRuns: 10, minTimedMs: 50, maxRuns: 1000 }, 0, c.now).samples,
    ).toHaveLength(50);
    expect(
      measure(c.run, { warmupMs: 0, minRuns: 10, minTimedMs: 50, maxRuns: 20 }, 0, c.now).samples,
    ).toHaveLength(20);
  });
});

describe('measurePair', () => {
  it('warms both runs up, then samples them alternately, one sample each per round', () => {
    let t = 0;
    const order: string[] = [];
    const a = () => {
      t += 2;
      order.push('a');
    };
    const b = () => {
      t += 3;
      order.push('b');
    };
    const [ma, mb] = measurePair(
      [a, b],
      { warmupMs: 10, minRuns: 4, minTimedMs: 0, maxRuns: 100 },
      () => t,
      () => t,
    );
    expect(ma.warmupRuns).toBe(2); // 2 rounds of 5 ms reach 10 ms
    expect(mb.warmupRuns).toBe(2);
    expect(ma.samples).toEqual([2, 2, 2, 2]);
    expect(mb.samples).toEqual([3, 3, 3, 3]);
    expect(order.join('')).toBe('ab'.repeat(6));
  });
});

import { describe, expect, it } from 'vitest';
import { measure } from './measure.js';

/** A clock that advances only when the measured function runs, so no real time is involved. */
function fakeClock(costs: () => number) {
  let t = 0;
  return { now: () => t, run: () => void (t += costs()) };
}

describe('measure', () => {
  it('warms up for at least warmupMs before keeping any sample', () => {
    const c = fakeClock(() => 40);
    const m = measure(c.run, { warmupMs: 300, minRuns: 10, minTimedMs: 0, maxRuns: 100 }, c.now);
    expect(m.warmupRuns).toBe(8); // 8 × 40 ms ≥ 300 ms
    expect(m.samples).toHaveLength(10);
    expect(m.samples.every((s) => s === 40)).toBe(true);
  });
  it('always warms up with at least one run, even for a slow case', () => {
    const c = fakeClock(() => 5000);
    expect(measure(c.run, { warmupMs: 300, minRuns: 10, minTimedMs: 0, maxRuns: 100 }, c.now).warmupRuns).toBe(1);
  });
  it('keeps sampling a fast case up to minTimedMs, capped by maxRuns', () => {
    const c = fakeClock(() => 1);
    expect(measure(c.run, { warmupMs: 0, minRuns: 10, minTimedMs: 50, maxRuns: 1000 }, c.now).samples).toHaveLength(50);
    expect(measure(c.run, { warmupMs: 0, minRuns: 10, minTimedMs: 50, maxRuns: 20 }, c.now).samples).toHaveLength(20);
  });
});

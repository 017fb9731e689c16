/**
 * Warm-up then timing. V8 first compiles wasm with its baseline tier and swaps in optimised
 * code later, and JS kernels tier up too, so every case runs for at least `warmupMs` before
 * any sample is kept. Each sample is one run; the median is what gets reported.
 */
export interface MeasureOptions {
  warmupMs: number;
  minRuns: number;
  /** Keep sampling fast cases until this much time has been spent timing (cheap noise cut). */
  minTimedMs: number;
  maxRuns: number;
}

export interface Measurement {
  samples: number[];
  warmupRuns: number;
}

export function measure(run: () => void, opts: MeasureOptions, now: () => number = () => performance.now()): Measurement {
  let warmupRuns = 0;
  const warmStart = now();
  do {
    run();
    warmupRuns++;
  } while (now() - warmStart < opts.warmupMs);
  const samples: number[] = [];
  const timedStart = now();
  while (samples.length < opts.minRuns || (samples.length < opts.maxRuns && now() - timedStart < opts.minTimedMs)) {
    const t0 = now();
    run();
    samples.push(now() - t0);
  }
  return { samples, warmupRuns };
}

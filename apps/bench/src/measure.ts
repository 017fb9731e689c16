/**
 * Warm-up then timing. V8 first compiles wasm with its baseline tier and swaps in optimised
 * code later, and JS kernels tier up too, so every case runs for at least `warmupMs` before
 * any sample is kept. Each sample is one run; the median is what gets reported.
 *
 * Each sample also records the process's CPU time. On a shared machine another process can
 * take the core mid-run: the wall time then grows and the CPU time does not, which is how the
 * report tells a slow kernel from a descheduled one.
 */
export interface MeasureOptions {
  warmupMs: number;
  minRuns: number;
  /** Keep sampling fast cases until this much time has been spent timing (cheap noise cut). */
  minTimedMs: number;
  maxRuns: number;
}

export interface Measurement {
  /** Wall-clock milliseconds per run. */
  samples: number[];
  /** CPU milliseconds of this process per run (all its threads, so GC helpers count too). */
  cpuSamples: number[];
  warmupRuns: number;
}

export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * `alreadyRanMs`: time the same work has just run (the agreement check), which counts toward
 * the warm-up; without it at least one warm-up run is made.
 */
export function measure(
  run: () => void,
  opts: MeasureOptions,
  alreadyRanMs = 0,
  now: () => number = () => performance.now(),
  cpuNow: () => number = processCpuMs,
): Measurement {
  let warmupRuns = 0;
  const warmStart = now();
  while (alreadyRanMs + (now() - warmStart) < opts.warmupMs || (warmupRuns === 0 && alreadyRanMs === 0)) {
    run();
    warmupRuns++;
  }
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  const timedStart = now();
  while (
    samples.length < opts.minRuns ||
    (samples.length < opts.maxRuns && now() - timedStart < opts.minTimedMs)
  ) {
    const c0 = cpuNow();
    const t0 = now();
    run();
    samples.push(now() - t0);
    cpuSamples.push(cpuNow() - c0);
  }
  return { samples, cpuSamples, warmupRuns };
}

/**
 * Two runs measured alternately, sample for sample, after both have warmed up: a ratio of
 * their medians (the monitor's overhead over the plain step) then sees the same machine
 * noise on both sides, which one case measured after another does not on a shared machine.
 */
export function measurePair(
  runs: readonly [() => void, () => void],
  opts: MeasureOptions,
  now: () => number = () => performance.now(),
  cpuNow: () => number = processCpuMs,
): [Measurement, Measurement] {
  const out: [Measurement, Measurement] = [
    { samples: [], cpuSamples: [], warmupRuns: 0 },
    { samples: [], cpuSamples: [], warmupRuns: 0 },
  ];
  const warmStart = now();
  while (now() - warmStart < opts.warmupMs || out[1].warmupRuns === 0) {
    for (const [i, run] of runs.entries()) {
      run();
      out[i]!.warmupRuns++;
    }
  }
  const timedStart = now();
  while (
    out[1].samples.length < opts.minRuns ||
    (out[1].samples.length < opts.maxRuns && now() - timedStart < 2 * opts.minTimedMs)
  ) {
    for (const [i, run] of runs.entries()) {
      const c0 = cpuNow();
      const t0 = now();
      run();
      out[i]!.samples.push(now() - t0);
      out[i]!.cpuSamples.push(cpuNow() - c0);
    }
  }
  return out;
}

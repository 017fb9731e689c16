/**
 * Fixed-bin histograms of gradients and weights. Linear bins span ±max|x| of the tensor at that
 * step (symmetric, so 0 is always a bin edge); log bins span fixed decades of |x| so that
 * histograms from different steps and layers line up.
 */

export interface HistogramConfig {
  bins: number;
  scale: 'linear' | 'log';
  /** log10 |x| range of log bins; default [-12, 2]. */
  logRange: readonly [number, number];
}

export interface Histogram {
  scale: 'linear' | 'log';
  /** bins + 1 edges: values for linear bins, log10 |x| for log bins. */
  edges: number[];
  counts: number[];
  /** Exact zeros (log bins only; linear bins count them in the middle bin). */
  zeros: number;
  /** Non-zero values below / above the log range. */
  underflow: number;
  overflow: number;
  nonFinite: number;
}

export function computeHistogram(data: ArrayLike<number>, cfg: HistogramConfig, maxAbs: number): Histogram {
  const { bins } = cfg;
  const counts = new Array<number>(bins).fill(0);
  let zeros = 0;
  let underflow = 0;
  let overflow = 0;
  let nonFinite = 0;
  let edges: number[];
  if (cfg.scale === 'linear') {
    const r = maxAbs > 0 ? maxAbs : 1;
    const w = (2 * r) / bins;
    edges = Array.from({ length: bins + 1 }, (_, i) => -r + i * w);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v - v !== 0) {
        nonFinite++;
        continue;
      }
      let k = Math.floor((v + r) / w);
      if (k >= bins) k = bins - 1;
      else if (k < 0) k = 0;
      counts[k]!++;
    }
  } else {
    const [lo, hi] = cfg.logRange;
    const w = (hi - lo) / bins;
    edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * w);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v - v !== 0) {
        nonFinite++;
        continue;
      }
      if (v === 0) {
        zeros++;
        continue;
      }
      const e = Math.log10(v < 0 ? -v : v);
      if (e < lo) underflow++;
      else if (e >= hi) overflow++;
      else counts[Math.min(bins - 1, Math.floor((e - lo) / w))]!++;
    }
  }
  return { scale: cfg.scale, edges, counts, zeros, underflow, overflow, nonFinite };
}

/** Issue 3's targets, evaluated on a run's results (only where the run measured them). */
import { ENGINE_LABELS } from './engine.js';
import { formatNumber, formatRatio } from './format.js';
import { type CaseResult, isContended } from './results.js';

export interface TargetResult {
  target: string;
  measured: string;
  /** null when the run did not measure it (case not run, engine not built). */
  met: boolean | null;
  /** A cell behind it (best wasm build or tfjs-wasm) shared its core with another process. */
  contended?: boolean;
}

/** Which cases each target reads, in the order of evaluateTargets' output. */
const TARGET_CASES: readonly RegExp[] = [
  /^matmul-(256|512|1024)-nn$/,
  /^matmul-/,
  /^conv2d-/,
  /^mlp-step$/,
  /^cnn-step$/,
  /^(add|relu)-1M$/,
];

const bestValue = (r: CaseResult | undefined) => (r?.bestWasm ? r.cells[r.bestWasm]!.value : undefined);
const bestMs = (r: CaseResult | undefined) => (r?.bestWasm ? r.cells[r.bestWasm]!.medianMs : undefined);

function notMeasured(target: string): TargetResult {
  return { target, measured: 'not measured', met: null };
}

/** The smallest of a set of labelled numbers, or undefined when none was measured. */
function worst<T extends { v: number }>(items: (T | undefined)[], pick: 'min' | 'max'): T | undefined {
  const got = items.filter((x): x is T => x !== undefined);
  if (got.length === 0) return undefined;
  return got.reduce((a, b) => ((pick === 'min' ? b.v < a.v : b.v > a.v) ? b : a));
}

export function evaluateTargets(results: readonly CaseResult[]): TargetResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const out: TargetResult[] = [];

  const t1 = 'matmul ≥ 1.4× tfjs-wasm at N ≥ 256 (A·B)';
  const mm = worst(
    [256, 512, 1024].map((n) => {
      const v = byId.get(`matmul-${n}-nn`)?.ratios['tfjs-wasm'];
      return v === undefined ? undefined : { v, n };
    }),
    'min',
  );
  out.push(
    mm ? { target: t1, measured: `min ${formatRatio(mm.v)} (N=${mm.n})`, met: mm.v >= 1.4 } : notMeasured(t1),
  );

  const t2 = 'transposed matmuls within 15% of the plain one';
  const tr = worst(
    [128, 256, 512, 1024].flatMap((n) => {
      // Same build on both sides (the one fastest on A·B), so that build differences and
      // noise between builds do not pass for a transpose penalty.
      const plainCase = byId.get(`matmul-${n}-nn`);
      const build = plainCase?.bestWasm;
      if (!build) return [];
      const plain = plainCase.cells[build]!.medianMs!;
      return ['nt', 'tn', 'tt'].map((f) => {
        const ms = byId.get(`matmul-${n}-${f}`)?.cells[build]?.medianMs;
        return ms === undefined
          ? undefined
          : { v: ms / plain - 1, label: `N=${n} ${f}, ${ENGINE_LABELS[build]}` };
      });
    }),
    'max',
  );
  out.push(
    tr
      ? {
          target: t2,
          measured: `worst ${tr.v >= 0 ? '+' : ''}${(tr.v * 100).toFixed(0)}% (${tr.label})`,
          met: tr.v <= 0.15,
        }
      : notMeasured(t2),
  );

  const t3 = 'conv2d forward ≥ 1.3× tfjs-wasm';
  const conv = worst(
    results
      .filter((r) => r.id.startsWith('conv2d-'))
      .map((r) =>
        r.ratios['tfjs-wasm'] === undefined ? undefined : { v: r.ratios['tfjs-wasm'], title: r.title },
      ),
    'min',
  );
  out.push(
    conv
      ? { target: t3, measured: `min ${formatRatio(conv.v)} (${conv.title})`, met: conv.v >= 1.3 }
      : notMeasured(t3),
  );

  const t4 = "MLP training step ≤ 1/4 of tfjs-wasm's time";
  const mlp = byId.get('mlp-step');
  const mlpRatio = mlp?.ratios['tfjs-wasm'];
  out.push(
    mlpRatio !== undefined
      ? {
          target: t4,
          measured: `${formatNumber(bestMs(mlp)!)} ms vs ${formatNumber(mlp!.cells['tfjs-wasm']!.medianMs!)} ms (${formatRatio(mlpRatio)})`,
          met: mlpRatio >= 4,
        }
      : notMeasured(t4),
  );

  const t5 = 'CNN training step ≤ 25 ms';
  const cnn = byId.get('cnn-step');
  const cnnMs = bestMs(cnn);
  out.push(
    cnnMs !== undefined
      ? {
          target: t5,
          measured: `${formatNumber(cnnMs)} ms (${ENGINE_LABELS[cnn!.bestWasm!]})`,
          met: cnnMs <= 25,
        }
      : notMeasured(t5),
  );

  const t6 = 'relu/add on 1M floats ≥ 20 GB/s';
  const ew = worst(
    ['add-1M', 'relu-1M'].map((id) => {
      const v = bestValue(byId.get(id));
      return v === undefined ? undefined : { v, id };
    }),
    'min',
  );
  out.push(
    ew
      ? {
          target: t6,
          measured: `min ${formatNumber(ew.v)} GB/s (${ew.id.replace('-1M', '')})`,
          met: ew.v >= 20,
        }
      : notMeasured(t6),
  );

  for (const [i, t] of out.entries()) {
    if (t.met === null) continue;
    const cases = results.filter((r) => TARGET_CASES[i]!.test(r.id));
    t.contended = cases.some((r) =>
      [r.bestWasm, 'tfjs-wasm' as const].some(
        (id) => id !== undefined && r.cells[id] !== undefined && isContended(r.cells[id]),
      ),
    );
  }
  return out;
}

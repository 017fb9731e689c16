/**
 * Overhead of recording on the MLP training step of `pnpm bench` (784-256-256-256-10, ReLU,
 * batch 64, softmax cross-entropy, Adam). Prints the median step time without the monitor and
 * with it in several configurations, measured interleaved in one run so that machine noise
 * hits every variant alike.
 *
 *   pnpm --filter @gradsight/gradient-monitor bench:overhead                      # reference backend
 *   BACKEND=wasm ONLY=1 pnpm --filter @gradsight/gradient-monitor bench:overhead  # one variant vs baseline
 *
 * ONLY=k runs variant k and the baseline in a process of their own (recommended: in one
 * process, the garbage the monitored variants produce is collected during any variant's turn).
 */
import {
  adamUpdate,
  randint,
  randn,
  setBackend,
  softmaxCrossEntropy,
  type Tensor,
  tidy,
  zerosLike,
} from '@gradsight/core';
import { type WatchOptions, watch } from '@gradsight/gradient-monitor';
import { Linear, type Module, ReLU, Sequential } from '@gradsight/layers';

// BACKEND=wasm measures on @gradsight/tensor-wasm (a dev-only import of this script).
if (process.env.BACKEND === 'wasm') {
  const { createWasmBackend } = await import('@gradsight/tensor-wasm');
  setBackend(await createWasmBackend());
}

const sizes = [784, 256, 256, 256, 10];
function model(): Sequential {
  const mods: Module[] = [];
  for (let i = 0; i < sizes.length - 1; i++) {
    mods.push(new Linear(sizes[i]!, sizes[i + 1]!, { seed: i + 1 }));
    if (i < sizes.length - 2) mods.push(new ReLU());
  }
  return new Sequential(...mods);
}

class Adam {
  private m: Tensor[];
  private v: Tensor[];
  private t = 0;
  constructor(private params: Tensor[]) {
    this.m = params.map((p) => zerosLike(p));
    this.v = params.map((p) => zerosLike(p));
  }
  step(): void {
    this.t++;
    this.params.forEach((p, i) => {
      if (!p.grad) return;
      adamUpdate(p, p.grad, this.m[i]!, this.v[i]!, null, {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weightDecay: 0,
        decoupled: false,
        step: this.t,
      });
    });
  }
}

const x = randn([64, 784], { seed: 1 });
const y = randint(0, 10, [64], { seed: 2 });

interface Variant {
  name: string;
  options: WatchOptions | null;
}
const quiet: WatchOptions = { activations: false, nonFinite: { forward: 'none', backwardHooks: false } };
const variants: Variant[] = [
  { name: 'no monitor', options: null },
  { name: 'grad norms only (no update ratio, no hooks)', options: { ...quiet, updateRatio: false } },
  { name: 'grad norms + update ratio (no hooks)', options: quiet },
  { name: 'defaults (norms, update ratio, activations, NaN checks)', options: {} },
  { name: 'defaults + histograms every 10 steps', options: { histograms: true, histogramEvery: 10 } },
  { name: 'defaults, every 10 steps', options: { every: 10 } },
  {
    name: "grad norms only, statsOn 'js' (exact float64)",
    options: { ...quiet, updateRatio: false, statsOn: 'js' },
  },
];

function makeRunner(v: Variant): () => void {
  const net = model();
  const params = net.parameters();
  const monitor = v.options ? watch(net, v.options) : null;
  const adam = new Adam(params);
  const opt = monitor ? monitor.wrapOptimizer(adam) : adam;
  return () =>
    tidy(() => {
      for (const p of params) {
        p.grad?.dispose();
        p.grad = null;
      }
      const loss = softmaxCrossEntropy(net.call(x), y).mean();
      loss.backward();
      monitor?.afterBackward(loss);
      opt.step();
    });
}

// ONLY=<index> measures one variant against the baseline
const only = process.env.ONLY
  ? variants.filter((_, i) => String(i) === process.env.ONLY || i === 0)
  : variants;
const runners = only.map(makeRunner);
// CPU time of this process (user + system) as well as wall time: on a shared machine the
// wall clock also counts time spent waiting for a core.
const wall: number[][] = only.map(() => []);
const cpu: number[][] = only.map(() => []);
const rounds = Number(process.env.ROUNDS ?? 30);
for (const r of runners) for (let i = 0; i < 3; i++) r();
for (let round = 0; round < rounds; round++) {
  runners.forEach((r, i) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let k = 0; k < 10; k++) r();
    const c = process.cpuUsage(c0);
    wall[i]!.push((performance.now() - t0) / 10);
    cpu[i]!.push((c.user + c.system) / 1000 / 10);
  });
}
const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1]!;
const [w0, c0] = [median(wall[0]!), median(cpu[0]!)];
const pct = (v: number, b: number) => `${((v / b - 1) * 100).toFixed(1).padStart(6)}%`;
console.log(
  `backend ${process.env.BACKEND ?? 'reference'}, ${rounds} rounds × 10 steps per variant; median ms/step (wall, CPU)`,
);
for (const [i, v] of only.entries()) {
  const [w, c] = [median(wall[i]!), median(cpu[i]!)];
  const over = i === 0 ? '' : `${pct(w, w0)} ${pct(c, c0)}`;
  console.log(`${v.name.padEnd(62)} ${w.toFixed(2).padStart(8)} ${c.toFixed(2).padStart(8)}  ${over}`);
}

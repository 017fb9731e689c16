// Kernel speeds of the built package (run `pnpm build` first): matmul GFLOP/s for the four
// transpose combinations, conv2d and its backprops, relu/add GB/s. Single thread; kernels only
// (no read-back). Each case warms up for 300 ms (V8 tiers wasm up late), then reports the median
// and the best of >= 10 timed runs. Usage: node scripts/bench-kernels.mjs [--build simd|scalar|relaxed] [--quick]
import { createWasmBackend } from '../dist/index.js';

const args = process.argv.slice(2);
const build = args.includes('--build') ? args[args.indexOf('--build') + 1] : 'auto';
const quick = args.includes('--quick');
const backend = await createWasmBackend({ build });

function tensor(shape, fill = () => Math.random() - 0.5) {
  const n = shape.reduce((a, d) => a * d, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = fill();
  return { dataId: backend.write(v, 'float32'), shape, dtype: 'float32' };
}

/** Median and best milliseconds per call of `fn` (which returns a TensorInfo to free). */
function time(fn) {
  const once = () => {
    const out = fn();
    for (const o of Array.isArray(out) ? out : [out]) backend.disposeData(o.dataId);
  };
  const warm = performance.now();
  let calls = 0;
  while (performance.now() - warm < (quick ? 100 : 300)) {
    once();
    calls++;
  }
  const perCall = (performance.now() - warm) / calls;
  const reps = Math.max(1, Math.ceil(2 / perCall)); // ≥ 2 ms per sample
  const samples = [];
  for (let s = 0; s < (quick ? 10 : 15); s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) once();
    samples.push((performance.now() - t0) / reps);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1], best: samples[0] };
}

const rows = [];
function report(name, t, work, unit) {
  const rate = (ms) => (work / (ms * 1e6)).toFixed(1);
  rows.push(`| ${name} | ${t.median.toFixed(3)} | ${rate(t.median)} | ${rate(t.best)} | ${unit} |`);
}

for (const n of quick ? [256, 512] : [256, 512, 1024]) {
  const a = tensor([n, n]);
  const b = tensor([n, n]);
  for (const [tA, tB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    const t = time(() => backend.matmul(a, b, tA, tB));
    report(`matmul ${n} ${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}`, t, 2 * n * n * n, 'GFLOP/s');
  }
  backend.disposeData(a.dataId);
  backend.disposeData(b.dataId);
}
{
  const a = tensor([64, 784]);
  const w = tensor([784, 256]);
  report(
    'dense 64x784 @ 784x256',
    time(() => backend.matmul(a, w, false, false)),
    2 * 64 * 784 * 256,
    'GFLOP/s',
  );
}

const convs = [
  {
    name: '[8,32,32,32]x[3,3,32,64] s1 same',
    x: [8, 32, 32, 32],
    f: [3, 3, 32, 64],
    s: 1,
    pads: [1, 1, 1, 1],
  },
  {
    name: '[1,224,224,3]x[3,3,3,32] s2 same',
    x: [1, 224, 224, 3],
    f: [3, 3, 3, 32],
    s: 2,
    pads: [0, 1, 0, 1],
  },
];
for (const c of convs) {
  const attrs = { strides: [c.s, c.s], dilations: [1, 1], pads: c.pads };
  const x = tensor(c.x);
  const f = tensor(c.f);
  const y = backend.conv2d(x, f, attrs);
  const flops = 2 * y.shape[0] * y.shape[1] * y.shape[2] * y.shape[3] * c.f[0] * c.f[1] * c.f[2];
  report(
    `conv2d ${c.name}`,
    time(() => backend.conv2d(x, f, attrs)),
    flops,
    'GFLOP/s',
  );
  report(
    `conv2dBackpropInput ${c.name}`,
    time(() => backend.conv2dBackpropInput(y, f, c.x, attrs)),
    flops,
    'GFLOP/s',
  );
  report(
    `conv2dBackpropFilter ${c.name}`,
    time(() => backend.conv2dBackpropFilter(x, y, c.f, attrs)),
    flops,
    'GFLOP/s',
  );
  for (const t of [x, f, y]) backend.disposeData(t.dataId);
}

{
  const n = 1 << 20;
  const a = tensor([n]);
  const b = tensor([n]);
  report(
    'relu 1M (read+write)',
    time(() => backend.unary('relu', a)),
    8 * n,
    'GB/s',
  );
  report(
    'add 1M (2 reads+write)',
    time(() => backend.binary('add', a, b)),
    12 * n,
    'GB/s',
  );
  report(
    'sigmoid 1M',
    time(() => backend.unary('sigmoid', a)),
    8 * n,
    'GB/s',
  );
  report(
    'sum 1M',
    time(() => backend.reduce('sum', a, [0])),
    4 * n,
    'GB/s',
  );
}

console.log(`\n${backend.name} (Node ${process.version}, single thread)\n`);
console.log('| case | median ms | rate (median) | rate (best) | unit |');
console.log('|---|---|---|---|---|');
console.log(rows.join('\n'));

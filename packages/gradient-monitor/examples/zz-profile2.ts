import * as g from '@gradsight/core';
const { createWasmBackend } = await import('@gradsight/tensor-wasm');
g.setBackend(await createWasmBackend());
const x = g.randn([784, 256], { seed: 1 });
function time(name: string, f: () => void) {
  for (let i = 0; i < 50; i++) f();
  const cs: number[] = [];
  for (let r = 0; r < 15; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 50; i++) f();
    const c = process.cpuUsage(c0);
    cs.push((c.user + c.system) / 1000 / 50);
  }
  cs.sort((a, b) => a - b);
  console.log(name.padEnd(50), cs[cs.length >> 1]!.toFixed(3), 'ms');
}
for (let k = 0; k < 2; k++) {
time('max all', () => g.tidy(() => { g.max(x); }));
time('max axis0 then all', () => g.tidy(() => { g.max(g.max(x, 0)); }));
time('max axis1 then all', () => g.tidy(() => { g.max(g.max(x, 1)); }));
time('max [1568,128] axis0', () => g.tidy(() => { g.max(g.max(x.reshape([1568,128]), 0)); }));
time('sum all', () => g.tidy(() => { g.sum(x); }));
time('sum axis0 then all', () => g.tidy(() => { g.sum(g.sum(x, 0)); }));
time('abs', () => g.tidy(() => { g.abs(x); }));
time('square', () => g.tidy(() => { g.square(x); }));
time('relu', () => g.tidy(() => { g.relu(x); }));
time('maximum(x,-x)', () => g.tidy(() => { g.maximum(x, g.neg(x)); }));
}

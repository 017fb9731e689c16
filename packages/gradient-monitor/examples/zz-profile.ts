import * as g from '@gradsight/core';
import { backendValueStats } from '../src/backend-stats.js';
const { createWasmBackend } = await import('@gradsight/tensor-wasm');
g.setBackend(await createWasmBackend());
const shapes = [[784,256],[256],[256,256],[256],[256,256],[256],[256,10],[10]];
const grads = shapes.map((s, i) => g.randn(s, { seed: i + 1 }));
function time(name: string, f: () => void) {
  for (let i = 0; i < 20; i++) f();
  const cs: number[] = [];
  for (let r = 0; r < 15; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 20; i++) f();
    const c = process.cpuUsage(c0);
    cs.push((c.user + c.system) / 1000 / 20);
  }
  cs.sort((a, b) => a - b);
  console.log(name.padEnd(50), cs[cs.length >> 1]!.toFixed(3), 'ms');
}
for (let k = 0; k < 2; k++) {
time('new backendValueStats', () => backendValueStats(grads));
time('kernels only', () => g.tidy(() => g.noGrad(() => {
  grads.flatMap((t) => { const a = g.abs(t); return [g.sum(t), g.sum(a), g.sum(g.square(t)), g.max(a)]; });
})));
time('sumsq+maxabs only', () => g.tidy(() => g.noGrad(() => {
  grads.flatMap((t) => { const a = g.abs(t); return [g.sum(g.square(t)), g.max(a)]; });
})));
time('max only', () => g.tidy(() => g.noGrad(() => { for (const t of grads) g.max(t); })));
time('max of 200k only', () => g.tidy(() => g.noGrad(() => { g.max(grads[0]!); })));
time('sum of 200k only', () => g.tidy(() => g.noGrad(() => { g.sum(grads[0]!); })));
time('sum of 10 x 8', () => g.tidy(() => g.noGrad(() => { for (let i=0;i<8;i++) g.sum(grads[7]!); })));
}

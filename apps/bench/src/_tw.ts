import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-cpu');
const wasmMod: any = await import('@tensorflow/tfjs-backend-wasm');
const req = createRequire(import.meta.url);
const dist = dirname(req.resolve('@tensorflow/tfjs-backend-wasm'));
const mode = process.argv[2];
if (mode === 'path') wasmMod.setWasmPaths(dist + '/');
if (mode === 'url') wasmMod.setWasmPaths(pathToFileURL(dist + '/').href);
console.log(mode, dist);
try {
  const ok = await tf.setBackend('wasm');
  console.log('ok', ok, tf.getBackend());
  const a = tf.randomNormal([512, 512]); const b = tf.randomNormal([512, 512]);
  for (const [ta, tb] of [[false,false],[false,true],[true,false],[true,true]]) {
    for (let i = 0; i < 20; i++) tf.matMul(a, b, ta, tb).dispose();
    const t0 = performance.now(); const n = 20;
    for (let i = 0; i < n; i++) { const y = tf.matMul(a, b, ta, tb); y.dataSync(); y.dispose(); }
    const dt = (performance.now() - t0) / n;
    console.log(ta, tb, dt.toFixed(2), 'ms', (2*512**3/dt/1e6).toFixed(1), 'GFLOP/s');
  }
} catch (e) { console.log('fail', e); }

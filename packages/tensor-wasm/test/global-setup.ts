/** Builds the wasm modules before the tests when they are missing or older than assembly/. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestSource(): number {
  const dir = `${root}assembly`;
  return Math.max(
    ...readdirSync(dir).map((f) => statSync(`${dir}/${f}`).mtimeMs),
    statSync(`${root}scripts/build-wasm.mjs`).mtimeMs,
  );
}

export default function setup(): void {
  const outputs = ['simd', 'relaxed', 'scalar'].map((b) => `${root}build/tensor-${b}.wasm`);
  const oldest = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (oldest >= newestSource()) return;
  const r = spawnSync(process.execPath, [`${root}scripts/build-wasm.mjs`], { stdio: 'inherit' });
  if (r.status !== 0)
    throw new Error('tensor-wasm: building the wasm modules failed (node scripts/build-wasm.mjs).');
}

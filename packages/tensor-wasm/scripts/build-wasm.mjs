// Compiles assembly/ into three modules: SIMD, relaxed SIMD (fused multiply-add) and scalar.
// `--runtime stub` plus `--use abort=` leaves a module with no imports; JS owns the heap.
// With no arguments the three builds run in parallel child processes; `node build-wasm.mjs simd`
// builds one.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = fileURLToPath(new URL('..', import.meta.url));
const builds = {
  simd: ['--enable', 'simd'],
  relaxed: ['--enable', 'simd', '--enable', 'relaxed-simd'],
  scalar: [],
};

async function compile(name) {
  const args = [
    `${root}assembly/index.ts`,
    '--outFile',
    `${root}build/tensor-${name}.wasm`,
    '-O3',
    '--noAssert',
    '--runtime',
    'stub',
    '--use',
    'abort=',
    ...builds[name],
  ];
  if (process.env.WAT) args.push('--textFile', `${root}build/tensor-${name}.wat`);
  const { error, stderr } = await asc.main(args);
  if (error) {
    console.error(stderr.toString());
    throw new Error(`build-wasm: the ${name} build failed: ${error.message}`);
  }
  console.log(`build-wasm: build/tensor-${name}.wasm`);
}

function child(name) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`build-wasm: the ${name} build failed`)),
    );
  });
}

mkdirSync(`${root}build`, { recursive: true });
const only = process.argv.slice(2);
try {
  if (only.length === 1) await compile(only[0]);
  else await Promise.all((only.length ? only : Object.keys(builds)).map(child));
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

// Compiles assembly/ into three modules: SIMD, relaxed SIMD (fused multiply-add) and scalar.
// `--runtime stub` plus `--use abort=` leaves a module with no imports; JS owns the heap.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = fileURLToPath(new URL('..', import.meta.url));
const builds = [
  { name: 'simd', flags: ['--enable', 'simd'] },
  { name: 'relaxed', flags: ['--enable', 'simd', '--enable', 'relaxed-simd'] },
  { name: 'scalar', flags: [] },
];
const only = process.argv.slice(2);
mkdirSync(`${root}build`, { recursive: true });
for (const b of builds) {
  if (only.length > 0 && !only.includes(b.name)) continue;
  const args = [
    `${root}assembly/index.ts`,
    '--outFile',
    `${root}build/tensor-${b.name}.wasm`,
    '-O3',
    '--noAssert',
    '--runtime',
    'stub',
    '--use',
    'abort=',
    ...b.flags,
  ];
  if (process.env.WAT) args.push('--textFile', `${root}build/tensor-${b.name}.wat`);
  const { error, stderr } = await asc.main(args);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: the ${b.name} build failed: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: build/tensor-${b.name}.wasm`);
}

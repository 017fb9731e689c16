/** The builds this engine can run, for tests that loop over them. */
import { relaxedSimd } from 'wasm-feature-detect';
import type { WasmBuild } from '../src/index.js';

/** simd and scalar always; relaxed only where the engine has relaxed SIMD (Node 20: behind a flag). */
export async function testedBuilds(): Promise<WasmBuild[]> {
  return (await relaxedSimd()) ? ['simd', 'scalar', 'relaxed'] : ['simd', 'scalar'];
}

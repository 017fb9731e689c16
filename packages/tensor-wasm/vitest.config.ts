import { packageConfig } from '../../vitest.shared.js';

export default packageConfig({
  // compiles assembly/ into build/*.wasm first when the modules are missing or stale
  globalSetup: ['test/global-setup.ts'],
  // WASM_RELAXED=1 lets Node 20 run (and so test) the relaxed-SIMD build
  execArgv: process.env.WASM_RELAXED === '1' ? ['--experimental-wasm-relaxed-simd'] : [],
});

export type { WasmBackendOptions } from './load.js';
export { createWasmBackend, detectWasmBuild } from './load.js';
export type { WasmBuild } from './wasm-backend.js';
export { WasmBackend } from './wasm-backend.js';

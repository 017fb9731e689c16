/** What the runner needs from an engine (a gradsight backend or a tfjs backend). */
import type { CaseSpec } from './cases.js';
import type { CaseData } from './data.js';

export type EngineRole = 'wasm' | 'reference' | 'peer';

export type EngineId =
  | 'gs-wasm-simd'
  | 'gs-wasm-scalar'
  | 'gs-wasm-relaxed'
  | 'gs-ref'
  | 'tfjs-wasm'
  | 'tfjs-cpu';

/** Column order of the table; the wasm builds come first since the ratios are theirs. */
export const ENGINE_IDS: readonly EngineId[] = [
  'gs-wasm-simd',
  'gs-wasm-scalar',
  'gs-wasm-relaxed',
  'gs-ref',
  'tfjs-wasm',
  'tfjs-cpu',
];
export const WASM_IDS: readonly EngineId[] = ['gs-wasm-simd', 'gs-wasm-scalar', 'gs-wasm-relaxed'];
/** The engines gradsight-wasm is compared against, in the order the ratios are printed. */
export const PEER_IDS: readonly EngineId[] = ['tfjs-wasm', 'tfjs-cpu', 'gs-ref'];
/** Whose output the others are compared with: the first of these that produced one. */
export const CHECK_ORDER: readonly EngineId[] = [
  'gs-ref',
  'tfjs-cpu',
  'tfjs-wasm',
  'gs-wasm-scalar',
  'gs-wasm-simd',
  'gs-wasm-relaxed',
];

export const ENGINE_LABELS: Record<EngineId, string> = {
  'gs-wasm-simd': 'gs-wasm simd',
  'gs-wasm-scalar': 'gs-wasm scalar',
  'gs-wasm-relaxed': 'gs-wasm relaxed',
  'gs-ref': 'gs-ref JS',
  'tfjs-wasm': 'tfjs-wasm',
  'tfjs-cpu': 'tfjs-cpu',
};

/** A case made ready on one engine: inputs uploaded, model built. */
export interface Prepared {
  /** One timed repetition; returns when the result is complete. */
  run(): void;
  /**
   * Values compared across engines, computed from the initial state (a training step gives
   * the first layer's weight gradient, not the weights after some number of steps).
   */
  check(): Float32Array;
  dispose(): void;
}

export interface Engine {
  readonly id: EngineId;
  /** null when ready; otherwise the text of every cell of this column ('not built', …). */
  readonly unavailable: string | null;
  /** Shown under the table: which build or binary actually ran, or why it did not. */
  readonly detail: string;
  /** Decides which time budget applies (see RunnerOptions.budgets): wasm cells are never skipped. */
  readonly role: EngineRole;
  /** null when the engine can run the case; otherwise the cell text ('unsupported', 'n/a'). */
  cannotRun(spec: CaseSpec): { status: 'unsupported' | 'n/a'; note: string } | null;
  prepare(spec: CaseSpec, data: CaseData): Promise<Prepared>;
  /** Live tensors, to catch a case that leaks (which would also distort later cases). */
  liveTensors(): number;
}

/** A column that cannot run at all; every cell shows `status`. */
export function unavailableEngine(id: EngineId, status: string, detail: string): Engine {
  return {
    id,
    unavailable: status,
    detail,
    role: 'peer',
    cannotRun: () => null,
    prepare: () => Promise.reject(new Error(`${id} is ${status}`)),
    liveTensors: () => 0,
  };
}

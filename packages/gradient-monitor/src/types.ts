/**
 * Structural types: the monitor needs "something with named parameters" (and, for activation
 * statistics and forward-pass NaN provenance, modules with forward hooks), not a concrete
 * layers package. `@gradsight/layers`' `Module` satisfies these, and so does a hand-written
 * object.
 */
import type { Tensor } from '@gradsight/core';

export interface HookHandle {
  remove(): void;
}

export interface HookableModule {
  readonly typeName: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: the same hook signature as @gradsight/layers' Module
  registerForwardHook(hook: (module: any, inputs: Tensor[], output: Tensor) => Tensor | void): HookHandle;
}

export interface Watchable {
  namedParameters(): Iterable<[string, Tensor]>;
  namedModules?(): Iterable<[string, HookableModule]>;
}

/** A model `checkInit` can run: `call` (PyTorch's `model(x)`) or `forward`. */
export interface Callable extends Watchable {
  call?(...inputs: Tensor[]): Tensor;
  forward?(...inputs: Tensor[]): Tensor;
  /** Non-trained state (running statistics); `checkInit` restores it after its forward pass. */
  buffers?(): Iterable<Tensor>;
}

/** Kinds of activation the monitor computes dead-unit or saturation statistics for. */
export type ActivationKind = 'relu' | 'tanh' | 'sigmoid' | 'other';

/** Which pass a non-finite value appeared in. */
export type Pass = 'forward' | 'backward' | 'update';

export type Severity = 'info' | 'warning' | 'error';

export type FindingKind =
  | 'vanishing'
  | 'exploding'
  | 'dead-units'
  | 'saturation'
  | 'non-finite'
  | 'lr-too-high'
  | 'lr-too-low';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** Layer paths (or parameter names for learning-rate findings) involved, input side first. */
  layers: string[];
  /** One sentence with the numbers, e.g. "gradient RMS falls ×0.23 per layer from '19' to '0'; …". */
  evidence: string;
  /** The numbers behind the sentence, by name (stable keys per kind, documented in the README). */
  numbers: Record<string, number | number[]>;
  /** What to try, most specific first. */
  remedies: string[];
  /** Step at which the finding was made (last recorded step it used). */
  step: number;
}

export interface NonFiniteEvent {
  step: number;
  pass: Pass;
  /** Layer (module) path; '' is the root module; '(loss)' for the loss. */
  layer: string;
  /** Tensor description: 'output' of a module (forward), 'grad of input' (what the module's backward produced), 'grad of <param>', a parameter name (update), or 'loss'. */
  tensor: string;
  /** typeName of the module, when known. */
  typeName?: string;
  nan: number;
  posInf: number;
  negInf: number;
  size: number;
  /** Flat index of the first bad value. */
  index: number;
  /** Finite range of the module inputs (forward) or of the gradient (update), to explain the cause. */
  inputMin?: number;
  inputMax?: number;
  /** Other tensors found non-finite at the same check (e.g. every parameter of the layer). */
  also?: string[];
  /** What the policy did: 'reported', 'skipped' (the update), 'rolled-back' (weights restored), 'thrown'. */
  action: 'reported' | 'skipped' | 'rolled-back' | 'thrown';
  message: string;
}

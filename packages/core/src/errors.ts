/**
 * Typed errors. Every gradsight error carries a stable `code` (for programs) and a message
 * that names the op or layer, what it received and what it expected (for people).
 */

export type ErrorCode =
  | 'E_SHAPE'
  | 'E_DTYPE'
  | 'E_VALUE'
  | 'E_BACKEND'
  | 'E_UNSUPPORTED_KERNEL'
  | 'E_DISPOSED'
  | 'E_AUTOGRAD'
  | 'E_SAFETENSORS'
  | 'E_NON_FINITE'
  | 'E_ABORTED';

export class GradsightError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Shapes that do not fit an op: names the op, the shapes received and what was expected. */
export class ShapeError extends GradsightError {
  constructor(message: string) {
    super('E_SHAPE', message);
  }
}

/** A dtype an op cannot take (e.g. a float32 index tensor). */
export class DTypeError extends GradsightError {
  constructor(message: string) {
    super('E_DTYPE', message);
  }
}

/** An argument with an invalid value (negative learning rate, axis out of range, …). */
export class ValueError extends GradsightError {
  constructor(message: string) {
    super('E_VALUE', message);
  }
}

/** A problem with the backend itself (not registered, failed to initialise, out of memory). */
export class BackendError extends GradsightError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_BACKEND', message, options);
  }
}

/** A kernel the active backend cannot run. Never silently replaced by something else. */
export class UnsupportedKernelError extends GradsightError {
  readonly backend: string;
  readonly kernel: string;
  constructor(backend: string, kernel: string, detail?: string) {
    super(
      'E_UNSUPPORTED_KERNEL',
      `Backend '${backend}' does not support kernel '${kernel}'${detail ? `: ${detail}` : ''}.`,
    );
    this.backend = backend;
    this.kernel = kernel;
  }
}

/** Use of a tensor after `dispose()` (directly or by a `tidy` scope). */
export class DisposedError extends GradsightError {
  constructor(message: string) {
    super('E_DISPOSED', message);
  }
}

/** Misuse of autograd: backward on a non-scalar without a gradient, a graph already freed, … */
export class AutogradError extends GradsightError {
  constructor(message: string) {
    super('E_AUTOGRAD', message);
  }
}

/** A safetensors file that is truncated, oversized, or whose header does not describe its data. */
export class SafetensorsError extends GradsightError {
  constructor(message: string) {
    super('E_SAFETENSORS', message);
  }
}

/** A NaN or Inf where finite values were required; names where it first appeared. */
export class NonFiniteError extends GradsightError {
  constructor(message: string) {
    super('E_NON_FINITE', message);
  }
}

/** A long-running call stopped by its `AbortSignal`. */
export class AbortError extends GradsightError {
  constructor(message = 'The operation was aborted.') {
    super('E_ABORTED', message);
  }
}

/** Throws {@link AbortError} if `signal` is aborted; call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortError(`${what} was aborted.`);
}

/** Formats a shape for messages: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

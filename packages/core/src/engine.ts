/**
 * Global state shared by every tensor: the active backend, reference-counted storage, `tidy`
 * scopes and the grad-mode switch. Kept in one small object so that tests and tools can read
 * it without reaching into module internals.
 */
import type { Backend, DataId } from './backend.js';
import { BackendError, ValueError } from './errors.js';
import { ReferenceBackend } from './reference-backend.js';

/** Storage shared by a tensor and its views (reshape, detach); freed when the count hits 0. */
export interface Storage {
  backend: Backend;
  dataId: DataId;
  refCount: number;
  bytes: number;
}

/** What the engine needs of a tensor to track it in scopes, without importing the class. */
export interface Tracked {
  readonly id: number;
  readonly isDisposed: boolean;
  dispose(): void;
}

type BackendFactory = () => Backend;

const factories = new Map<string, BackendFactory>([['reference', () => new ReferenceBackend()]]);
const instances = new Map<string, Backend>();

interface EngineState {
  backend: Backend | null;
  scopes: Set<Tracked>[];
  /** Tensors excluded from every scope (parameters, `.grad`, `keep`). */
  kept: WeakSet<Tracked>;
  numTensors: number;
  gradDisabledDepth: number;
  nextId: number;
}

export const engine: EngineState = {
  backend: null,
  scopes: [],
  kept: new WeakSet(),
  numTensors: 0,
  gradDisabledDepth: 0,
  nextId: 0,
};

/** Makes a backend available by name; `setBackend(name)` instantiates it on first use. */
export function registerBackend(name: string, factory: BackendFactory): void {
  factories.set(name, factory);
  instances.delete(name);
}

/**
 * Selects the backend for new tensors. Tensors that live on another backend move on first use
 * (their data is copied once), as in tfjs.
 */
export function setBackend(backend: string | Backend): Backend {
  if (typeof backend !== 'string') {
    if (backend.backendVersion !== 1) {
      throw new BackendError(
        `setBackend: backend '${backend.name}' implements interface version ${String(backend.backendVersion)}; this core expects 1.`,
      );
    }
    instances.set(backend.name, backend);
    engine.backend = backend;
    return backend;
  }
  let instance = instances.get(backend);
  if (!instance) {
    const factory = factories.get(backend);
    if (!factory) {
      throw new BackendError(
        `setBackend: no backend named '${backend}' is registered (registered: ${[...factories.keys()].join(', ')}).`,
      );
    }
    instance = factory();
    instances.set(backend, instance);
  }
  engine.backend = instance;
  return instance;
}

export function getBackend(): Backend {
  return engine.backend ?? setBackend('reference');
}

// ---------------------------------------------------------------------------------------------
// Scopes

export function trackTensor(t: Tracked): void {
  engine.numTensors++;
  const scope = engine.scopes[engine.scopes.length - 1];
  if (scope) scope.add(t);
}

/** Removes `t` from every open scope so that no `tidy` disposes it. Returns `t`. */
export function keep<T extends Tracked>(t: T): T {
  engine.kept.add(t);
  for (const scope of engine.scopes) scope.delete(t);
  return t;
}

/** Collects every tracked tensor found in a returned value (tensor, array, plain object). */
function collect(value: unknown, out: Set<Tracked>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 8) return;
  if ('dispose' in value && 'isDisposed' in value && 'id' in value) {
    out.add(value as Tracked);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collect(v, out, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, out, depth + 1);
  }
}

/**
 * Runs `fn` and disposes every tensor created inside it, except the tensors it returns (in a
 * tensor, an array or a plain object) and tensors passed to `keep`. Nested scopes hand their
 * results to the enclosing scope. Async functions are not supported: the scope would close
 * before the promise settles.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tracked>();
  engine.scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    engine.scopes.pop();
    for (const t of scope) if (!t.isDisposed) t.dispose();
    throw err;
  }
  engine.scopes.pop();
  if (result instanceof Promise) {
    throw new ValueError('tidy: the function returned a Promise; tidy only supports synchronous functions.');
  }
  const survivors = new Set<Tracked>();
  collect(result, survivors);
  const parent = engine.scopes[engine.scopes.length - 1];
  for (const t of scope) {
    if (survivors.has(t)) parent?.add(t);
    else if (!t.isDisposed) t.dispose();
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Grad mode

export function isGradEnabled(): boolean {
  return engine.gradDisabledDepth === 0;
}

/** Runs `fn` without recording operations for autograd (PyTorch's `torch.no_grad()`). */
export function noGrad<T>(fn: () => T): T {
  engine.gradDisabledDepth++;
  try {
    return fn();
  } finally {
    engine.gradDisabledDepth--;
  }
}

export interface MemoryInfo {
  /** Live `Tensor` objects (views count separately). */
  numTensors: number;
  /** Live storage handles on the active backend. */
  numDataIds: number;
  /** Bytes held by the active backend. */
  numBytes: number;
  backend: string;
  [key: string]: number | string;
}

/** Live tensors and bytes: a training loop whose numbers grow leaks tensors. */
export function memory(): MemoryInfo {
  const b = getBackend();
  const m = b.memory();
  return {
    ...m,
    numTensors: engine.numTensors,
    numDataIds: m.numDataIds,
    numBytes: m.numBytes,
    backend: b.name,
  };
}

export function nextTensorId(): number {
  return engine.nextId++;
}

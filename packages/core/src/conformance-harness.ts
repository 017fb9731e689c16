/**
 * Plumbing of the conformance suite: case specs, seeded test data, and running one kernel call on
 * the backend under test and on the reference backend, then comparing.
 */
import type { Backend, DataId, DType, TensorInfo } from './backend.js';
import { assertClose, type HostTensor, type Tolerance } from './conformance-compare.js';
import { typedArrayFor } from './dtype.js';
import { getBackend, setBackend, tidy } from './engine.js';
import { fmtShape } from './errors.js';
import { fromValues } from './op-utils.js';
import { Generator } from './random.js';
import type { ReferenceBackend } from './reference-backend.js';
import { sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** A case before the skip list and the backend are attached. */
export interface CaseSpec {
  name: string;
  kernel: string;
  run(backend: Backend): void | Promise<void>;
}

export interface SuiteContext {
  /** The reference backend the results are compared with (a private instance). */
  reference: ReferenceBackend;
  seed: number;
  numRuns: number;
}

/** A seeded generator private to one case: adding cases never changes another case's data. */
export function caseRng(ctx: SuiteContext, name: string): Generator {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return new Generator((h ^ Math.imul(ctx.seed, 0x9e3779b1)) | 0);
}

export function host(shape: readonly number[], dtype: DType, values: ArrayLike<number>): HostTensor {
  const v = typedArrayFor(dtype, values.length);
  v.set(values);
  if (v.length !== sizeOf(shape))
    throw new Error(`conformance: ${v.length} values for shape ${fmtShape(shape)}`);
  return { shape: [...shape], dtype, values: v };
}

/** float32 values uniform in [lo, hi). */
export function uniform(g: Generator, shape: readonly number[], lo = -2, hi = 2): HostTensor {
  const n = sizeOf(shape);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * g.random();
  return { shape: [...shape], dtype: 'float32', values: v };
}

/** float32 values uniform in ±[lo, hi): magnitude at least `lo`, so at least `lo` from a kink at 0. */
export function awayFromZero(g: Generator, shape: readonly number[], lo = 0.1, hi = 2): HostTensor {
  const t = uniform(g, shape, lo, hi);
  const v = t.values as Float32Array;
  for (let i = 0; i < v.length; i++) if (g.random() < 0.5) v[i] = -v[i]!;
  return t;
}

/** Distinct float32 values at least `gap` apart (unique maxima for max, argmax, max-pooling). */
export function distinct(g: Generator, shape: readonly number[], gap = 0.1): HostTensor {
  const n = sizeOf(shape);
  const perm = g.permutation(n);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = (perm[i]! - n / 2) * gap + 0.25 * gap * g.random();
  return { shape: [...shape], dtype: 'float32', values: v };
}

export function ints(g: Generator, shape: readonly number[], lo: number, hi: number): HostTensor {
  const n = sizeOf(shape);
  const v = new Int32Array(n);
  for (let i = 0; i < n; i++) v[i] = g.randint(lo, hi);
  return { shape: [...shape], dtype: 'int32', values: v };
}

/** Same values with every float made non-negative (for the scale of sums: Σ|terms|). */
export function absOf(t: HostTensor): HostTensor {
  if (t.dtype !== 'float32') return t;
  return { ...t, values: Float32Array.from(t.values as Float32Array, Math.abs) };
}

type KernelOutputs = TensorInfo | readonly TensorInfo[];
export type KernelCall = (b: Backend, xs: TensorInfo[]) => KernelOutputs;

function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Writes `inputs` to `backend`, runs `call`, reads the outputs back and frees everything. Fails
 * when the kernel changed an input, returned a handle whose data does not fill its shape, or
 * left handles behind.
 */
export function runOn(
  backend: Backend,
  inputs: readonly HostTensor[],
  call: KernelCall,
  what: string,
): HostTensor[] {
  const before = backend.memory().numDataIds;
  // fresh arrays: write() must copy, and the originals are compared with the inputs afterwards
  const infos: TensorInfo[] = inputs.map((t) => ({
    dataId: backend.write(
      t.dtype === 'float32' ? Float32Array.from(t.values) : Int32Array.from(t.values),
      t.dtype,
    ),
    shape: t.shape,
    dtype: t.dtype,
  }));
  const outs: TensorInfo[] = [];
  let result: HostTensor[];
  try {
    const r = call(backend, infos);
    outs.push(...(Array.isArray(r) ? (r as TensorInfo[]) : [r as TensorInfo]));
    const handles = new Set<unknown>(infos.map((i) => i.dataId));
    for (const o of outs) {
      if (handles.has(o.dataId)) {
        throw new Error(
          `${what}: an output reuses the handle of an input or of another output; every kernel must return fresh storage.`,
        );
      }
      handles.add(o.dataId);
    }
    result = outs.map((o, k) => {
      const values = backend.readSync(o.dataId);
      if (values.length !== sizeOf(o.shape)) {
        throw new Error(
          `${what}: output ${k} has ${values.length} values but shape ${fmtShape(o.shape)} (${sizeOf(o.shape)}).`,
        );
      }
      const typed = o.dtype === 'float32' ? values instanceof Float32Array : values instanceof Int32Array;
      if (!typed)
        throw new Error(
          `${what}: output ${k} is declared ${o.dtype} but readSync returned a ${values.constructor.name}.`,
        );
      return { shape: [...o.shape], dtype: o.dtype, values };
    });
    infos.forEach((info, i) => {
      const now = backend.readSync(info.dataId);
      const was = inputs[i]!.values;
      for (let j = 0; j < was.length; j++) {
        if (!sameBits(now[j]!, was[j]!))
          throw new Error(
            `${what}: the kernel modified input ${i} at flat index ${j} (${was[j]} → ${now[j]}).`,
          );
      }
    });
  } finally {
    // each handle once, even if a faulty kernel returned an input's handle
    for (const h of new Set<DataId>([...outs, ...infos].map((t) => t.dataId))) backend.disposeData(h);
  }
  const after = backend.memory().numDataIds;
  if (after !== before) {
    throw new Error(
      `${what}: ${after - before} data handle(s) still live after disposing every input and output (memory().numDataIds ${before} → ${after}).`,
    );
  }
  return result;
}

/** Tolerance for an output, possibly depending on the inputs (e.g. scaled by Σ|terms|). */
export type TolSpec = Tolerance | ((inputs: readonly HostTensor[], output: number) => Tolerance);

/** Scale for kernels that sum products: the same call on |inputs| bounds every partial sum. */
export function scaled(ref: Backend, call: KernelCall, rtol: number, atol: number): TolSpec {
  return (inputs, k) => ({ rtol, atol, scale: runOn(ref, inputs.map(absOf), call, 'scale')[k]!.values });
}

/** Runs `call` on the backend under test and on the reference, comparing every output. */
export function checkKernel(
  what: string,
  backend: Backend,
  ctx: SuiteContext,
  inputs: readonly HostTensor[],
  call: KernelCall,
  tol: TolSpec,
): void {
  const want = runOn(ctx.reference, inputs, call, `${what} (reference)`);
  const got = runOn(backend, inputs, call, `${what} on '${backend.name}'`);
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} outputs, expected ${want.length}.`);
  want.forEach((w, k) => {
    const t = typeof tol === 'function' ? tol(inputs, k) : tol;
    assertClose(`${what} on '${backend.name}'${want.length > 1 ? ` (output ${k})` : ''}`, got[k]!, w, t);
  });
}

/** Runs `fn` with `backend` active (core ops and autograd), restoring the previous backend. */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  const previous = getBackend();
  setBackend(backend);
  try {
    return fn();
  } finally {
    setBackend(previous);
  }
}

/** A core tensor on the active backend from host values. */
export function fromHost(t: HostTensor): Tensor {
  return fromValues(
    t.dtype === 'float32' ? Float32Array.from(t.values) : Int32Array.from(t.values),
    t.shape,
    t.dtype,
  );
}

export function hostOf(t: Tensor): HostTensor {
  return { shape: [...t.shape], dtype: t.dtype, values: t.dataSync() };
}

/** Runs core ops on `backend` inside `tidy` and brings the resulting tensors back to the host. */
export function evalOn(backend: Backend, fn: () => Tensor[]): HostTensor[] {
  return withBackend(backend, () => tidy(() => fn().map(hostOf)));
}

/** Compares lists of named results (same length) with one tolerance. */
export function assertAllClose(
  what: string,
  names: readonly string[],
  got: HostTensor[],
  want: HostTensor[],
  tol: Tolerance,
): void {
  names.forEach((n, i) => {
    assertClose(`${what}: ${n}`, got[i]!, want[i]!, tol);
  });
}

/** float32 values uniform in [lo, hi) at least `margin` away from each of `points` (kinks). */
export function avoiding(
  g: Generator,
  shape: readonly number[],
  lo: number,
  hi: number,
  points: readonly number[],
  margin = 0.1,
): HostTensor {
  const t = uniform(g, shape, lo, hi);
  const v = t.values as Float32Array;
  for (let i = 0; i < v.length; i++) {
    while (points.some((p) => Math.abs(v[i]! - p) < margin)) v[i] = Math.fround(lo + (hi - lo) * g.random());
  }
  return t;
}

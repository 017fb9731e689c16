/**
 * Harness of the large kernel cases: a case runs one kernel (or a few core ops) on a backend with
 * seeded inputs and returns the outputs on the host; `checkKernelCase` compares the backend under
 * test with the reference backend. Browser-safe (no Node imports).
 */
import {
  type Backend,
  type DType,
  Generator,
  getBackend,
  setBackend,
  type Tensor,
  type TensorInfo,
  tensor,
  tidy,
} from '@gradsight/core';
import { assertClose, type HostTensor, type Tolerance } from '@gradsight/core/conformance';

export interface KernelCase {
  name: string;
  /** Runs the kernel on `b`, returns the outputs on the host, frees everything it allocated. */
  run(b: Backend): HostTensor[];
  /** Relative/absolute tolerance; `scaled` judges sums against Σ|terms| (matmul, conv). */
  tol: { rtol: number; atol: number; scaled?: boolean };
}

export function seeded(name: string): Generator {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return new Generator(h | 0);
}

export function values(g: Generator, n: number, lo = -1, hi = 1): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = lo + (hi - lo) * g.random();
  return v;
}

export type Input = { shape: number[]; dtype: DType; values: Float32Array | Int32Array };
export type Call = (b: Backend, xs: TensorInfo[]) => TensorInfo | TensorInfo[];

/**
 * `composed` computes a fused kernel from primitives for backends without it (the reference),
 * as core does; it returns the outputs followed by intermediates to free.
 */
export function kernelCase(
  name: string,
  inputs: (g: Generator) => Input[],
  call: Call,
  tol: KernelCase['tol'],
  composed?: { kernel: keyof Backend; outputs: number; call: Call },
): KernelCase {
  return {
    name,
    tol,
    run(b) {
      const xs = inputs(seeded(name)).map((t) => ({
        dataId: b.write(t.values, t.dtype),
        shape: t.shape,
        dtype: t.dtype,
      }));
      if (composed && typeof b[composed.kernel] !== 'function') {
        const all = composed.call(b, xs) as TensorInfo[];
        const outs = all.slice(0, composed.outputs);
        const host = outs.map((o) => ({ shape: [...o.shape], dtype: o.dtype, values: b.readSync(o.dataId) }));
        for (const t of [...xs, ...all]) b.disposeData(t.dataId);
        return host;
      }
      const r = call(b, xs);
      const outs = Array.isArray(r) ? r : [r];
      const host = outs.map((o) => ({ shape: [...o.shape], dtype: o.dtype, values: b.readSync(o.dataId) }));
      for (const t of [...xs, ...outs]) b.disposeData(t.dataId);
      return host;
    },
  };
}

export const f32 = (g: Generator, shape: number[], lo = -1, hi = 1): Input => ({
  shape,
  dtype: 'float32',
  values: values(
    g,
    shape.reduce((a, d) => a * d, 1),
    lo,
    hi,
  ),
});

/**
 * A case written with core ops, run with `b` as the active backend: on the wasm backend it uses
 * the fused kernels, on the reference backend core's composition of primitives.
 */
export function opCase(
  name: string,
  inputs: (g: Generator) => Input[],
  fn: (xs: Tensor[]) => Tensor[],
  tol: KernelCase['tol'],
): KernelCase {
  return {
    name,
    tol,
    run(b) {
      const previous = getBackend();
      setBackend(b);
      try {
        return tidy(() => {
          const xs = inputs(seeded(name)).map((t) => tensor(t.values, t.shape, t.dtype));
          const host = fn(xs).map((t) => ({ shape: [...t.shape], dtype: t.dtype, values: t.dataSync() }));
          for (const t of xs) t.dispose(); // requiresGrad_ keeps a tensor out of tidy
          return host;
        });
      } finally {
        setBackend(previous);
      }
    },
  };
}

/** Σ|terms| of a sum-like kernel: the same kernel on |inputs| in the reference backend. */
function termScale(ref: Backend, c: KernelCase): HostTensor[] {
  const absRef: Backend = Object.create(ref);
  absRef.write = (v, dtype) => ref.write(dtype === 'float32' ? Float32Array.from(v, Math.abs) : v, dtype);
  return c.run(absRef);
}

/** Runs `c` on `b` and on `ref`; throws a descriptive Error on a mismatch. */
export function checkKernelCase(c: KernelCase, b: Backend, ref: Backend): void {
  const got = c.run(b);
  const want = c.run(ref);
  const scales = c.tol.scaled ? termScale(ref, c) : null;
  got.forEach((g, i) => {
    const tol: Tolerance = {
      rtol: c.tol.rtol,
      atol: c.tol.atol,
      ...(scales ? { scale: scales[i]!.values } : {}),
    };
    assertClose(`${c.name} on '${b.name}' (output ${i})`, g, want[i]!, tol);
  });
}

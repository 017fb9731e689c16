/**
 * Finite-difference gradient checking (PyTorch's `torch.autograd.gradcheck`, adapted to float32):
 * compares the gradients autograd computes for `f` with central differences of
 * `S(x) = Σ f(x) · r` for a seeded random `r` (a random projection, so one backward pass checks a
 * whole Jacobian-vector product and no output element can hide behind another).
 */
import { gradients } from './autograd.js';
import { multiIndex } from './conformance-compare.js';
import { getBackend, noGrad, tidy } from './engine.js';
import { AutogradError } from './errors.js';
import { fromValues } from './op-utils.js';
import { Generator } from './random.js';
import type { Tensor } from './tensor.js';

export interface GradcheckOptions {
  /** Half-width of the central difference, before rounding to float32 (default 1e-2). */
  eps?: number;
  /** Absolute tolerance (default 1e-3). */
  atol?: number;
  /** Relative tolerance, against max(|analytic|, |numeric|) (default 1e-2). */
  rtol?: number;
  /** Seed of the random projection `r` (default 0). */
  seed?: number;
}

export interface GradcheckResult {
  /** Largest |analytic − numeric| over every checked element. */
  maxAbsError: number;
  /** Largest |analytic − numeric| / max(|analytic|, |numeric|) over elements where that is > 0. */
  maxRelError: number;
  /** Number of input elements checked (float32 inputs only). */
  checked: number;
}

/** A gradient that disagrees with finite differences; carries where and by how much. */
export class GradcheckError extends AutogradError {
  constructor(
    message: string,
    readonly inputIndex: number,
    readonly elementIndex: number,
    readonly analytic: number,
    readonly numeric: number,
  ) {
    super(message);
  }
}

/** Σ f(xs)·r in float64 on the host: no float32 rounding in the projection itself. */
function project(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], r: Float64Array): number {
  return tidy(() =>
    noGrad(() => {
      const y = f(...xs).dataSync();
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i]! * r[i]!;
      return s;
    }),
  );
}

/**
 * Checks autograd's gradient of `f` with respect to every float32 input (int32 inputs, such as
 * indices, are passed through unchanged) against central differences, on the active backend.
 *
 * Defaults (eps 1e-2, atol 1e-3, rtol 1e-2) suit float32 and inputs of size ≈ 1 that stay at
 * least 2·eps away from kinks. The central difference has truncation error eps²/6·|S'''| (≈ 2e-5
 * for well-conditioned ops) and rounding error ≈ ulp(f)·Σ|r| / (2·eps) ≈ 3e-6·|f| per output; the
 * perturbation actually applied (x ± eps rounded to float32) is used as the step, so rounding of x
 * adds nothing. Both terms sit well under 1e-3 + 1e-2·|g|, while a wrong gradient formula (a sign,
 * a factor, a transposition) is off by O(|g|).
 *
 * Returns the largest errors; throws {@link GradcheckError} naming the input and element, with
 * the analytic and numeric values, at the first element outside tolerance.
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-2, atol = 1e-3, rtol = 1e-2, seed = 0 } = options;
  const result: GradcheckResult = { maxAbsError: 0, maxRelError: 0, checked: 0 };
  tidy(() => {
    const leaves = inputs.map((x) => (x.dtype === 'float32' ? x.detach().requiresGrad_() : x));
    const checkedIdx = inputs.map((_, i) => i).filter((i) => inputs[i]!.dtype === 'float32');
    let analytic: Float32Array[];
    let r: Float64Array;
    try {
      const y = f(...leaves);
      if (y.dtype !== 'float32')
        throw new AutogradError(`gradcheck: f must return a float32 tensor, got ${y.describe()}.`);
      const gen = new Generator(seed);
      const rf = new Float32Array(y.size);
      for (let i = 0; i < rf.length; i++) rf[i] = 2 * gen.random() - 1;
      r = Float64Array.from(rf);
      const grads = gradients(
        y,
        checkedIdx.map((i) => leaves[i]!),
        fromValues(rf, y.shape, 'float32'),
      );
      analytic = grads.map((g, k) => {
        const x = inputs[checkedIdx[k]!]!;
        if (g.size !== x.size)
          throw new AutogradError(
            `gradcheck: gradient of input ${checkedIdx[k]} has shape ${g.describe()}, expected ${x.describe()}.`,
          );
        return g.dataSync() as Float32Array;
      });
    } finally {
      for (let i = 0; i < leaves.length; i++) if (leaves[i] !== inputs[i]) leaves[i]!.dispose();
    }
    checkedIdx.forEach((inputIndex, k) => {
      const x = inputs[inputIndex]!;
      const base = x.dataSync() as Float32Array;
      const a = analytic[k]!;
      for (let j = 0; j < base.length; j++) {
        const x0 = base[j]!;
        const xp = Math.fround(x0 + eps);
        const xm = Math.fround(x0 - eps);
        const at = (v: number): number => {
          const data = Float32Array.from(base);
          data[j] = v;
          return tidy(() => {
            const xs = inputs.map((t, i) => (i === inputIndex ? fromValues(data, x.shape, 'float32') : t));
            return project(f, xs, r);
          });
        };
        const numeric = (at(xp) - at(xm)) / (xp - xm);
        const ana = a[j]!;
        const diff = Math.abs(ana - numeric);
        const mag = Math.max(Math.abs(ana), Math.abs(numeric));
        result.checked++;
        if (Number.isFinite(diff)) {
          result.maxAbsError = Math.max(result.maxAbsError, diff);
          if (mag > 0) result.maxRelError = Math.max(result.maxRelError, diff / mag);
        }
        if (!(diff <= atol + rtol * mag)) {
          throw new GradcheckError(
            `gradcheck: gradient of input ${inputIndex} (${x.describe()}) at element ${j} ${multiIndex(j, x.shape)} ` +
              `(x = ${x0}) on backend '${getBackend().name}': analytic ${ana}, numeric ${numeric} ` +
              `(|diff| ${diff.toExponential(3)} > atol ${atol} + rtol ${rtol} · ${mag.toExponential(3)}; eps ${eps}, seed ${seed}).`,
            inputIndex,
            j,
            ana,
            numeric,
          );
        }
      }
    });
  });
  return result;
}

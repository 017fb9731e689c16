/** How an optimiser picks between a backend's fused update kernel and the composed ops. */
import { getBackend, type OptionalKernel, UnsupportedKernelError } from '@gradsight/core';

/**
 * `fused`: `null` (default) uses the backend's fused kernel when it has one; `false` always
 * composes from primitive ops (for benchmarks and cross-checks); `true` requires the kernel
 * and throws `UnsupportedKernelError` on a backend without it, instead of silently composing.
 * Returns true when the composed path must be taken explicitly.
 */
export function forceComposed(owner: string, fused: boolean | null, kernel: OptionalKernel): boolean {
  if (fused === false) return true;
  if (fused === true && !getBackend()[kernel]) {
    throw new UnsupportedKernelError(getBackend().name, kernel, `${owner} was created with fused: true`);
  }
  return false;
}

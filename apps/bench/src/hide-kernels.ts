/**
 * A view of a backend without some optional kernels, so that core takes its composed path
 * (e.g. Adam from elementwise ops instead of the fused `adamUpdate`). Methods stay bound to
 * the real backend, which may keep private state, and storage is shared with it.
 */
import type { Backend, OptionalKernel } from '@gradsight/core';

export function hideKernels(backend: Backend, hidden: readonly OptionalKernel[]): Backend {
  const view: Record<string, unknown> = {};
  const seen = new Set<string>([...hidden, 'name']);
  for (let o: object | null = backend; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const value = (backend as unknown as Record<string, unknown>)[key];
      if (typeof value === 'function') view[key] = value.bind(backend);
      else
        Object.defineProperty(view, key, {
          get: () => (backend as unknown as Record<string, unknown>)[key],
          enumerable: true,
        });
    }
  }
  Object.defineProperty(view, 'name', {
    value: `${backend.name} without ${hidden.join(', ')}`,
    enumerable: true,
  });
  return view as unknown as Backend;
}

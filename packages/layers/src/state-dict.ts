/** Loading a state dict: the key/shape checks shared by `loadStateDict` and the importers. */
import { cast, clone, fmtShape, shapesEqual, type Tensor, ValueError } from '@gradsight/core';

export interface MismatchedKey {
  key: string;
  /** Shape of the module's tensor. */
  expected: number[];
  /** Shape found in the state dict. */
  received: number[];
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
  mismatchedKeys: MismatchedKey[];
}

/** Thrown by a strict `loadStateDict`; carries the same lists a non-strict load returns. */
export class StateDictError extends ValueError {
  readonly missingKeys: string[];
  readonly unexpectedKeys: string[];
  readonly mismatchedKeys: MismatchedKey[];
  constructor(message: string, result: LoadStateDictResult) {
    super(message);
    this.missingKeys = result.missingKeys;
    this.unexpectedKeys = result.unexpectedKeys;
    this.mismatchedKeys = result.mismatchedKeys;
  }
}

function entriesOf(sd: Record<string, Tensor> | Map<string, Tensor>): [string, Tensor][] {
  return sd instanceof Map ? [...sd] : Object.entries(sd);
}

export function loadStateDictInto(
  owner: string,
  targets: Map<string, Tensor>,
  sd: Record<string, Tensor> | Map<string, Tensor>,
  strict: boolean,
): LoadStateDictResult {
  const given = new Map(entriesOf(sd));
  const result: LoadStateDictResult = { missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] };
  for (const key of targets.keys()) if (!given.has(key)) result.missingKeys.push(key);
  for (const key of given.keys()) if (!targets.has(key)) result.unexpectedKeys.push(key);
  for (const [key, target] of targets) {
    const value = given.get(key);
    if (value && !shapesEqual(value.shape, target.shape)) {
      result.mismatchedKeys.push({ key, expected: [...target.shape], received: [...value.shape] });
    }
  }
  const problems = result.missingKeys.length + result.unexpectedKeys.length + result.mismatchedKeys.length;
  if (strict && problems > 0) {
    const parts: string[] = [];
    if (result.missingKeys.length) parts.push(`missing keys: ${result.missingKeys.join(', ')}`);
    if (result.unexpectedKeys.length) parts.push(`unexpected keys: ${result.unexpectedKeys.join(', ')}`);
    if (result.mismatchedKeys.length) {
      parts.push(
        `mis-shaped keys: ${result.mismatchedKeys
          .map((m) => `${m.key} (got ${fmtShape(m.received)}, expected ${fmtShape(m.expected)})`)
          .join(', ')}`,
      );
    }
    throw new StateDictError(
      `loadStateDict into ${owner}: ${problems} problem(s); ${parts.join('; ')}. ` +
        'Pass { strict: false } to load the keys that fit and get these lists back.',
      result,
    );
  }
  const bad = new Set(result.mismatchedKeys.map((m) => m.key));
  for (const [key, target] of targets) {
    const value = given.get(key);
    if (!value || bad.has(key)) continue;
    // A copy, never shared storage: a backend's in-place optimiser kernel must not write into
    // the tensors of the state dict's owner.
    const v = value.dtype === target.dtype ? clone(value) : cast(value, target.dtype);
    target.assign(v);
    v.dispose();
  }
  return result;
}

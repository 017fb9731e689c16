/** Option checks shared by the optimisers and schedules: each error names the owner, the option and the value. */
import { ValueError } from '@gradsight/core';

/** `-1`, `NaN`, `'0.1'` (string) and `[0.9,1]` print the way the user typed them. */
export function fmtValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(fmtValue).join(', ')}]`;
  return String(value);
}

function fail(owner: string, option: string, value: unknown, expected: string): never {
  throw new ValueError(`${owner}: invalid ${option}: ${fmtValue(value)} (expected ${expected}).`);
}

export function checkNumber(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(owner, option, value, 'a finite number');
  return value;
}

export function checkNonNegative(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(owner, option, value, 'a finite number ≥ 0');
  }
  return value;
}

export function checkPositive(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(owner, option, value, 'a finite number > 0');
  }
  return value;
}

export function checkPositiveInt(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    fail(owner, option, value, 'an integer ≥ 1');
  return value;
}

export function checkNonNegativeInt(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    fail(owner, option, value, 'an integer ≥ 0');
  return value;
}

/** A value in [lo, hi) or [lo, hi] when `closed`. */
export function checkInRange(
  owner: string,
  option: string,
  value: unknown,
  lo: number,
  hi: number,
  closed = false,
): number {
  const ok =
    typeof value === 'number' && Number.isFinite(value) && value >= lo && (closed ? value <= hi : value < hi);
  if (!ok) fail(owner, option, value, `a number in [${lo}, ${hi}${closed ? ']' : ')'}`);
  return value as number;
}

export function checkBoolean(owner: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(owner, option, value, 'true or false');
  return value;
}

export function checkOneOf<T extends string>(
  owner: string,
  option: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    fail(owner, option, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

/** Adam-style `betas`: two numbers, each in [0, 1). */
export function checkBetas(owner: string, value: unknown): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) fail(owner, 'betas', value, 'a pair [beta1, beta2]');
  checkInRange(owner, 'betas[0]', value[0], 0, 1);
  checkInRange(owner, 'betas[1]', value[1], 0, 1);
  return value as unknown as readonly [number, number];
}

/** Rejects keys the owner does not know (typos, PyTorch's snake_case spellings). */
export function checkKnownKeys(owner: string, given: object, known: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      const snakeHint = key.includes('_') ? ` (gradsight spells options in camelCase)` : '';
      throw new ValueError(
        `${owner}: unknown option '${key}'${snakeHint}; known options: ${known.join(', ')}.`,
      );
    }
  }
}

/** A number or one number per parameter group (schedules' `maxLr`, `minLr`, momenta). */
export function perGroup(
  owner: string,
  option: string,
  value: number | readonly number[],
  groups: number,
): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) {
      throw new ValueError(
        `${owner}: ${option} has ${value.length} values, expected one per parameter group (${groups}).`,
      );
    }
    return value.map((v, i) => checkNumber(owner, `${option}[${i}]`, v));
  }
  return new Array<number>(groups).fill(checkNumber(owner, option, value));
}

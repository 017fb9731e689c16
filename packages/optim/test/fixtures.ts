/** Typed access to the PyTorch goldens written by scripts/goldens/optim_goldens.py. */
import { readFileSync } from 'node:fs';
import { type Tensor, tensor } from '@gradsight/core';

export interface Arr {
  shape: number[];
  data: number[];
}
export interface OptimizerCase {
  name: string;
  kind: 'optimizer';
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad' | 'NAdam' | 'RAdam';
  defaults: Record<string, unknown>;
  groups: { params: number[]; options: Record<string, unknown> }[];
  initial: Arr[];
  steps: { grads: (Arr | null)[]; params: Arr[] }[];
}
export interface SubSchedule {
  type: string;
  options: Record<string, unknown>;
}
export interface ScheduleCase {
  name: string;
  kind: 'schedule';
  scheduler: string;
  optimizer: { type: 'SGD' | 'Adam'; groupLrs: number[]; defaults: Record<string, unknown> };
  options: Record<string, unknown>;
  metrics?: number[];
  lrs: number[][];
  momenta?: number[][];
}
export interface ClipNormCase {
  name: string;
  kind: 'clipGradNorm';
  maxNorm: number;
  normType: number | 'inf';
  grads: Arr[];
  totalNorm: number;
  clipped: Arr[];
}
export interface ClipValueCase {
  name: string;
  kind: 'clipGradValue';
  value: number;
  grads: Arr[];
  clipped: Arr[];
}
type Case = OptimizerCase | ScheduleCase | ClipNormCase | ClipValueCase;

const fixture = JSON.parse(readFileSync(new URL('./fixtures/optim.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
};

export const torchVersion = fixture.torch;
export const optimizerCases = fixture.cases.filter((c): c is OptimizerCase => c.kind === 'optimizer');
export const scheduleCases = fixture.cases.filter((c): c is ScheduleCase => c.kind === 'schedule');
export const clipNormCases = fixture.cases.filter((c): c is ClipNormCase => c.kind === 'clipGradNorm');
export const clipValueCases = fixture.cases.filter((c): c is ClipValueCase => c.kind === 'clipGradValue');

export function toTensor(a: Arr): Tensor {
  return tensor(Float32Array.from(a.data), a.shape);
}

/** Largest violation of |actual − expected| ≤ atol + rtol·|expected| (≤ 0 means all within). */
export function worstExcess(
  actual: ArrayLike<number>,
  expected: readonly number[],
  rtol: number,
  atol: number,
): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const excess = Number.isNaN(a) ? Number.POSITIVE_INFINITY : Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (excess > worst) worst = excess;
  }
  return worst;
}

/** Max relative error, for reporting. */
export function maxRelError(actual: ArrayLike<number>, expected: readonly number[], floor = 1e-3): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor));
  }
  return worst;
}

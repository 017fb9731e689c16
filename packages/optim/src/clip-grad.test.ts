import { NonFiniteError, ones, type Tensor, tensor, ValueError, zeros } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from './clip-grad.js';

function param(grad: number[] | null, name?: string): Tensor {
  const p = zeros([grad?.length ?? 1]).requiresGrad_();
  if (grad) p.grad = tensor(grad);
  if (name) p.name = name;
  return p;
}
const grads = (ps: Tensor[]) => ps.map((p) => (p.grad ? Array.from(p.grad.dataSync()) : null));

describe('clipGradNorm', () => {
  it('scales by maxNorm / (norm + 1e-6) and returns the norm before clipping (exact oracle)', () => {
    const ps = [param([3, 0]), param([0, 4]), param(null)];
    const total = clipGradNorm(ps, 1);
    expect(total).toBe(5);
    const coef = 1 / (5 + 1e-6);
    expect(grads(ps)).toEqual([
      [Math.fround(3 * Math.fround(coef)), 0],
      [0, Math.fround(4 * Math.fround(coef))],
      null,
    ]);
  });

  it('leaves gradients untouched (bit for bit) when the norm is within maxNorm', () => {
    const ps = [param([0.1, -0.2]), param([0.3])];
    const before = grads(ps);
    expect(clipGradNorm(ps, 10)).toBeCloseTo(Math.sqrt(0.14), 6);
    expect(grads(ps)).toEqual(before);
  });

  it('supports the inf-norm, the 1-norm and general p, and a single tensor', () => {
    expect(clipGradNorm([param([1, -7]), param([2])], 100, { normType: Number.POSITIVE_INFINITY })).toBe(7);
    expect(clipGradNorm([param([1, -7]), param([2])], 100, { normType: 1 })).toBe(10);
    expect(clipGradNorm([param([1, -2]), param([2])], 100, { normType: 3 })).toBeCloseTo(17 ** (1 / 3), 5);
    expect(clipGradNorm(param([-6]), 100)).toBe(6);
  });

  it('returns 0 when no parameter has a gradient', () => {
    expect(clipGradNorm([param(null)], 1)).toBe(0);
  });

  it('with errorIfNonfinite names the parameter by name, else by index, and leaves gradients alone', () => {
    const named = [param([1]), param([2, Number.NaN], 'fc2.bias')];
    expect(() => clipGradNorm(named, 1, { errorIfNonfinite: true })).toThrow(NonFiniteError);
    expect(() => clipGradNorm(named, 1, { errorIfNonfinite: true })).toThrow(
      /total 2-norm of the gradients is NaN: the gradient of parameter 'fc2\.bias' \(index 1\) contains NaN or Inf/,
    );
    expect(grads(named)).toEqual([[1], [2, Number.NaN]]);
    const unnamed = [param(null), param([1]), param([Number.POSITIVE_INFINITY])];
    expect(() =>
      clipGradNorm(unnamed, 1, { normType: Number.POSITIVE_INFINITY, errorIfNonfinite: true }),
    ).toThrow(
      /total inf-norm of the gradients is Infinity: the gradient of parameter index 2 contains NaN or Inf/,
    );
  });

  it('reports a norm that overflows float32 although every gradient is finite', () => {
    const ps = [param([3e38, 3e38])];
    expect(() => clipGradNorm(ps, 1, { errorIfNonfinite: true })).toThrow(
      /every gradient is finite but the norm of parameter index 0 overflows/,
    );
  });

  it('without errorIfNonfinite a NaN norm turns the gradients into NaN, as PyTorch', () => {
    const ps = [param([1, 2]), param([Number.NaN])];
    expect(clipGradNorm(ps, 1)).toBeNaN();
    expect(
      grads(ps)
        .flat()
        .every((v) => Number.isNaN(v)),
    ).toBe(true);
  });

  it('rejects a bad maxNorm or normType', () => {
    expect(() => clipGradNorm([param([1])], -1)).toThrow(ValueError);
    expect(() => clipGradNorm([param([1])], -1)).toThrow(/clipGradNorm: invalid maxNorm: -1/);
    expect(() => clipGradNorm([param([1])], 1, { normType: 0 })).toThrow(/invalid normType: 0/);
    expect(() => clipGradNorm([param([1])], 1, { normType: Number.NaN })).toThrow(/invalid normType: NaN/);
  });

  it('handles empty gradients', () => {
    expect(
      clipGradNorm(
        [
          param([3, 4]),
          (() => {
            const p = zeros([0]).requiresGrad_();
            p.grad = zeros([0]);
            return p;
          })(),
        ],
        1,
      ),
    ).toBe(5);
  });
});

describe('clipGradValue', () => {
  it('clamps every gradient to [-v, v] and keeps NaN', () => {
    const ps = [param([-3, 0.5, 3]), param([Number.NaN, -0.25]), param(null)];
    clipGradValue(ps, 1);
    expect(grads(ps)).toEqual([[-1, 0.5, 1], [Number.NaN, -0.25], null]);
  });
  it('rejects a negative or non-finite value', () => {
    expect(() => clipGradValue([param([1])], -0.5)).toThrow(/clipGradValue: invalid clipValue: -0\.5/);
    expect(() => clipGradValue(ones([1]), Number.NaN)).toThrow(ValueError);
  });
});

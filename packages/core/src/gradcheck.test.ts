import { describe, expect, it } from 'vitest';
import { GradcheckError, gradcheck } from './gradcheck.js';
import * as g from './index.js';

describe('gradcheck', () => {
  it('accepts correct gradients and reports small errors', () => {
    const x = g.randn([3, 4], { seed: 1 });
    const w = g.randn([4, 2], { seed: 2 });
    const r = gradcheck((a, b) => g.tanh(g.matmul(a, b!)), [x, w]);
    expect(r.checked).toBe(12 + 8);
    expect(r.maxAbsError).toBeGreaterThan(0); // float32 differences are never exact
    expect(r.maxAbsError).toBeLessThan(1e-3);
    expect(r.maxRelError).toBeLessThan(1e-2);
    x.dispose();
    w.dispose();
  });

  it('passes int32 inputs through unchecked', () => {
    const x = g.randn([4, 3], { seed: 3 });
    const idx = g.tensor([3, 0, 3], [3], 'int32');
    const r = gradcheck((a, i) => g.gather(a, i!, 0), [x, idx]);
    expect(r.checked).toBe(12);
  });

  it('names the input, element and both values when a gradient rule is wrong', () => {
    const x = g.tensor([
      [0.3, -0.7],
      [1.1, 0.2],
    ]);
    // a backward rule 5% too large, as a subtle bug would be
    const wrong = (a: g.Tensor) =>
      g.withGradOverride(
        { tanh: (dy, ctx) => ctx.defaultBackward(dy).map((d) => d?.mul(1.05) ?? null) },
        () => g.tanh(a),
      );
    let err: unknown;
    try {
      gradcheck(wrong, [x]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GradcheckError);
    expect(err).toBeInstanceOf(g.AutogradError);
    const e = err as GradcheckError;
    expect(e.inputIndex).toBe(0);
    expect(e.elementIndex).toBe(0);
    expect(e.analytic / e.numeric).toBeCloseTo(1.05, 3);
    expect(e.message).toMatch(/input 0 .*element 0 \[0,0\].*analytic .*numeric /);
  });

  it('finds a gradient that is missing for one input', () => {
    // mul whose backward forgets the second operand
    const badMul = (a: g.Tensor, b: g.Tensor) => {
      const y = g.noGrad(() => g.mul(a, b));
      return g.record('badMul', [a, b], y, (dy) => [g.mul(dy, b), null]);
    };
    const a = g.tensor([1, 2, 3]);
    const b = g.tensor([0.5, -1, 2]);
    expect(() => gradcheck((x, y) => badMul(x, y!), [a, b])).toThrow(/input 1 .*analytic 0, numeric/);
  });

  it('is reproducible for a seed and projects differently for another seed', () => {
    const x = g.randn([5], { seed: 4 });
    const f = (a: g.Tensor) => g.sin(a).mul(a);
    const r1 = gradcheck(f, [x], { seed: 7 });
    const r2 = gradcheck(f, [x], { seed: 7 });
    const r3 = gradcheck(f, [x], { seed: 8 });
    expect(r2).toEqual(r1);
    expect(r3.maxAbsError).not.toBe(r1.maxAbsError);
  });

  it('a tolerance below float32 noise fails, so the default is not vacuous', () => {
    const x = g.randn([3, 3], { seed: 5 });
    expect(() => gradcheck(g.exp, [x], { atol: 0, rtol: 1e-9 })).toThrow(GradcheckError);
    expect(() => gradcheck(g.exp, [x], { eps: 1e-3 })).not.toThrow();
  });

  it('rejects int32 outputs', () => {
    const x = g.randn([3], { seed: 6 });
    expect(() => gradcheck((a) => g.argmax(a), [x])).toThrow(/float32/);
  });

  it('leaves inputs, their grads and memory as they were', () => {
    const p = g.randn([2, 3], { seed: 8 }).requiresGrad_();
    const before = Array.from(p.dataSync());
    const m0 = g.memory();
    gradcheck((a) => a.square().sum(), [p]);
    const m1 = g.memory();
    expect(m1.numTensors).toBe(m0.numTensors);
    expect(m1.numDataIds).toBe(m0.numDataIds);
    expect(Array.from(p.dataSync())).toEqual(before);
    expect(p.grad).toBeNull();
    expect(p.requiresGrad).toBe(true);
    p.dispose();
  });
});

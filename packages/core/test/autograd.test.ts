import * as g from '@gradsight/core';
import { afterEach, describe, expect, it } from 'vitest';

const values = (t: g.Tensor | null) => Array.from(t!.dataSync());
const close = (t: g.Tensor | null, want: number[]) => {
  const got = values(t);
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => {
    expect(v).toBeCloseTo(want[i]!, 5);
  });
};

afterEach(() => {
  expect(g.isGradEnabled()).toBe(true);
});

describe('backward and .grad', () => {
  it('accumulates into .grad across two backward calls', () => {
    const x = g.tensor([1, 2, 3]).requiresGrad_();
    x.mul(x).sum().backward(); // 2x
    close(x.grad, [2, 4, 6]);
    x.mul(3).sum().backward(); // + 3
    close(x.grad, [5, 7, 9]);
    x.grad!.dispose();
    x.grad = null;
    x.mul(3).sum().backward();
    close(x.grad, [3, 3, 3]);
  });

  it('retainGraph lets the same graph run backward twice; without it the second call throws', () => {
    const x = g.tensor([0.5, -1]).requiresGrad_();
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    close(x.grad, [2 * Math.exp(0.5), 2 * Math.exp(-1)]);
    expect(() => y.backward()).toThrow(g.AutogradError);
    expect(() => y.backward()).toThrow(/a second time.*retainGraph: true/);
  });

  it('requires an explicit gradient for a non-scalar output', () => {
    const x = g.tensor([1, 2]).requiresGrad_();
    const y = x.mul(x);
    expect(() => y.backward()).toThrow(g.AutogradError);
    expect(() => y.backward()).toThrow(/not a scalar; pass a gradient/);
    expect(() => y.backward(g.tensor([1, 1, 1]))).toThrow(g.ShapeError);
    y.backward(g.tensor([1, 0.5]));
    close(x.grad, [2, 2]);
  });

  it('refuses backward on a tensor that has no graph', () => {
    expect(() => g.tensor(3).backward()).toThrow(/does not require grad/);
  });

  it('keeps .grad on intermediates with retainGrad, and only there', () => {
    const x = g.tensor([1, -2]).requiresGrad_();
    const h = x.mul(2).retainGrad();
    const other = h.add(1);
    other.mul(other).sum().backward(); // d/dh = 2(h+1)
    close(h.grad, [6, -6]);
    close(x.grad, [12, -12]);
    expect(other.grad).toBeNull();
  });

  it('registerHook sees the fully accumulated gradient and can replace it', () => {
    const x = g.tensor([1, 2]).requiresGrad_();
    const h = x.mul(3);
    const seen: number[][] = [];
    h.registerHook((grad) => void seen.push(values(grad)));
    const replace = h.registerHook((grad) => g.onesLike(grad));
    h.add(h).sum().backward(); // h used twice: the hook sees 2, once
    expect(seen).toEqual([[2, 2]]);
    close(x.grad, [3, 3]); // replaced by ones, times dh/dx = 3
    replace.remove();
    // a removed hook no longer fires
    const h2 = x.mul(3);
    h2.registerHook((grad) => grad.mul(100)).remove();
    x.grad = null;
    h2.mul(h2).sum().backward(); // 2·h2·3
    close(x.grad, [18, 36]);
  });
});

describe('grad modes and functional transforms', () => {
  it('noGrad records nothing and restores the mode, even after a throw', () => {
    const x = g.tensor([1, 2]).requiresGrad_();
    const y = g.noGrad(() => {
      expect(g.isGradEnabled()).toBe(false);
      return g.noGrad(() => x.mul(2));
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(() => y.sum().backward()).toThrow(g.AutogradError);
    expect(() =>
      g.noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it('grad and valueAndGrad give per-example gradients over a batch', () => {
    // f: [B, 3] → [B], f(x)_b = Σ_j x_bj² + sin(x_b0); df/dx_bj = 2 x_bj + cos(x_b0)·[j = 0]
    const f = (x: g.Tensor) =>
      x
        .square()
        .sum(1)
        .add(g.sin(g.slice(x, [0, 0], [-1, 1]).reshape([-1])));
    const x = g.tensor([
      [1, 2, 3],
      [0.5, -1, 0],
      [-2, 0.25, 4],
      [0, 0, 0],
    ]);
    const dx = g.grad(f)(x);
    const rows = x.arraySync() as number[][];
    close(
      dx,
      rows.flatMap((r) => r.map((v, j) => 2 * v + (j === 0 ? Math.cos(r[0]!) : 0))),
    );
    const { value, grad } = g.valueAndGrad(f)(x, g.tensor([1, 0, 2, 1]));
    close(
      value,
      rows.map((r) => r[0]! ** 2 + r[1]! ** 2 + r[2]! ** 2 + Math.sin(r[0]!)),
    );
    const w = [1, 0, 2, 1];
    close(
      grad,
      rows.flatMap((r, b) => r.map((v, j) => w[b]! * (2 * v + (j === 0 ? Math.cos(r[0]!) : 0)))),
    );
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('gradients() differentiates w.r.t. an intermediate tensor without touching .grad', () => {
    const x = g.tensor([0.1, 0.7, -0.4]).requiresGrad_();
    const h = x.mul(3);
    const y = h.sin().sum();
    const unrelated = g.tensor([5, 5]).requiresGrad_();
    const [dh, dxx, du] = g.gradients(y, [h, x, unrelated]);
    const xs = [0.1, 0.7, -0.4];
    close(
      dh!,
      xs.map((v) => Math.cos(3 * v)),
    );
    close(
      dxx!,
      xs.map((v) => 3 * Math.cos(3 * v)),
    );
    close(du!, [0, 0]);
    expect(x.grad).toBeNull();
  });

  it('valueAndGrads handles several inputs', () => {
    const { value, grads } = g.valueAndGrads((a, b) => a.mul(b!).sum())([g.tensor([1, 2]), g.tensor([3, 4])]);
    expect(value.item()).toBe(11);
    close(grads[0]!, [3, 4]);
    close(grads[1]!, [1, 2]);
  });
});

describe('withGradOverride', () => {
  // guided backprop: only positive gradients flow back through ReLU
  const guided: g.GradOverride = (dy, ctx) => ctx.defaultBackward(g.relu(dy));

  it('replaces the backward rule of ops recorded inside the scope only', () => {
    const x = g.tensor([-1, 2, 3]).requiresGrad_();
    const w = g.tensor([1, -1, 2]);
    const inside = g.withGradOverride({ relu: guided }, () => g.relu(x));
    const outside = g.relu(x);
    // backward runs after the scope closed: the rule stays with the op it was recorded on
    inside.mul(w).sum().add(outside.mul(w).sum()).backward();
    // guided: relu(w)·step(x) = [0, 0, 2]; default: w·step(x) = [0, −1, 2]
    close(x.grad, [0, -1, 4]);
  });

  it('affects the functional op wherever it is called, and no other op', () => {
    const x = g.tensor([0.5, 1.5]).requiresGrad_();
    const { relu: r } = g;
    const y = g.withGradOverride({ relu: guided }, () =>
      g
        .tanh(r(x))
        .mul(g.tensor([-1, 1]))
        .sum(),
    );
    y.backward();
    const d = (v: number) => 1 - Math.tanh(v) ** 2;
    close(x.grad, [0, d(1.5)]);
  });

  it('nested scopes: the innermost rule wins and the outer one returns after', () => {
    const zero: g.GradOverride = (dy) => [dy.mul(0)];
    const x = g.tensor([2]).requiresGrad_();
    const [a, b] = g.withGradOverride({ relu: guided }, () => [
      g.withGradOverride({ relu: zero }, () => g.relu(x)),
      g.relu(x),
    ]);
    a!.mul(-1).add(b!.mul(-1)).sum().backward();
    close(x.grad, [0]); // zero from a; guided clamps b's −1 to 0
  });
});

describe('training', () => {
  it('trains XOR with tidy, backward and manual SGD', () => {
    const x = g.tensor([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = g.tensor([[0], [1], [1], [0]]);
    const params = [
      g.randn([2, 8], { seed: 1 }),
      g.zeros([8]),
      g.randn([8, 1], { seed: 2 }),
      g.zeros([1]),
    ].map((p) => p.requiresGrad_());
    const [w1, b1, w2, b2] = params as [g.Tensor, g.Tensor, g.Tensor, g.Tensor];
    const losses: number[] = [];
    for (let i = 0; i < 500; i++) {
      losses.push(
        g.tidy(() => {
          const out = g.sigmoid(g.tanh(x.matmul(w1).add(b1)).matmul(w2).add(b2));
          const loss = out.sub(y).square().mean();
          loss.backward();
          for (const p of params) {
            p.assign(p.sub(p.grad!));
            p.grad!.dispose();
            p.grad = null;
          }
          return loss.item();
        }),
      );
    }
    expect(losses[499]!).toBeLessThan(losses[0]! / 5);
    const pred = g.tidy(() => g.sigmoid(g.tanh(x.matmul(w1).add(b1)).matmul(w2).add(b2)).dataSync());
    expect(Array.from(pred, (p) => (p > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });
});

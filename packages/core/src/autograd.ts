/**
 * Reverse-mode autograd shaped like micrograd: every op output that depends on a tensor
 * requiring grad holds a node with its parents and a backward closure; `backward()` walks the
 * graph in reverse topological order. The closures are written in ops (see the ops-*.ts files),
 * so every backend gets every gradient.
 */

import { onesLike } from './creation.js';
import { isGradEnabled, keep, noGrad, tidy } from './engine.js';
import { AutogradError, fmtShape, ShapeError } from './errors.js';
import { add } from './ops-binary.js';
import { shapesEqual } from './shape.js';
import type { Tensor } from './tensor.js';

/** Returns the gradient of each parent (null where a parent gets none). */
export type BackwardFn = (dy: Tensor) => (Tensor | null)[];
export type GradHook = (grad: Tensor) => Tensor | undefined;

export interface GradNode {
  readonly op: string;
  parents: Tensor[];
  backward: BackwardFn;
  freed: boolean;
}

/**
 * A replacement backward rule. It receives the op's inputs and output and the default rule,
 * so e.g. guided backprop can call the default and clamp the result.
 */
export type GradOverride = (
  dy: Tensor,
  ctx: { inputs: readonly Tensor[]; output: Tensor; defaultBackward: BackwardFn },
) => (Tensor | null)[];

const overrideStack: ReadonlyMap<string, GradOverride>[] = [];

/**
 * Runs `fn` with replaced backward rules for the named ops (e.g. `{ relu: … }`). Rules attach
 * to ops recorded inside the scope, so a functional `relu` and a `ReLU` module behave the same;
 * the backward pass may run later, outside the scope.
 */
export function withGradOverride<T>(rules: Record<string, GradOverride>, fn: () => T): T {
  overrideStack.push(new Map(Object.entries(rules)));
  try {
    return fn();
  } finally {
    overrideStack.pop();
  }
}

function findOverride(op: string): GradOverride | undefined {
  for (let i = overrideStack.length - 1; i >= 0; i--) {
    const rule = overrideStack[i]!.get(op);
    if (rule) return rule;
  }
  return undefined;
}

/** Attaches a node to `output` when grad mode is on and some input requires grad. */
export function record(op: string, inputs: Tensor[], output: Tensor, backward: BackwardFn): Tensor {
  if (!isGradEnabled() || !inputs.some((t) => t.requiresGrad)) return output;
  const rule = findOverride(op);
  const fn: BackwardFn = rule ? (dy) => rule(dy, { inputs, output, defaultBackward: backward }) : backward;
  output.markRequiresGrad({ op, parents: inputs, backward: fn, freed: false });
  return output;
}

/** Reverse topological order of the tensors reachable from `root` that require grad. */
function reverseTopo(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    const parents = t.node?.parents ?? [];
    if (i < parents.length) {
      top[1]++;
      const p = parents[i]!;
      if (p.requiresGrad && !seen.has(p)) {
        seen.add(p);
        stack.push([p, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

interface RunOptions {
  retainGraph: boolean;
  /** Accumulate into `.grad` of leaves and retained tensors (backward) or only collect. */
  accumulate: boolean;
  targets?: readonly Tensor[];
}

function run(root: Tensor, seed: Tensor, opts: RunOptions): Map<Tensor, Tensor> {
  const grads = new Map<Tensor, Tensor>();
  const wanted = opts.targets ? new Set(opts.targets) : null;
  const found = new Map<Tensor, Tensor>();
  grads.set(root, seed);
  const order = reverseTopo(root);
  for (const t of order) {
    let g = grads.get(t);
    if (!g) continue;
    for (const hook of t.hooks) {
      const replaced = hook(g);
      if (replaced) g = replaced;
    }
    if (wanted?.has(t)) found.set(t, g);
    if (opts.accumulate && (t.node === null || t.retainsGrad)) {
      const prev = t.grad;
      // clone: the seed or a hook's result may be owned by the caller
      const next = prev ? add(prev, g) : g.clone();
      t.grad = keep(next);
      if (prev) prev.dispose();
    }
    const node = t.node;
    if (!node) continue;
    if (node.freed) {
      throw new AutogradError(
        `backward: tried to backward through '${node.op}' a second time; its graph was freed. ` +
          'Pass { retainGraph: true } to the first backward() to keep it.',
      );
    }
    const parentGrads = node.backward(g);
    for (let i = 0; i < node.parents.length; i++) {
      const p = node.parents[i]!;
      const pg = parentGrads[i];
      if (!p.requiresGrad || !pg) continue;
      if (!shapesEqual(pg.shape, p.shape)) {
        throw new ShapeError(
          `backward of '${node.op}': gradient for input ${i} has shape ${fmtShape(pg.shape)}, expected ${fmtShape(p.shape)}.`,
        );
      }
      const prev = grads.get(p);
      grads.set(p, prev ? add(prev, pg) : pg);
    }
    if (!opts.retainGraph) {
      node.freed = true;
      node.parents = [];
      node.backward = () => [];
    }
  }
  return found;
}

function seedFor(root: Tensor, gradient: Tensor | undefined, what: string): Tensor {
  if (gradient) {
    if (!shapesEqual(gradient.shape, root.shape)) {
      throw new ShapeError(
        `${what}: gradient shape ${fmtShape(gradient.shape)} does not match output ${fmtShape(root.shape)}.`,
      );
    }
    return gradient;
  }
  return onesLike(root);
}

/** `tensor.backward()`: accumulates d(root)/d(leaf) into every leaf's `.grad`. */
export function backward(root: Tensor, gradient?: Tensor, options?: { retainGraph?: boolean }): void {
  if (!root.requiresGrad) {
    throw new AutogradError(
      `backward: tensor ${root.describe()} does not require grad and has no graph; ` +
        'set requiresGrad on the parameters before computing it.',
    );
  }
  if (!gradient && root.size !== 1) {
    throw new AutogradError(
      `backward: output ${root.describe()} is not a scalar; pass a gradient of the same shape (grad can be implicitly created only for scalar outputs).`,
    );
  }
  tidy(() => {
    noGrad(() => {
      run(root, seedFor(root, gradient, 'backward'), {
        retainGraph: options?.retainGraph ?? false,
        accumulate: true,
      });
    });
  });
}

/**
 * Gradients of `y` (weighted by `dy`, default ones: the gradient of `sum(y)`) with respect to
 * each of `xs`, which may be leaves or intermediate tensors. Does not touch `.grad`. Inputs
 * that `y` does not depend on get zeros.
 */
export function gradients(
  y: Tensor,
  xs: readonly Tensor[],
  dy?: Tensor,
  options?: { retainGraph?: boolean },
): Tensor[] {
  return tidy(() =>
    noGrad(() => {
      if (!y.requiresGrad) return xs.map((x) => zerosFor(x));
      const found = run(y, seedFor(y, dy, 'gradients'), {
        retainGraph: options?.retainGraph ?? true,
        accumulate: false,
        targets: xs,
      });
      return xs.map((x) => {
        const g = found.get(x);
        return g ? g.clone() : zerosFor(x);
      });
    }),
  );
}

function zerosFor(x: Tensor): Tensor {
  return onesLike(x).mul(0);
}

/**
 * `grad(f)(x, dy?)`: the gradient of `f` at `x` (of `sum(f(x))`, or weighted by `dy`). Works on
 * a whole batch at once: for per-example outputs `[B]` it returns per-example input gradients.
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => valueAndGrad(f)(x, dy).grad;
}

/** `valueAndGrad(f)(x, dy?)` returns `{ value: f(x), grad }`. */
export function valueAndGrad(
  f: (x: Tensor) => Tensor,
): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads } = valueAndGrads((a: Tensor) => f(a))([x], dy);
    return { value, grad: grads[0]! };
  };
}

/** Multi-input form: `valueAndGrads(f)([a, b], dy?)` → `{ value, grads: [da, db] }`. */
export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: readonly Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) =>
    tidy(() => {
      const leaves = xs.map((x) => {
        const v = x.detach();
        v.requiresGrad_(true);
        return v;
      });
      try {
        const out = f(...leaves);
        const grads = gradients(out, leaves, dy, { retainGraph: false });
        return { value: out.detach(), grads };
      } finally {
        for (const v of leaves) v.dispose();
      }
    });
}

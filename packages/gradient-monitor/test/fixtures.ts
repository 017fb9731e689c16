/**
 * Seeded fixture networks for the monitor's verification tests, built from @gradsight/layers.
 * Each has a known gradient behaviour the diagnosis must report (or must not).
 */
import {
  add,
  log,
  mul,
  noGrad,
  randint,
  randn,
  sgdUpdate,
  softmaxCrossEntropy,
  sqrt,
  type Tensor,
  tidy,
} from '@gradsight/core';
import {
  BatchNorm1d,
  init,
  Linear,
  Module,
  ReLU,
  Residual,
  Sequential,
  Sigmoid,
  Tanh,
} from '@gradsight/layers';

export type Act = 'sigmoid' | 'relu' | 'tanh';

export interface MlpOptions {
  depth: number;
  width?: number;
  inFeatures?: number;
  classes?: number;
  act: Act;
  /** 'default' (PyTorch's), 'he' (kaiming normal, relu), or a normal with std = gain/√fanIn. */
  init?: 'default' | 'he' | { gain: number };
  batchNorm?: boolean;
  seed?: number;
}

function activation(act: Act): Module {
  return act === 'sigmoid' ? new Sigmoid() : act === 'relu' ? new ReLU() : new Tanh();
}

function linear(inF: number, outF: number, o: MlpOptions, seed: number): Linear {
  const l = new Linear(inF, outF, { seed });
  const i = o.init ?? 'default';
  if (i === 'he') init.kaimingNormal(l.weight, { seed: seed + 7919, nonlinearity: 'relu' });
  else if (i !== 'default') init.normal(l.weight, { seed: seed + 7919, std: i.gain / Math.sqrt(inF) });
  return l;
}

/** `depth` Linear layers with an activation (and optional BatchNorm1d) between them. */
export function mlp(o: MlpOptions): Sequential {
  const width = o.width ?? 32;
  const inF = o.inFeatures ?? 16;
  const classes = o.classes ?? 10;
  const seed = o.seed ?? 1;
  const mods: Module[] = [];
  for (let i = 0; i < o.depth; i++) {
    const last = i === o.depth - 1;
    mods.push(linear(i === 0 ? inF : width, last ? classes : width, o, seed * 1000 + i));
    if (!last) {
      if (o.batchNorm) mods.push(new BatchNorm1d(width));
      mods.push(activation(o.act));
    }
  }
  return new Sequential(...mods);
}

/** Linear stem, `blocks` residual blocks x + Linear(act(Linear(x))), linear head. */
export function residualNet(o: { blocks: number; act: Act; width?: number; seed?: number }): Sequential {
  const width = o.width ?? 32;
  const seed = o.seed ?? 1;
  const base: MlpOptions = { depth: 0, act: o.act };
  const mods: Module[] = [linear(16, width, base, seed * 1000)];
  for (let b = 0; b < o.blocks; b++) {
    mods.push(
      new Residual(
        new Sequential(
          activation(o.act),
          linear(width, width, base, seed * 1000 + 2 * b + 1),
          activation(o.act),
          linear(width, width, base, seed * 1000 + 2 * b + 2),
        ),
      ),
    );
  }
  mods.push(activation(o.act), linear(width, 10, base, seed * 1000 + 999));
  return new Sequential(...mods);
}

export interface Batch {
  x: Tensor;
  y: Tensor;
}

export function batch(seed: number, size = 32, inF = 16, classes = 10): Batch {
  return { x: randn([size, inF], { seed }), y: randint(0, classes, [size], { seed: seed + 1 }) };
}

/** Mean softmax cross-entropy. */
export function lossOf(model: Module, b: Batch): Tensor {
  return softmaxCrossEntropy(model.call(b.x), b.y).mean();
}

export function zeroGrad(model: Module): void {
  for (const p of model.parameters()) {
    p.grad?.dispose();
    p.grad = null;
  }
}

/** Plain SGD through core's sgdUpdate: the `{ step() }` shape wrapOptimizer expects. */
export class Sgd {
  private first = true;
  constructor(
    readonly params: Tensor[],
    public lr: number,
  ) {}
  step(): void {
    noGrad(() => {
      for (const p of this.params) {
        if (!p.grad) continue;
        sgdUpdate(p, p.grad, null, {
          lr: this.lr,
          momentum: 0,
          dampening: 0,
          weightDecay: 0,
          nesterov: false,
          firstStep: this.first,
        });
      }
    });
    this.first = false;
  }
  zeroGrad(): void {
    for (const p of this.params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }
}

/** Runs `steps` training steps with the monitor bracketing the update. */
export function train(
  model: Module,
  monitor: { afterBackward(l: Tensor): unknown; wrapOptimizer<O extends { step(): unknown }>(o: O): O },
  steps: number,
  lr = 0.05,
  seed = 100,
): void {
  const opt = monitor.wrapOptimizer(new Sgd(model.parameters(), lr));
  for (let s = 0; s < steps; s++) {
    tidy(() => {
      opt.zeroGrad();
      const loss = lossOf(model, batch(seed + s));
      loss.backward();
      monitor.afterBackward(loss);
      opt.step();
    });
  }
}

/** Independent oracle: Σ x² over a tensor's values in storage order, in float64. */
export function sumSquares(t: Tensor): number {
  const d = t.dataSync();
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return s;
}

/**
 * log(x + shift): finite for the activations it sees (shift 10), until the step it is armed
 * for, when shift becomes −10 and every value is the log of a negative number.
 */
export class InjectLog extends Module {
  readonly typeName = 'Log';
  calls = 0;
  constructor(readonly armedAtCall: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    const shift = this.calls++ === this.armedAtCall ? -10 : 10;
    return log(add(x, shift));
  }
}

/** sqrt(0·x): forward is 0 (finite), backward is ∞·0 = NaN, made by this module's backward. */
export class SqrtOfZero extends Module {
  readonly typeName = 'SqrtOfZero';
  forward(x: Tensor): Tensor {
    return sqrt(mul(x, 0));
  }
}

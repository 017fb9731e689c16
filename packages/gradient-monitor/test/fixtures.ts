/**
 * Seeded fixture networks for the monitor's verification tests, built from @gradsight/layers.
 * Each has a known gradient behaviour the diagnosis must report (or must not).
 */
import {
  add,
  Generator,
  log,
  mul,
  noGrad,
  randint,
  randn,
  sgdUpdate,
  softmaxCrossEntropy,
  sqrt,
  type Tensor,
  tensor,
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

/**
 * The main demo's remedied net (apps/demo-node's deepMlp('relu-he-batchnorm')), rebuilt here
 * with the same seeds: `depth` Linear layers of `width` units (2 inputs, 2 classes), each
 * hidden one He-initialised and followed by BatchNorm1d and ReLU.
 */
export function bnReluMlp(o: { depth?: number; width?: number; seed?: number } = {}): Sequential {
  const { depth = 16, width = 32, seed = 1 } = o;
  const mods: Module[] = [];
  for (let i = 0; i < depth; i++) {
    const last = i === depth - 1;
    const lin = new Linear(i === 0 ? 2 : width, last ? 2 : width, { seed: seed * 1000 + i });
    mods.push(lin);
    if (last) break;
    init.kaimingNormal(lin.weight, { nonlinearity: 'relu', seed: seed * 1000 + 500 + i });
    mods.push(new BatchNorm1d(width), new ReLU());
  }
  return new Sequential(...mods);
}

/** Two interleaved spirals (2-D points, classes 0/1 alternating), as in the main demo. */
export function twoSpirals(perClass: number, seed: number, noise = 0.08): Batch {
  const gen = new Generator(seed);
  const n = perClass * 2;
  const xs = new Float32Array(n * 2);
  const ys = new Int32Array(n);
  for (let i = 0; i < perClass; i++) {
    const t = (i / perClass) * 3 * Math.PI + 0.5;
    const r = t / (3 * Math.PI);
    for (const cls of [0, 1]) {
      const k = 2 * i + cls;
      const sign = cls === 0 ? 1 : -1;
      xs[2 * k] = sign * r * Math.cos(t) + noise * gen.normal();
      xs[2 * k + 1] = sign * r * Math.sin(t) + noise * gen.normal();
      ys[k] = cls;
    }
  }
  return { x: tensor(xs, [n, 2]), y: tensor(ys, [n], 'int32') };
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

/**
 * The point of this package: at depth 20, an MLP with sigmoid activations and default init
 * does not train (its gradients vanish), while ReLU + He init, batch normalisation, and
 * residual connections each do, on the same seeded task with the same optimiser (SGD, lr 0.1,
 * momentum 0.9, gradients clipped to global norm 1 so that the ReLU net cannot diverge; the
 * sigmoid net's gradients are far below the clipping norm, so clipping does not hold it back).
 */
import * as g from '@gradsight/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  crossEntropy,
  fit as fitModel,
  init,
  Linear,
  type Module,
  ReLU,
  Residual,
  Sequential,
  Sigmoid,
} from '../src/index.js';
import { TinySgd } from './sgd.js';

const DEPTH = 20; // Linear layers
const WIDTH = 32;
const IN = 8;

/** Two classes separated by a nonlinear teacher: sign(sin(x·u) + (x·v)² − 1). */
function toyTask(n: number, seed: number): { x: g.Tensor; y: g.Tensor } {
  const gen = new g.Generator(seed);
  const u = Array.from({ length: IN }, () => gen.normal() / Math.sqrt(IN));
  const v = Array.from({ length: IN }, () => gen.normal() / Math.sqrt(IN));
  const xs = new Float32Array(n * IN);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < IN; j++) {
      const val = gen.normal();
      xs[i * IN + j] = val;
      a += val * u[j]!;
      b += val * v[j]!;
    }
    ys[i] = Math.sin(2 * a) + b * b - 0.8 > 0 ? 1 : 0;
  }
  return { x: g.tensor(xs, [n, IN]), y: g.tensor(ys, [n], 'int32') };
}

function mlp(
  activation: () => Module,
  options: { he?: boolean; batchNorm?: boolean; seed: number },
): Sequential {
  const gen = new g.Generator(options.seed);
  const net = new Sequential();
  for (let i = 0; i < DEPTH - 1; i++) {
    const lin = new Linear(i === 0 ? IN : WIDTH, WIDTH, { generator: gen });
    if (options.he) {
      init.kaimingNormal(lin.weight, { nonlinearity: 'relu', generator: gen });
      init.zeros(lin.bias!);
    }
    net.append(lin);
    if (options.batchNorm) net.append(new BatchNorm1d(WIDTH));
    net.append(activation());
  }
  net.append(new Linear(WIDTH, 2, { generator: gen }));
  return net;
}

function residualNet(seed: number): Sequential {
  const gen = new g.Generator(seed);
  const net = new Sequential(new Linear(IN, WIDTH, { generator: gen }));
  // 18 blocks of one Linear each, plus the input and output layers: 20 Linear layers.
  for (let i = 0; i < DEPTH - 2; i++)
    net.append(new Residual(new Sequential(new ReLU(), new Linear(WIDTH, WIDTH, { generator: gen }))));
  net.append(new ReLU());
  net.append(new Linear(WIDTH, 2, { generator: gen }));
  return net;
}

async function train(
  net: Module,
  data: { x: g.Tensor; y: g.Tensor },
): Promise<{ first: number; last: number }> {
  const opt = new TinySgd(net.parameters(), 0.1, 0.9, 1);
  const losses: number[] = [];
  await fitModel(net, data, {
    loss: (p, t) => crossEntropy(p, t),
    optimizer: opt,
    epochs: 60,
    batchSize: 32,
    seed: 3,
    onProgress: (e) => void (e.type === 'batch' && losses.push(e.loss)),
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { first: mean(losses.slice(0, 8)), last: mean(losses.slice(-8)) };
}

type Result = { first: number; last: number };

const data = toyTask(128, 7);
const builders: Record<string, () => Module> = {
  'relu+he': () => mlp(() => new ReLU(), { he: true, seed: 1 }),
  batchnorm: () => mlp(() => new ReLU(), { batchNorm: true, seed: 1 }),
  residual: () => residualNet(1),
};

// Generous timeouts: these are CPU-bound on the reference backend and the machine may be shared.
const SLOW = 240_000;

describe(`depth-${DEPTH} MLPs on a toy task (reference backend)`, () => {
  let sigmoid: Result;
  beforeAll(async () => {
    sigmoid = await train(
      mlp(() => new Sigmoid(), { seed: 1 }),
      data,
    );
  }, SLOW);

  it('the task is balanced, and sigmoid + default init barely moves from chance (ln 2)', () => {
    const positives = Array.from(data.y.dataSync()).filter((v) => v === 1).length;
    expect(positives).toBeGreaterThan(128 * 0.3);
    expect(positives).toBeLessThan(128 * 0.7);
    console.log(`depth ${DEPTH} sigmoid + default init: loss ${fmt(sigmoid)}`);
    expect(sigmoid.last).toBeGreaterThan(0.9 * sigmoid.first);
    expect(sigmoid.last).toBeGreaterThan(0.6);
  });

  it('sigmoid + default init: the first layer gets orders of magnitude less gradient than the last', () => {
    const net = mlp(() => new Sigmoid(), { seed: 1 });
    crossEntropy(net.call(data.x), data.y).backward();
    const norm = (m: Module) => Math.sqrt(g.sum(g.square((m as Linear).weight.grad!)).item());
    const ratio = norm(net.at(0)) / norm(net.at(-1));
    expect(ratio).toBeLessThan(1e-6);
  });

  for (const [name, build] of Object.entries(builders)) {
    it(
      `${name} trains to less than half the sigmoid net's loss`,
      async () => {
        const r = await train(build(), data);
        console.log(`depth ${DEPTH} ${name}: loss ${fmt(r)} (sigmoid ${fmt(sigmoid)})`);
        expect(r.last).toBeLessThan(0.5 * sigmoid.last);
        expect(r.last).toBeLessThan(0.5 * r.first);
      },
      SLOW,
    );
  }
});

function fmt(r: Result): string {
  return `${r.first.toFixed(3)}→${r.last.toFixed(3)}`;
}

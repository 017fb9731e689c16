/**
 * The point of this package: at depth 20, an MLP with sigmoid activations and default init
 * does not train (its gradients vanish), while ReLU + He init, batch normalisation, and
 * residual connections each do, on the same seeded task with the same optimiser (SGD, lr 0.1,
 * momentum 0.9, gradients clipped to global norm 1 so that the ReLU net cannot diverge; the
 * sigmoid net's gradients are far below the clipping norm, so clipping does not hold it back).
 */
import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d, Linear, type Module, ReLU, Residual, Sequential, Sigmoid, crossEntropy, fit, init,
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

function mlp(activation: () => Module, options: { he?: boolean; batchNorm?: boolean; seed: number }): Sequential {
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
  for (let i = 0; i < DEPTH - 2; i++) net.append(new Residual(new Sequential(new ReLU(), new Linear(WIDTH, WIDTH, { generator: gen }))));
  net.append(new ReLU());
  net.append(new Linear(WIDTH, 2, { generator: gen }));
  return net;
}

async function train(net: Module, data: { x: g.Tensor; y: g.Tensor }): Promise<{ first: number; last: number }> {
  const opt = new TinySgd(net.parameters(), 0.1, 0.9, 1);
  const losses: number[] = [];
  await fit(net, data, {
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

describe(`depth-${DEPTH} MLPs on a toy task (reference backend)`, () => {
  it('ReLU + He init, BatchNorm and residual connections train; sigmoid + default init does not', async () => {
    const data = toyTask(128, 7);
    const positives = Array.from(data.y.dataSync()).filter((v) => v === 1).length;
    expect(positives).toBeGreaterThan(128 * 0.3);
    expect(positives).toBeLessThan(128 * 0.7);

    const sigmoid = await train(mlp(() => new Sigmoid(), { seed: 1 }), data);
    const he = await train(mlp(() => new ReLU(), { he: true, seed: 1 }), data);
    const bn = await train(mlp(() => new ReLU(), { batchNorm: true, seed: 1 }), data);
    const res = await train(residualNet(1), data);
    console.log(`depth ${DEPTH} loss first→last: sigmoid ${fmt(sigmoid)}, relu+he ${fmt(he)}, batchnorm ${fmt(bn)}, residual ${fmt(res)}`);

    // sigmoid + default init barely moves from chance level (ln 2 ≈ 0.693)
    expect(sigmoid.last).toBeGreaterThan(0.9 * sigmoid.first);
    expect(sigmoid.last).toBeGreaterThan(0.6);
    for (const [name, r] of [['relu+he', he], ['batchnorm', bn], ['residual', res]] as const) {
      expect(r.last, name).toBeLessThan(0.5 * sigmoid.last);
    }
  });
});

function fmt(r: { first: number; last: number }): string {
  return `${r.first.toFixed(3)}→${r.last.toFixed(3)}`;
}

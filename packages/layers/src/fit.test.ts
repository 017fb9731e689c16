import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { TinySgd } from '../test/sgd.js';
import {
  accuracy,
  crossEntropy,
  type FitProgress,
  fit as fitModel,
  Linear,
  mseLoss,
  ReLU,
  Sequential,
} from './index.js';

function blobs(n: number, seed: number): { x: g.Tensor; y: g.Tensor } {
  const gen = new g.Generator(seed);
  const xs = new Float32Array(n * 2);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    ys[i] = c;
    xs[2 * i] = Math.cos((2 * Math.PI * c) / 3) * 2 + 0.5 * gen.normal();
    xs[2 * i + 1] = Math.sin((2 * Math.PI * c) / 3) * 2 + 0.5 * gen.normal();
  }
  return { x: g.tensor(xs, [n, 2]), y: g.tensor(ys, [n], 'int32') };
}

const model = (seed: number) =>
  new Sequential(new Linear(2, 16, { seed }), new ReLU(), new Linear(16, 3, { seed: seed + 1 }));

describe('fit', () => {
  it('trains with an optimiser object, reports progress and metrics, and returns the history', async () => {
    const data = blobs(90, 1);
    const net = model(1);
    const events: FitProgress[] = [];
    const h = await fitModel(net, data, {
      loss: (p, t) => crossEntropy(p, t),
      optimizer: new TinySgd(net.parameters(), 0.1, 0.9),
      epochs: 8,
      batchSize: 32,
      metrics: { accuracy },
      onProgress: (e) => void events.push(e),
    });
    expect(h.loss).toHaveLength(8);
    expect(h.metrics.accuracy).toHaveLength(8);
    expect(h.loss[7]!).toBeLessThan(h.loss[0]! / 3);
    expect(h.metrics.accuracy![7]!).toBeGreaterThan(0.9);
    const batches = events.filter((e) => e.type === 'batch');
    expect(batches).toHaveLength(8 * 3);
    expect(batches[4]).toMatchObject({ epoch: 1, batch: 1, numBatches: 3, epochs: 8 });
    const epochEvents = events.filter((e) => e.type === 'epoch');
    expect(epochEvents.map((e) => e.loss)).toEqual(h.loss);
    // epoch means are sample-weighted means of the batch values (batches of 32, 32, 26)
    const e0 = batches.slice(0, 3);
    expect(h.loss[0]).toBeCloseTo((e0[0]!.loss * 32 + e0[1]!.loss * 32 + e0[2]!.loss * 26) / 90, 10);
  });

  it('is reproducible for a seed; the seed changes the batch order', async () => {
    const run = async (seed: number) => {
      const net = model(3);
      const h = await fitModel(net, blobs(40, 2), {
        loss: (p, t) => crossEntropy(p, t),
        optimizer: new TinySgd(net.parameters(), 0.05),
        epochs: 2,
        batchSize: 8,
        seed,
      });
      return h.loss;
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('accepts a step callback, and shuffle: false keeps the order', async () => {
    const net = new Linear(1, 1, { seed: 1 });
    const x = g.tensor([[1], [2], [3], [4]]);
    const y = g.tensor([[2], [4], [6], [8]]);
    const seen: number[][] = [];
    net.registerForwardPreHook((_m, [inp]) => void seen.push(Array.from(inp!.dataSync())));
    let steps = 0;
    await fitModel(
      net,
      { x, y },
      {
        loss: (p, t) => mseLoss(p, t),
        step: (m) => {
          steps++;
          g.noGrad(() => {
            for (const p of m.parameters()) p.assign(p.sub(p.grad!.mul(0.01)));
          });
        },
        batchSize: 3,
        shuffle: false,
      },
    );
    expect(steps).toBe(2);
    expect(seen).toEqual([[1, 2, 3], [4]]);
  });

  it('stops between batches with an AbortError when the signal aborts', async () => {
    const net = model(4);
    const controller = new AbortController();
    let batches = 0;
    const run = fitModel(net, blobs(60, 3), {
      loss: (p, t) => crossEntropy(p, t),
      optimizer: new TinySgd(net.parameters(), 0.01),
      epochs: 5,
      batchSize: 10,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'batch' && ++batches === 4) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(g.AbortError);
    await expect(run).rejects.toThrow(/epoch 0, batch 4/);
    expect(batches).toBe(4);
  });

  it('does not leak tensors and rejects bad arguments', async () => {
    const net = model(5);
    const data = blobs(30, 4);
    const opts = {
      loss: (p: g.Tensor, t: g.Tensor) => crossEntropy(p, t),
      optimizer: new TinySgd(net.parameters(), 0.01, 0.9),
      batchSize: 10,
    };
    await fitModel(net, data, opts);
    const before = g.memory().numTensors;
    await fitModel(net, data, { ...opts, epochs: 3 });
    expect(g.memory().numTensors).toBe(before);
    await expect(fitModel(net, data, { loss: opts.loss })).rejects.toThrow(/optimizer/);
    await expect(fitModel(net, { x: data.x, y: g.zeros([5]) }, opts)).rejects.toThrow(
      /same number of samples/,
    );
    await expect(fitModel(net, data, { ...opts, batchSize: 0 })).rejects.toBeInstanceOf(g.ValueError);
    await expect(fitModel(net, data, { ...opts, loss: (p) => p })).rejects.toThrow(/loss must be a scalar/);
  });
});

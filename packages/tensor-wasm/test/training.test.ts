/**
 * A 1000-step training loop (MLP, forward, backward, Adam, each step in tidy) must leave the wasm
 * heap and the live bytes exactly where they were after warm-up: the allocator reuses blocks.
 */
import {
  adamUpdate,
  fusedMatmul,
  getBackend,
  gradients,
  keep,
  mean,
  randint,
  randn,
  setBackend,
  softmaxCrossEntropy,
  type Tensor,
  tidy,
  zeros,
} from '@gradsight/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.js';

const previous = getBackend();
afterAll(() => void setBackend(previous));

describe('training loop memory', () => {
  it('1000 Adam steps of an MLP leave the heap size and numBytes flat, and the loss falls', async () => {
    const backend = setBackend(await createWasmBackend({ build: 'simd' }));
    const [batch, inp, hidden, classes] = [32, 20, 32, 4];
    const x = keep(randn([batch, inp], { seed: 1 }));
    const y = keep(randint(0, classes, [batch], { seed: 2 }));
    const params = [
      randn([inp, hidden], { seed: 3, std: 0.3 }),
      zeros([hidden]),
      randn([hidden, classes], { seed: 4, std: 0.3 }),
      zeros([classes]),
    ].map((p) => p.requiresGrad_());
    const m = params.map((p) => keep(zeros(p.shape)));
    const v = params.map((p) => keep(zeros(p.shape)));
    const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];

    const step = (t: number): number =>
      tidy(() => {
        const h = fusedMatmul(x, w1, b1, { activation: 'relu' });
        const loss = mean(softmaxCrossEntropy(fusedMatmul(h, w2, b2), y));
        const grads = gradients(loss, params);
        params.forEach((p, i) => {
          adamUpdate(p, grads[i]!, m[i]!, v[i]!, null, {
            lr: 0.01,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weightDecay: 0,
            decoupled: false,
            step: t,
          });
        });
        return loss.item();
      });

    const first = step(1);
    for (let t = 2; t <= 10; t++) step(t);
    const warm = backend.memory();
    let last = first;
    for (let t = 11; t <= 1000; t++) last = step(t);
    const end = backend.memory();

    expect(end.wasmHeapBytes).toBe(warm.wasmHeapBytes);
    expect(end.numBytes).toBe(warm.numBytes);
    expect(end.numDataIds).toBe(warm.numDataIds);
    expect(end.wasmUsedBytes).toBe(warm.wasmUsedBytes);
    // data (2) + params, m and v (4 each): nothing else survives a step
    expect(end.numDataIds).toBe(14);
    expect(last).toBeLessThan(first * 0.5);
  });
});

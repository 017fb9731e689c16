import {
  BackendError,
  getBackend,
  matmul,
  ReferenceBackend,
  setBackend,
  tensor,
  tidy,
} from '@gradsight/core';
import { afterAll, describe, expect, it } from 'vitest';
import { relaxedSimd } from 'wasm-feature-detect';
import { createWasmBackend, detectWasmBuild } from './index.js';

describe('createWasmBackend', () => {
  it('picks the fastest supported build by default and names the backend after it', async () => {
    const b = await createWasmBackend();
    const expected = (await relaxedSimd()) ? 'relaxed' : 'simd'; // Node 20 has SIMD
    expect(await detectWasmBuild()).toBe(expected);
    expect(b.build).toBe(expected);
    expect(b.name).toBe(`wasm-${expected}`);
    expect(b.backendVersion).toBe(1);
  });

  it('loads a forced build', async () => {
    expect((await createWasmBackend({ build: 'scalar' })).name).toBe('wasm-scalar');
    expect((await createWasmBackend({ build: 'simd' })).name).toBe('wasm-simd');
  });

  it('refuses relaxed SIMD where the engine lacks it, and unknown builds', async () => {
    if (!(await relaxedSimd())) {
      await expect(createWasmBackend({ build: 'relaxed' })).rejects.toThrow(
        /does not support WebAssembly relaxed SIMD/,
      );
    }
    await expect(createWasmBackend({ build: 'avx' as never })).rejects.toThrow(BackendError);
    await expect(createWasmBackend({ maxMemoryBytes: 2 ** 33 })).rejects.toThrow(/maxMemoryBytes/);
  });

  it('reports a failed load with the URL and how to fix it', async () => {
    const p = createWasmBackend({ build: 'simd', locateFile: (f) => `./no-such-dir/${f}` });
    await expect(p).rejects.toThrow(/could not load .*no-such-dir\/tensor-simd\.wasm/);
  });

  it('gives every backend its own heap', async () => {
    const a = await createWasmBackend({ build: 'simd' });
    const b = await createWasmBackend({ build: 'simd' });
    const ia = a.write(Float32Array.of(1, 2, 3), 'float32');
    expect(b.memory().numDataIds).toBe(0);
    expect(Array.from(a.readSync(ia))).toEqual([1, 2, 3]);
  });
});

describe('with core', () => {
  const previous = getBackend();
  afterAll(() => void setBackend(previous));

  it('runs core ops after setBackend(await createWasmBackend())', async () => {
    const b = setBackend(await createWasmBackend());
    expect(getBackend()).toBe(b);
    const y = tidy(() =>
      matmul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([[5], [6]]),
      ),
    );
    expect(y.arraySync()).toEqual([[17], [39]]);
    y.dispose();
  });

  it('moves tensors created on another backend on first use', async () => {
    setBackend(new ReferenceBackend());
    const x = tensor([1, -2, 3]);
    const w = setBackend(await createWasmBackend({ build: 'scalar' }));
    const y = x.relu();
    expect(Array.from(y.dataSync())).toEqual([1, 0, 3]);
    expect(w.memory().numDataIds).toBe(2);
    x.dispose();
    y.dispose();
    expect(w.memory().numDataIds).toBe(0);
  });
});

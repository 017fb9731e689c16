import { BackendError, type TensorInfo } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from './index.js';

const MiB = 1 << 20;

describe('WasmBackend storage', () => {
  it('copies on write and on read, in both dtypes', async () => {
    const b = await createWasmBackend({ build: 'simd' });
    const src = Float32Array.of(1.5, -2, 3);
    const id = b.write(src, 'float32');
    src[0] = 99;
    const out = b.readSync(id) as Float32Array;
    expect(Array.from(out)).toEqual([1.5, -2, 3]);
    out[1] = 42;
    expect(Array.from(await b.read(id))).toEqual([1.5, -2, 3]);
    // float values stored as int32 convert like Int32Array.from
    const ii = b.write(Float32Array.of(2.7, -2.7, 3e9), 'int32');
    expect(Array.from(b.readSync(ii))).toEqual(Array.from(Int32Array.from([2.7, -2.7, 3e9])));
    expect(b.readSync(ii)).toBeInstanceOf(Int32Array);
  });

  it('accounts handles and bytes, and disposeData returns the memory', async () => {
    const b = await createWasmBackend({ build: 'scalar' });
    const base = b.memory();
    expect(base).toMatchObject({ numDataIds: 0, numBytes: 0 });
    expect(base.wasmHeapBytes).toBeGreaterThan(0);
    const ids = [
      b.write(new Float32Array(1000), 'float32'),
      b.write(new Int32Array(10), 'int32'),
      b.write(new Float32Array(0), 'float32'),
    ];
    expect(b.memory()).toMatchObject({ numDataIds: 3, numBytes: 4040 });
    const used = b.memory().wasmUsedBytes!;
    for (const id of ids) b.disposeData(id);
    b.disposeData(ids[0]!); // a second dispose is a no-op
    expect(b.memory()).toMatchObject({ numDataIds: 0, numBytes: 0 });
    expect(b.memory().wasmUsedBytes!).toBeLessThan(used);
    expect(() => b.readSync(ids[0]!)).toThrow(/not live/);
  });

  it('raises BackendError naming the size when a kernel runs out of memory, then keeps working', async () => {
    const b = await createWasmBackend({ build: 'simd', maxMemoryBytes: 16 * MiB });
    const t = (n: number): TensorInfo => ({
      dataId: b.write(new Float32Array(n).fill(1), 'float32'),
      shape: [n],
      dtype: 'float32',
    });
    const x = t(1000);
    const before = b.memory();
    // 6M floats = 24 MB: more than the whole heap may hold
    expect(() => b.write(new Float32Array(6_000_000), 'float32')).toThrow(
      /out of memory allocating 24000000 bytes/,
    );
    // a kernel whose output does not fit: the error names its size and nothing leaks
    const big = t(2_500_000); // 10 MB
    let err: unknown;
    try {
      b.binary('add', big, big);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/wasm-simd: out of memory allocating 10000000 bytes/);
    b.disposeData(big.dataId);
    expect(b.memory().numDataIds).toBe(before.numDataIds);
    expect(b.memory().numBytes).toBe(before.numBytes);
    // still usable: the same kind of allocation now fits
    const y = b.unary('neg', x);
    expect(b.readSync(y.dataId)[999]).toBe(-1);
    const z = t(2_000_000);
    const s = b.reduce('sum', z, [0]);
    expect(b.readSync(s.dataId)[0]).toBe(2_000_000);
  });

  it('frees a kernel output when its scratch allocation fails', async () => {
    const b = await createWasmBackend({ build: 'simd', maxMemoryBytes: 8 * MiB });
    // 5 MB input; reducing axes 0 and 2 copies it to a scratch buffer first (reduced axes last)
    const x: TensorInfo = {
      dataId: b.write(new Float32Array(50 * 5000 * 5).fill(1), 'float32'),
      shape: [50, 5000, 5],
      dtype: 'float32',
    };
    const before = b.memory();
    expect(() => b.reduce('sum', x, [0, 2])).toThrow(/out of memory allocating 5000000 bytes/);
    expect(b.memory()).toMatchObject({ numDataIds: before.numDataIds, numBytes: before.numBytes });
    // the 20 kB output was allocated before the scratch failed, and freed again
    expect(b.memory().wasmUsedBytes).toBe(before.wasmUsedBytes);
    const y = b.reduce('sum', x, [1]);
    expect(b.readSync(y.dataId)[0]).toBe(5000);
  });
});

import { BackendError } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { Heap, sizeClass } from './heap.js';

const PAGE = 65536;

function heap(maxBytes = 64 * PAGE, pages = 1): { heap: Heap; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: pages });
  return { heap: new Heap(memory, 100, maxBytes, 'test-heap'), memory };
}

describe('sizeClass', () => {
  it('rounds small sizes to 64 bytes and large ones to a quarter of their power of two', () => {
    expect(sizeClass(1)).toBe(64);
    expect(sizeClass(64)).toBe(64);
    expect(sizeClass(65)).toBe(128);
    expect(sizeClass(1024)).toBe(1024);
    expect(sizeClass(1025)).toBe(1280);
    expect(sizeClass(4096)).toBe(4096);
    expect(sizeClass(4097)).toBe(5120);
    expect(sizeClass(7000)).toBe(7168);
  });
  it('never wastes more than a quarter beyond 1 KiB', () => {
    for (let b = 1025; b < 5_000_000; b = Math.ceil(b * 1.37)) {
      const c = sizeClass(b);
      expect(c).toBeGreaterThanOrEqual(b);
      expect(c).toBeLessThan(b * 1.25 + 64);
      expect(c % 64).toBe(0);
    }
  });
});

describe('Heap', () => {
  it('hands out aligned, disjoint blocks above the base', () => {
    const { heap: h } = heap();
    const blocks = [10, 100, 1000, 5000, 64].map((n) => ({ p: h.alloc(n), n }));
    for (const { p } of blocks) {
      expect(p % 64).toBe(0);
      expect(p).toBeGreaterThanOrEqual(100);
    }
    const sorted = [...blocks].sort((a, b) => a.p - b.p);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]!.p).toBeGreaterThanOrEqual(sorted[i - 1]!.p + sorted[i - 1]!.n);
  });

  it('reuses a freed block of the same class', () => {
    const { heap: h } = heap();
    const a = h.alloc(3000);
    h.alloc(100); // keeps `a` away from the top
    h.release(a);
    expect(h.stats().freeBytes).toBe(sizeClass(3000));
    expect(h.alloc(2900)).toBe(a);
    expect(h.stats().freeBytes).toBe(0);
  });

  it('gives blocks at the top back to the bump pointer, chained', () => {
    const { heap: h } = heap();
    const a = h.alloc(1000);
    const b = h.alloc(2000);
    const c = h.alloc(3000);
    h.release(b); // in the middle: goes to a free list
    expect(h.stats().freeBytes).toBe(sizeClass(2000));
    h.release(c); // at the top: top drops to c, then to b (free, ends at c)
    expect(h.stats().freeBytes).toBe(0);
    expect(h.alloc(8000)).toBe(b);
    expect(h.stats().usedBytes).toBe(sizeClass(1000) + sizeClass(8000));
    h.release(a);
  });

  it('grows the memory on demand and keeps typed views current', () => {
    const { heap: h, memory } = heap(64 * PAGE);
    const p = h.alloc(3 * PAGE);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(p + 3 * PAGE);
    h.f32[(p >> 2) + 1000] = 1.5;
    expect(new Float32Array(memory.buffer)[(p >> 2) + 1000]).toBe(1.5);
  });

  it('raises BackendError naming the requested size past maxBytes, and stays usable', () => {
    const { heap: h } = heap(8 * PAGE);
    const a = h.alloc(PAGE);
    const before = h.stats();
    let err: unknown;
    try {
      h.alloc(12_345_678);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/out of memory allocating 12345678 bytes/);
    expect((err as Error).message).toMatch(/test-heap/);
    expect(h.stats()).toEqual(before);
    h.release(a);
    expect(h.alloc(4 * PAGE)).toBeGreaterThan(0);
  });

  it('raises BackendError when memory.grow itself fails', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const h = new Heap(memory, 0, 64 * PAGE, 'capped');
    expect(() => h.alloc(5 * PAGE)).toThrow(
      /capped: out of memory allocating 327680 bytes: growing the wasm heap/,
    );
    expect(h.alloc(1000)).toBe(0);
  });

  it('rejects releasing an address it never handed out', () => {
    const { heap: h } = heap();
    expect(() => h.release(4096)).toThrow(BackendError);
  });
});

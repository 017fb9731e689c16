/**
 * The allocator over the module's linear memory. Blocks come in size classes (multiples of 64 B
 * up to 1 KiB, then four classes per power of two, so at most 25% slack), each with a free list;
 * new blocks are carved from a bump pointer and the memory grows on demand. A freed block that
 * ends at the bump pointer gives its bytes back to it (and so on down), so a big temporary does
 * not pin the heap's top. A training loop that allocates the same shapes every step reuses the
 * same blocks, and the heap stays flat.
 */
import { BackendError } from '@gradsight/core';

const ALIGN = 64;
const PAGE = 65536;
const SMALL_LIMIT = 1024;

/** The size class (capacity in bytes) that holds `bytes`. */
export function sizeClass(bytes: number): number {
  if (bytes <= SMALL_LIMIT) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const pow = 2 ** Math.floor(Math.log2(bytes));
  const step = pow / 4;
  return Math.ceil(bytes / step) * step;
}

export interface HeapStats {
  /** Size of the wasm linear memory. */
  heapBytes: number;
  /** Bytes of blocks handed out (capacity, including class slack). */
  usedBytes: number;
  /** Bytes sitting in free lists. */
  freeBytes: number;
}

export class Heap {
  private readonly free = new Map<number, number[]>();
  /** capacity of every block ever carved, by address (live or free). */
  private readonly capacityOf = new Map<number, number>();
  /** free blocks by end address, to give them back to the bump pointer. */
  private readonly freeByEnd = new Map<number, number>();
  private top: number;
  private used = 0;
  private freeTotal = 0;
  private buffer: ArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);
  private u8View = new Uint8Array(0);

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    private readonly maxBytes: number,
    private readonly owner: string,
  ) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }
  get i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }
  get u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    if (buf !== this.buffer) {
      this.buffer = buf;
      this.f32View = new Float32Array(buf);
      this.i32View = new Int32Array(buf);
      this.u8View = new Uint8Array(buf);
    }
  }

  stats(): HeapStats {
    return { heapBytes: this.memory.buffer.byteLength, usedBytes: this.used, freeBytes: this.freeTotal };
  }

  /** A 64-byte aligned block of at least `bytes` bytes. Throws BackendError when out of memory. */
  alloc(bytes: number): number {
    const cap = sizeClass(Math.max(bytes, 1));
    const list = this.free.get(cap);
    let ptr = list?.pop();
    if (ptr !== undefined) {
      this.freeByEnd.delete(ptr + cap);
      this.freeTotal -= cap;
    } else {
      ptr = this.carve(cap, bytes);
    }
    this.used += cap;
    return ptr;
  }

  /** Returns a block from `alloc` to its free list. */
  release(ptr: number): void {
    const cap = this.capacityOf.get(ptr);
    if (cap === undefined)
      throw new BackendError(`${this.owner}: release of an address the heap never handed out (${ptr}).`);
    this.used -= cap;
    if (ptr + cap === this.top) {
      this.top = ptr;
      this.capacityOf.delete(ptr);
      this.shrinkTop();
      return;
    }
    const list = this.free.get(cap);
    if (list) list.push(ptr);
    else this.free.set(cap, [ptr]);
    this.freeByEnd.set(ptr + cap, ptr);
    this.freeTotal += cap;
  }

  /** Gives free blocks that end at the bump pointer back to it. */
  private shrinkTop(): void {
    for (let p = this.freeByEnd.get(this.top); p !== undefined; p = this.freeByEnd.get(this.top)) {
      const cap = this.capacityOf.get(p)!;
      this.freeByEnd.delete(this.top);
      const list = this.free.get(cap)!;
      list.splice(list.lastIndexOf(p), 1);
      this.capacityOf.delete(p);
      this.freeTotal -= cap;
      this.top = p;
    }
  }

  private carve(cap: number, requested: number): number {
    const ptr = this.top;
    const end = ptr + cap;
    if (end > this.maxBytes) {
      throw new BackendError(
        `${this.owner}: out of memory allocating ${requested} bytes: the wasm heap would need ${end} bytes, ` +
          `over its limit of ${this.maxBytes} bytes (maxMemoryBytes; ${this.used} bytes are in use). ` +
          'Dispose tensors you no longer need (tidy/dispose) or raise maxMemoryBytes.',
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // grow by at least 1/8 of the current size so that a growing workload does not grow page by page
      const want = Math.min(Math.max(end, have + have / 8), this.maxBytes);
      const pages = Math.ceil((want - have) / PAGE);
      try {
        this.memory.grow(pages);
      } catch (cause) {
        throw new BackendError(
          `${this.owner}: out of memory allocating ${requested} bytes: growing the wasm heap from ${have} ` +
            `to ${have + pages * PAGE} bytes failed (${(cause as Error).message}). Dispose tensors you no longer need.`,
          { cause },
        );
      }
    }
    this.top = end;
    this.capacityOf.set(ptr, cap);
    return ptr;
  }
}

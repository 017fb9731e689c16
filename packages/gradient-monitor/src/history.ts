/**
 * Bounded history with downsampling of old records. The newest `recent` records are kept at
 * full resolution; older ones are thinned to every 2^k-th record, k growing as the run gets
 * longer, so memory stays flat however many steps are recorded while the whole run stays
 * visible at a coarser grain.
 */

export interface Sized {
  /** Bytes of numeric payload held by the record (for memory accounting). */
  readonly bytes: number;
}

export class DownsampledHistory<T extends Sized> {
  private items: { seq: number; value: T }[] = [];
  private seq = 0;
  private strideLog2 = 0;
  readonly recent: number;

  /**
   * @param capacity maximum number of records held (≥ 4).
   * @param recentFraction share of the capacity kept at full resolution (default ½).
   */
  constructor(
    readonly capacity: number,
    recentFraction = 0.5,
  ) {
    if (!Number.isInteger(capacity) || capacity < 4)
      throw new RangeError(`DownsampledHistory: capacity must be an integer ≥ 4, got ${capacity}.`);
    this.recent = Math.max(1, Math.min(capacity - 2, Math.floor(capacity * recentFraction)));
  }

  push(value: T): void {
    this.items.push({ seq: this.seq++, value });
    if (this.items.length > this.capacity) this.compact();
  }

  /**
   * Thins the old part to every stride-th record, doubling the stride until the old part uses
   * at most half of its share; the other half absorbs the next pushes, so a compaction (linear
   * in the capacity) happens once per capacity/4 pushes or fewer: O(1) amortised per push.
   */
  private compact(): void {
    const oldCount = this.items.length - this.recent;
    const room = Math.max(1, Math.floor((this.capacity - this.recent) / 2));
    const old = this.items.slice(0, oldCount);
    let kept = old.filter((it) => it.seq % this.stride === 0);
    while (kept.length > room) {
      this.strideLog2++;
      const stride = this.stride;
      kept = kept.filter((it) => it.seq % stride === 0);
    }
    this.items = kept.concat(this.items.slice(oldCount));
  }

  /** Retained records, oldest first. */
  values(): T[] {
    return this.items.map((it) => it.value);
  }
  last(n = 1): T[] {
    return this.items.slice(-n).map((it) => it.value);
  }
  get length(): number {
    return this.items.length;
  }
  /** Records pushed since creation (retained or not). */
  get pushed(): number {
    return this.seq;
  }
  /** Current stride of the downsampled part (1 until the first compaction). */
  get stride(): number {
    return 2 ** this.strideLog2;
  }
  get bytes(): number {
    let b = 0;
    for (const it of this.items) b += it.value.bytes;
    return b;
  }
  clear(): void {
    this.items = [];
    this.seq = 0;
    this.strideLog2 = 0;
  }
}

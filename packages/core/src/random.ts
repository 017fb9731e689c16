/**
 * Seeded random numbers. Generation happens here in core, on the CPU, and the values are then
 * written to the backend: that is what makes "the same seed gives the same numbers on every
 * backend" true by construction.
 *
 * The generator is xoshiro128** (32-bit state words, so exact in JS integer arithmetic),
 * seeded through splitmix32. Uniform floats take the top 24 bits; normals use Box–Muller in
 * float64, then round to float32.
 */

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** PyTorch-shaped generator: `new Generator(seed)`; pass as `{ generator }` to random functions. */
export class Generator {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private spareNormal: number | null = null;
  readonly initialSeed: number;

  constructor(seed = 0) {
    this.initialSeed = seed;
    this.manualSeed(seed);
  }

  manualSeed(seed: number): this {
    // Fold doubles (e.g. Date.now()) into 32 bits deterministically.
    const st = { s: (seed | 0) ^ Math.floor(seed / 4294967296) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
    this.spareNormal = null;
    return this;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1), exactly representable in float32. */
  random(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Standard normal (Box–Muller; uses 1 − u to avoid log(0)). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    const u1 = 1 - this.random();
    const u2 = this.random();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Integer uniform in [low, high), without modulo bias. */
  randint(low: number, high: number): number {
    const range = high - low;
    if (range <= 0) return low;
    const limit = Math.floor(4294967296 / range) * range;
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return low + (x % range);
  }

  /** Fisher–Yates permutation of 0..n−1 (PyTorch's `randperm`). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.randint(0, i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /** A copy of the internal state, to resume a sequence exactly. */
  getState(): number[] {
    return [this.a, this.b, this.c, this.d, this.spareNormal ?? Number.NaN];
  }
  setState(state: readonly number[]): this {
    [this.a, this.b, this.c, this.d] = state.map((x) => x | 0) as [number, number, number, number];
    const spare = state[4];
    this.spareNormal = spare === undefined || Number.isNaN(spare) ? null : spare;
    return this;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let defaultGenerator = new Generator(0);

/** Seeds the default generator (PyTorch's `torch.manual_seed`). */
export function manualSeed(seed: number): Generator {
  defaultGenerator = new Generator(seed);
  return defaultGenerator;
}

export interface RandomOptions {
  /** A seed for this call alone: the same seed gives the same numbers. */
  seed?: number;
  /** A generator to draw from (its state advances). */
  generator?: Generator;
}

/** The generator a random call uses: a fresh one for `seed`, the given one, or the default. */
export function resolveGenerator(options?: RandomOptions): Generator {
  if (options?.generator) return options.generator;
  if (options?.seed !== undefined) return new Generator(options.seed);
  return defaultGenerator;
}

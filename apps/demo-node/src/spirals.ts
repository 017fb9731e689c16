/** Two interleaved spirals: a small 2-D task that needs depth, generated from a seed. */
import { Generator, type Tensor, tensor } from '@gradsight/core';

export function twoSpirals(
  perClass: number,
  options: { seed?: number; noise?: number } = {},
): { x: Tensor; y: Tensor } {
  const gen = new Generator(options.seed ?? 0);
  const noise = options.noise ?? 0.08;
  const n = perClass * 2;
  const xs = new Float32Array(n * 2);
  const ys = new Int32Array(n);
  for (let i = 0; i < perClass; i++) {
    const t = (i / perClass) * 3 * Math.PI + 0.5;
    const r = t / (3 * Math.PI);
    for (const cls of [0, 1]) {
      const k = 2 * i + cls;
      const sign = cls === 0 ? 1 : -1;
      xs[2 * k] = sign * r * Math.cos(t) + noise * gen.normal();
      xs[2 * k + 1] = sign * r * Math.sin(t) + noise * gen.normal();
      ys[k] = cls;
    }
  }
  return { x: tensor(xs, [n, 2]), y: tensor(ys, [n], 'int32') };
}

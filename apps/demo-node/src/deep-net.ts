/**
 * The two nets the demo compares: the same depth and width, once as the textbook failure
 * (sigmoid with PyTorch's default init) and once with the remedies the monitor suggests
 * (ReLU, He init, batch normalisation).
 */
import { BatchNorm1d, init, Linear, type Module, ReLU, Sequential, Sigmoid } from '@gradsight/layers';

export type Recipe = 'sigmoid-default' | 'relu-he-batchnorm';

export function deepMlp(
  recipe: Recipe,
  options: { depth?: number; width?: number; seed?: number } = {},
): Sequential {
  const { depth = 16, width = 32, seed = 0 } = options;
  const layers: Module[] = [];
  for (let i = 0; i < depth; i++) {
    const last = i === depth - 1;
    const lin = new Linear(i === 0 ? 2 : width, last ? 2 : width, { seed: seed * 1000 + i });
    layers.push(lin);
    if (last) break;
    if (recipe === 'sigmoid-default') {
      layers.push(new Sigmoid());
    } else {
      init.kaimingNormal(lin.weight, { nonlinearity: 'relu', seed: seed * 1000 + 500 + i });
      layers.push(new BatchNorm1d(width), new ReLU());
    }
  }
  return new Sequential(...layers);
}

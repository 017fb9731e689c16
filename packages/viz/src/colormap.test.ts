import { describe, expect, it } from 'vitest';
import { colormapReversed, magma, parseColor, rdBu, resolveColormap, rgbToCss, viridis } from './colormap.js';
import { VizInputError } from './errors.js';

describe('colormaps', () => {
  it('hit the published end points', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(magma(0)).toEqual([0, 0, 4]);
    expect(magma(1)).toEqual([252, 253, 191]);
    expect(rdBu(0)).toEqual([103, 0, 31]);
    expect(rdBu(1)).toEqual([5, 48, 97]);
    const mid = rdBu(0.5);
    for (const c of mid) expect(c).toBeGreaterThan(230);
  });

  it('clamp out-of-range input and give NaN its own colour', () => {
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(7)).toEqual(viridis(1));
    expect(viridis(Number.NaN)).toEqual([200, 200, 200]);
  });

  it('viridis gets brighter monotonically (perceptual ordering)', () => {
    let prev = -1;
    for (let i = 0; i <= 20; i++) {
      const [r, g, b] = viridis(i / 20);
      const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      expect(lum).toBeGreaterThan(prev);
      prev = lum;
    }
  });

  it('reverse, resolve by name, css round trip, typed errors', () => {
    expect(colormapReversed(rdBu)(0)).toEqual(rdBu(1));
    expect(resolveColormap('magma')).toBe(magma);
    expect(rgbToCss([68, 1, 84])).toBe('#440154');
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    expect(() => parseColor('blue')).toThrow(VizInputError);
    expect(() => resolveColormap('jet' as never)).toThrow(/unknown name 'jet'/);
  });
});

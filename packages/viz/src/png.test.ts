import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { magma, viridis } from './colormap.js';
import { heatmapToPng } from './png.js';

describe('heatmapToPng', () => {
  it('decodes back to the right size and the colormap colours, cell by cell', () => {
    const matrix = [
      [0, 1, 2],
      [3, Number.NaN, 6],
    ];
    const png = heatmapToPng(matrix, viridis, { cellSize: 2 });
    expect([...png.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const img = decode(png);
    expect(img.width).toBe(6);
    expect(img.height).toBe(4);
    expect(img.channels).toBe(3);
    const px = (x: number, y: number) => [
      ...img.data.slice((y * img.width + x) * 3, (y * img.width + x) * 3 + 3),
    ];
    expect(px(0, 0)).toEqual([...viridis(0)]);
    expect(px(1, 1)).toEqual([...viridis(0)]);
    expect(px(5, 3)).toEqual([...viridis(1)]);
    expect(px(4, 0)).toEqual([...viridis(2 / 6)]);
    expect(px(2, 2)).toEqual([255, 0, 255]);
  });

  it('honours an explicit domain and a colormap by name', () => {
    const img = decode(heatmapToPng({ rows: 1, cols: 2, data: [10, 20] }, 'magma', { domain: [0, 20] }));
    expect([...img.data.slice(0, 3)]).toEqual([...magma(0.5)]);
    expect([...img.data.slice(3, 6)]).toEqual([...magma(1)]);
  });

  it('rejects empty matrices and bad cell sizes', () => {
    expect(() => heatmapToPng([], 'viridis')).toThrow(/at least one cell/);
    expect(() => heatmapToPng([[1]], 'viridis', { cellSize: 0 })).toThrow(/cellSize/);
  });
});

import { describe, expect, it } from 'vitest';
import { allText, byClass, byTag, findAll, parseXml } from '../test/xml.js';
import { rgbToCss, viridis } from './colormap.js';
import { heatmap } from './heatmap.js';
import { svgToString } from './svg.js';

describe('heatmap', () => {
  const matrix = [
    [0, 1, 2],
    [3, Number.NaN, 5],
    [Number.POSITIVE_INFINITY, 7, 8],
  ];
  const doc = parseXml(
    svgToString(
      heatmap({
        matrix,
        rowLabels: ['a', 'b', 'c'],
        colLabels: ['s0', 's1', 's2'],
        title: 'log10 |g|',
        legendLabel: 'log10 ‖g‖',
        id: 'hm',
      }),
    ),
  );

  it('draws one cell per entry with colours from the colormap over the finite range', () => {
    const cells = findAll(doc, byClass('cell'));
    expect(cells).toHaveLength(9);
    expect(cells[0]!.attrs.fill).toBe(rgbToCss(viridis(0)));
    expect(cells[8]!.attrs.fill).toBe(rgbToCss(viridis(1)));
    expect(cells[5]!.attrs.fill).toBe(rgbToCss(viridis(5 / 8)));
  });

  it('marks NaN and Inf cells with the hatch pattern, never a scale colour, and shows the swatch', () => {
    const nan = findAll(doc, byClass('nan'));
    const inf = findAll(doc, byClass('inf'));
    expect(nan).toHaveLength(1);
    expect(inf).toHaveLength(1);
    expect(nan[0]!.attrs.fill).toBe('url(#hm-nan)');
    expect(inf[0]!.attrs['data-value']).toBe('Infinity');
    expect(nan[0]!.children[0]!.text).toBe('b, s1: NaN');
    expect(findAll(doc, (e) => e.tag === 'pattern' && e.attrs.id === 'hm-nan')).toHaveLength(1);
    expect(allText(findAll(doc, byClass('nan-swatch'))[0]!)).toContain('NaN/Inf');
  });

  it('labels rows and columns, and has a colour-bar legend with a gradient', () => {
    expect(findAll(findAll(doc, byClass('y-axis'))[0]!, byTag('text')).map((t) => t.text)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(findAll(findAll(doc, byClass('x-axis'))[0]!, byTag('text')).map((t) => t.text)).toEqual([
      's0',
      's1',
      's2',
    ]);
    const bar = findAll(doc, byClass('color-bar'))[0]!;
    expect(findAll(bar, byClass('legend-label'))[0]!.text).toBe('log10 ‖g‖');
    expect(findAll(doc, byTag('stop')).length).toBe(11);
    expect(findAll(bar, byClass('tick')).length).toBeGreaterThan(2);
  });

  it('accepts a flat matrix and rejects a ragged one', () => {
    const flat = parseXml(
      svgToString(heatmap({ matrix: { rows: 2, cols: 2, data: new Float32Array([1, 2, 3, 4]) } })),
    );
    expect(findAll(flat, byClass('cell'))).toHaveLength(4);
    expect(findAll(flat, byClass('nan-swatch'))).toHaveLength(0);
    expect(() => heatmap({ matrix: [[1, 2], [3]] })).toThrow(/row 1 has 1 values, expected 2/);
  });
});

import { describe, expect, it } from 'vitest';
import { byClass, byTag, findAll, parseXml } from '../test/xml.js';
import { groupedBarChart } from './bar-chart.js';
import { VizInputError } from './errors.js';
import { svgToString } from './svg.js';

describe('groupedBarChart', () => {
  const categories = ['layers.0.linear', 'layers.1.linear', 'layers.2.linear', 'head'];
  const chart = svgToString(
    groupedBarChart({
      title: 'Gradient flow',
      yLabel: '|g|',
      xLabel: 'layer',
      logY: true,
      categories,
      series: [
        { name: 'mean |g|', values: [1e-9, 1e-6, 1e-3, 1e-1] },
        { name: 'max |g|', values: [1e-8, 1e-5, 0, 1] },
        { name: 'norm', values: [1e-7, 1e-4, 1e-2, 1], kind: 'line' },
      ],
    }),
  );
  const doc = parseXml(chart);

  it('has one bar per category and bar series; unusable values are marked, not dropped', () => {
    const bars = findAll(doc, byClass('bar'));
    expect(bars).toHaveLength(8);
    const missing = findAll(doc, byClass('missing'));
    expect(missing).toHaveLength(1);
    expect(missing[0]!.children[0]!.text).toBe('layers.2.linear: max |g| = 0');
  });

  it('bar heights follow the log scale: each decade is the same height', () => {
    const mean = findAll(doc, (e) => e.attrs['data-series'] === 'mean |g|')[0]!;
    const hs = findAll(mean, byTag('rect')).map((r) => Number(r.attrs.height));
    const d1 = hs[1]! - hs[0]!;
    const d2 = hs[2]! - hs[1]!;
    expect(d1).toBeGreaterThan(10);
    expect(Math.abs(d1 - d2)).toBeLessThan(0.05);
  });

  it('rotates long layer names and draws the line series with markers', () => {
    const labels = findAll(findAll(doc, byClass('band-axis'))[0]!, byTag('text'));
    expect(labels.map((l) => l.text)).toEqual(categories);
    expect(labels[0]!.attrs.transform).toMatch(/^rotate\(-45 /);
    expect(findAll(doc, byClass('marker'))).toHaveLength(4);
    expect(findAll(doc, byClass('x-label'))[0]!.text).toBe('layer');
  });

  it('rejects a series whose length does not match the categories', () => {
    expect(() => groupedBarChart({ categories: ['a', 'b'], series: [{ name: 's', values: [1] }] })).toThrow(
      VizInputError,
    );
  });
});

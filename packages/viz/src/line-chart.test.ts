import { describe, expect, it } from 'vitest';
import { allText, byClass, byTag, findAll, parseXml } from '../test/xml.js';
import { VizInputError } from './errors.js';
import { lineChart } from './line-chart.js';
import { svgToString } from './svg.js';

describe('lineChart', () => {
  const svg = svgToString(
    lineChart({
      title: 'Update ratio',
      xLabel: 'step',
      yLabel: '‖Δw‖/‖w‖',
      logY: true,
      series: [
        { name: '0.weight', x: [0, 1, 2, 3], y: [1e-2, 1e-3, 1e-4, 1e-5] },
        { name: '2.weight', x: [0, 1, 2, 3], y: [1e-3, Number.NaN, 0, 2e-3] },
      ],
      guides: [{ y: 1e-3, label: '1e-3' }],
      id: 'lc',
    }),
  );
  const doc = parseXml(svg);

  it('is well-formed, accessible and labelled', () => {
    expect(doc.tag).toBe('svg');
    expect(doc.attrs.role).toBe('img');
    expect(doc.attrs['aria-labelledby']).toBe('lc-title lc-desc');
    expect(findAll(doc, byTag('title'))[0]!.text).toBe('Update ratio');
    expect(findAll(doc, byClass('x-label'))[0]!.text).toBe('step');
    expect(findAll(doc, byClass('y-label'))[0]!.text).toBe('‖Δw‖/‖w‖');
  });

  it('draws one path per series, with a <title>, and breaks lines at unusable points', () => {
    const paths = findAll(doc, byClass('series'));
    expect(paths.map((p) => p.attrs['data-series'])).toEqual(['0.weight', '2.weight']);
    expect(paths.map((p) => p.children[0]!.text)).toEqual(['0.weight', '2.weight']);
    // first series: one continuous run of 4 points (1 move + 3 lines)
    expect(paths[0]!.attrs.d!.match(/M/g)).toHaveLength(1);
    expect(paths[0]!.attrs.d!.match(/L/g)).toHaveLength(3);
    // second: NaN and 0 (log axis) dropped, leaving two single-point runs
    expect(paths[1]!.attrs.d!.match(/M/g)).toHaveLength(2);
  });

  it('draws the guide line at the 1e-3 tick with log ticks labelled as powers of ten', () => {
    const guide = findAll(doc, byClass('guide'))[0]!;
    const gl = findAll(guide, byTag('line'))[0]!;
    const ticks = findAll(findAll(doc, byClass('y-axis'))[0]!, byClass('tick'));
    const labels = ticks.map((t) => findAll(t, byTag('text'))[0]!.text);
    expect(labels).toEqual(['1e-5', '1e-4', '1e-3', '1e-2']);
    const tick3 = ticks[labels.indexOf('1e-3')]!;
    expect(findAll(tick3, byTag('line'))[1]!.attrs.y1).toBe(gl.attrs.y1);
    expect(allText(guide)).toContain('1e-3');
    expect(findAll(doc, byClass('legend-item'))).toHaveLength(2);
  });

  it('rejects mismatched x/y lengths and empty input with a typed error', () => {
    expect(() => lineChart({ series: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(VizInputError);
    expect(() => lineChart({ series: [] })).toThrow(/no series/);
  });
});

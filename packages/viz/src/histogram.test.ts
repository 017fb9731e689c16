import { describe, expect, it } from 'vitest';
import { allText, byClass, findAll, parseXml } from '../test/xml.js';
import { binValues, histogram } from './histogram.js';
import { svgToString } from './svg.js';

describe('histogram', () => {
  it('bins values into equal-width bins, counting non-finite values apart', () => {
    const b = binValues([0, 0.1, 0.5, 0.99, 1, Number.NaN, Number.POSITIVE_INFINITY], 4);
    expect(b.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(b.counts).toEqual([2, 0, 1, 2]);
    expect(b.nonFinite).toBe(2);
  });

  it('draws a bar per non-empty bin and notes the non-finite values', () => {
    const doc = parseXml(
      svgToString(
        histogram({ values: [0, 0.1, 0.5, 0.99, 1, Number.NaN], bins: 4, title: 'grad', xLabel: 'g' }),
      ),
    );
    expect(findAll(doc, byClass('bar'))).toHaveLength(3);
    expect(allText(findAll(doc, byClass('nonfinite-note'))[0]!)).toBe('1 non-finite');
    expect(findAll(doc, byClass('x-label'))[0]!.text).toBe('g');
  });

  it('takes edges and counts, with heights proportional to counts', () => {
    const doc = parseXml(svgToString(histogram({ edges: [0, 1, 2], counts: [10, 5] })));
    const [a, b] = findAll(doc, byClass('bar')).map((r) => Number(r.attrs.height));
    expect(a! / b!).toBeCloseTo(2, 2);
    expect(() => histogram({ edges: [0, 1], counts: [1, 2] })).toThrow(/2 edges for 2 counts/);
    expect(() => histogram({ edges: [0, 0, 1], counts: [1, 2] })).toThrow(/must increase/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseXml } from '../test/xml.js';
import { escapeXml, h, svgToString } from './svg.js';

describe('svgToString', () => {
  it('escapes text and attributes and adds the SVG namespace to the root', () => {
    const s = svgToString(h('svg', { width: 10, 'data-x': 'a"b<c' }, h('text', {}, 'x < y & "z"')));
    expect(s).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" data-x="a&quot;b&lt;c"><text>x &lt; y &amp; &quot;z&quot;</text></svg>',
    );
    const doc = parseXml(s);
    expect(doc.children[0]!.text).toBe('x < y & "z"');
    expect(doc.attrs['data-x']).toBe('a"b<c');
  });

  it('omits null/false attributes, rounds numbers and flattens child arrays', () => {
    const s = svgToString(
      h('g', { a: null, b: false, c: true, d: 1.23456, e: Number.NaN }, [h('rect'), null, [h('circle')]]),
    );
    expect(s).toBe('<g c="" d="1.23" e="0"><rect/><circle/></g>');
  });

  it('indents when asked, and the result still parses', () => {
    const s = svgToString(h('svg', {}, h('g', {}, h('rect'))), true);
    expect(s).toContain('\n    <rect/>');
    expect(parseXml(s).children[0]!.children[0]!.tag).toBe('rect');
  });

  it('escapeXml covers all five specials', () => {
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

import { formatNumber, formatPow10 } from './format.js';

describe('formatNumber', () => {
  it('writes compact labels', () => {
    expect(
      [1000, 12345, 0.5, 0.00123, 1e-7, 2.5e6, -3, 0, Number.NaN, Infinity].map((v) => formatNumber(v)),
    ).toEqual(['1000', '12300', '0.5', '0.00123', '1e-7', '2.5e6', '-3', '0', 'NaN', '∞']);
    expect([1e-3, 1, 10, 100, 0.5].map(formatPow10)).toEqual(['1e-3', '1', '10', '1e2', '0.5']);
  });
});

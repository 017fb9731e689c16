import { describe, expect, it } from 'vitest';
import { formatDiff, formatNumber, formatRatio, formatRatios } from './format.js';

describe('formatRatio', () => {
  it('prints two digits below 1, one below 10, none above', () => {
    expect(formatRatio(0.623)).toBe('0.62×');
    expect(formatRatio(1.6)).toBe('1.6×');
    expect(formatRatio(1.04)).toBe('1.0×');
    expect(formatRatio(40.4)).toBe('40×');
    expect(formatRatio(1234.5)).toBe('1235×');
  });
  it('prints a dash for a ratio that cannot be', () => {
    expect(formatRatio(Number.NaN)).toBe('–');
    expect(formatRatio(0)).toBe('–');
  });
});

describe('formatRatios', () => {
  it('lists the peers in a fixed order: tfjs-wasm, tfjs-cpu, then the reference backend', () => {
    expect(formatRatios({ 'tfjs-cpu': 40, 'gs-ref': 30.2, 'tfjs-wasm': 1.6 })).toBe(
      '1.6× tfjs-wasm, 40× tfjs-cpu, 30× gs-ref JS',
    );
  });
  it('leaves out peers without a time', () => {
    expect(formatRatios({ 'tfjs-cpu': 2 })).toBe('2.0× tfjs-cpu');
    expect(formatRatios({})).toBe('');
  });
});

describe('formatNumber', () => {
  it('keeps about three significant digits without exponents', () => {
    expect(formatNumber(1234.4)).toBe('1234');
    expect(formatNumber(41.234)).toBe('41.2');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(0)).toBe('0');
  });
});

describe('formatDiff', () => {
  it('prints one significant digit and flags values past the tolerance', () => {
    expect(formatDiff(3.2e-7)).toBe('3e-7');
    expect(formatDiff(0)).toBe('0');
    expect(formatDiff(0.02)).toBe('2e-2 ⚠');
    expect(formatDiff(Number.POSITIVE_INFINITY)).toBe('∞ ⚠');
    expect(formatDiff(undefined)).toBe('–');
  });
});

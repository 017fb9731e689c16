import { describe, expect, it } from 'vitest';
import { allCases, selectCases } from './cases.js';
import { conv2dFlops, elementwiseBytes, matmulFlops, sameOutSize } from './flops.js';

describe('work counts', () => {
  it('counts 2·M·N·K for matmul', () => {
    expect(matmulFlops(512, 512, 512)).toBe(268_435_456);
    expect(matmulFlops(64, 256, 784)).toBe(2 * 64 * 256 * 784);
  });
  it("uses TensorFlow's 'same' output size", () => {
    expect(sameOutSize(32, 1)).toBe(32);
    expect(sameOutSize(224, 2)).toBe(112);
    expect(sameOutSize(7, 2)).toBe(4);
  });
  it('counts 2·N·Ho·Wo·Cout·kh·kw·Cin for conv2d', () => {
    expect(conv2dFlops([8, 32, 32, 32], [3, 3, 32, 64], 1)).toBe(2 * 8 * 32 * 32 * 64 * 9 * 32);
    expect(conv2dFlops([1, 224, 224, 3], [3, 3, 3, 32], 2)).toBe(2 * 112 * 112 * 32 * 9 * 3);
  });
  it('rejects a filter whose input channels do not match', () => {
    expect(() => conv2dFlops([1, 8, 8, 3], [3, 3, 4, 8], 1)).toThrow(/3 channels.*expects 4/);
  });
  it('counts float32 bytes read plus written for memory-bound kernels', () => {
    expect(elementwiseBytes('add', 1 << 20)).toBe(12 * (1 << 20));
    expect(elementwiseBytes('relu', 1 << 20)).toBe(8 * (1 << 20));
    expect(elementwiseBytes('sum', 1 << 20)).toBe(4 * (1 << 20));
  });
});

describe('cases', () => {
  const cases = allCases();
  it('has unique ids and a work count for every rate', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) expect(c.unit === 'ms' || (c.work ?? 0) > 0).toBe(true);
  });
  it('covers the matmul grid of issue 3: four sizes × four transpose combinations', () => {
    expect(cases.filter((c) => c.spec.kind === 'matmul')).toHaveLength(16);
  });
  it('--quick keeps matmul 256/512, one conv, the elementwise cases and the MLP steps', () => {
    const quick = selectCases(cases, { quick: true }).map((c) => c.id);
    expect(quick.filter((id) => id.startsWith('matmul-')).every((id) => /-(256|512)-/.test(id))).toBe(true);
    expect(quick.filter((id) => id.startsWith('matmul-'))).toHaveLength(8);
    expect(quick.filter((id) => id.startsWith('conv2d'))).toHaveLength(1);
    expect(quick).toEqual(
      expect.arrayContaining([
        'add-1M',
        'relu-1M',
        'sum-1M',
        'mlp-step',
        'mlp-step-monitor-norms',
        'mlp-step-monitor-hist10',
      ]),
    );
    // the monitored steps come after the plain one, whose time their overhead is measured against
    expect(quick.indexOf('mlp-step')).toBeLessThan(quick.indexOf('mlp-step-monitor-norms'));
    expect(quick).not.toContain('cnn-step');
  });
  it('filters by id or title', () => {
    expect(selectCases(cases, { quick: false, filter: /^matmul-1024-tt$/ }).map((c) => c.id)).toEqual([
      'matmul-1024-tt',
    ]);
    expect(selectCases(cases, { quick: false, filter: /CNN/ }).map((c) => c.id)).toEqual(['cnn-step']);
  });
});

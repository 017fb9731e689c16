import { describe, expect, it } from 'vitest';
import { trainXor } from './xor.js';

describe('xor demo', () => {
  it('fits XOR and keeps memory flat', () => {
    const r = trainXor({ steps: 600 });
    expect(r.losses[r.losses.length - 1]!).toBeLessThan(r.losses[0]! / 10);
    expect(r.predictions.map((p) => Math.round(p))).toEqual([0, 1, 1, 0]);
    // x, y and the four parameters are all that survive the loop
    expect(r.liveTensors).toBeLessThanOrEqual(6 + 64);
  });
});

import { tensor } from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { mlp, residualNet, train } from '../test/fixtures.js';
import { defaultThresholds, depthFindings, type Finding, type WatchOptions, watch } from './index.js';

const kinds = (fs: Finding[]) => fs.map((f) => f.kind);
const depthKinds = (fs: Finding[]) => kinds(fs).filter((k) => k === 'vanishing' || k === 'exploding');

function diagnoseAfterTraining(
  net: ReturnType<typeof mlp>,
  steps = 4,
  lr = 0.01,
  options: WatchOptions = {},
): Finding[] {
  const m = watch(net, options);
  train(net, m, steps, lr);
  m.close();
  return m.diagnose();
}

describe('diagnosis on seeded fixture nets', () => {
  it('depth-20 sigmoid MLP with default init: vanishing, naming the early layers', () => {
    const fs = diagnoseAfterTraining(mlp({ depth: 20, act: 'sigmoid' }));
    const v = fs.find((f) => f.kind === 'vanishing')!;
    expect(v).toBeDefined();
    expect(v.severity).toBe('error');
    expect(v.layers.slice(0, 3)).toEqual(['0', '2', '4']);
    expect(v.layers).not.toContain('38');
    expect(v.numbers.perLayerFactor).toBeLessThan(0.3);
    expect(v.numbers.decades).toBeGreaterThan(10);
    expect(v.evidence).toMatch(
      /^gradient RMS falls ×0\.\d+ per layer from '38' back to '0'; '0' is \S+ of '38' \(\d+(\.\d+)? decades over 20 weight layers; threshold 1\.5\)$/,
    );
    expect(v.remedies[0]).toMatch(/ReLU-family/);
    expect(v.remedies.join(' ')).toMatch(/BatchNorm/);
    expect(v.remedies.join(' ')).toMatch(/residual/);
    // tiny updates of vanished layers are not blamed on the learning rate
    expect(kinds(fs)).not.toContain('lr-too-low');
  });

  it('ReLU + He init: no vanishing or exploding', () => {
    expect(depthKinds(diagnoseAfterTraining(mlp({ depth: 20, act: 'relu', init: 'he' })))).toEqual([]);
  });

  it('the same sigmoid net with BatchNorm: no vanishing or exploding', () => {
    expect(depthKinds(diagnoseAfterTraining(mlp({ depth: 20, act: 'sigmoid', batchNorm: true })))).toEqual(
      [],
    );
  });

  it('residual nets (ReLU and sigmoid blocks, default init): no vanishing or exploding', () => {
    expect(
      depthKinds(diagnoseAfterTraining(residualNet({ blocks: 10, act: 'relu' }) as ReturnType<typeof mlp>)),
    ).toEqual([]);
    expect(
      depthKinds(
        diagnoseAfterTraining(residualNet({ blocks: 10, act: 'sigmoid' }) as ReturnType<typeof mlp>),
      ),
    ).toEqual([]);
  });

  it('tanh net with weights N(0, 9/fan_in): exploding (and saturation)', () => {
    const fs = diagnoseAfterTraining(mlp({ depth: 20, act: 'tanh', init: { gain: 3 } }));
    const e = fs.find((f) => f.kind === 'exploding')!;
    expect(e).toBeDefined();
    expect(e.layers[0]).toBe('0');
    expect(e.numbers.perLayerFactor).toBeGreaterThan(1.15);
    expect(e.remedies[0]).toMatch(/Scale the initial weights down/);
    const s = fs.find((f) => f.kind === 'saturation')!;
    expect(s.layers).toContain('1');
    expect(s.evidence).toMatch(/of the Tanh outputs of '\d+' are saturated \(\|a\| > 0\.97\)/);
  });

  it('dead units: a ReLU layer whose bias pushes every unit below 0', () => {
    const net = mlp({ depth: 3, act: 'relu', init: 'he', seed: 2 });
    const b = net.namedParameters().find(([n]) => n === '2.bias')![1];
    b.assign(tensor(new Float32Array(b.size).fill(-50)));
    const m = watch(net, { deadWindow: 3 });
    train(net, m, 4);
    const d = m.diagnose().find((f) => f.kind === 'dead-units')!;
    expect(d.layers).toEqual(['3']);
    expect(d.numbers.worstFraction).toBe(1);
    expect(d.severity).toBe('error');
    expect(d.evidence).toMatch(
      /100% of the units of '3' output 0 for every example over the last dead-unit window/,
    );
    expect(d.remedies[0]).toMatch(/LeakyReLU/);
  });

  it('learning rate: update ratios far above and far below 1e-3', () => {
    const every = { weightsEvery: 1 };
    const high = diagnoseAfterTraining(mlp({ depth: 3, act: 'relu', init: 'he', seed: 3 }), 4, 3, every);
    const h = high.find((f) => f.kind === 'lr-too-high')!;
    expect(h.numbers.worstRatio).toBeGreaterThan(defaultThresholds.updateRatioHigh);
    expect(h.remedies[0]).toMatch(/^Lower the learning rate \(about ÷/);
    const low = diagnoseAfterTraining(mlp({ depth: 3, act: 'relu', init: 'he', seed: 3 }), 4, 1e-5, every);
    const l = low.find((f) => f.kind === 'lr-too-low')!;
    expect(l.numbers.worstRatio).toBeLessThan(defaultThresholds.updateRatioLow);
    expect(l.layers).toContain('0.weight');
    const ok = diagnoseAfterTraining(mlp({ depth: 3, act: 'relu', init: 'he', seed: 3 }), 4, 0.01, every);
    // with the default weightsEvery (10) four steps hold one update: too few to judge
    const few = diagnoseAfterTraining(mlp({ depth: 3, act: 'relu', init: 'he', seed: 3 }), 4, 3);
    expect(kinds(few).filter((k) => k.startsWith('lr'))).toEqual([]);
    expect(kinds(ok).filter((k) => k.startsWith('lr'))).toEqual([]);
  });

  it("emits 'finding' events every diagnoseEvery recorded steps, once per finding", () => {
    const net = mlp({ depth: 20, act: 'sigmoid' });
    const m = watch(net, { diagnoseEvery: 2 });
    const seen: Finding[] = [];
    m.on('finding', (f) => seen.push(f));
    train(net, m, 6, 0.01);
    expect(kinds(seen)).toEqual(['vanishing']);
    expect(seen[0]!.step).toBe(1);
  });
});

describe('depthFindings', () => {
  const th = defaultThresholds;
  const profile = (rms: number[]) => rms.map((r, i) => ({ layer: `l${i}`, rms: r, norm: r }));

  it('fits the per-layer factor on log10 RMS and states it with the end-to-end ratio', () => {
    const fs = depthFindings(profile([1e-4, 1e-3, 1e-2, 1e-1, 1]), th, ['Linear', 'Sigmoid'], 7);
    expect(fs).toHaveLength(1);
    const f = fs[0]!;
    expect(f.kind).toBe('vanishing');
    expect(f.numbers.perLayerFactor).toBeCloseTo(0.1, 12);
    expect(f.numbers.decades).toBeCloseTo(4, 12);
    expect(f.layers).toEqual(['l0', 'l1', 'l2']);
    expect(f.severity).toBe('error');
    expect(f.step).toBe(7);
    expect(f.evidence).toBe(
      "gradient RMS falls ×0.1 per layer from 'l4' back to 'l0'; 'l0' is 1e-4 of 'l4' (4 decades over 5 weight layers; threshold 1.5)",
    );
  });

  it('stays silent on a flat or short profile and respects the thresholds', () => {
    expect(depthFindings(profile([1, 2, 0.5, 1.5, 1]), th, [], 0)).toEqual([]);
    expect(depthFindings(profile([1e-6, 1]), th, [], 0)).toEqual([]);
    expect(depthFindings(profile([0.01, 0.1, 1]), { ...th, vanishingDecades: 3 }, [], 0)).toEqual([]);
    const e = depthFindings(profile([100, 10, 1]), th, [], 0);
    expect(kinds(e)).toEqual(['exploding']);
    expect(e[0]!.numbers.perLayerFactor).toBeCloseTo(10, 10);
  });

  it('flags an absolute norm above explodingNorm when the profile itself is flat', () => {
    const fs = depthFindings(
      [
        { layer: 'a', rms: 1, norm: 5e3 },
        { layer: 'b', rms: 1, norm: 5e3 },
        { layer: 'c', rms: 1, norm: 1 },
      ],
      th,
      [],
      0,
    );
    expect(kinds(fs)).toEqual(['exploding']);
    expect(fs[0]!.evidence).toMatch(/absolute threshold 1000/);
  });
});

/**
 * The recorded statistics against PyTorch (scripts/goldens/monitor_goldens.py): the same MLP,
 * batch and SGD step, with every statistic computed independently in float64 by torch.
 */
import { readFileSync } from 'node:fs';
import { tensor, tidy } from '@gradsight/core';
import { Linear, type Module, ReLU, Sequential, Sigmoid, Tanh } from '@gradsight/layers';
import { describe, expect, it } from 'vitest';
import { Sgd } from '../test/fixtures.js';
import { buildReport, decodeNumber, type ReportNumber, watch } from './index.js';

interface Arr {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  layers: ({ type: 'Linear'; in: number; out: number } | { type: 'Tanh' | 'ReLU' | 'Sigmoid' })[];
  params: Record<string, Arr>;
  x: Arr;
  labels: number[];
  lr: number;
  expected: {
    loss: number;
    params: Record<string, Record<string, number>>;
    layers: Record<string, Record<string, number>>;
    activations: Record<string, Record<string, number | null>>;
  };
}

const fixture = JSON.parse(
  readFileSync(new URL('../test/fixtures/monitor.json', import.meta.url), 'utf8'),
) as { cases: Case[] };

function build(c: Case): Sequential {
  const mods: Module[] = c.layers.map((l) => {
    if (l.type === 'Linear') return new Linear(l.in, l.out, { seed: 0 });
    return l.type === 'Tanh' ? new Tanh() : l.type === 'ReLU' ? new ReLU() : new Sigmoid();
  });
  const net = new Sequential(...mods);
  for (const [name, p] of net.namedParameters())
    p.assign(tensor(c.params[name]!.data, c.params[name]!.shape));
  return net;
}

function close(
  actual: ReportNumber | undefined,
  expected: number,
  rel: number,
  what: string,
  abs = 1e-12,
): void {
  const a = decodeNumber(actual ?? null);
  expect(Math.abs(a - expected), `${what}: ${a} vs torch ${expected}`).toBeLessThanOrEqual(
    rel * Math.abs(expected) + abs,
  );
}

/**
 * The monitor measures the update actually applied to the float32 weights; torch's exact
 * lr·‖g‖ differs from it by the rounding of each new weight, at most 2^-24·|w_i| per element,
 * so by at most 2^-24 in ‖Δw‖/‖w‖.
 */
const UPDATE_ROUNDING = 2 ** -24;

describe('statistics match PyTorch', () => {
  for (const c of fixture.cases) {
    it(c.name, async () => {
      const { softmaxCrossEntropy } = await import('@gradsight/core');
      const net = build(c);
      const m = watch(net, { weightsEvery: 1 });
      const opt = m.wrapOptimizer(new Sgd(net.parameters(), c.lr));
      tidy(() => {
        const loss = softmaxCrossEntropy(
          net.call(tensor(c.x.data, c.x.shape)),
          tensor(c.labels, [c.labels.length], 'int32'),
        ).mean();
        loss.backward();
        m.afterBackward(loss);
        opt.step();
      });
      const r = buildReport(m);
      close(r.history.loss[0], c.expected.loss, 1e-5, 'loss');
      for (const [name, exp] of Object.entries(c.expected.params)) {
        const got = r.history.parameters[name]!;
        for (const stat of ['gradNorm', 'gradMaxAbs', 'gradStd', 'gradMeanAbs', 'weightNorm'] as const) {
          close(got[stat][0], exp[stat]!, 1e-4, `${name}.${stat}`);
        }
        close(got.updateRatio[0], exp.updateRatio!, 1e-4, `${name}.updateRatio`, UPDATE_ROUNDING);
        // a mean of signed terms: judge it against the scale of the terms
        expect(Math.abs(decodeNumber(got.gradMean[0]!) - exp.gradMean!)).toBeLessThan(
          1e-4 * exp.gradMeanAbs!,
        );
      }
      for (const [path, exp] of Object.entries(c.expected.layers)) {
        const got = r.history.layers[path]!;
        for (const stat of ['gradNorm', 'gradMeanAbs', 'gradMaxAbs', 'gradRms', 'weightNorm'] as const) {
          close(got[stat][0], exp[stat]!, 1e-4, `layer ${path}.${stat}`);
        }
        close(got.updateRatio[0], exp.updateRatio!, 1e-4, `layer ${path}.updateRatio`, UPDATE_ROUNDING);
      }
      for (const [path, exp] of Object.entries(c.expected.activations)) {
        const got = r.history.activations[path]!;
        close(got.mean[0], exp.mean!, 1e-4, `act ${path}.mean`);
        close(got.std[0], exp.std!, 1e-4, `act ${path}.std`);
        // thresholded counts: the fixture keeps every value 1e-4 away from the thresholds
        expect(got.deadFraction[0]).toBe(exp.deadFraction);
        expect(got.saturatedFraction[0]).toBe(exp.saturatedFraction);
      }
    });
  }

  it('the fixture exercises saturation and dead units', () => {
    const acts = fixture.cases[0]!.expected.activations;
    expect(acts['1']!.saturatedFraction).toBeGreaterThan(0);
    expect(acts['3']!.deadFraction).toBeGreaterThan(0);
    expect(acts['5']!.saturatedFraction).toBeGreaterThan(0);
  });
});

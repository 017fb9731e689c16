import { Linear, Sequential, Sigmoid } from '@gradsight/layers';
import { describe, expect, it } from 'vitest';
import { InjectLog, mlp, train } from '../test/fixtures.js';
import { byClass, byTag, findAll, parseXml } from '../../viz/test/xml.js';
import {
  buildReport,
  decodeNumber,
  encodeNumber,
  gradientFlowChart,
  gradNormHeatmap,
  lossChart,
  parseReport,
  reportToCsv,
  summaryTable,
  updateRatioChart,
  watch,
} from './index.js';

function trainedReport() {
  const net = mlp({ depth: 4, act: 'sigmoid', seed: 9 });
  const m = watch(net, { histograms: true, histogramEvery: 2, bins: 6 });
  train(net, m, 4);
  return { m, report: buildReport(m, { meta: { run: 'test' } }) };
}

describe('JSON report', () => {
  it('has the documented envelope and column-oriented history, and survives a JSON round trip', () => {
    const { m, report } = trainedReport();
    expect(report.schemaVersion).toBe(1);
    expect(report.kind).toBe('gradsight.gradient-monitor.report');
    expect(report.steps).toEqual({
      total: 4,
      recorded: 4,
      retained: 4,
      downsampleStride: 1,
      every: 1,
      skipped: 0,
    });
    expect(report.layers.map((l) => [l.path, l.typeName, l.weightLayer])).toEqual([
      ['0', 'Linear', true],
      ['2', 'Linear', true],
      ['4', 'Linear', true],
      ['6', 'Linear', true],
    ]);
    expect(report.parameters[0]).toEqual({
      name: '0.weight',
      layer: '0',
      shape: [16, 32],
      size: 512,
      isWeight: true,
    });
    expect(report.activations.map((a) => a.kind)).toEqual(['sigmoid', 'sigmoid', 'sigmoid']);
    expect(report.history.step).toEqual([0, 1, 2, 3]);
    const rec = m.history.values()[2]!;
    expect(report.history.layers['2']!.gradNorm[2]).toBe(rec.layers[1 * 6 + 0]);
    expect(report.history.activations['1']!.deadFraction.every((v) => v === null)).toBe(true);
    // weights are measured every weightsEvery (10) steps: step 0 only here
    expect(report.history.layers['0']!.weightNorm.map((v) => v === null)).toEqual([false, true, true, true]);
    expect(report.history.layers['0']!.updateRatio[0]).toBeGreaterThan(0);
    expect(report.histograms.map((h) => h.step)).toEqual([0, 2]);
    expect(report.histograms[0]!.parameters['0.weight']!.grad!.counts).toHaveLength(6);
    expect(report.meta).toEqual({ run: 'test' });
    const back = parseReport(JSON.parse(JSON.stringify(report)));
    expect(back).toEqual(report);
    expect(() => parseReport({ kind: 'gradsight.gradient-monitor.report', schemaVersion: 2 })).toThrow(
      /schemaVersion 2/,
    );
    expect(() => parseReport({})).toThrow(/not a gradient-monitor report/);
  });

  it('encodes NaN/Inf as strings (never dropped) and unmeasured values as null', () => {
    expect([1.5, Number.NaN, Infinity, -Infinity].map(encodeNumber)).toEqual([
      1.5,
      'NaN',
      'Infinity',
      '-Infinity',
    ]);
    expect(['NaN', 'Infinity', '-Infinity', null, 2].map((v) => decodeNumber(v as never))).toEqual([
      Number.NaN,
      Infinity,
      -Infinity,
      Number.NaN,
      2,
    ]);
    const net = new Sequential(
      new Linear(16, 8, { seed: 1 }),
      new Sigmoid(),
      new InjectLog(1),
      new Linear(8, 10, { seed: 2 }),
    );
    const m = watch(net);
    train(net, m, 2);
    const r = buildReport(m);
    const json = JSON.parse(JSON.stringify(r));
    expect(json.history.layers['3'].gradNorm[1]).toBe('NaN');
    expect(json.history.loss[1]).toBe('NaN');
    expect(json.nonFinite.first).toMatchObject({ step: 1, pass: 'forward', layer: '2' });
    expect(json.findings[0].kind).toBe('non-finite');
    // step events with a plain `step(loss)` have no update measured
    const m2 = watch(net);
    m2.step(1);
    expect(buildReport(m2).history.layers['0']!.updateRatio).toEqual([null]);
  });

  it('writes tidy CSV rows: step,scope,name,stat,value', () => {
    const { report } = trainedReport();
    const lines = reportToCsv(report).trim().split('\n');
    expect(lines[0]).toBe('step,scope,name,stat,value');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.filter((r) => r[1] === 'loss')).toHaveLength(4);
    const g = rows.find((r) => r[0] === '3' && r[1] === 'layer' && r[2] === '4' && r[3] === 'gradNorm')!;
    expect(Number(g[4])).toBe(report.history.layers['4']!.gradNorm[3]);
    expect(rows.some((r) => r[1] === 'activation' && r[3] === 'saturatedFraction')).toBe(true);
    // dead fractions do not apply to sigmoid: not written
    expect(rows.some((r) => r[1] === 'activation' && r[3] === 'deadFraction')).toBe(false);
  });

  it('prints a terminal summary table with the layers and the findings', () => {
    const net = mlp({ depth: 20, act: 'sigmoid' });
    const m = watch(net);
    train(net, m, 2);
    const text = summaryTable(buildReport(m));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^gradient monitor — step 1 \(2 steps, 2 recorded, 2 retained\), loss \d/);
    expect(lines[1]).toMatch(/^layer\s+type\s+‖g‖\s+mean\|g\|\s+max\|g\|\s+‖w‖\s+‖Δw‖\/‖w‖$/);
    expect(lines.filter((l) => /^\d+\s+Linear\s/.test(l))).toHaveLength(20);
    expect(text).toMatch(/\n\[error\] vanishing \(0, 2, 4, 6, 8, 10, … \d+ more\): gradient RMS falls/);
    expect(text).toMatch(/→ Replace sigmoid\/tanh/);
    expect(text).toMatch(/Sigmoid sat \d/);
  });
});

describe('charts', () => {
  const { report } = trainedReport();

  it('gradient flow: two bars per layer on a log axis, layer names on the x axis', () => {
    const doc = parseXml(gradientFlowChart(report, { id: 'gf' }));
    expect(findAll(doc, byClass('bar'))).toHaveLength(2 * report.layers.length);
    const labels = findAll(findAll(doc, byClass('band-axis'))[0]!, byTag('text')).map((t) => t.text);
    expect(labels).toEqual(['0', '2', '4', '6']);
    expect(findAll(doc, byTag('title'))[0]!.text).toBe('Gradient flow at step 3');
    expect(findAll(doc, (e) => e.attrs['data-series'] === 'mean |g|')).toHaveLength(1);
  });

  it('heatmap: one cell per layer and retained step, NaN steps hatched', () => {
    const doc = parseXml(gradNormHeatmap(report, { id: 'hm' }));
    expect(findAll(doc, byClass('cell'))).toHaveLength(report.layers.length * 4);
    expect(findAll(doc, byClass('nan'))).toHaveLength(0);
    const net = new Sequential(
      new Linear(16, 8, { seed: 1 }),
      new Sigmoid(),
      new InjectLog(1),
      new Linear(8, 10, { seed: 2 }),
    );
    const m = watch(net);
    train(net, m, 3);
    const bad = parseXml(gradNormHeatmap(buildReport(m)));
    expect(findAll(bad, byClass('nan')).map((c) => c.children[0]!.text)).toEqual([
      '0, 1: NaN',
      '0, 2: NaN',
      '3, 1: NaN',
      '3, 2: NaN',
    ]);
    // report policy: the NaN gradients of step 1 were applied, so step 2 is NaN too
  });

  it('update ratio: a line per weight layer and the 1e-3 guide', () => {
    const doc = parseXml(updateRatioChart(report));
    expect(findAll(doc, byClass('series')).map((s) => s.attrs['data-series'])).toEqual(['0', '2', '4', '6']);
    expect(findAll(doc, byClass('guide'))[0]!.children[0]!.text).toBe('1e-3 rule of thumb');
    expect(findAll(parseXml(lossChart(report)), byClass('series'))).toHaveLength(1);
  });
});

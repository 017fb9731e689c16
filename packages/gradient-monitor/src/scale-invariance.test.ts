import {
  add,
  type Backend,
  getBackend,
  mul,
  noGrad,
  randn,
  setBackend,
  sum,
  type Tensor,
  tidy,
} from '@gradsight/core';
import {
  accuracy,
  BatchNorm1d,
  crossEntropy,
  LayerNorm,
  Linear,
  Module,
  ReLU,
  Sequential,
  Sigmoid,
} from '@gradsight/layers';
import { Adam } from '@gradsight/optim';
import { createWasmBackend } from '@gradsight/tensor-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, bnReluMlp, mlp, train, twoSpirals } from '../test/fixtures.js';
import {
  buildReport,
  checkInit,
  type DepthPoint,
  defaultThresholds,
  depthFindings,
  diagnose,
  type Finding,
  formatInitReport,
  summaryTable,
  watch,
} from './index.js';

const depthKinds = (fs: Finding[]) =>
  fs.map((f) => f.kind).filter((k) => k === 'vanishing' || k === 'exploding');

/** One monitored SGD step, so that the dataflow is read and the candidates verified. */
function oneStep(net: Module, options = {}) {
  const m = watch(net, options);
  train(net, m, 1, 0.01);
  m.close();
  return m;
}

/** y = BatchNorm(h) + h with h = Linear(x): the Linear feeds a norm layer but is not scale-invariant. */
class NormPlusSkip extends Module {
  readonly typeName = 'NormPlusSkip';
  readonly lin = this.registerModule('lin', new Linear(32, 32, { seed: 5 }));
  readonly bn = this.registerModule('bn', new BatchNorm1d(32));
  forward(x: Tensor): Tensor {
    const h = this.lin.call(x);
    return add(this.bn.call(h), h);
  }
}

describe('finding the scale-invariant layers', () => {
  it('a Linear whose output goes into BatchNorm (training mode) is scale-invariant; the output layer is not', () => {
    const m = oneStep(mlp({ depth: 4, act: 'relu', init: 'he', batchNorm: true }));
    expect(m.scaleInvariantLayers).toEqual(['0', '3', '6']);
  });

  it('LayerNorm counts too, also when the monitor has no hooks of its own', () => {
    const net = new Sequential(
      new Linear(16, 32, { seed: 1 }),
      new LayerNorm(32),
      new ReLU(),
      new Linear(32, 32, { seed: 2 }),
      new LayerNorm(32),
      new ReLU(),
      new Linear(32, 10, { seed: 3 }),
    );
    const m = oneStep(net, { activations: false, nonFinite: { forward: 'none' } });
    expect(m.scaleInvariantLayers).toEqual(['0', '3']);
  });

  it('the orthogonality check rejects BatchNorm in eval mode (an affine map) and an output that also feeds a skip', () => {
    const evalNet = mlp({ depth: 4, act: 'relu', init: 'he', batchNorm: true });
    evalNet.eval();
    expect(oneStep(evalNet).scaleInvariantLayers).toEqual([]);
    const skip = new Sequential(
      new Linear(16, 32, { seed: 4 }),
      new ReLU(),
      new NormPlusSkip(),
      new Linear(32, 10),
    );
    expect(oneStep(skip).scaleInvariantLayers).toEqual([]);
  });

  it('scaleInvariance: false treats every layer as plain; a norm layer after an activation makes nothing invariant', () => {
    const net = mlp({ depth: 4, act: 'relu', init: 'he', batchNorm: true });
    expect(oneStep(net, { scaleInvariance: false }).scaleInvariantLayers).toEqual([]);
    const after = new Sequential(new Linear(16, 32), new Sigmoid(), new BatchNorm1d(32), new Linear(32, 10));
    expect(oneStep(after).scaleInvariantLayers).toEqual([]);
  });

  it("reports and the summary table mark them; the record's weight norms feed ‖g‖·‖w‖", () => {
    const net = mlp({ depth: 4, act: 'relu', init: 'he', batchNorm: true });
    const m = watch(net);
    train(net, m, 3, 0.01);
    const input = m.diagnosisInput();
    const l0 = input.layers.find((l) => l.path === '0')!;
    expect(l0.scaleInvariant).toBe(true);
    // step 0 measured the weights (weightsEvery 10): ‖w‖ of the layer's weight and bias together
    const w = net.namedParameters().filter(([n]) => n.startsWith('0.'));
    const expected = Math.sqrt(w.reduce((s, [, t]) => s + t.square().sum().item(), 0));
    expect(l0.weightNorm).toBeCloseTo(expected, 2); // the weights moved for 2 steps since
    expect(input.layers.find((l) => l.path === '9')!.scaleInvariant).toBe(false);
    const report = buildReport(m);
    expect(report.layers.filter((l) => l.scaleInvariant).map((l) => l.path)).toEqual(['0', '3', '6']);
    const text = summaryTable(report);
    expect(text.split('\n').filter((l) => /^\d+\s+Linear\*\s/.test(l))).toHaveLength(3);
    expect(text).toMatch(/^9\s+Linear\s/m);
    expect(text).toMatch(/\* output normalised: scale-invariant weights, compared over depth by ‖g‖·‖w‖/);
  });
});

describe('depthFindings with scale-invariant layers', () => {
  const th = defaultThresholds;
  const inv = (norm: number[], weightNorm: number[]): DepthPoint[] =>
    norm.map((g, i) => ({
      layer: `n${i}`,
      rms: g / 32,
      norm: g,
      scaleInvariant: true,
      weightNorm: weightNorm[i]!,
    }));

  it('judges them by ‖g‖·‖w‖: a raw-gradient trend made by the weight scale alone is no finding', () => {
    // the gradient falls 1000× toward the input only because those weights are 1000× larger
    const norms = [1e-3, 1e-2, 1e-1, 1];
    const weights = [1e3, 1e2, 10, 1];
    expect(depthFindings(inv(norms, weights), th, ['Linear', 'BatchNorm1d'], 0)).toEqual([]);
    const asPlain = inv(norms, weights).map(({ scaleInvariant: _, ...p }) => p);
    expect(depthFindings(asPlain, th, [], 0).map((f) => f.kind)).toEqual(['vanishing']);
  });

  it('flags a real trend of ‖g‖·‖w‖, with normalisation-specific remedies', () => {
    const fs = depthFindings(inv([100, 10, 1, 0.1], [1, 1, 1, 1]), th, ['Linear', 'BatchNorm1d', 'ReLU'], 3);
    expect(fs).toHaveLength(1);
    const f = fs[0]!;
    expect(f.kind).toBe('exploding');
    expect(f.severity).toBe('warning');
    expect(f.layers).toEqual(['n0', 'n1']);
    expect(f.numbers.threshold).toBe(th.normalizedDecades);
    expect(f.numbers.gradTimesWeightNorm).toEqual([100, 10, 1, 0.1]);
    expect(f.numbers.perLayerFactor).toBeCloseTo(10, 10);
    expect(f.evidence).toBe(
      "gradient × weight norm (‖g‖·‖w‖) of the normalised layers grows ×10 per layer from 'n3' back to 'n0'; 'n0' is 1000× 'n3' (3 decades over 4 normalised weight layers; threshold 2)",
    );
    expect(f.remedies[0]).toMatch(/^Add residual \(skip\) connections around the normalised blocks/);
    expect(f.remedies.join(' ')).not.toMatch(/Scale the initial weights down/);
    // their own threshold: 1.8 decades flags plain layers, not normalised ones
    const mild = [1, 0.25, 0.0625, 0.0158];
    expect(depthFindings(inv(mild, [1, 1, 1, 1]), th, [], 0)).toEqual([]);
    expect(depthFindings(inv(mild, [1, 1, 1, 1]), { ...th, normalizedDecades: 1.5 }, [], 0)).toHaveLength(1);
    const severe = depthFindings(inv([1e4, 1e2, 1, 1e-2, 1e-4].reverse(), [1, 1, 1, 1, 1]), th, [], 0);
    expect(severe.map((x) => [x.kind, x.severity])).toEqual([['vanishing', 'error']]);
  });

  it('keeps plain and normalised layers in separate profiles, and the absolute norm rule for plain ones', () => {
    const plain: DepthPoint[] = [1e-4, 1e-2, 1].map((r, i) => ({ layer: `p${i}`, rms: r, norm: r }));
    const fs = depthFindings([...inv([1, 1, 1], [1, 1, 1]), ...plain], th, [], 0);
    expect(fs.map((f) => [f.kind, f.layers])).toEqual([['vanishing', ['p0', 'p1']]]);
    // a gradient norm above explodingNorm means nothing for a layer whose norm is ∝ 1/‖w‖
    const big = (scaleInvariant: boolean): DepthPoint[] => [
      { layer: 'a', rms: 1, norm: 5e3, scaleInvariant, weightNorm: 1e-3 },
      { layer: 'b', rms: 1, norm: 1, scaleInvariant, weightNorm: 5 },
      { layer: 'c', rms: 1, norm: 1, scaleInvariant, weightNorm: 5 },
    ];
    expect(depthFindings(big(true), th, [], 0)).toEqual([]);
    expect(depthFindings(big(false), th, [], 0).map((f) => f.numbers.maxNorm)).toEqual([5e3]);
  });
});

describe('true positives with normalisation in the net', () => {
  it('a saturating sigmoid chain above a BatchNorm stack: vanishing, named in the plain layers', () => {
    const mods: Module[] = [];
    for (let i = 0; i < 6; i++)
      mods.push(new Linear(i === 0 ? 16 : 32, 32, { seed: i }), new BatchNorm1d(32), new ReLU());
    for (let i = 0; i < 14; i++) mods.push(new Linear(32, 32, { seed: 100 + i }), new Sigmoid());
    mods.push(new Linear(32, 10, { seed: 999 }));
    const net = new Sequential(...mods);
    const m = watch(net);
    train(net, m, 4, 0.01);
    expect(m.scaleInvariantLayers).toEqual(['0', '3', '6', '9', '12', '15']);
    const v = m.diagnose().find((f) => f.kind === 'vanishing')!;
    expect(v).toBeDefined();
    expect(v.evidence).toMatch(/^gradient RMS falls/);
    expect(v.layers[0]).toBe('18');
  });

  it('BatchNorm after the last activation only normalises no weight layer: the sigmoid net still vanishes', () => {
    const net = mlp({ depth: 20, act: 'sigmoid' });
    const withNorm = new Sequential(
      ...net.children().slice(0, -1),
      new BatchNorm1d(32),
      net.children().at(-1)!,
    );
    const m = watch(withNorm);
    train(withNorm, m, 4, 0.01);
    expect(m.scaleInvariantLayers).toEqual([]);
    expect(depthKinds(m.diagnose())).toEqual(['vanishing']);
  });
});

describe('checkInit on a net with BatchNorm', () => {
  const data = twoSpirals(256, 7);

  it('the default probe objective is mean-reduced: no absolute finding, numbers of the order a training loss gives', () => {
    const net = bnReluMlp();
    const r = checkInit(net, data.x);
    expect(r.objective).toBe('probe');
    expect(r.findings).toEqual([]);
    // the documented formula, evaluated independently: (1/N)·Σ out·r with r ~ N(0, 1), seed 0
    const expected = tidy(() => {
      const out = net.call(data.x);
      return mul(sum(mul(out, randn(out.shape, { seed: 0 }))), 1 / out.shape[0]!).item();
    });
    expect(r.loss).toBeCloseTo(expected, 5);
    expect(formatInitReport(r)).toMatch(/^checkInit: probe objective \(1\/N\)·Σ out·r -?\d/);
    // same order as the gradient of the real (mean) cross-entropy at init, layer by layer
    const ce = checkInit(net, data.x, (out) => crossEntropy(out, data.y));
    expect(ce.objective).toBe('loss');
    for (const [i, l] of r.layers.entries()) {
      if (!l.weightLayer) continue;
      const ratio = l.paramGradNorm / ce.layers[i]!.paramGradNorm;
      expect(ratio).toBeGreaterThan(0.1);
      expect(ratio).toBeLessThan(10);
    }
  });

  it('leaves the BatchNorm running statistics as they were', () => {
    const net = bnReluMlp({ depth: 4 });
    const bn = net.children()[1] as BatchNorm1d;
    const before = [...bn.runningMean!.dataSync(), ...bn.runningVar!.dataSync()];
    checkInit(net, data.x);
    expect([...bn.runningMean!.dataSync(), ...bn.runningVar!.dataSync()]).toEqual(before);
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });
});

describe('training runs (tensor-wasm backend)', () => {
  let previous: Backend;
  beforeAll(async () => {
    previous = getBackend();
    setBackend(await createWasmBackend());
  });
  afterAll(() => {
    setBackend(previous);
  });

  it("the main demo's net: 16-layer ReLU + He + BatchNorm1d, two spirals, Adam 1e-2, 300 steps — healthy", () => {
    const data = twoSpirals(256, 7);
    const net = bnReluMlp({ depth: 16, seed: 1 });
    const m = watch(net, { weightsEvery: 5 });
    const emitted: Finding[] = [];
    m.on('finding', (f) => emitted.push(f));
    const opt = m.wrapOptimizer(new Adam(net.parameters(), { lr: 1e-2 }));
    net.train();
    for (let step = 0; step < 300; step++) {
      tidy(() => {
        opt.zeroGrad();
        const loss = crossEntropy(net.call(data.x), data.y);
        loss.backward();
        m.afterBackward(loss);
        opt.step();
      });
    }
    net.eval();
    const acc = tidy(() => noGrad(() => accuracy(net.call(data.x), data.y)));
    const final = m.diagnose();
    m.close();
    expect(acc).toBeGreaterThan(0.9);
    expect(m.scaleInvariantLayers).toEqual([
      '0',
      '3',
      '6',
      '9',
      '12',
      '15',
      '18',
      '21',
      '24',
      '27',
      '30',
      '33',
      '36',
      '39',
      '42',
    ]);
    expect(depthKinds([...emitted, ...final])).toEqual([]);
    // the raw-gradient rule on the same records reported this net as exploding
    const input = m.diagnosisInput();
    const raw = diagnose({ ...input, layers: input.layers.map((l) => ({ ...l, scaleInvariant: false })) });
    expect(depthKinds(raw)).toEqual(['exploding']);
  });

  it('a 50-block plain BatchNorm stack after SGD: exploding by ‖g‖·‖w‖, as the backward signal itself shows', () => {
    const net = mlp({ depth: 50, act: 'relu', init: 'he', batchNorm: true });
    const m = watch(net);
    train(net, m, 60, 0.1);
    m.close();
    const fs = m.diagnose();
    const e = fs.find((f) => f.kind === 'exploding')!;
    expect(e).toBeDefined();
    expect(e.evidence).toMatch(/^gradient × weight norm \(‖g‖·‖w‖\) of the normalised layers grows/);
    expect(e.layers[0]).toBe('0');
    expect(e.numbers.decades).toBeGreaterThan(2);
    // Ground truth: the backward signal at the input x of each normalised Linear, made
    // scale-free as rms(∂L/∂x)·rms(x) (the loss's sensitivity to a relative change of x; the
    // early activations are ~50× larger than the late ones after these steps, since SGD also
    // grew the early BatchNorm scales γ). Measured through hooks on a fresh batch.
    const linears = net.namedModules().filter(([p, mod]) => mod.typeName === 'Linear' && p !== '147');
    const signal = new Map<string, number>();
    tidy(() => {
      const hs = linears.map(([p, mod]) =>
        mod.registerForwardHook((_m: unknown, inputs: Tensor[]) => {
          const x = inputs[0]!;
          const xRms = Math.sqrt(x.square().mean().item());
          if (x.requiresGrad)
            x.registerHook((g) => void signal.set(p, xRms * Math.sqrt(g.square().mean().item())));
        }),
      );
      const b = batch(1000);
      crossEntropy(net.call(b.x), b.y).backward();
      for (const h of hs) h.remove();
      for (const p of net.parameters()) p.grad = null;
    });
    // decades of growth toward the input along a least-squares line, as the monitor fits
    const ys = linears.slice(1).map(([p]) => Math.log10(signal.get(p)!));
    const mx = (ys.length - 1) / 2;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const slope =
      ys.reduce((a, y, i) => a + (i - mx) * (y - my), 0) / ys.reduce((a, _, i) => a + (i - mx) ** 2, 0);
    expect(-slope * (ys.length - 1)).toBeGreaterThan(defaultThresholds.explodingDecades);
    // Why the raw gradient cannot tell: SGD grew the early weights (the gradient of a
    // scale-invariant weight is orthogonal to it), which shrank their gradient as 1/‖w‖.
    const layers = m.diagnosisInput().layers;
    expect(layers.find((l) => l.path === '0')!.weightNorm!).toBeGreaterThan(
      10 * layers.find((l) => l.path === '144')!.weightNorm!,
    );
    const input = m.diagnosisInput();
    const raw = diagnose({ ...input, layers: input.layers.map((l) => ({ ...l, scaleInvariant: false })) });
    expect(depthKinds(raw)).toEqual([]);
  });
});

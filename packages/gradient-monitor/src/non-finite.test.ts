import { full, NonFiniteError, type Tensor, tensor, tidy } from '@gradsight/core';
import { Linear, Sequential, Sigmoid } from '@gradsight/layers';
import { describe, expect, it } from 'vitest';
import { batch, InjectLog, lossOf, Sgd, SqrtOfZero, train } from '../test/fixtures.js';
import { type NonFiniteEvent, watch } from './index.js';

function logNet(armedAt: number): Sequential {
  return new Sequential(
    new Linear(16, 32, { seed: 1 }),
    new Sigmoid(),
    new Linear(32, 32, { seed: 2 }),
    new Sigmoid(),
    new InjectLog(armedAt), // layer '4'
    new Linear(32, 10, { seed: 3 }),
  );
}

describe('non-finite provenance', () => {
  it('names layer k, the forward pass and the step of a log of a negative number', () => {
    const net = logNet(6);
    const m = watch(net);
    const seen: NonFiniteEvent[] = [];
    m.on('nonfinite', (e) => seen.push(e));
    train(net, m, 9);
    const first = m.firstNonFinite!;
    expect(first).toMatchObject({
      step: 6,
      pass: 'forward',
      layer: '4',
      tensor: 'output',
      typeName: 'Log',
      action: 'reported',
    });
    expect(first.nan).toBe(32 * 32);
    expect(first.inputMin).toBeGreaterThan(0);
    expect(first.inputMax).toBeLessThan(1);
    expect(first.message).toMatch(
      /step 6, forward pass: output of layer '4' \(Log\) has 1024 NaN of 1024 values/,
    );
    expect(seen[0]).toBe(first);
    // later passes of the same step are recorded too, but the first stays the forward one
    expect(m.nonFiniteEvents.filter((e) => e.step === 6).map((e) => e.pass)).toContain('backward');
    const f = m.diagnose().find((x) => x.kind === 'non-finite')!;
    expect(f.layers).toEqual(['4']);
    expect(f.severity).toBe('error');
    expect(f.remedies[0]).toMatch(/input domain of log\/sqrt\/div\/pow in '4'/);
  });

  it("policy 'throw' raises NonFiniteError in the forward pass that made the NaN", () => {
    const net = logNet(2);
    const m = watch(net, { nonFinite: { policy: 'throw' } });
    let caught: unknown;
    try {
      train(net, m, 5);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NonFiniteError);
    expect((caught as Error).message).toMatch(/step 2, forward pass: output of layer '4'/);
    expect(m.currentStep).toBe(2);
  });

  it('locates a NaN born in backward at the module whose backward made it', () => {
    const net = new Sequential(
      new Linear(16, 8, { seed: 1 }),
      new Sigmoid(),
      new SqrtOfZero(),
      new Linear(8, 10, { seed: 2 }),
    );
    const m = watch(net);
    tidy(() => {
      const loss = lossOf(net, batch(1));
      loss.backward();
      const v = m.afterBackward(loss);
      expect(v.nonFinite).not.toBeNull();
      m.endStep();
    });
    const e = m.firstNonFinite!;
    expect(e).toMatchObject({
      step: 0,
      pass: 'backward',
      layer: '2',
      tensor: 'grad of input',
      typeName: 'SqrtOfZero',
    });
    expect(e.also).toEqual(['0.weight', '0.bias']);
  });

  it("policy 'skip-step' skips the wrapped update on a NaN step and stops after a streak", () => {
    const net = logNet(1);
    const m = watch(net, { nonFinite: { policy: 'skip-step', maxConsecutiveSkips: 3 } });
    const opt = m.wrapOptimizer(new Sgd(net.parameters(), 0.1));
    const snapshot = () => net.parameters().map((p) => p.dataSync().slice() as Float32Array);
    const steps: { before: Float32Array[]; after: Float32Array[]; skip: boolean }[] = [];
    for (let s = 0; s < 3; s++) {
      tidy(() => {
        opt.zeroGrad();
        const loss = lossOf(net, batch(s));
        loss.backward();
        const v = m.afterBackward(loss);
        const before = snapshot();
        opt.step();
        steps.push({ before, after: snapshot(), skip: v.skip });
      });
    }
    expect(steps.map((s) => s.skip)).toEqual([false, true, false]);
    expect(steps[1]!.after).toEqual(steps[1]!.before);
    expect(steps[2]!.after).not.toEqual(steps[2]!.before);
    expect(m.skippedStepCount).toBe(1);
    expect(m.firstNonFinite!.action).toBe('skipped');
    expect(m.history.values().map((r) => r.skipped)).toEqual([false, true, false]);

    // a model that is NaN on every step: the monitor gives up after 3 skips
    const always = logNet(0);
    (always[4] as InjectLog).forward = (x: Tensor) => x.sub(100).log();
    const m2 = watch(always, { nonFinite: { policy: 'skip-step', maxConsecutiveSkips: 3 } });
    expect(() => train(always, m2, 5)).toThrow(/3 consecutive steps were skipped/);
  });

  it("rolls back a non-finite update under 'skip-step' and reports it in the update pass", () => {
    const net = new Sequential(new Linear(16, 10, { seed: 1 }));
    const bad = {
      step: () => net[0]!.parameters()[0]!.assign(full([16, 10], Number.NaN)),
      zeroGrad: () => {},
    };
    const m = watch(net, { nonFinite: { policy: 'skip-step' } });
    const opt = m.wrapOptimizer(bad);
    const w0 = net.parameters()[0]!.dataSync().slice();
    tidy(() => {
      const loss = lossOf(net, batch(3));
      loss.backward();
      m.afterBackward(loss);
      opt.step();
    });
    expect(m.firstNonFinite).toMatchObject({
      pass: 'update',
      layer: '0',
      tensor: '0.weight',
      action: 'rolled-back',
      nan: 160,
    });
    expect(net.parameters()[0]!.dataSync()).toEqual(w0);
    const r = watch(net, { nonFinite: { policy: 'report' } });
    const opt2 = r.wrapOptimizer(bad);
    tidy(() => {
      const loss = lossOf(net, batch(3));
      loss.backward();
      r.afterBackward(loss);
      opt2.step();
    });
    expect(r.firstNonFinite).toMatchObject({ pass: 'update', action: 'reported' });
    expect(Number.isNaN(net.parameters()[0]!.dataSync()[0]!)).toBe(true);
  });

  it('between weight checks, names the parameter an update made non-finite when the next forward uses it', () => {
    const net = new Sequential(new Linear(16, 8, { seed: 1 }), new Sigmoid(), new Linear(8, 10, { seed: 2 }));
    let calls = 0;
    // a faulty optimiser: fine on steps 0–2, writes Inf into 2.weight on step 3
    const opt = {
      step: () => {
        if (calls++ === 3) net[2]!.parameters()[0]!.assign(full([8, 10], Number.POSITIVE_INFINITY));
      },
      zeroGrad: () => {},
    };
    const m = watch(net, { weightsEvery: 2 });
    const wrapped = m.wrapOptimizer(opt);
    for (let s = 0; s < 6; s++) {
      tidy(() => {
        const loss = lossOf(net, batch(s));
        loss.backward();
        m.afterBackward(loss);
        wrapped.step();
      });
    }
    expect(m.firstNonFinite).toMatchObject({
      step: 3,
      pass: 'update',
      layer: '2',
      tensor: '2.weight',
      typeName: 'Linear',
      posInf: 80,
    });
    expect(m.firstNonFinite!.message).toMatch(
      /found in the forward pass of step 4: an optimiser update after step 2, when all parameters were last verified finite, wrote it/,
    );
  });

  it('reports a non-finite loss given as a number', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const m = watch({ namedParameters: () => [['w', w]] as [string, Tensor][] });
    m.step(1);
    m.step(Number.POSITIVE_INFINITY);
    expect(m.firstNonFinite).toMatchObject({
      step: 1,
      pass: 'forward',
      layer: '(loss)',
      tensor: 'loss',
      posInf: 1,
    });
    expect(m.firstNonFinite!.message).toMatch(/step 1, forward pass: the loss has 1 \+Inf/);
  });
});

describe("non-finite provenance with statsOn 'backend'", () => {
  it('finds the same first event and counts', () => {
    const net = logNet(3);
    const m = watch(net, { statsOn: 'backend' });
    train(net, m, 5);
    expect(m.firstNonFinite).toMatchObject({ step: 3, pass: 'forward', layer: '4', nan: 1024 });
    const bwd = m.nonFiniteEvents.find((e) => e.step === 3 && e.pass === 'backward')!;
    expect(bwd.nan).toBeGreaterThan(0);
  });

  it('rolls back a non-finite update from backend copies', () => {
    const net = new Sequential(new Linear(16, 10, { seed: 1 }));
    const bad = { step: () => net[0]!.parameters()[1]!.assign(full([10], Number.POSITIVE_INFINITY)) };
    const m = watch(net, { statsOn: 'backend', nonFinite: { policy: 'skip-step' } });
    const opt = m.wrapOptimizer(bad);
    const b0 = net.parameters()[1]!.dataSync().slice();
    tidy(() => {
      const loss = lossOf(net, batch(3));
      loss.backward();
      m.afterBackward(loss);
      opt.step();
    });
    expect(m.firstNonFinite).toMatchObject({
      pass: 'update',
      tensor: '0.bias',
      action: 'rolled-back',
      posInf: 10,
    });
    expect(net.parameters()[1]!.dataSync()).toEqual(b0);
  });
});

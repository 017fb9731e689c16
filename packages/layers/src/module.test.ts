import * as g from '@gradsight/core';
import { describe, expect, it } from 'vitest';
import { Linear, Module, ReLU, Sequential, Sigmoid, StateDictError, Tanh } from './index.js';

class Block extends Module {
  readonly typeName = 'Block';
  readonly conv1: Linear;
  readonly act: ReLU;
  constructor() {
    super();
    this.conv1 = this.registerModule('conv1', new Linear(3, 4, { seed: 1 }));
    this.act = this.registerModule('act', new ReLU());
  }
  forward(x: g.Tensor): g.Tensor {
    return this.act.call(this.conv1.call(x));
  }
}

class Net extends Module {
  readonly typeName = 'Net';
  readonly block = this.registerModule('block', new Block());
  readonly head = this.registerModule('head', new Sequential(new Linear(4, 2, { seed: 2 }), new Sigmoid()));
  forward(x: g.Tensor): g.Tensor {
    return this.head.call(this.block.call(x));
  }
}

describe('Module', () => {
  it('names parameters by dotted path and sets module paths', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'block.conv1.weight',
      'block.conv1.bias',
      'head.0.weight',
      'head.0.bias',
    ]);
    expect(net.parameters().map((p) => p.name)).toEqual([
      'block.conv1.weight',
      'block.conv1.bias',
      'head.0.weight',
      'head.0.bias',
    ]);
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(net.namedModules().map(([n, m]) => [n, m.typeName, m.path])).toEqual([
      ['', 'Net', ''],
      ['block', 'Block', 'block'],
      ['block.conv1', 'Linear', 'block.conv1'],
      ['block.act', 'ReLU', 'block.act'],
      ['head', 'Sequential', 'head'],
      ['head.0', 'Linear', 'head.0'],
      ['head.1', 'Sigmoid', 'head.1'],
    ]);
    expect(net.namedParameters('m', false)).toEqual([]);
    expect(net.block.namedParameters('x').map(([n]) => n)).toEqual(['x.conv1.weight', 'x.conv1.bias']);
    expect(net.children().map((m) => m.typeName)).toEqual(['Block', 'Sequential']);
    expect(net.countParameters()).toBe(3 * 4 + 4 + 4 * 2 + 2);
  });

  it('renames a subtree when it is nested later, and after append', () => {
    const inner = new Sequential(new Linear(2, 2, { seed: 0 }));
    const outer = new Sequential(new Tanh(), inner);
    expect(inner.at(0).path).toBe('1.0');
    expect(inner.at(0).parameters()[0]!.name).toBe('1.0.weight');
    inner.append(new Linear(2, 1, { seed: 0 }));
    expect(inner[1]!.path).toBe('1.1');
    expect(outer.namedParameters().map(([n]) => n)).toEqual([
      '1.0.weight',
      '1.0.bias',
      '1.1.weight',
      '1.1.bias',
    ]);
    expect(outer.length).toBe(2);
    expect([...outer].map((m) => m.typeName)).toEqual(['Tanh', 'Sequential']);
  });

  it('runs forward hooks and pre-hooks for every submodule, and removes them', () => {
    const net = new Net();
    const seen: string[] = [];
    const handles = net
      .modules()
      .map((m) =>
        m.registerForwardHook((mod, _inputs, out) => void seen.push(`${mod.path || '<root>'}:${out.shape}`)),
      );
    const x = g.randn([5, 3], { seed: 3 });
    const y = net.call(x);
    expect(seen).toEqual([
      'block.conv1:5,4',
      'block.act:5,4',
      'block:5,4',
      'head.0:5,2',
      'head.1:5,2',
      'head:5,2',
      '<root>:5,2',
    ]);
    for (const h of handles) h.remove();
    seen.length = 0;
    net.call(x);
    expect(seen).toEqual([]);
    // a hook that returns a tensor replaces the output; a pre-hook replaces the inputs
    const h1 = net.head.registerForwardHook(() => g.zeros([5, 2]));
    expect(Array.from(net.call(x).dataSync())).toEqual(new Array(10).fill(0));
    h1.remove();
    const h2 = net.registerForwardPreHook((_m, [inp]) => [inp!.mul(0)]);
    const zeroIn = net.call(x);
    const expected = net.head.call(net.block.call(g.zeros([5, 3])));
    expect(Array.from(zeroIn.dataSync())).toEqual(Array.from(expected.dataSync()));
    h2.remove();
    expect(Array.from(net.call(x).dataSync())).toEqual(Array.from(y.dataSync()));
  });

  it('train/eval recurse; apply visits children first', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    const order: string[] = [];
    net.apply((m) => void order.push(m.path || '<root>'));
    expect(order).toEqual(['block.conv1', 'block.act', 'block', 'head.0', 'head.1', 'head', '<root>']);
  });

  it('zeroGrad drops gradients', () => {
    const net = new Net();
    net
      .call(g.randn([2, 3], { seed: 1 }))
      .sum()
      .backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('stateDict round-trips into another model, keeping parameter identity', () => {
    const a = new Net();
    const b = new Net();
    b.apply((m) => {
      for (const p of m.parameters(false)) p.assign(g.zerosLike(p));
    });
    const w = b.block.conv1.weight;
    const res = b.loadStateDict(a.stateDict());
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    expect(b.block.conv1.weight).toBe(w);
    const x = g.randn([4, 3], { seed: 9 });
    expect(Array.from(b.call(x).dataSync())).toEqual(Array.from(a.call(x).dataSync()));
    // the copy does not share storage with the source
    a.block.conv1.weight.assign(g.zerosLike(a.block.conv1.weight));
    expect(Array.from(b.block.conv1.weight.dataSync()).some((v) => v !== 0)).toBe(true);
  });

  it('strict loadStateDict lists every missing, unexpected and mis-shaped key in one error', () => {
    const net = new Net();
    const sd = net.stateDict();
    delete sd['head.0.bias'];
    delete sd['block.conv1.bias'];
    sd['extra.weight'] = g.zeros([1]);
    sd['head.0.weight'] = g.zeros([2, 4]);
    let err: unknown;
    try {
      net.loadStateDict(sd);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    const msg = (err as Error).message;
    expect(msg).toContain('missing keys: block.conv1.bias, head.0.bias');
    expect(msg).toContain('unexpected keys: extra.weight');
    expect(msg).toContain('head.0.weight (got [2,4], expected [4,2])');
    const before = Array.from(net.block.conv1.weight.dataSync());
    const res = net.loadStateDict({ ...sd, 'block.conv1.weight': g.ones([3, 4]) }, { strict: false });
    expect(res.missingKeys).toEqual(['block.conv1.bias', 'head.0.bias']);
    expect(res.unexpectedKeys).toEqual(['extra.weight']);
    expect(res.mismatchedKeys).toEqual([{ key: 'head.0.weight', expected: [4, 2], received: [2, 4] }]);
    expect(before.some((v) => v !== 1)).toBe(true);
    expect(Array.from(net.block.conv1.weight.dataSync())).toEqual(new Array(12).fill(1));
  });

  it('names the layer type, path, received and expected shape on bad input', () => {
    const net = new Net();
    expect(() => net.call(g.zeros([2, 5]))).toThrow(g.ShapeError);
    expect(() => net.call(g.zeros([2, 5]))).toThrow(
      "Linear at 'block.conv1': got input of shape [2,5], expected [..., 3]",
    );
    expect(() => new Linear(3, 1).call(g.zeros([2]))).toThrow('Linear (root): got input of shape [2]');
  });

  it('toString shows the tree', () => {
    const s = new Sequential(new Linear(2, 3), new ReLU()).toString();
    expect(s).toBe('Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): ReLU()\n)');
  });
});

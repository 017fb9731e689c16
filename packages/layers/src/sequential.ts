import { type Tensor, ValueError } from '@gradsight/core';
import { Module } from './module.js';

/**
 * Children called in order, each through `call` so every submodule's hooks fire. Indexable
 * (`seq[0]`, `seq.at(-1)`), iterable, and growable with `append`.
 */
export class Sequential extends Module implements Iterable<Module> {
  readonly typeName: string = 'Sequential';
  readonly [index: number]: Module;
  private readonly list: Module[] = [];

  constructor(...modules: Module[]) {
    super();
    for (const m of modules) this.append(m);
  }

  get length(): number {
    return this.list.length;
  }

  append(module: Module): this {
    const i = this.list.length;
    this.registerModule(String(i), module);
    this.list.push(module);
    Object.defineProperty(this, i, { value: module, enumerable: true, configurable: true, writable: false });
    return this;
  }

  /** The i-th module; negative counts from the end. */
  at(i: number): Module {
    const m = this.list.at(i);
    if (!m)
      throw new ValueError(`${this.describe()}: index ${i} is out of range for ${this.list.length} modules.`);
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.list[Symbol.iterator]();
  }

  forward(...inputs: Tensor[]): Tensor {
    if (this.list.length === 0) {
      if (inputs.length !== 1)
        throw new ValueError(`${this.describe()}: an empty Sequential passes through exactly one input.`);
      return inputs[0]!;
    }
    let x = this.list[0]!.call(...inputs);
    for (let i = 1; i < this.list.length; i++) x = this.list[i]!.call(x);
    return x;
  }
}

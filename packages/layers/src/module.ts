/**
 * `Module`, PyTorch's `nn.Module` camelCased: a tree of named parameters, buffers and child
 * modules, with forward hooks, train/eval mode and state dicts.
 */
import { keep, noGrad, type Tensor, ValueError } from '@gradsight/core';
import { layerShapeError } from './errors.js';
import { type LoadStateDictResult, loadStateDictInto } from './state-dict.js';

// `void` (not `undefined`) so that hooks written as `() => { … }` with no return type-check.
// biome-ignore lint/suspicious/noConfusingVoidType: the hook contract returns a replacement or nothing
export type ForwardHook = (module: Module, inputs: Tensor[], output: Tensor) => Tensor | void;
// biome-ignore lint/suspicious/noConfusingVoidType: as above
export type ForwardPreHook = (module: Module, inputs: Tensor[]) => Tensor[] | void;
export interface RemovableHandle {
  remove(): void;
}

export type StateDict = Record<string, Tensor>;

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

export abstract class Module {
  /** The layer type ('Linear', 'ReLU', …): monitors use it to tell activations apart. */
  abstract readonly typeName: string;
  /** Dotted name within the root module ('' for the root), set when registered as a child. */
  path = '';
  training = true;

  private readonly _parameters = new Map<string, Tensor | null>();
  private readonly _buffers = new Map<string, Tensor | null>();
  private readonly _nonPersistent = new Set<string>();
  private readonly _modules = new Map<string, Module>();
  private _forwardHooks: ForwardHook[] = [];
  private _forwardPreHooks: ForwardPreHook[] = [];

  abstract forward(...inputs: Tensor[]): Tensor;

  /** Runs pre-hooks, `forward`, then forward hooks: PyTorch's `module(x)`. */
  call(...inputs: Tensor[]): Tensor {
    let args = inputs;
    for (const hook of [...this._forwardPreHooks]) {
      const replaced = hook(this, args);
      if (replaced) args = replaced;
    }
    let out = this.forward(...args);
    for (const hook of [...this._forwardHooks]) {
      const replaced = hook(this, args, out);
      if (replaced) out = replaced;
    }
    return out;
  }

  registerForwardHook(hook: ForwardHook): RemovableHandle {
    this._forwardHooks.push(hook);
    return {
      remove: () => {
        this._forwardHooks = this._forwardHooks.filter((h) => h !== hook);
      },
    };
  }

  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    this._forwardPreHooks.push(hook);
    return {
      remove: () => {
        this._forwardPreHooks = this._forwardPreHooks.filter((h) => h !== hook);
      },
    };
  }

  // --- registration --------------------------------------------------------------------

  /** Adds a parameter (marked `requiresGrad`, kept out of `tidy`, named by its path). */
  registerParameter<T extends Tensor | null>(name: string, param: T): T {
    this.checkName('registerParameter', name);
    if (param) {
      if (param.dtype !== 'float32') {
        throw new ValueError(
          `${this.describe()}: parameter '${name}' must be float32, got ${param.describe()}.`,
        );
      }
      if (!param.requiresGrad) param.requiresGrad_(true);
      keep(param);
      param.name = join(this.path, name);
    }
    this._parameters.set(name, param);
    return param;
  }

  /** Adds a buffer: state that is not trained (running statistics). Persistent buffers go in the state dict. */
  registerBuffer<T extends Tensor | null>(name: string, buffer: T, persistent = true): T {
    this.checkName('registerBuffer', name);
    if (buffer) {
      keep(buffer);
      buffer.name = join(this.path, name);
    }
    this._buffers.set(name, buffer);
    if (persistent) this._nonPersistent.delete(name);
    else this._nonPersistent.add(name);
    return buffer;
  }

  registerModule<M extends Module>(name: string, module: M): M {
    this.checkName('registerModule', name);
    if (!(module instanceof Module)) {
      throw new ValueError(
        `${this.describe()}: registerModule('${name}') expects a Module, got ${String(module)}.`,
      );
    }
    this._modules.set(name, module);
    module.setPath(join(this.path, name));
    return module;
  }

  private checkName(what: string, name: string): void {
    if (!name || name.includes('.')) {
      throw new ValueError(`${this.describe()}: ${what} needs a non-empty name without '.', got '${name}'.`);
    }
  }

  /** @internal sets this module's path and renames everything below it. */
  setPath(path: string): void {
    this.path = path;
    for (const [name, p] of this._parameters) if (p) p.name = join(path, name);
    for (const [name, b] of this._buffers) if (b) b.name = join(path, name);
    for (const [name, m] of this._modules) m.setPath(join(path, name));
  }

  /** 'Conv2d at 'features.3'' (or 'Linear (root)'), for error messages. */
  describe(): string {
    return this.path ? `${this.typeName} at '${this.path}'` : `${this.typeName} (root)`;
  }

  /** A ShapeError naming this layer's type and path, the received and the expected shape. */
  protected shapeError(received: readonly number[], expected: string, detail = ''): Error {
    return layerShapeError(this.describe(), received, expected, detail);
  }

  // --- traversal -----------------------------------------------------------------------

  namedParameters(prefix = '', recurse = true): [string, Tensor][] {
    return this.namedMembers(prefix, recurse, (m) => m._parameters);
  }
  parameters(recurse = true): Tensor[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    return this.namedMembers(prefix, recurse, (m) => m._buffers);
  }
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  private namedMembers(
    prefix: string,
    recurse: boolean,
    pick: (m: Module) => Map<string, Tensor | null>,
  ): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const modules: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [modPrefix, m] of modules) {
      for (const [name, t] of pick(m)) {
        if (!t || seen.has(t)) continue;
        seen.add(t);
        out.push([join(modPrefix, name), t]);
      }
    }
    return out;
  }

  namedChildren(): [string, Module][] {
    return [...this._modules];
  }
  children(): Module[] {
    return [...this._modules.values()];
  }

  /**
   * Every module in the tree, this one first as `prefix` (''), depth first, each once. On a
   * root module this also refreshes the `path` of every submodule.
   */
  namedModules(prefix = ''): [string, Module][] {
    if (prefix === '' && this.path === '') this.setPath('');
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const walk = (m: Module, p: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([p, m]);
      for (const [name, child] of m._modules) walk(child, join(p, name));
    };
    walk(this, prefix);
    return out;
  }
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  // --- modes and utilities -------------------------------------------------------------

  train(mode = true): this {
    this.training = mode;
    for (const m of this._modules.values()) m.train(mode);
    return this;
  }
  eval(): this {
    return this.train(false);
  }

  /** Calls `fn` on every submodule (children first) and then on this module, as PyTorch. */
  apply(fn: (module: Module) => void): this {
    for (const m of this._modules.values()) m.apply(fn);
    fn(this);
    return this;
  }

  /** Drops every parameter's gradient (PyTorch's `set_to_none=True`). */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Number of trainable scalars. */
  countParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  // --- state dicts ---------------------------------------------------------------------

  /**
   * Parameters and persistent buffers by dotted name. Values are detached views of the live
   * tensors (no copy, no gradient). A view keeps its storage alive: dispose the views (or call
   * this inside `tidy`) when done; that frees the view, never the module's own tensor.
   */
  stateDict(): StateDict {
    const sd: StateDict = {};
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m._parameters) if (p) sd[join(prefix, name)] = p.detach();
      for (const [name, b] of m._buffers) {
        if (b && !m._nonPersistent.has(name)) sd[join(prefix, name)] = b.detach();
      }
    }
    return sd;
  }

  /**
   * Copies values into the parameters and buffers (their identity is kept, so optimisers
   * holding them stay valid). Strict (the default) throws one error listing every missing,
   * unexpected and mis-shaped key; non-strict loads what fits and returns the lists.
   */
  loadStateDict(
    sd: StateDict | Map<string, Tensor>,
    options: { strict?: boolean } = {},
  ): LoadStateDictResult {
    const targets = new Map<string, Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m._parameters) if (p) targets.set(join(prefix, name), p);
      for (const [name, b] of m._buffers)
        if (b && !m._nonPersistent.has(name)) targets.set(join(prefix, name), b);
    }
    return noGrad(() => loadStateDictInto(this.describe(), targets, sd, options.strict ?? true));
  }

  toString(): string {
    const lines = [`${this.typeName}(${this.extraRepr()})`];
    for (const [name, m] of this._modules) {
      lines.push(`  (${name}): ${m.toString().split('\n').join('\n  ')}`);
    }
    return lines.length === 1 ? lines[0]! : `${lines[0]!.slice(0, -1)}\n${lines.slice(1).join('\n')}\n)`;
  }

  /** Extra text in `toString()` (sizes, options), as PyTorch's `extra_repr`. */
  protected extraRepr(): string {
    return '';
  }
}

export type { LoadStateDictResult };

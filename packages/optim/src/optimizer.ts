/**
 * The base of every optimiser: parameter groups with per-group options, lazily created
 * per-parameter state, `step`, `zeroGrad` and state dicts laid out as PyTorch's.
 */
import {
  DTypeError,
  fmtShape,
  keep,
  noGrad,
  ShapeError,
  Tensor,
  tensor,
  tidy,
  ValueError,
  zerosLike,
} from '@gradsight/core';
import { copyPlain, isTensorRecord, type OptimizerStateDict, type TensorRecord } from './state-dict.js';
import { checkKnownKeys } from './validate.js';

/** Options every optimiser has. */
export interface BaseOptions {
  lr: number;
}

/**
 * Keys the schedules write into a parameter group (PyTorch's `initial_lr`, `max_lr`, …). They
 * travel with the group in state dicts, so a resumed run continues its schedule.
 */
export interface ScheduleKeys {
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
}
export const SCHEDULE_KEYS = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum'] as const;

/** A parameter group: its parameters and its complete options (defaults filled in). */
export type ParamGroup<O extends BaseOptions = BaseOptions> = O & ScheduleKeys & { params: Tensor[] };

/** What the constructor and `addParamGroup` accept: parameters plus the options to override. */
export type ParamGroupInput<O extends BaseOptions = BaseOptions> = Partial<O> &
  ScheduleKeys & { params: Tensor | Iterable<Tensor> };

/** A tensor, a list of tensors, or a list of parameter groups. */
export type Params<O extends BaseOptions = BaseOptions> =
  | Tensor
  | Iterable<Tensor>
  | Iterable<ParamGroupInput<O>>;

/** A state entry: a float32 tensor shaped like its parameter, or a number (step counts). */
export type StateValue = Tensor | number;
export type ParamState = Record<string, StateValue>;

/** `'fc1.weight'` when the tensor is named, else its position. */
export function describeParam(p: Tensor, position: string): string {
  return p.name ? `'${p.name}' (${position})` : position;
}

export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** Class name used in messages ('Adam', 'SGD', …). */
  readonly name: string;
  /** The options a group gets for every key it does not set. */
  readonly defaults: Readonly<O>;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created on a parameter's first update. */
  state = new Map<Tensor, ParamState>();

  protected constructor(name: string, params: Params<O>, base: O, options: Partial<O>) {
    this.name = name;
    checkKnownKeys(name, options, Object.keys(base));
    const defaults = { ...copyPlain(base), ...copyPlain(options) } as O;
    this.checkOptions(defaults);
    this.defaults = defaults;

    const list = params instanceof Tensor ? [params] : [...(params as Iterable<Tensor | ParamGroupInput<O>>)];
    if (list.length === 0) throw new ValueError(`${name}: got an empty parameter list.`);
    const groups: ParamGroupInput<O>[] =
      list[0] instanceof Tensor
        ? [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>]
        : (list as ParamGroupInput<O>[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Throws `ValueError` naming the option and value when a complete option set is invalid. */
  protected abstract checkOptions(options: O): void;

  /**
   * Updates one parameter in place from its gradient. Runs inside `tidy` and `noGrad`; state
   * tensors it creates must be `keep`-ed.
   */
  protected abstract updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<O>): void;

  /** Adds a group of parameters, e.g. layers unfrozen for fine-tuning. */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (group === null || typeof group !== 'object' || !('params' in group)) {
      throw new ValueError(
        `${this.name}: a parameter group must be an object with 'params', got ${String(group)}.`,
      );
    }
    const { params, ...rest } = group;
    checkKnownKeys(this.name, rest, [...Object.keys(this.defaults), ...SCHEDULE_KEYS]);
    const list = params instanceof Tensor ? [params] : [...params];
    const gi = this.paramGroups.length;
    const seen = new Set<Tensor>();
    list.forEach((p, i) => {
      const where = `parameter ${i} of group ${gi}`;
      if (!(p instanceof Tensor))
        throw new ValueError(`${this.name}: ${where} is not a Tensor (got ${typeof p}).`);
      if (p.dtype !== 'float32')
        throw new DTypeError(
          `${this.name}: ${describeParam(p, where)} is ${p.dtype}; only float32 tensors can be optimised.`,
        );
      if (p.isDisposed) throw new ValueError(`${this.name}: ${describeParam(p, where)} is disposed.`);
      if (!p.isLeaf) {
        throw new ValueError(
          `${this.name}: ${describeParam(p, where)} is not a leaf tensor; optimise the leaves (detach() a result to make one).`,
        );
      }
      if (seen.has(p))
        throw new ValueError(`${this.name}: ${describeParam(p, where)} appears twice in the group.`);
      seen.add(p);
      for (const other of this.paramGroups) {
        if (other.params.includes(p)) {
          throw new ValueError(
            `${this.name}: ${describeParam(p, where)} is already in another parameter group.`,
          );
        }
      }
    });
    const merged = { ...copyPlain(this.defaults), ...copyPlain(rest), params: list } as ParamGroup<O>;
    this.checkOptions(merged);
    this.paramGroups.push(merged);
  }

  /**
   * One update of every parameter that has a gradient (parameters whose `.grad` is null are
   * skipped and their state is untouched, as PyTorch). `closure` re-evaluates the loss and
   * is called first; its result is returned.
   */
  step<T = undefined>(closure?: () => T): T | undefined {
    const loss = closure ? closure() : undefined;
    this.paramGroups.forEach((group, gi) => {
      this.checkOptions(group);
      group.params.forEach((p, i) => {
        const grad = p.grad;
        if (!grad) return;
        if (
          grad.dtype !== 'float32' ||
          grad.shape.length !== p.shape.length ||
          grad.shape.some((d, k) => d !== p.shape[k])
        ) {
          throw new ShapeError(
            `${this.name}.step: gradient of ${describeParam(p, `parameter ${i} of group ${gi}`)} is ${fmtShape(grad.shape)} ${grad.dtype}, expected ${fmtShape(p.shape)} float32.`,
          );
        }
        let state = this.state.get(p);
        if (!state) {
          state = {};
          this.state.set(p, state);
        }
        const st = state;
        tidy(() => noGrad(() => this.updateParam(p, grad, st, group)));
      });
    });
    return loss;
  }

  /**
   * Clears the gradients of every parameter. With `setToNone` (the default, as PyTorch 2) the
   * old gradient tensors are disposed and `.grad` becomes null; otherwise they are zeroed.
   */
  zeroGrad({ setToNone = true }: { setToNone?: boolean } = {}): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = p.grad;
        if (!g) continue;
        if (setToNone) {
          g.dispose();
          p.grad = null;
        } else {
          tidy(() => void g.assign(zerosLike(g)));
        }
      }
    }
  }

  /** Creates a zero state tensor shaped like `p` that survives the enclosing `tidy`. */
  protected zerosState(p: Tensor, fill = 0): Tensor {
    return keep(tensor(new Float32Array(p.size).fill(fill), p.shape));
  }

  /** A snapshot of the state and the group options; see {@link OptimizerStateDict}. */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const { params, ...rest } = group;
      return {
        ...copyPlain(rest as Record<string, unknown>),
        params: params.map((p) => {
          index.set(p, index.size);
          return index.size - 1;
        }),
      };
    });
    const state: OptimizerStateDict['state'] = {};
    for (const [p, st] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const out: Record<string, number | Tensor> = {};
      for (const [k, v] of Object.entries(st))
        out[k] = typeof v === 'number' ? v : keep(noGrad(() => v.clone()));
      state[i] = out;
    }
    return { state, paramGroups };
  }

  /**
   * Restores a snapshot taken by `stateDict()` (possibly after a JSON round trip, see
   * `stateDictToJSON`). The tensors are copied, so the snapshot stays the caller's. Group
   * options (lr, schedule keys, …) are replaced by the saved ones; parameters stay.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const saved = sd?.paramGroups;
    if (!Array.isArray(saved) || saved.length !== this.paramGroups.length) {
      throw new ValueError(
        `${this.name}.loadStateDict: the state dict has ${Array.isArray(saved) ? saved.length : 'no'} parameter groups, this optimiser has ${this.paramGroups.length}.`,
      );
    }
    const known = [...Object.keys(this.defaults), ...SCHEDULE_KEYS];
    const groups = saved.map((sg, gi) => {
      const current = this.paramGroups[gi]!;
      if (!Array.isArray(sg.params) || sg.params.length !== current.params.length) {
        throw new ValueError(
          `${this.name}.loadStateDict: group ${gi} has ${Array.isArray(sg.params) ? sg.params.length : 'no'} parameters in the state dict, ${current.params.length} in this optimiser.`,
        );
      }
      const { params: _ignored, ...opts } = sg;
      checkKnownKeys(`${this.name}.loadStateDict (group ${gi})`, opts, known);
      const merged = { ...copyPlain(opts), params: current.params } as unknown as ParamGroup<O>;
      this.checkOptions(merged);
      return merged;
    });
    const all = this.paramGroups.flatMap((g) => g.params);
    // torch maps saved ids to parameters by position, group after group
    const savedIds = saved.flatMap((g) => g.params);
    const state = new Map<Tensor, ParamState>();
    try {
      for (const [key, entry] of Object.entries(sd.state ?? {})) {
        const pos = savedIds.indexOf(Number(key));
        const p = all[pos];
        if (pos < 0 || !p)
          throw new ValueError(`${this.name}.loadStateDict: state for unknown parameter ${key}.`);
        const st: ParamState = {};
        state.set(p, st);
        for (const [k, v] of Object.entries(entry)) {
          if (typeof v === 'number') st[k] = v;
          else st[k] = this.loadTensor(v, p, `state['${key}'].${k}`);
        }
      }
    } catch (err) {
      for (const st of state.values())
        for (const v of Object.values(st)) if (typeof v !== 'number') v.dispose();
      throw err;
    }
    this.disposeState();
    this.state = state;
    this.paramGroups.splice(0, this.paramGroups.length, ...groups);
  }

  private loadTensor(v: Tensor | TensorRecord, p: Tensor, what: string): Tensor {
    const shape = v instanceof Tensor ? v.shape : isTensorRecord(v) ? v.shape : null;
    if (!shape)
      throw new ValueError(
        `${this.name}.loadStateDict: ${what} is neither a number, a Tensor nor {shape, data}.`,
      );
    if (shape.length !== p.shape.length || shape.some((d, i) => d !== p.shape[i])) {
      throw new ShapeError(
        `${this.name}.loadStateDict: ${what} has shape ${fmtShape(shape)}, its parameter ${fmtShape(p.shape)}.`,
      );
    }
    if (v instanceof Tensor) {
      if (v.dtype !== 'float32')
        throw new DTypeError(`${this.name}.loadStateDict: ${what} is ${v.dtype}, expected float32.`);
      return keep(noGrad(() => v.clone()));
    }
    if (v.data.length !== p.size) {
      throw new ShapeError(
        `${this.name}.loadStateDict: ${what} has ${v.data.length} values for shape ${fmtShape(shape)}.`,
      );
    }
    return keep(tensor(Float32Array.from(v.data), shape));
  }

  /** Frees every state tensor (moments, momentum buffers); the next step starts afresh. */
  disposeState(): void {
    for (const st of this.state.values())
      for (const v of Object.values(st)) if (typeof v !== 'number') v.dispose();
    this.state.clear();
  }
}

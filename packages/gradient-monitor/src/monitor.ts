/**
 * `watch(model, options)` and the `GradientMonitor` it returns.
 *
 * A training step is a cycle the monitor follows with three calls (or one wrapper):
 *
 *   forward (hooks record activations and look for NaN/Inf in each module's output)
 *   loss.backward()
 *   monitor.afterBackward(loss)   → reads `.grad`, checks loss and gradients; says whether to skip
 *   optimizer.step()              → bracketed by beforeUpdate()/afterUpdate() to measure ‖Δw‖/‖w‖
 *
 * `monitor.wrapOptimizer(opt)` returns the optimiser with a `step()` that does the bracketing
 * and honours 'skip-step'; `monitor.step(loss)` records a step without measuring the update.
 * Recording happens on steps that are multiples of `every`; other steps cost a loss check.
 */
import { NonFiniteError, type Tensor, ValueError } from '@gradsight/core';
import { ActivationAccumulator, DeadWindow } from './activation-stats.js';
import { type DiagnosisInput, diagnose } from './diagnose.js';
import { Emitter } from './events.js';
import { computeHistogram } from './histogram.js';
import { DownsampledHistory } from './history.js';
import { displayPath, type ModelMap, mapModel, type WatchedModule } from './model-map.js';
import { type ResolvedOptions, resolveOptions, type WatchOptions } from './options.js';
import { type HistogramRecord, histogramBytes, L, L_COLS, type StepRecord } from './record.js';
import { buildRecord, type StepEvent, stepEvent } from './record-builder.js';
import { isNormalization, ScaleInvarianceTracker } from './scale-invariance.js';
import { finiteRange, nonFiniteCount, type ValueStats, valueStats } from './stats.js';
import { backendEngine, jsEngine, type StatsEngine } from './stats-engine.js';
import { type ActivationSlot, newPending, type Pending } from './step-state.js';
import type { Finding, HookHandle, NonFiniteEvent, Watchable } from './types.js';

export interface StepVerdict {
  step: number;
  /** Statistics were recorded for this step. */
  recorded: boolean;
  /** The caller should not apply the optimiser update (policy 'skip-step' and a NaN/Inf this step). */
  skip: boolean;
  /** The first NaN/Inf seen in this step so far, if any. */
  nonFinite: NonFiniteEvent | null;
}

export interface MonitorEvents extends Record<string, unknown> {
  step: StepEvent;
  finding: Finding;
  nonfinite: NonFiniteEvent;
}

export interface MemoryUse {
  /** Step records retained. */
  records: number;
  /** Histogram snapshots retained. */
  histogramRecords: number;
  nonFiniteEvents: number;
  /** Bytes of numeric payload held by the history (records + histograms). */
  bytes: number;
}

export class GradientMonitor {
  readonly options: ResolvedOptions;
  readonly map: ModelMap;
  readonly activations: ActivationSlot[];
  readonly history: DownsampledHistory<StepRecord>;
  readonly histograms: DownsampledHistory<HistogramRecord>;
  private readonly emitter = new Emitter<MonitorEvents>();
  private readonly engine: StatsEngine;
  private readonly hooks: HookHandle[] = [];
  private readonly dataflowHooks: HookHandle[] = [];
  private pending: Pending;
  private stepIndex = 0;
  private recordedCount = 0;
  private consecutiveSkips = 0;
  private skippedSteps = 0;
  private bestLoss = Infinity;
  private firstEvent: NonFiniteEvent | null = null;
  /** Last step after whose update every parameter was verified finite (−1: never). */
  private paramsFiniteAt = -1;
  private events: NonFiniteEvent[] = [];
  private emittedFindings = new Map<string, Finding['severity']>();
  private lastFindings: Finding[] = [];
  private closed = false;
  private readonly invariance: ScaleInvarianceTracker | null;
  /** ‖w‖ of each layer at the last step that measured weights (NaN: never). */
  private readonly latestWeightNorm: Float64Array;

  constructor(
    readonly model: Watchable,
    options: WatchOptions = {},
  ) {
    this.options = resolveOptions(options);
    this.map = mapModel(model, this.options);
    this.engine = this.options.statsOn === 'backend' ? backendEngine : jsEngine;
    this.history = new DownsampledHistory<StepRecord>(this.options.historyCapacity);
    this.histograms = new DownsampledHistory<HistogramRecord>(this.options.histogramCapacity);
    this.activations = [];
    if (this.options.activations) {
      for (const m of this.map.modules) {
        if (m.kind !== null)
          this.activations.push({
            index: this.activations.length,
            module: m,
            window: new DeadWindow(this.options.deadWindow),
          });
      }
    }
    const weightLayers = new Set(this.map.layers.filter((l) => l.isWeightLayer).map((l) => l.path));
    this.invariance = this.options.scaleInvariance ? new ScaleInvarianceTracker(weightLayers) : null;
    this.latestWeightNorm = new Float64Array(this.map.layers.length).fill(Number.NaN);
    this.pending = newPending(this.options, 0);
    this.installHooks(weightLayers);
  }

  /** Index of the current (not yet ended) step, 0-based. */
  get currentStep(): number {
    return this.stepIndex;
  }

  on<K extends keyof MonitorEvents>(event: K, cb: (payload: MonitorEvents[K]) => void): () => void {
    return this.emitter.on(event, cb);
  }

  // --- the step cycle ----------------------------------------------------------------------

  /**
   * Call after `loss.backward()`: checks the loss, reads every watched `.grad` on recorded
   * and checked steps, and (policy 'throw') throws `NonFiniteError`. Returns whether to skip.
   */
  afterBackward(loss?: Tensor | number): StepVerdict {
    this.assertOpen('afterBackward');
    if (this.pending.backwardDone) this.commit();
    const pd = this.pending;
    pd.backwardDone = true;
    if (loss !== undefined) {
      const value = typeof loss === 'number' ? loss : scalarOf(loss);
      pd.lossGiven = true;
      pd.loss = value;
      if (!Number.isFinite(value)) {
        this.report(pd, {
          pass: 'forward',
          layer: '(loss)',
          tensor: 'loss',
          nan: Number.isNaN(value) ? 1 : 0,
          posInf: value === Infinity ? 1 : 0,
          negInf: value === -Infinity ? 1 : 0,
          size: 1,
          index: 0,
        });
      } else if (value < this.bestLoss) this.bestLoss = value;
    }
    if (pd.recorded || pd.check) this.readGradients(pd);
    if (this.invariance) {
      this.invariance.verify((path) => {
        const layer = this.map.layers.find((l) => l.path === path);
        return (layer?.params ?? []).map((i) => {
          const t = this.map.params[i]!.tensor;
          return { grad: t.grad, value: t };
        });
      });
      if (!this.invariance.tracking) for (const h of this.dataflowHooks.splice(0)) h.remove();
    }
    return this.verdict(pd);
  }

  /** Call right before `optimizer.step()`: keeps a copy of the weights to measure the update. */
  beforeUpdate(): void {
    this.assertOpen('beforeUpdate');
    const pd = this.pending;
    const wantRatio = pd.weights;
    const wantRollback = this.options.policy === 'skip-step';
    if ((wantRatio || wantRollback) && !pd.snapshot) {
      const w = this.engine.weights(
        this.map.params.map((p) => p.tensor),
        true,
      );
      pd.snapshot = w.snapshot;
      pd.weightSumSq ??= w.sumSq;
    }
  }

  /**
   * Call right after `optimizer.step()`: measures ‖Δw‖/‖w‖, checks the new weights for NaN/Inf
   * (with 'skip-step' it restores the weights from before the update), and ends the step.
   */
  afterUpdate(): void {
    this.assertOpen('afterUpdate');
    const pd = this.pending;
    const snap = pd.snapshot;
    const tensors = this.map.params.map((p) => p.tensor);
    // Parameters are verified where a snapshot exists (weights steps, and every step under
    // 'skip-step'); in between, a parameter an update made non-finite is caught by the next
    // forward pass, which reports it as an 'update' event (see onForward).
    if (snap) {
      const upd = snap.updateSumSquares(tensors);
      if (pd.weights) pd.update = { sumSq: upd };
      const suspects = upd.flatMap((v, i) => (Number.isFinite(v) ? [] : [i]));
      // the kernels only say "something is off"; the exact scan counts and locates it
      const bad = suspects
        .map((i) => ({ index: i, stats: valueStats(tensors[i]!.dataSync()) }))
        .filter((b) => nonFiniteCount(b.stats) > 0);
      if (bad.length > 0) {
        const first = bad[0]!;
        const p = this.map.params[first.index]!;
        const g = pd.grads?.[first.index];
        const rollback = this.options.policy === 'skip-step' && snap !== null;
        if (rollback) {
          snap.restore(tensors);
          pd.skipped = true;
        }
        const others = bad.slice(1).map((b) => this.map.params[b.index]!.name);
        this.report(
          pd,
          {
            pass: 'update',
            layer: this.map.layers[p.layer]!.path,
            tensor: p.name,
            nan: first.stats.nan,
            posInf: first.stats.posInf,
            negInf: first.stats.negInf,
            size: first.stats.n,
            index: first.stats.firstNonFinite,
            ...(g ? { inputMin: -g.maxAbs, inputMax: g.maxAbs } : {}),
            ...(others.length ? { also: others } : {}),
          },
          rollback ? 'rolled-back' : undefined,
        );
      }
      if (bad.length === 0) this.paramsFiniteAt = pd.step;
    }
    this.commit();
  }

  /** `afterBackward(loss)` and end of step, for loops that do not measure the update. */
  step(loss?: Tensor | number): StepVerdict {
    const v = this.afterBackward(loss);
    this.commit();
    return v;
  }

  /** Ends the current step without measuring an update (e.g. after a skipped update). */
  endStep(): void {
    this.assertOpen('endStep');
    this.commit();
  }

  /**
   * Wraps an optimiser so that its `step()` brackets the update with beforeUpdate/afterUpdate
   * and skips it when the policy is 'skip-step' and this step saw NaN/Inf. Everything else
   * (zeroGrad, lr, state) is the optimiser's own.
   */
  wrapOptimizer<O extends { step(...args: any[]): unknown }>(optimizer: O): O {
    const monitor = this;
    return new Proxy(optimizer, {
      get(target, prop) {
        if (prop === 'step') {
          return (...args: unknown[]) => {
            if (!monitor.pending.backwardDone) monitor.afterBackward();
            if (monitor.pending.skip) {
              monitor.pending.skipped = true;
              monitor.commit();
              return undefined;
            }
            monitor.beforeUpdate();
            const r = (target.step as (...a: unknown[]) => unknown).apply(target, args);
            monitor.afterUpdate();
            return r;
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }

  /** Removes the forward hooks. The history stays readable. */
  close(): void {
    for (const h of this.hooks.splice(0)) h.remove();
    for (const h of this.dataflowHooks.splice(0)) h.remove();
    this.closed = true;
  }

  // --- reading -----------------------------------------------------------------------------

  /** Runs the diagnosis on the recent history and returns the findings (does not emit). */
  diagnose(): Finding[] {
    this.lastFindings = diagnose(this.diagnosisInput());
    return this.lastFindings;
  }

  get firstNonFinite(): NonFiniteEvent | null {
    return this.firstEvent;
  }
  get nonFiniteEvents(): readonly NonFiniteEvent[] {
    return this.events;
  }
  get skippedStepCount(): number {
    return this.skippedSteps;
  }
  get recordedSteps(): number {
    return this.recordedCount;
  }

  /**
   * Weight layers whose output goes into a normalisation layer and whose gradient was
   * verified orthogonal to their weights: the depth rules judge them by ‖g‖·‖w‖.
   */
  get scaleInvariantLayers(): string[] {
    const inv = this.invariance;
    return inv ? this.map.layers.filter((l) => inv.isInvariant(l.path)).map((l) => l.path) : [];
  }

  memory(): MemoryUse {
    return {
      records: this.history.length,
      histogramRecords: this.histograms.length,
      nonFiniteEvents: this.events.length,
      bytes: this.history.bytes + this.histograms.bytes,
    };
  }

  /** Input of the diagnosis rules: the last `window` recorded steps and the model's layout. */
  diagnosisInput(): DiagnosisInput {
    const recent = this.history.last(this.options.thresholds.window);
    return {
      params: this.map.params.map((p) => ({ name: p.name, layer: p.layer, isWeight: p.isWeight })),
      layers: this.map.layers.map((l) => {
        const scaleInvariant = this.invariance?.isInvariant(l.path) ?? false;
        return {
          path: l.path,
          typeName: l.typeName,
          isWeightLayer: l.isWeightLayer,
          scaleInvariant,
          weightNorm: scaleInvariant ? this.weightNormOf(l.index) : Number.NaN,
        };
      }),
      activations: this.activations.map((a) => ({
        path: a.module.path,
        typeName: a.module.typeName,
        kind: a.module.kind!,
      })),
      typeNames: this.map.modules.map((m) => m.typeName),
      records: recent,
      bestLoss: this.bestLoss,
      firstNonFinite: this.firstEvent,
      thresholds: this.options.thresholds,
      saturation: this.options.saturation,
    };
  }

  // --- internals ---------------------------------------------------------------------------

  /** The last measured ‖w‖ of a layer; read now when weights were never measured (updateRatio: false). */
  private weightNormOf(layer: number): number {
    const w = this.latestWeightNorm[layer]!;
    if (!Number.isNaN(w)) return w;
    const ts = this.map.layers[layer]!.params.map((i) => this.map.params[i]!.tensor);
    return Math.sqrt(this.engine.weights(ts, false).sumSq.reduce((a, b) => a + b, 0));
  }

  private verdict(pd: Pending): StepVerdict {
    return { step: pd.step, recorded: pd.recorded, skip: pd.skip, nonFinite: pd.firstEvent };
  }

  private assertOpen(what: string): void {
    if (this.closed)
      throw new ValueError(`GradientMonitor.${what}: the monitor was closed; call watch() again.`);
  }

  private installHooks(weightLayers: ReadonlySet<string>): void {
    const o = this.options;
    const slotByPath = new Map(this.activations.map((a) => [a.module.path, a]));
    for (const m of this.map.modules) {
      const slot = slotByPath.get(m.path);
      const forwardCheck =
        o.forwardChecks === 'all' || (o.forwardChecks === 'activations' && m.kind !== null);
      const dataflow = this.invariance !== null && (weightLayers.has(m.path) || isNormalization(m.typeName));
      if (!slot && !forwardCheck) {
        // hooks that only read the dataflow stay out of the step logic and go once it is read
        if (dataflow)
          this.dataflowHooks.push(
            m.module.registerForwardHook((_mod: unknown, inputs: Tensor[], output: Tensor) => {
              this.invariance?.observe(m.path, m.typeName, inputs, output);
            }),
          );
        continue;
      }
      this.hooks.push(
        m.module.registerForwardHook((_mod: unknown, inputs: Tensor[], output: Tensor) =>
          this.onForward(m, slot, forwardCheck, inputs, output),
        ),
      );
    }
  }

  private onForward(
    m: WatchedModule,
    slot: ActivationSlot | undefined,
    forwardCheck: boolean,
    inputs: Tensor[],
    output: Tensor,
  ): void {
    if (this.closed) return;
    // a forward after afterBackward belongs to the next step
    if (this.pending.backwardDone) this.commit();
    if (this.invariance?.tracking) this.invariance.observe(m.path, m.typeName, inputs, output);
    const pd = this.pending;
    const wantAct = slot !== undefined && pd.recorded;
    const wantCheck = forwardCheck && pd.check && !pd.checkedOutputs.has(output);
    if (!wantAct && !wantCheck) return;
    if (!output || typeof output.dataSync !== 'function') return;
    pd.checkedOutputs.add(output);
    let finite = true;
    if (wantAct) {
      let acc = pd.acts.get(slot.index);
      if (!acc) {
        acc = new ActivationAccumulator(m.kind!);
        pd.acts.set(slot.index, acc);
      }
      // the statistics pass doubles as the finiteness check (Σx² of float32 values is finite iff all are)
      finite = Number.isFinite(acc.add(output.dataSync(), output.shape, this.options.saturation));
    } else if (wantCheck) {
      finite = this.engine.finite([output])[0]!;
    }
    if (wantCheck && !finite && !pd.events.forward && !pd.events.update) {
      if (this.reportBadParams(pd, m)) return;
      const data = output.dataSync();
      const s = valueStats(data);
      let inMin = Infinity;
      let inMax = -Infinity;
      for (const t of inputs) {
        if (!t || typeof t.dataSync !== 'function') continue;
        const r = finiteRange(t.dataSync());
        if (r.min < inMin) inMin = r.min;
        if (r.max > inMax) inMax = r.max;
      }
      this.report(pd, {
        pass: 'forward',
        layer: m.path,
        tensor: 'output',
        typeName: m.typeName,
        nan: s.nan,
        posInf: s.posInf,
        negInf: s.negInf,
        size: s.n,
        index: s.firstNonFinite,
        ...(inMin <= inMax ? { inputMin: inMin, inputMax: inMax } : {}),
      });
    }
    if (wantCheck && this.options.backwardHooks) {
      // Hooks on the module's inputs fire when backward has gone through this module (and
      // everything after it): the first non-finite one names the module whose backward made it.
      // A child's forward hook runs before its container's, so the innermost module hooks first.
      for (const t of inputs) {
        // leaves (parameters, a reused input batch) outlive the step: hooks would pile up on them
        if (!t?.requiresGrad || t.isLeaf || typeof t.registerHook !== 'function') continue;
        t.registerHook((g) => {
          if (pd !== this.pending || pd.events.backward || this.engine.finite([g])[0]) return;
          const s = valueStats(g.dataSync());
          const idx = s.firstNonFinite;
          this.report(pd, {
            pass: 'backward',
            layer: m.path,
            tensor: 'grad of input',
            typeName: m.typeName,
            nan: s.nan,
            posInf: s.posInf,
            negInf: s.negInf,
            size: s.n,
            index: idx,
          });
        });
      }
    }
  }

  /**
   * A module whose own parameter is non-finite produces NaN/Inf from finite inputs: the fault
   * is the optimiser update that wrote the parameter (between the last verification and this
   * step), not the forward pass, and the event says so.
   */
  private reportBadParams(pd: Pending, m: WatchedModule): boolean {
    const own = this.map.params.filter((p) => this.map.layers[p.layer]!.path === m.path);
    const bad = own
      .map((p) => ({ p, s: valueStats(p.tensor.dataSync()) }))
      .filter((b) => nonFiniteCount(b.s) > 0);
    if (bad.length === 0) return false;
    const { p, s } = bad[0]!;
    const since =
      this.paramsFiniteAt >= 0
        ? `after step ${this.paramsFiniteAt}, when all parameters were last verified finite,`
        : 'since watching began';
    this.report(
      pd,
      {
        pass: 'update',
        layer: m.path,
        tensor: p.name,
        typeName: m.typeName,
        nan: s.nan,
        posInf: s.posInf,
        negInf: s.negInf,
        size: s.n,
        index: s.firstNonFinite,
        ...(bad.length > 1 ? { also: bad.slice(1).map((b) => b.p.name) } : {}),
      },
      undefined,
      {
        step: Math.max(0, pd.step - 1),
        note: `found in the forward pass of step ${pd.step}: an optimiser update ${since} wrote it`,
      },
    );
    return true;
  }

  private readGradients(pd: Pending): void {
    const o = this.options;
    const { params } = this.map;
    const grads: (ValueStats | null)[] = params.map(() => null);
    const present = params.filter((p) => p.tensor.grad);
    let hist: { grad: HistogramRecord['grad']; weight: HistogramRecord['weight'] } | null = null;
    if (pd.recorded) {
      if (o.statsOn === 'js' || pd.histogram) {
        hist = pd.histogram ? { grad: params.map(() => null), weight: params.map(() => null) } : null;
        for (const p of present) {
          const gd = p.tensor.grad!.dataSync();
          const gs = valueStats(gd);
          grads[p.index] = gs;
          if (hist) hist.grad[p.index] = computeHistogram(gd, o.histogram, gs.maxAbs);
        }
      } else {
        this.engine.valueStats(present.map((p) => p.tensor.grad!)).forEach((gs, k) => {
          grads[present[k]!.index] = gs;
        });
      }
      if (pd.weights) {
        const w = this.engine.weights(
          params.map((p) => p.tensor),
          true,
        );
        pd.weightSumSq = w.sumSq;
        pd.snapshot = w.snapshot;
      }
      if (hist) {
        for (const p of params) {
          const wd = p.tensor.dataSync();
          hist.weight[p.index] = computeHistogram(wd, o.histogram, valueStats(wd).maxAbs);
        }
      }
    } else if (pd.check) {
      this.engine.finite(present.map((p) => p.tensor.grad!)).forEach((ok, k) => {
        if (!ok) grads[present[k]!.index] = valueStats(present[k]!.tensor.grad!.dataSync());
      });
    }
    pd.grads = grads;
    if (hist) {
      pd.histogramRecord = {
        step: pd.step,
        grad: hist.grad,
        weight: hist.weight,
        bytes: histogramBytes(hist.grad) + histogramBytes(hist.weight),
      };
    }
    const bad = params
      .filter((p) => {
        const g = grads[p.index];
        return g != null && nonFiniteCount(g) > 0;
      })
      .map((p) => p.index);
    if (bad.length > 0 && pd.check) {
      const names = bad.map((i) => this.map.params[i]!.name);
      if (pd.events.backward) {
        pd.events.backward.also = [...(pd.events.backward.also ?? []), ...names];
      } else {
        // backward runs output → input, so the last parameter in model order went bad first
        const first = bad[bad.length - 1]!;
        const p = this.map.params[first]!;
        const s = grads[first]!;
        this.report(pd, {
          pass: 'backward',
          layer: this.map.layers[p.layer]!.path,
          tensor: `grad of ${p.name}`,
          nan: s.nan,
          posInf: s.posInf,
          negInf: s.negInf,
          size: s.n,
          index: s.firstNonFinite,
          ...(bad.length > 1 ? { also: names.filter((n) => n !== p.name) } : {}),
        });
      }
    }
  }

  private report(
    pd: Pending,
    e: Omit<NonFiniteEvent, 'step' | 'action' | 'message'>,
    action?: NonFiniteEvent['action'],
    at?: { step: number; note: string },
  ): void {
    const policy = this.options.policy;
    const act: NonFiniteEvent['action'] =
      action ??
      (policy === 'throw'
        ? 'thrown'
        : policy === 'skip-step' && e.pass !== 'update'
          ? 'skipped'
          : 'reported');
    const where =
      e.layer === '(loss)'
        ? 'the loss'
        : `${e.tensor} of layer '${displayPath(e.layer)}'${e.typeName ? ` (${e.typeName})` : ''}`;
    const counts = [
      e.nan ? `${e.nan} NaN` : '',
      e.posInf ? `${e.posInf} +Inf` : '',
      e.negInf ? `${e.negInf} -Inf` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const inputs =
      e.inputMin !== undefined ? `; its inputs ranged over [${fmt(e.inputMin)}, ${fmt(e.inputMax!)}]` : '';
    const step = at?.step ?? pd.step;
    const note = at ? ` (${at.note})` : '';
    const message = `first non-finite value at step ${step}, ${e.pass} pass: ${where} has ${counts} of ${e.size} values (first at index ${e.index})${inputs}${note}.`;
    const event: NonFiniteEvent = { step, ...e, action: act, message };
    pd.events[e.pass] = event;
    if (!pd.firstEvent) pd.firstEvent = event;
    if (!this.firstEvent) this.firstEvent = event;
    if (this.events.length < this.options.maxEvents) this.events.push(event);
    if (e.pass !== 'update' && policy === 'skip-step') pd.skip = true;
    this.emitter.emit('nonfinite', event);
    if (policy === 'throw') throw new NonFiniteError(`GradientMonitor: ${message}`);
  }

  private commit(): void {
    const pd = this.pending;
    pd.snapshot?.dispose();
    if (pd.skip || pd.skipped) {
      this.skippedSteps++;
      this.consecutiveSkips++;
    } else this.consecutiveSkips = 0;
    if (pd.recorded && pd.backwardDone) {
      const rec = buildRecord(this.map, this.activations, pd);
      if (rec.hasWeights) {
        for (const l of this.map.layers)
          this.latestWeightNorm[l.index] = rec.layers[l.index * L_COLS + L.weightNorm]!;
      }
      this.history.push(rec);
      this.recordedCount++;
      if (pd.histogramRecord) this.histograms.push(pd.histogramRecord);
      if (this.emitter.has('step')) this.emitter.emit('step', stepEvent(this.map, this.activations, rec));
      const every = this.options.diagnoseEvery;
      if (every > 0 && this.recordedCount % every === 0) this.emitFindings();
    }
    this.stepIndex++;
    this.pending = newPending(this.options, this.stepIndex);
    if (this.options.policy === 'skip-step' && this.consecutiveSkips >= this.options.maxConsecutiveSkips) {
      throw new NonFiniteError(
        `GradientMonitor: ${this.consecutiveSkips} consecutive steps were skipped for non-finite values (maxConsecutiveSkips = ${this.options.maxConsecutiveSkips}); first: ${this.firstEvent?.message ?? 'unknown'}`,
      );
    }
  }

  private emitFindings(): void {
    const findings = this.diagnose();
    if (!this.emitter.has('finding')) return;
    const rank = { info: 0, warning: 1, error: 2 } as const;
    for (const f of findings) {
      const key = `${f.kind}:${f.layers.join(',')}`;
      const prev = this.emittedFindings.get(key);
      if (prev !== undefined && rank[prev] >= rank[f.severity]) continue;
      this.emittedFindings.set(key, f.severity);
      this.emitter.emit('finding', f);
    }
  }
}

function scalarOf(loss: Tensor): number {
  if (loss.size !== 1)
    throw new ValueError(
      `GradientMonitor: the loss must be a one-element tensor or a number, got ${loss.describe()}.`,
    );
  return loss.dataSync()[0]!;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v);
}

/** Starts watching `model` (anything with `namedParameters()`; forward hooks when it has `namedModules()`). */
export function watch(model: Watchable, options: WatchOptions = {}): GradientMonitor {
  return new GradientMonitor(model, options);
}

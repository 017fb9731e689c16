/** Turns the accumulated state of a step into a compact history record and a named event. */
import type { ModelMap } from './model-map.js';
import { A, A_COLS, L, L_COLS, makeRecord, P, P_COLS, type StepRecord } from './record.js';
import { mean, nonFiniteCount, std } from './stats.js';
import type { ActivationSlot, Pending } from './step-state.js';

/** What the 'step' event carries: the recorded statistics of one step, by name. */
export interface StepEvent {
  step: number;
  loss: number | null;
  skipped: boolean;
  layers: {
    path: string;
    gradNorm: number;
    gradMeanAbs: number;
    gradMaxAbs: number;
    gradRms: number;
    weightNorm: number | null;
    updateRatio: number | null;
  }[];
  activations: {
    path: string;
    typeName: string;
    mean: number;
    std: number;
    deadFraction: number | null;
    saturatedFraction: number | null;
  }[];
}

export function buildRecord(map: ModelMap, activations: readonly ActivationSlot[], pd: Pending): StepRecord {
  const { params: ps, layers: ls } = map;
  const params = new Float64Array(ps.length * P_COLS).fill(Number.NaN);
  const layers = new Float64Array(ls.length * L_COLS).fill(Number.NaN);
  const acts = new Float64Array(activations.length * A_COLS).fill(Number.NaN);
  const actSeen = new Uint8Array(activations.length);
  const missingGrad: number[] = [];
  const upd = pd.update;
  for (const p of ps) {
    const o = p.index * P_COLS;
    const g = pd.grads?.[p.index];
    const wss = pd.weightSumSq?.[p.index];
    if (g) {
      params[o + P.gradNorm] = Math.sqrt(g.sumSq);
      params[o + P.gradMaxAbs] = nonFiniteCount(g) > 0 ? Number.NaN : g.maxAbs;
      params[o + P.gradMean] = mean(g);
      params[o + P.gradStd] = std(g);
      params[o + P.gradMeanAbs] = g.n > 0 ? g.sumAbs / g.n : Number.NaN;
    } else missingGrad.push(p.index);
    if (wss !== undefined) params[o + P.weightNorm] = Math.sqrt(wss);
    if (upd && wss !== undefined) {
      params[o + P.updateNorm] = Math.sqrt(upd.sumSq[p.index]!);
      params[o + P.updateRatio] = Math.sqrt(upd.sumSq[p.index]!) / Math.sqrt(wss);
    }
  }
  for (const l of ls) {
    const o = l.index * L_COLS;
    let gss = 0;
    let gsa = 0;
    let gmax = 0;
    let n = 0;
    let wss = 0;
    let uss = 0;
    let any = false;
    for (const i of l.params) {
      const g = pd.grads?.[i];
      const w = pd.weightSumSq?.[i];
      if (w !== undefined) wss += w;
      if (upd) uss += upd.sumSq[i]!;
      if (!g) continue;
      any = true;
      gss += g.sumSq;
      gsa += g.sumAbs;
      n += g.n;
      gmax = nonFiniteCount(g) > 0 || Number.isNaN(gmax) ? Number.NaN : Math.max(gmax, g.maxAbs);
    }
    if (any) {
      layers[o + L.gradNorm] = Math.sqrt(gss);
      layers[o + L.gradMeanAbs] = n > 0 ? gsa / n : Number.NaN;
      layers[o + L.gradMaxAbs] = gmax;
      layers[o + L.gradRms] = n > 0 ? Math.sqrt(gss / n) : Number.NaN;
    }
    if (pd.weightSumSq) layers[o + L.weightNorm] = Math.sqrt(wss);
    if (upd && pd.weightSumSq) layers[o + L.updateRatio] = Math.sqrt(uss) / Math.sqrt(wss);
  }
  for (const slot of activations) {
    const acc = pd.acts.get(slot.index);
    const o = slot.index * A_COLS;
    if (!acc) continue;
    actSeen[slot.index] = 1;
    slot.window.add(acc.alive);
    acts[o + A.mean] = acc.mean;
    acts[o + A.std] = acc.std;
    acts[o + A.deadFraction] = acc.deadFraction;
    acts[o + A.deadFractionWindow] = slot.window.last;
    acts[o + A.saturatedFraction] = acc.saturatedFraction;
  }
  return makeRecord({
    step: pd.step,
    loss: pd.loss,
    lossGiven: pd.lossGiven,
    skipped: pd.skip || pd.skipped,
    hasWeights: pd.weightSumSq !== null,
    hasUpdate: upd !== null,
    params,
    layers,
    acts,
    actSeen,
    missingGrad,
  });
}

export function stepEvent(map: ModelMap, activations: readonly ActivationSlot[], rec: StepRecord): StepEvent {
  return {
    step: rec.step,
    loss: rec.lossGiven ? rec.loss : null,
    skipped: rec.skipped,
    layers: map.layers.map((l) => {
      const o = l.index * L_COLS;
      return {
        path: l.path,
        gradNorm: rec.layers[o + L.gradNorm]!,
        gradMeanAbs: rec.layers[o + L.gradMeanAbs]!,
        gradMaxAbs: rec.layers[o + L.gradMaxAbs]!,
        gradRms: rec.layers[o + L.gradRms]!,
        weightNorm: rec.hasWeights ? rec.layers[o + L.weightNorm]! : null,
        updateRatio: rec.hasUpdate ? rec.layers[o + L.updateRatio]! : null,
      };
    }),
    activations: activations
      .filter((a) => rec.actSeen[a.index] === 1)
      .map((a) => {
        const o = a.index * A_COLS;
        const dead = rec.acts[o + A.deadFraction]!;
        const sat = rec.acts[o + A.saturatedFraction]!;
        return {
          path: a.module.path,
          typeName: a.module.typeName,
          mean: rec.acts[o + A.mean]!,
          std: rec.acts[o + A.std]!,
          deadFraction: Number.isNaN(dead) ? null : dead,
          saturatedFraction: Number.isNaN(sat) ? null : sat,
        };
      }),
  };
}

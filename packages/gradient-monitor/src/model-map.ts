/** Discovers what to watch in a model: parameters, the layers that own them, hookable modules. */
import { type Tensor, ValueError } from '@gradsight/core';
import { layerOf, matches, type ResolvedOptions } from './options.js';
import type { ActivationKind, HookableModule, Watchable } from './types.js';

export interface WatchedParam {
  index: number;
  name: string;
  layer: number;
  tensor: Tensor;
  shape: readonly number[];
  size: number;
  /** rank ≥ 2 (weight matrices, conv filters): used by the depth and learning-rate rules. */
  isWeight: boolean;
}

export interface WatchedLayer {
  index: number;
  path: string;
  typeName: string | null;
  params: number[];
  /** Owns a weight (rank ≥ 2 parameter): part of the depth profile. */
  isWeightLayer: boolean;
  size: number;
}

export interface WatchedModule {
  path: string;
  typeName: string;
  module: HookableModule;
  kind: ActivationKind | null;
  /** Has no child modules. */
  isLeaf: boolean;
}

export interface ModelMap {
  params: WatchedParam[];
  layers: WatchedLayer[];
  modules: WatchedModule[];
}

export function activationKind(
  typeName: string,
  types: Record<string, ActivationKind>,
): ActivationKind | null {
  return types[typeName.toLowerCase()] ?? null;
}

export function mapModel(model: Watchable, opts: ResolvedOptions): ModelMap {
  if (!model || typeof (model as Watchable).namedParameters !== 'function') {
    throw new ValueError(
      'watch: the model must have namedParameters() (a @gradsight/layers Module or any object with that method).',
    );
  }
  const modules: WatchedModule[] = [];
  const typeByPath = new Map<string, string>();
  if (typeof model.namedModules === 'function') {
    const all = [...model.namedModules()];
    const paths = all.map(([p]) => p);
    for (const [path, m] of all) {
      typeByPath.set(path, m.typeName);
      const isLeaf = !paths.some((q) => q !== path && (path === '' || q.startsWith(`${path}.`)));
      modules.push({
        path,
        typeName: m.typeName,
        module: m,
        kind: activationKind(m.typeName, opts.activationTypes),
        isLeaf,
      });
    }
  }
  const params: WatchedParam[] = [];
  const layers: WatchedLayer[] = [];
  const layerIndex = new Map<string, number>();
  const seen = new Set<Tensor>();
  for (const [name, tensor] of model.namedParameters()) {
    if (seen.has(tensor)) continue; // shared (tied) parameters are watched once
    seen.add(tensor);
    if (opts.include && !opts.include.some((s) => matches(s, name, tensor))) continue;
    if (opts.exclude.some((s) => matches(s, name, tensor))) continue;
    const path = layerOf(name);
    let li = layerIndex.get(path);
    if (li === undefined) {
      li = layers.length;
      layerIndex.set(path, li);
      layers.push({
        index: li,
        path,
        typeName: typeByPath.get(path) ?? null,
        params: [],
        isWeightLayer: false,
        size: 0,
      });
    }
    const layer = layers[li]!;
    const isWeight = tensor.rank >= 2;
    const p: WatchedParam = {
      index: params.length,
      name,
      layer: li,
      tensor,
      shape: tensor.shape,
      size: tensor.size,
      isWeight,
    };
    params.push(p);
    layer.params.push(p.index);
    layer.size += tensor.size;
    if (isWeight) layer.isWeightLayer = true;
  }
  if (params.length === 0) {
    throw new ValueError(
      'watch: no parameters selected; check include/exclude (the model has ' +
        [...model.namedParameters()].length +
        ' parameters).',
    );
  }
  return { params, layers, modules };
}

/** Display name of a layer path ('' is the root module). */
export function displayPath(path: string): string {
  return path === '' ? '(root)' : path;
}

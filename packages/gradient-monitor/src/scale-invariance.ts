/**
 * Which weight layers are scale-invariant: a Linear/Conv whose output goes straight into a
 * normalisation layer (BatchNorm in training mode, LayerNorm, GroupNorm, InstanceNorm,
 * RMSNorm) computes the same function for weights w and c·w. Its weight gradient is then
 * orthogonal to w and scales as 1/‖w‖, so its raw size says nothing on its own: it can be
 * made any value by rescaling the weights. The depth rules use ‖g‖·‖w‖ for such layers (the
 * gradient with respect to the weight direction w/‖w‖, which does not depend on that scale).
 *
 * Detection is by dataflow, then confirmed numerically: the forward hooks see a weight
 * layer's output tensor arrive as the input of a normalisation module, and on the first step
 * with gradients Σ⟨g, w⟩ over the layer's parameters must vanish (Euler's identity for a
 * function of degree 0). The check rejects, for example, a BatchNorm in eval mode (an affine
 * map) or an output that also feeds a skip connection.
 */
import type { Tensor } from '@gradsight/core';

/** typeNames (lower case) of modules that normalise their input's scale away. */
export const normalizationTypes: ReadonlySet<string> = new Set([
  'batchnorm',
  'batchnorm1d',
  'batchnorm2d',
  'batchnorm3d',
  'syncbatchnorm',
  'layernorm',
  'groupnorm',
  'instancenorm1d',
  'instancenorm2d',
  'instancenorm3d',
  'rmsnorm',
]);

export function isNormalization(typeName: string): boolean {
  return normalizationTypes.has(typeName.toLowerCase());
}

/**
 * |Σ⟨g, w⟩| / (‖g‖·‖w‖) at or below this confirms invariance. Measured: normalised layers
 * give ≤ 4e-5 in float32 (BatchNorm's ε breaks the identity slightly); plain layers 6e-4 to
 * 3e-1.
 */
export const ORTHOGONALITY_TOLERANCE = 1e-3;

/** Cosine between a layer's gradient and its weights over all of its parameters (NaN if either is 0). */
export function gradWeightCosine(params: readonly { grad: Tensor | null; value: Tensor }[]): number {
  let dot = 0;
  let gg = 0;
  let ww = 0;
  for (const { grad, value } of params) {
    if (!grad) return Number.NaN;
    const g = grad.dataSync();
    const w = value.dataSync();
    for (let i = 0; i < g.length; i++) {
      const gi = g[i]!;
      const wi = w[i]!;
      dot += gi * wi;
      gg += gi * gi;
      ww += wi * wi;
    }
  }
  return gg > 0 && ww > 0 ? dot / Math.sqrt(gg * ww) : Number.NaN;
}

/**
 * Tracks, during a forward pass, which weight layers' outputs are consumed by a
 * normalisation module; `verify` then confirms each candidate once from its gradients.
 */
export class ScaleInvarianceTracker {
  /** Output tensor → weight-layer path, for the forward pass in progress. */
  private producers = new WeakMap<Tensor, string>();
  private readonly candidates = new Set<string>();
  private readonly verdicts = new Map<string, boolean>();
  /** Dataflow is read from the first step whose forward reached the hooks. */
  private dataflowDone = false;
  private sawForward = false;

  constructor(private readonly weightLayers: ReadonlySet<string>) {}

  get tracking(): boolean {
    return !this.dataflowDone;
  }

  /** Forward-hook callback for a weight layer or a normalisation module. */
  observe(path: string, typeName: string, inputs: readonly Tensor[], output: Tensor): void {
    if (this.dataflowDone) return;
    this.sawForward = true;
    if (isNormalization(typeName)) {
      const src = inputs[0] ? this.producers.get(inputs[0]) : undefined;
      if (src !== undefined) this.candidates.add(src);
    }
    if (this.weightLayers.has(path) && output) this.producers.set(output, path);
  }

  /**
   * Called after backward: closes the dataflow scan (once a forward pass has been seen) and
   * checks the orthogonality of every candidate not yet checked whose gradient is present.
   */
  verify(paramsOf: (layer: string) => { grad: Tensor | null; value: Tensor }[]): void {
    if (this.sawForward && !this.dataflowDone) {
      this.dataflowDone = true;
      this.producers = new WeakMap();
    }
    for (const layer of this.candidates) {
      if (this.verdicts.has(layer)) continue;
      const cos = gradWeightCosine(paramsOf(layer));
      if (Number.isNaN(cos)) continue;
      this.verdicts.set(layer, Math.abs(cos) <= ORTHOGONALITY_TOLERANCE);
    }
  }

  /** Confirmed scale-invariant weight layers. */
  isInvariant(layer: string): boolean {
    return this.verdicts.get(layer) === true;
  }
}

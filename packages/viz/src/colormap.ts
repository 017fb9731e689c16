/**
 * Colormaps as functions from a value in [0, 1] to an RGB triple (0–255), backed by
 * d3-scale-chromatic's interpolators, so the same map drives SVG fills and PNG pixels.
 */

import { interpolateMagma, interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import { VizInputError } from './errors.js';

export type Rgb = readonly [number, number, number];
/** Maps t ∈ [0, 1] to a colour; values outside are clamped, NaN gives the map's NaN colour. */
export type Colormap = (t: number) => Rgb;

const NAN_RGB: Rgb = [200, 200, 200];

/** Parses the two forms d3-scale-chromatic returns: `#rrggbb` and `rgb(r, g, b)`. */
export function parseColor(css: string): Rgb {
  if (css.startsWith('#') && css.length === 7) {
    return [parseInt(css.slice(1, 3), 16), parseInt(css.slice(3, 5), 16), parseInt(css.slice(5, 7), 16)];
  }
  const m = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/.exec(css);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  throw new VizInputError(`parseColor: cannot parse colour '${css}', expected '#rrggbb' or 'rgb(r, g, b)'.`);
}

/**
 * Builds a colormap from an interpolator returning CSS colours, sampled into a 256-entry table
 * so that per-pixel use (PNG encoding of large heatmaps) does no string parsing.
 */
export function colormapFromInterpolator(interpolate: (t: number) => string, reverse = false): Colormap {
  const table: Rgb[] = [];
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    table.push(parseColor(interpolate(reverse ? 1 - t : t)));
  }
  return (t: number): Rgb => {
    if (Number.isNaN(t)) return NAN_RGB;
    const i = Math.round(Math.min(1, Math.max(0, t)) * 255);
    return table[i]!;
  };
}

/** Perceptually uniform sequential map (dark blue → yellow). */
export const viridis: Colormap = colormapFromInterpolator(interpolateViridis);
/** Perceptually uniform sequential map (black → light yellow). */
export const magma: Colormap = colormapFromInterpolator(interpolateMagma);
/**
 * Diverging red–white–blue. t = 0 is red, 0.5 white, 1 blue (ColorBrewer's RdBu orientation);
 * use `colormapReversed(rdBu)` for blue-low/red-high as in SHAP plots.
 */
export const rdBu: Colormap = colormapFromInterpolator(interpolateRdBu);

export function colormapReversed(cm: Colormap): Colormap {
  return (t) => cm(Number.isNaN(t) ? t : 1 - t);
}

export const colormaps = { viridis, magma, rdBu } as const;
export type ColormapName = keyof typeof colormaps;

export function resolveColormap(
  cm: Colormap | ColormapName | undefined,
  fallback: Colormap = viridis,
): Colormap {
  if (cm === undefined) return fallback;
  if (typeof cm === 'function') return cm;
  const found = colormaps[cm];
  if (!found)
    throw new VizInputError(
      `colormap: unknown name '${String(cm)}', expected one of ${Object.keys(colormaps).join(', ')}.`,
    );
  return found;
}

export function rgbToCss([r, g, b]: Rgb): string {
  const hex = (v: number) => Math.round(v).toString(16).padStart(2, '0');
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

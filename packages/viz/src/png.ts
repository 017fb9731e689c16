/** PNG output for heatmaps, through fast-png's encoder (pure JS, works in Node and browsers). */
import { encode } from 'fast-png';
import { type Colormap, type ColormapName, type Rgb, resolveColormap } from './colormap.js';
import { VizInputError } from './errors.js';
import { finiteExtent, type MatrixInput, normalize, toMatrix } from './matrix.js';

export interface HeatmapPngOptions {
  /** Value range mapped onto the colormap; defaults to the finite min and max. */
  domain?: readonly [number, number];
  /** Pixels per cell side (integer ≥ 1). Default 1. */
  cellSize?: number;
  /** Colour of NaN/±Inf cells. Default magenta, which no built-in colormap produces. */
  nonFiniteColor?: Rgb;
}

/**
 * Renders a matrix as an RGB PNG, one `cellSize`×`cellSize` block per cell (row 0 at the top).
 * Returns the encoded file bytes.
 */
export function heatmapToPng(
  matrix: MatrixInput,
  colormap: Colormap | ColormapName = 'viridis',
  options: HeatmapPngOptions = {},
): Uint8Array {
  const m = toMatrix('heatmapToPng', matrix);
  const cell = options.cellSize ?? 1;
  if (!Number.isInteger(cell) || cell < 1)
    throw new VizInputError(`heatmapToPng: cellSize must be an integer ≥ 1, got ${cell}.`);
  if (m.rows === 0 || m.cols === 0)
    throw new VizInputError(`heatmapToPng: matrix is ${m.rows}×${m.cols}; a PNG needs at least one cell.`);
  const cm = resolveColormap(colormap);
  const [lo, hi] = options.domain ?? finiteExtent(m);
  const bad = options.nonFiniteColor ?? ([255, 0, 255] as const);
  const width = m.cols * cell;
  const height = m.rows * cell;
  const data = new Uint8Array(width * height * 3);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.at(r, c);
      const [cr, cg, cb] = Number.isFinite(v) ? cm(normalize(v, lo, hi)) : bad;
      for (let dy = 0; dy < cell; dy++) {
        let o = ((r * cell + dy) * width + c * cell) * 3;
        for (let dx = 0; dx < cell; dx++) {
          data[o++] = cr;
          data[o++] = cg;
          data[o++] = cb;
        }
      }
    }
  }
  return encode({ width, height, data, channels: 3, depth: 8 });
}

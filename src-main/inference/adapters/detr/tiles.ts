import type { Tile } from './types';

/**
 * Tile layouts of HiTMicTools' DETR-style components (not MONAI's):
 *
 * ScSegmenter: step = max(int(tile·(1−overlap)), 1); each axis is padded right/bottom (with the frame
 * mean) to `tile` if L ≤ tile, else ceil((L−tile)/step)·step + tile; starts 0, step, … up to
 * padded − tile, plus padded − tile if not already hit. 2048 px, tile 256, overlap 0.33 → 2137, 12 starts.
 *
 * OofDetector: the same step; zero-padding bottom/right only when L < tile; starts 0, step, … while
 * start + tile ≤ L, plus L − tile if not hit. 2048 px, tile 560, overlap 0.25 → 0, 420, 840, 1260, 1488.
 *
 * Each tile records its offset and valid size (min(tile, H − y), min(tile, W − x)).
 */
export function tileStep(tile: number, overlap: number): number {
  return Math.max(Math.trunc(tile * (1 - overlap)), 1);
}

export function scPaddedLength(L: number, tile: number, step: number): number {
  return L <= tile ? tile : Math.ceil((L - tile) / step) * step + tile;
}

/** Starts 0, step, … ≤ last, plus `last` when not hit. */
export function startsUpTo(last: number, step: number): number[] {
  const s: number[] = [];
  for (let p = 0; p <= last; p += step) s.push(p);
  if (s[s.length - 1] !== last) s.push(last);
  return s;
}

export interface TileLayout {
  /** Padded frame size. */
  paddedH: number;
  paddedW: number;
  tiles: Tile[];
}

function layout(
  H: number,
  W: number,
  tile: number,
  ys: number[],
  xs: number[],
  paddedH: number,
  paddedW: number,
): TileLayout {
  const tiles: Tile[] = [];
  for (const y of ys)
    for (const x of xs) tiles.push({ x, y, validW: Math.min(tile, W - x), validH: Math.min(tile, H - y) });
  return { paddedH, paddedW, tiles };
}

export function scTileLayout(H: number, W: number, tile: number, overlap: number): TileLayout {
  const step = tileStep(tile, overlap);
  const PH = scPaddedLength(H, tile, step);
  const PW = scPaddedLength(W, tile, step);
  return layout(H, W, tile, startsUpTo(PH - tile, step), startsUpTo(PW - tile, step), PH, PW);
}

export function oofTileLayout(H: number, W: number, tile: number, overlap: number): TileLayout {
  const step = tileStep(tile, overlap);
  const PH = Math.max(H, tile);
  const PW = Math.max(W, tile);
  return layout(H, W, tile, startsUpTo(PH - tile, step), startsUpTo(PW - tile, step), PH, PW);
}

/** Copies a tile×tile window at (x, y) of a padded H×W frame into dst at offset. */
export function copyTile(
  src: Float32Array,
  W: number,
  x: number,
  y: number,
  tile: number,
  dst: Float32Array,
  offset: number,
): void {
  for (let r = 0; r < tile; r++) {
    const s = (y + r) * W + x;
    dst.set(src.subarray(s, s + tile), offset + r * tile);
  }
}

/** Pads an H×W frame right/bottom to PH×PW with `value`. */
export function padRightBottom(
  src: Float32Array,
  H: number,
  W: number,
  PH: number,
  PW: number,
  value: number,
): Float32Array {
  if (PH === H && PW === W) return src;
  const out = new Float32Array(PH * PW).fill(value);
  for (let y = 0; y < H; y++) out.set(src.subarray(y * W, (y + 1) * W), y * PW);
  return out;
}

import { Box, Typography } from '@mui/material';
import {
  formatArea,
  formatPositionUm,
  layerPixelAt,
  type ImageLayer,
  type LabelsLayer,
  type LayerObject,
} from '../../../src-shared/viewer';
import type { OpenedMovie } from '../../../src-shared/api';
import type { LoadedFrame } from './use-frames';

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));

/** A layer's values named briefly: "restored" for a preview's, else the layer's name without "Test · ". */
const readoutName = (l: ImageLayer) => (l.id === 'restored' ? 'restored' : l.name.replace(/^Test · /, ''));

/**
 * Pixel coordinates (and µm, when the file has a pixel size) and values under the cursor; over an
 * object of the top labels layer its label, class, confidence, area (px and µm²) and, from a run,
 * PI status and track.
 */
export function HoverReadout({
  pixel,
  loaded,
  labels,
  images,
  movie,
}: {
  pixel: { x: number; y: number } | undefined;
  loaded: LoadedFrame | undefined;
  /** Labels layers drawn now, top first: the object under the cursor is the top one's. */
  labels: LabelsLayer[];
  /** Image layers drawn now besides the movie's channels (restored, test-mode stages), top first. */
  images: ImageLayer[];
  movie: OpenedMovie | undefined;
}) {
  if (!pixel || !loaded) {
    return (
      <Typography variant="caption" color="text.secondary" data-testid="viewer-hover">
        Move the pointer over the image for pixel values; click a cell to select it.
      </Typography>
    );
  }
  const first = loaded.planes.values().next().value;
  const i = pixel.y * (first?.width ?? 0) + pixel.x;
  const values = [...loaded.planes.entries()].map(([c, p]) => `ch${c} ${fmt(p.data[i])}`);
  // Each layer's own pixel under the cursor: a run's layers lie moved in the movie (registration).
  for (const l of images) {
    const at = layerPixelAt(l.translate, l.width, l.height, pixel);
    if (at) values.push(`${readoutName(l)} ${fmt(l.data[at.y * l.width + at.x])}`);
  }
  let obj: LayerObject | undefined;
  let moved: { x: number; y: number } | undefined;
  for (const layer of labels) {
    const at = layerPixelAt(layer.translate, layer.width, layer.height, pixel);
    if (!at) continue;
    const j = at.y * layer.width + at.x;
    if ((layer.translate.x !== 0 || layer.translate.y !== 0) && !moved) moved = at;
    const label = layer.data[j];
    if (label && !obj) obj = layer.objects?.find((o) => o.label === label) ?? { label };
  }
  const um = movie?.pixelSizeUm;
  return (
    <Box data-testid="viewer-hover" sx={{ fontFamily: 'monospace', fontSize: 12 }}>
      <span>
        x {pixel.x} y {pixel.y}
        {um ? ` (${formatPositionUm(pixel, um)})` : ''}
        {moved ? ` (run frame x ${moved.x} y ${moved.y})` : ''} · {values.join(' · ')}
      </span>
      {obj && (
        <Box component="span" data-testid="viewer-hover-object" sx={{ ml: 1, fontWeight: 600 }}>
          · label {obj.label} · {obj.className ?? 'unclassified'}
          {obj.confidence !== undefined ? ` ${(obj.confidence * 100).toFixed(1)} %` : ''} ·{' '}
          {obj.area !== undefined ? formatArea(obj.area, um) : ''}
          {obj.piClass ? ` · ${obj.piClass}` : ''}
          {obj.trackId !== undefined && obj.trackId >= 0 ? ` · track ${obj.trackId}` : ''}
        </Box>
      )}
    </Box>
  );
}

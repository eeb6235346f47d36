import { Box, Typography } from '@mui/material';
import { formatArea, formatPositionUm, layerPixelAt, type LabelsLayer } from '../../../src-shared/viewer';
import type { OpenedMovie } from '../../../src-shared/api';
import type { PreviewState } from '../../stores/viewer';
import type { LoadedFrame } from './use-frames';

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));

/**
 * Pixel coordinates (and µm, when the file has a pixel size) and values under the cursor; over an
 * object of the top labels layer its label, class, confidence, area (px and µm²) and, from a run,
 * PI status and track.
 */
export function HoverReadout({
  pixel,
  loaded,
  labels,
  restored,
  movie,
}: {
  pixel: { x: number; y: number } | undefined;
  loaded: LoadedFrame | undefined;
  /** Labels layers drawn now, top first, each with the preview or run frame it shows. */
  labels: { layer: LabelsLayer; preview: PreviewState }[];
  /** A preview's restored frame on this frame, to read its value too. */
  restored: PreviewState | undefined;
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
  // Each layer's own pixel under the cursor: a run's labels lie moved in the movie (registration).
  const r = restored?.restored ? restored : undefined;
  const atRestored = r && layerPixelAt(r.translate ?? { x: 0, y: 0 }, r.width, r.height, pixel);
  if (r?.restored && atRestored)
    values.push(`restored ${fmt(r.restored.data[atRestored.y * r.width + atRestored.x])}`);
  let obj: PreviewState['objects'][number] | undefined;
  let moved: { x: number; y: number } | undefined;
  for (const { layer, preview } of labels) {
    const at = layerPixelAt(layer.translate, layer.width, layer.height, pixel);
    if (!at) continue;
    const j = at.y * layer.width + at.x;
    if ((layer.translate.x !== 0 || layer.translate.y !== 0) && !moved) moved = at;
    const label = layer.data[j];
    if (label && !obj) obj = preview.objects.find((o) => o.label === label);
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
          {formatArea(obj.area, um)}
          {obj.piClass ? ` · ${obj.piClass}` : ''}
          {obj.trackId !== undefined && obj.trackId >= 0 ? ` · track ${obj.trackId}` : ''}
        </Box>
      )}
    </Box>
  );
}

import { Box, Typography } from '@mui/material';
import { IN_PLACE, layerPixelAt } from '../../../src-shared/viewer';
import type { PreviewState } from '../../stores/viewer';
import type { LoadedFrame } from './use-frames';

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));

/** Pixel coordinates and values under the cursor; over an object its label, class, confidence (and, from a run, PI status and track). */
export function HoverReadout({
  pixel,
  loaded,
  preview,
  previewShown,
}: {
  pixel: { x: number; y: number } | undefined;
  loaded: LoadedFrame | undefined;
  preview: PreviewState | undefined;
  previewShown: boolean;
}) {
  if (!pixel || !loaded) {
    return (
      <Typography variant="caption" color="text.secondary" data-testid="viewer-hover">
        Move the pointer over the image for pixel values.
      </Typography>
    );
  }
  const first = loaded.planes.values().next().value;
  const i = pixel.y * (first?.width ?? 0) + pixel.x;
  const values = [...loaded.planes.entries()].map(([c, p]) => `ch${c} ${fmt(p.data[i])}`);
  // The preview's own pixel under the cursor: a run's labels lie moved in the movie (registration).
  const translate = preview?.translate ?? IN_PLACE;
  const placed = previewShown ? preview : undefined;
  const at = placed ? layerPixelAt(translate, placed.width, placed.height, pixel) : undefined;
  const j = placed && at ? at.y * placed.width + at.x : -1;
  if (j >= 0 && placed?.restored)
    values.push(`${placed.imageLabel ?? 'restored'} ${fmt(placed.restored.data[j])}`);
  const label = j >= 0 && placed?.labels ? placed.labels.data[j] : 0;
  const obj = label ? preview?.objects.find((o) => o.label === label) : undefined;
  const moved = at && (translate.x !== 0 || translate.y !== 0);
  return (
    <Box data-testid="viewer-hover" sx={{ fontFamily: 'monospace', fontSize: 12 }}>
      <span>
        x {pixel.x} y {pixel.y}
        {moved ? ` (run frame x ${at.x} y ${at.y})` : ''} · {values.join(' · ')}
      </span>
      {obj && (
        <Box component="span" data-testid="viewer-hover-object" sx={{ ml: 1, fontWeight: 600 }}>
          · label {obj.label} · {obj.className ?? 'unclassified'}
          {obj.confidence !== undefined ? ` ${(obj.confidence * 100).toFixed(1)} %` : ''} · {obj.area} px
          {obj.piClass ? ` · ${obj.piClass}` : ''}
          {obj.trackId !== undefined && obj.trackId >= 0 ? ` · track ${obj.trackId}` : ''}
        </Box>
      )}
    </Box>
  );
}

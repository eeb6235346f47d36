import { Box, Typography } from '@mui/material';
import { memo, useEffect, useRef } from 'react';
import type { QcCrop } from '../../../src-shared/api';
import {
  classColour,
  classCss,
  cssColour,
  outlineSegments,
  type ContrastRange,
} from '../../../src-shared/viewer';

const SIZE = 76;
const OUTSIDE = [24, 28, 36, 255];

/**
 * Draws a tile: the object with about its own size of surroundings, in the run's one contrast
 * (the same grey means the same value on every tile), and the object's outline in its class
 * colour along its pixel edges. Pixels past the frame's edge are dark.
 */
function draw(canvas: HTMLCanvasElement, crop: QcCrop, range: ContrastRange, colour: string): void {
  const { width: w, height: h } = crop.context;
  // Drawn at about twice the tile's size, so the outline stays a thin line on sharp screens.
  const k = Math.max(1, Math.ceil((2 * SIZE) / Math.max(w, h, 1)));
  canvas.width = w * k;
  canvas.height = h * k;
  const ctx = canvas.getContext('2d');
  if (!ctx || crop.data.length === 0) return;
  const img = new ImageData(w, h);
  const span = range.max > range.min ? range.max - range.min : 1;
  for (let i = 0; i < crop.data.length; i++) {
    const v = crop.data[i];
    const o = i * 4;
    if (Number.isNaN(v)) img.data.set(OUTSIDE, o);
    else {
      const g = Math.round(255 * Math.min(1, Math.max(0, (v - range.min) / span)));
      img.data.set([g, g, g, 255], o);
    }
  }
  const pixels = document.createElement('canvas');
  [pixels.width, pixels.height] = [w, h];
  pixels.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(pixels, 0, 0, w * k, h * k);
  const s = outlineSegments(crop.mask, w, h, 1);
  ctx.beginPath();
  for (let i = 0; i < s.length; i += 4) {
    ctx.moveTo(s[i] * k, s[i + 1] * k);
    ctx.lineTo(s[i + 2] * k, s[i + 3] * k);
  }
  ctx.lineCap = 'square';
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.7)';
  ctx.lineWidth = 3.5;
  ctx.stroke();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.stroke();
}

export const CropTile = memo(function CropTile({
  crop,
  shownClass,
  selected,
  contrast,
  onSelect,
  onOpen,
}: {
  crop: QcCrop;
  shownClass: string;
  selected: boolean;
  /** The run's one display range for every tile. */
  contrast: ContrastRange;
  onSelect: (label: number) => void;
  /** Double click: show this cell in the Viewer. */
  onOpen?: (crop: QcCrop) => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) draw(ref.current, crop, contrast, cssColour(classColour(shownClass)));
  }, [crop, contrast, shownClass]);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const corrected = shownClass !== crop.className;
  const scale = SIZE / Math.max(crop.context.width, crop.context.height, 1);
  return (
    <Box
      onClick={() => onSelect(crop.label)}
      onDoubleClick={() => onOpen?.(crop)}
      data-testid={`crop-${crop.label}`}
      data-class={shownClass}
      data-selected={selected}
      title={`label ${crop.label} · frame ${crop.frame} · ${crop.className} ${(crop.confidence * 100).toFixed(0)} %${crop.piClass ? ` · ${crop.piClass}` : ''} · double-click: show in the Viewer`}
      sx={{
        width: SIZE + 8,
        p: '3px',
        cursor: 'pointer',
        borderRadius: 1,
        border: '3px solid',
        borderColor: classCss(shownClass),
        outline: selected ? '3px solid' : 'none',
        outlineColor: 'primary.main',
        outlineOffset: 1,
        bgcolor: selected ? 'action.selected' : 'background.paper',
      }}
    >
      <Box
        sx={{
          width: SIZE,
          height: SIZE,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          bgcolor: '#181c24',
        }}
      >
        {crop.data.length > 0 ? (
          <canvas
            ref={ref}
            data-testid={`crop-${crop.label}-canvas`}
            style={{
              width: crop.context.width * scale,
              height: crop.context.height * scale,
              imageRendering: 'pixelated',
            }}
          />
        ) : (
          <Typography variant="caption" sx={{ color: '#aaa' }}>
            no pixels
          </Typography>
        )}
      </Box>
      <Typography
        variant="caption"
        component="div"
        sx={{ lineHeight: 1.2, mt: 0.25, fontVariantNumeric: 'tabular-nums' }}
      >
        {(crop.confidence * 100).toFixed(0)} % · f{crop.frame}
        {crop.piClass && /pos/i.test(crop.piClass) ? ' · PI+' : ''}
      </Typography>
      {corrected && (
        <Typography
          variant="caption"
          component="div"
          sx={{ lineHeight: 1.2, fontWeight: 600, color: 'text.primary' }}
        >
          → {shownClass}
        </Typography>
      )}
    </Box>
  );
});

import { Box, Typography } from '@mui/material';
import { memo, useEffect, useRef } from 'react';
import type { QcCrop } from '../../../src-shared/api';
import { classCss } from '../../../src-shared/viewer';

const SIZE = 76;

/** Draws a crop with its own contrast (1st–99th percentile of the object's pixels); outside the mask is dark. */
function draw(canvas: HTMLCanvasElement, crop: QcCrop): void {
  canvas.width = Math.max(1, crop.width);
  canvas.height = Math.max(1, crop.height);
  const ctx = canvas.getContext('2d');
  if (!ctx || crop.data.length === 0) return;
  const inside = Array.from(crop.data)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  const lo = inside[Math.floor(inside.length * 0.01)] ?? 0;
  const hi = inside[Math.min(inside.length - 1, Math.floor(inside.length * 0.99))] ?? 1;
  const img = ctx.createImageData(crop.width, crop.height);
  for (let i = 0; i < crop.data.length; i++) {
    const v = crop.data[i];
    const o = i * 4;
    if (Number.isNaN(v)) {
      img.data.set([24, 28, 36, 255], o);
    } else {
      const g = Math.round(255 * Math.min(1, Math.max(0, (v - lo) / Math.max(1e-9, hi - lo))));
      img.data.set([g, g, g, 255], o);
    }
  }
  ctx.putImageData(img, 0, 0);
}

export const CropTile = memo(function CropTile({
  crop,
  shownClass,
  selected,
  onSelect,
}: {
  crop: QcCrop;
  shownClass: string;
  selected: boolean;
  onSelect: (label: number) => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) draw(ref.current, crop);
  }, [crop]);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const corrected = shownClass !== crop.className;
  const scale = SIZE / Math.max(crop.width, crop.height, 1);
  return (
    <Box
      onClick={() => onSelect(crop.label)}
      data-testid={`crop-${crop.label}`}
      data-class={shownClass}
      data-selected={selected}
      title={`label ${crop.label} · frame ${crop.frame} · ${crop.className} ${(crop.confidence * 100).toFixed(0)} %${crop.piClass ? ` · ${crop.piClass}` : ''}`}
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
            style={{ width: crop.width * scale, height: crop.height * scale, imageRendering: 'pixelated' }}
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

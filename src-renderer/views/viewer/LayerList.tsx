import { Box, Checkbox, IconButton, MenuItem, Slider, TextField, Tooltip, Typography } from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import { colormapsFor, type LayerSettings } from '../../../src-shared/viewer';
import { useLayers } from '../../stores/layers';
import type { LayerEntry } from './layers';

/** A layer id as a test id: letters, digits and dashes only (`raw:1` → `raw-1`). */
export function layerTestId(id: string): string {
  return `layer-${id.replace(/[^a-z0-9-]/gi, '-')}`;
}

const KIND_NAME = { image: 'image', labels: 'labels', tracks: 'tracks' } as const;

function LayerRow({ entry }: { entry: LayerEntry }) {
  const { layer, settings, note } = entry;
  const set = (patch: Partial<LayerSettings>) => useLayers.getState().setLayer(layer.id, patch);
  const added = useLayers((s) => s.added.some((l) => l.id === layer.id));
  const tid = layerTestId(layer.id);
  return (
    <Box
      data-testid={tid}
      data-visible={settings.visible}
      sx={{ borderTop: 1, borderColor: 'divider', py: 0.5, opacity: settings.visible ? 1 : 0.6 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
        <Checkbox
          size="small"
          sx={{ p: 0.25 }}
          checked={settings.visible}
          onChange={(e) => set({ visible: e.target.checked })}
          slotProps={{
            input: { 'aria-label': `Show ${layer.name}`, 'data-testid': `${tid}-visible` } as object,
          }}
        />
        <Typography variant="body2" sx={{ flex: 1, minWidth: 0 }} noWrap title={layer.name}>
          {layer.name}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          {note ?? KIND_NAME[layer.kind]}
        </Typography>
        {added && (
          <Tooltip title="Remove this layer">
            <IconButton
              size="small"
              aria-label={`Remove ${layer.name}`}
              onClick={() => useLayers.getState().removeLayer(layer.id)}
            >
              <CloseIcon fontSize="inherit" />
            </IconButton>
          </Tooltip>
        )}
      </Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, pl: 0.5 }}>
        <Slider
          size="small"
          min={0}
          max={1}
          step={0.05}
          value={settings.opacity}
          onChange={(_e, v) => set({ opacity: v as number })}
          aria-label={`Opacity of ${layer.name}`}
          data-testid={`${tid}-opacity`}
          sx={{ flex: 1 }}
        />
        <TextField
          select
          size="small"
          variant="standard"
          value={settings.colormap}
          onChange={(e) => set({ colormap: e.target.value as LayerSettings['colormap'] })}
          sx={{ width: 84 }}
          slotProps={{
            select: {
              SelectDisplayProps: {
                'aria-label': `Colour map of ${layer.name}`,
                'data-testid': `${tid}-colormap`,
              } as object,
            },
          }}
        >
          {colormapsFor(layer).map((m) => (
            <MenuItem key={m} value={m} dense>
              {m}
            </MenuItem>
          ))}
        </TextField>
        {layer.kind === 'labels' && (
          <TextField
            select
            size="small"
            variant="standard"
            value={settings.style ?? 'outline'}
            onChange={(e) => set({ style: e.target.value as 'outline' | 'filled' })}
            sx={{ width: 84 }}
            slotProps={{
              select: {
                SelectDisplayProps: {
                  'aria-label': `Outlines or filled: ${layer.name}`,
                  'data-testid': `${tid}-style`,
                } as object,
              },
            }}
          >
            <MenuItem value="outline" dense>
              outline
            </MenuItem>
            <MenuItem value="filled" dense>
              filled
            </MenuItem>
          </TextField>
        )}
        {layer.kind === 'tracks' && (
          <TextField
            size="small"
            variant="standard"
            type="number"
            value={settings.tailFrames ?? 10}
            onChange={(e) => {
              const n = Math.round(Number(e.target.value));
              if (Number.isFinite(n) && n >= 0) set({ tailFrames: Math.min(1000, n) });
            }}
            sx={{ width: 56 }}
            slotProps={{
              htmlInput: {
                min: 0,
                max: 1000,
                'aria-label': 'Tail length, frames',
                'data-testid': `${tid}-tail`,
              },
            }}
            helperText="frames"
          />
        )}
      </Box>
    </Box>
  );
}

/**
 * The layer list, top layer first (drawn last): visibility, opacity and colour map for each image,
 * labels and tracks layer, built-in or added (layers.ts in stores says how to add one).
 */
export function LayerList({ entries }: { entries: LayerEntry[] }) {
  return (
    <Box data-testid="viewer-layers">
      <Typography variant="subtitle2">Layers</Typography>
      {[...entries].reverse().map((e) => (
        <LayerRow key={e.layer.id} entry={e} />
      ))}
    </Box>
  );
}

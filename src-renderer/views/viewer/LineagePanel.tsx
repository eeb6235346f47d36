import { Box, Button, FormControlLabel, Switch, Typography } from '@mui/material';
import { useMemo } from 'react';
import type { RunTrack } from '../../../src-shared/api';
import { lineageOf } from '../../../src-shared/results';
import { useCellSelection } from '../../stores/cell-selection';
import { useViewer } from '../../stores/viewer';

const span = (t: RunTrack) => {
  const [a, b] = [t.frames[0], t.frames[t.frames.length - 1]];
  return a === b ? `frame ${a}` : `frames ${a}–${b}`;
};

/** Selects a track at `frame` (its first or last) and shows that frame. */
function goTo(t: RunTrack, where: 'first' | 'last') {
  const i = where === 'first' ? 0 : t.frames.length - 1;
  useCellSelection.getState().select({ frame: t.frames[i], label: t.labels[i], trackId: t.id });
  useViewer.getState().setPlaying(false);
  useViewer.getState().setFrame(t.frames[i]);
}

function TrackButton({ t, where, testId }: { t: RunTrack; where: 'first' | 'last'; testId: string }) {
  return (
    <Button
      size="small"
      variant="text"
      sx={{ py: 0, minWidth: 0, textTransform: 'none' }}
      data-testid={testId}
      data-track={t.id}
      onClick={() => goTo(t, where)}
    >
      track {t.id} ({span(t)})
    </Button>
  );
}

/**
 * The selected cell and its family from the run's tracks: its own track and frames, the mother it
 * came from, its daughters and sister; each opens that track. "Follow" keeps it in the middle of
 * the view while the frames change.
 */
export function LineagePanel() {
  const overlay = useViewer((s) => s.runOverlay);
  const frame = useViewer((s) => s.frame);
  const selected = useCellSelection((s) => s.selected);
  const follow = useCellSelection((s) => s.follow);
  const tracks = overlay?.tracks;
  const lineage = useMemo(
    () =>
      selected?.trackId !== undefined && tracks ? lineageOf(tracks.tracks, selected.trackId) : undefined,
    [selected?.trackId, tracks],
  );
  if (!overlay) return null;
  const seenNow = lineage?.track.frames.includes(frame);
  return (
    <Box data-testid="lineage-panel" data-track={selected?.trackId}>
      <Typography variant="subtitle2">Selected cell</Typography>
      {!selected && (
        <Typography variant="caption" color="text.secondary" component="p">
          Click a cell to see its track and lineage.{' '}
          {tracks
            ? tracks.tracked
              ? `${tracks.tracks.length} tracks, ${tracks.divisions} born by division.`
              : tracks.note
            : 'The run’s tracks could not be read.'}
        </Typography>
      )}
      {selected && !lineage && (
        <Typography variant="body2" data-testid="lineage-track">
          Label {selected.label} in frame {selected.frame}
          {tracks?.tracked ? ' (in no track)' : ` · ${tracks?.note ?? 'no tracks'}`}
        </Typography>
      )}
      {lineage && (
        <>
          <Typography variant="body2" data-testid="lineage-track">
            Track {lineage.track.id} · {span(lineage.track)} ({lineage.track.frames.length} seen)
            {seenNow ? '' : ` · not in frame ${frame}`}
          </Typography>
          <Box
            sx={{ display: 'flex', alignItems: 'baseline', flexWrap: 'wrap' }}
            data-testid="lineage-parent"
          >
            <Typography variant="caption" sx={{ mr: 0.5 }}>
              Mother:
            </Typography>
            {lineage.parent ? (
              <TrackButton t={lineage.parent} where="last" testId="lineage-parent-track" />
            ) : (
              <Typography variant="caption" color="text.secondary">
                {lineage.missingParent !== undefined
                  ? `track ${lineage.missingParent} (not in the table)`
                  : 'none (there from the start, or not born by a division seen here)'}
              </Typography>
            )}
          </Box>
          <Box
            sx={{ display: 'flex', alignItems: 'baseline', flexWrap: 'wrap' }}
            data-testid="lineage-daughters"
          >
            <Typography variant="caption" sx={{ mr: 0.5 }}>
              Daughters:
            </Typography>
            {lineage.daughters.length ? (
              lineage.daughters.map((d) => (
                <TrackButton key={d.id} t={d} where="first" testId="lineage-daughter-track" />
              ))
            ) : (
              <Typography variant="caption" color="text.secondary">
                none
              </Typography>
            )}
          </Box>
          {lineage.sisters.length > 0 && (
            <Box
              sx={{ display: 'flex', alignItems: 'baseline', flexWrap: 'wrap' }}
              data-testid="lineage-sisters"
            >
              <Typography variant="caption" sx={{ mr: 0.5 }}>
                Sister:
              </Typography>
              {lineage.sisters.map((d) => (
                <TrackButton key={d.id} t={d} where="first" testId="lineage-sister-track" />
              ))}
            </Box>
          )}
          {lineage.ancestors.length > 1 && (
            <Typography variant="caption" color="text.secondary" component="p">
              Line: {[...lineage.ancestors].reverse().join(' → ')} → {lineage.track.id}
            </Typography>
          )}
        </>
      )}
      {selected && (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <FormControlLabel
            control={
              <Switch
                size="small"
                checked={follow}
                disabled={selected.trackId === undefined}
                onChange={(e) => useCellSelection.getState().setFollow(e.target.checked)}
                slotProps={{ input: { 'data-testid': 'lineage-follow' } as object }}
              />
            }
            label={<Typography variant="body2">Follow (keep centred)</Typography>}
          />
          <Button
            size="small"
            onClick={() => useCellSelection.getState().select(undefined)}
            data-testid="lineage-clear"
          >
            Clear
          </Button>
        </Box>
      )}
    </Box>
  );
}

import { Alert, Box, Button, LinearProgress, Typography } from '@mui/material';
import { useCallback, useEffect, useMemo } from 'react';
import { classForKey, currentClass, groupByClass, QC_CLASSES } from '../../src-shared/results';
import { formatLevel } from '../../src-shared/viewer';
import { useQc } from '../stores/qc';
import { useResults } from '../stores/results';
import type { QcCrop } from '../../src-shared/api';
import { useCellSelection } from '../stores/cell-selection';
import { useViewer } from '../stores/viewer';
import { ClassKeys } from './qc/ClassKeys';
import { CropTile } from './qc/CropTile';
import { QcFilters } from './qc/QcFilters';
import { downloadText } from './results/export';
import { RunPicker } from './results/RunPicker';

/** Tiles of a run without pixels have nothing to scale. */
const NO_CONTRAST = { min: 0, max: 1 };

/** QC gallery: crops of the classified objects grouped by class, least confident first, relabelled by key or mouse. */
export function QcView() {
  const { set, run, corrections, selected, busy, error, lastExport, select, loadCrops, exportCorrections } =
    useQc();
  const resultsBusy = useResults((s) => s.busy);
  const classes = set?.classes ?? QC_CLASSES;
  const groups = useMemo(() => (set ? groupByClass(set.crops, classes) : []), [set, classes]);
  const order = useMemo(() => groups.flatMap(([, list]) => list), [groups]);
  const current = order.find((c) => c.label === selected);

  const relabel = useCallback(
    async (newClass: string) => {
      const qc = useQc.getState();
      const crop = order.find((c) => c.label === qc.selected);
      if (!crop) return;
      await qc.relabel(crop, newClass, order[order.indexOf(crop) + 1]?.label);
    },
    [order],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input, textarea, [role="combobox"], [role="listbox"], [contenteditable="true"]'))
        return;
      const qc = useQc.getState();
      const cls = classForKey(e.key, classes);
      if (cls && qc.selected !== undefined) {
        e.preventDefault();
        void relabel(cls);
      } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        const i = order.findIndex((c) => c.label === qc.selected);
        const next = order[Math.min(order.length - 1, Math.max(0, i + (e.key === 'ArrowRight' ? 1 : -1)))];
        if (next) {
          e.preventDefault();
          qc.select(next.label);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [classes, order, relabel]);

  const viewerMovie = useViewer((s) => s.movie);
  /** The cell in the Viewer: this run's overlay, its frame, centred and highlighted. */
  const showInViewer = useCallback((crop: QcCrop) => {
    const { run: r, set: s } = useQc.getState();
    if (!r) return;
    void useCellSelection
      .getState()
      .showCell({
        outputDir: r.outputDir,
        movie: r.movie,
        moviePath: s?.moviePath,
        frame: crop.frame,
        label: crop.label,
        box: { x: crop.movieX, y: crop.movieY, width: crop.width, height: crop.height },
      })
      .catch(() => undefined); // the store has shown why
  }, []);
  const contrast = set?.contrast ?? NO_CONTRAST;

  return (
    <Box sx={{ p: 3 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        QC gallery
      </Typography>
      <Typography sx={{ mb: 2 }} color="text.secondary">
        Check every classified cell before you trust the numbers: each cell in the bright field (restored
        where the run saved it) with its surroundings, grouped by class, least confident first. Corrections
        are saved beside the run in <code>{'{movie}'}_qc_corrections.json</code>.
      </Typography>
      <RunPicker onLoad={() => void loadCrops()} busy={busy || resultsBusy} testId="qc" />
      <QcFilters onApply={() => void loadCrops()} classes={classes} busy={busy || !run} />
      {busy && <LinearProgress sx={{ mb: 1 }} aria-label="Cutting the crops" />}
      {error && (
        <Alert
          severity="error"
          sx={{ mb: 1.5 }}
          onClose={() => useQc.getState().setError(undefined)}
          data-testid="qc-error"
        >
          {error}
        </Alert>
      )}
      {set && (
        <>
          <Typography variant="body2" sx={{ mb: 1 }} data-testid="qc-facts">
            {set.crops.length} of {set.matched} matching objects shown ({set.total} in the movie, frames{' '}
            {set.frameRange[0]}–{set.frameRange[1]}) · {set.sourceNote}
          </Typography>
          {set.source === 'none' && (
            <Alert severity="warning" sx={{ mb: 1 }}>
              {set.sourceNote}
            </Alert>
          )}
          <ClassKeys
            classes={classes}
            corrections={corrections}
            disabled={!run}
            onRelabel={(c) => void relabel(c)}
            onExport={() => void exportCorrections()}
            selectedInfo={
              current
                ? `Selected: label ${current.label} in frame ${current.frame}, ${current.className} at ${(current.confidence * 100).toFixed(1)} %${current.piClass ? `, ${current.piClass}` : ''}, box at (${current.y}, ${current.x}) in the run's frame, (${current.movieY}, ${current.movieX}) in the movie`
                : undefined
            }
          />
          {current && (set.moviePath || viewerMovie) && (
            <Button
              size="small"
              variant="outlined"
              onClick={() => showInViewer(current)}
              sx={{ mb: 1 }}
              data-testid="qc-show-in-viewer"
            >
              Show label {current.label} of frame {current.frame} in the Viewer
            </Button>
          )}
          {set.contrast && (
            <Typography variant="caption" color="text.secondary" component="p" data-testid="qc-contrast">
              Tiles: the object with about its size of surroundings, outlined in its class colour; one
              contrast for the run ({set.contrast.note}: {formatLevel(set.contrast.min)}–
              {formatLevel(set.contrast.max)}). Double-click a tile to see it in the Viewer.
            </Typography>
          )}
          {lastExport && (
            <Alert
              severity="success"
              sx={{ mb: 1.5 }}
              data-testid="qc-export-result"
              action={
                <Button
                  color="inherit"
                  size="small"
                  onClick={() => downloadText(lastExport.csv, `${run?.movie ?? 'movie'}_qc_corrections.csv`)}
                >
                  Download
                </Button>
              }
            >
              Exported {lastExport.count} correction{lastExport.count === 1 ? '' : 's'} to {lastExport.path}
            </Alert>
          )}
          {groups.map(([cls, list]) => (
            <Box key={cls} sx={{ mb: 2 }} data-testid={`qc-group-${cls}`}>
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                {cls} · {list.length} crop{list.length === 1 ? '' : 's'}, lowest confidence{' '}
                {(list[0].confidence * 100).toFixed(1)} %
              </Typography>
              <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
                {list.map((c) => (
                  <CropTile
                    key={c.label}
                    crop={c}
                    shownClass={currentClass(c, corrections)}
                    selected={c.label === selected}
                    contrast={contrast}
                    onSelect={select}
                    onOpen={showInViewer}
                  />
                ))}
              </Box>
            </Box>
          ))}
          {set.crops.length === 0 && (
            <Typography color="text.secondary">No objects match the filter.</Typography>
          )}
        </>
      )}
    </Box>
  );
}

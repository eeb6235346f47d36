import { Alert, Box, FormControlLabel, LinearProgress, Switch, Typography } from '@mui/material';
import { useMemo } from 'react';
import { applyCorrections, distinctValues, frameExtent } from '../../src-shared/results';
import { useResults } from '../stores/results';
import { CellTable } from './results/CellTable';
import { DivisionsPlot } from './results/DivisionsPlot';
import { LineageTree } from './results/LineageTree';
import { ResultsPlots } from './results/ResultsPlots';
import { RunPicker } from './results/RunPicker';

/** The per-cell table of an analysed movie and the plots microscopists report. */
export function ResultsView() {
  const {
    cells: loaded,
    summary,
    lineage,
    loadedKey,
    busy,
    error,
    corrections,
    applyCorrections: apply,
    setApplyCorrections,
    load,
  } = useResults();
  const movie = loadedKey?.split('\n')[1] ?? '';
  const cells = useMemo(
    () => (loaded && apply ? applyCorrections(loaded, corrections) : loaded),
    [loaded, apply, corrections],
  );
  const facts = useMemo(() => {
    if (!cells) return undefined;
    const [f0, f1] = frameExtent(cells);
    return {
      frames: `${f0}–${f1}`,
      classes: distinctValues(cells, 'object_class').length,
      tracks: distinctValues(cells, 'trackid').filter((v) => Number(v) >= 0).length,
    };
  }, [cells]);
  return (
    <Box sx={{ p: 3 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        Results
      </Typography>
      <Typography sx={{ mb: 2 }} color="text.secondary">
        Pick a run and one of its movies: the per-cell table (<code>{'{movie}'}_fl.csv</code>) and the plots
        of its objects per class, PI staining and areas.
      </Typography>
      <RunPicker onLoad={() => void load()} busy={busy} testId="results" />
      {busy && <LinearProgress sx={{ mb: 2 }} aria-label="Loading the results" />}
      {error && (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="results-error">
          {error}
        </Alert>
      )}
      {cells && facts && (
        <>
          <Typography variant="body2" sx={{ mb: 1.5 }} data-testid="results-facts">
            <b>{movie}</b>: {cells.rows.length} objects in frames {facts.frames}, {facts.classes} classes,{' '}
            {facts.tracks} tracks
            {summary ? ` · summary: ${summary.rows.length} rows` : ''}
          </Typography>
          {corrections.length > 0 && (
            <FormControlLabel
              sx={{ mb: 1 }}
              data-testid="apply-corrections"
              control={
                <Switch
                  checked={apply}
                  onChange={(e) => setApplyCorrections(e.target.checked)}
                  slotProps={{ input: { 'aria-label': 'apply QC corrections' } }}
                />
              }
              label={`Apply the ${corrections.length} QC correction${corrections.length === 1 ? '' : 's'} saved beside the run to object_class (table and plots)`}
            />
          )}
          <ResultsPlots cells={cells} movie={movie} />
          {lineage && lineage.tracks.length > 0 && (
            <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
              <DivisionsPlot lineage={lineage} movie={movie} />
              <LineageTree lineage={lineage} movie={movie} />
            </Box>
          )}
          <CellTable table={cells} movie={movie} />
        </>
      )}
    </Box>
  );
}

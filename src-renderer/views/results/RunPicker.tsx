import FolderOpenIcon from '@mui/icons-material/FolderOpen';
import { Box, Button, TextField, Typography } from '@mui/material';
import { useEffect } from 'react';
import { EmptyState } from '../../components/TryDemo';
import { useErrors } from '../../stores/errors';
import { useNavigation } from '../../stores/navigation';
import { useResults } from '../../stores/results';
import { useRuns } from '../../stores/runs';

const baseName = (p: string) => p.split(/[\\/]/).filter(Boolean).pop() ?? p;

/**
 * Which run and movie to look at, picked from the runs found on disk (Runs view: every run started
 * here, and folders added there), never typed. With no analysed run yet it says how to get one.
 */
export function RunPicker({ onLoad, busy, testId }: { onLoad: () => void; busy: boolean; testId: string }) {
  const { outputDir, movie, setLocation } = useResults();
  const { history, historyLoaded } = useRuns();
  useEffect(() => {
    useRuns
      .getState()
      .loadHistory()
      .catch((e: unknown) => useErrors.getState().show('Could not list the runs on disk', e));
  }, []);
  const runs = history.filter((r) => r.movies.some((m) => m.analysed));
  const chosen = runs.find((r) => r.outputDir === outputDir);
  const movies = chosen?.movies.filter((m) => m.analysed) ?? [];

  // Nothing chosen yet: the newest run and its first movie.
  useEffect(() => {
    if (!outputDir && runs.length > 0) {
      const first = runs[0].movies.find((m) => m.analysed);
      if (first) setLocation(runs[0].outputDir, first.name);
    }
  }, [outputDir, runs, setLocation]);

  if (historyLoaded && runs.length === 0)
    return (
      <EmptyState title="No analysed run to look at yet" testId={`${testId}-empty`}>
        Runs started in the Runs view are listed here once they have written results (a run made in a terminal
        can be added there too). Or try the demo, run it, and come back.
        <Box sx={{ mt: 1 }}>
          <Button size="small" onClick={() => useNavigation.getState().setView('runs')}>
            Go to Runs
          </Button>
        </Box>
      </EmptyState>
    );
  return (
    <Box
      component="form"
      sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', alignItems: 'center', mb: 2 }}
      data-testid={`${testId}-picker`}
      onSubmit={(e) => {
        e.preventDefault();
        onLoad();
      }}
    >
      <TextField
        select
        size="small"
        label="Run"
        value={chosen ? outputDir : ''}
        onChange={(e) => {
          const r = runs.find((x) => x.outputDir === e.target.value);
          setLocation(e.target.value, r?.movies.find((m) => m.analysed)?.name ?? '');
        }}
        sx={{ flex: '1 1 380px' }}
        slotProps={{
          select: { native: true },
          htmlInput: { 'data-testid': `${testId}-run`, title: outputDir },
          inputLabel: { shrink: true },
        }}
      >
        {!chosen && <option value="">Pick a run…</option>}
        {runs.map((r) => (
          <option key={r.outputDir} value={r.outputDir}>
            {baseName(r.outputDir)} · {r.state}
            {r.endedAt ? ` · ${new Date(r.endedAt).toLocaleString()}` : ''} · {r.outputDir}
          </option>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label="Movie"
        value={movies.some((m) => m.name === movie) ? movie : ''}
        onChange={(e) => setLocation(outputDir, e.target.value)}
        sx={{ width: 240 }}
        disabled={!chosen}
        slotProps={{
          select: { native: true },
          htmlInput: { 'data-testid': `${testId}-movie` },
          inputLabel: { shrink: true },
        }}
      >
        {!movies.some((m) => m.name === movie) && <option value="">Pick a movie…</option>}
        {movies.map((m) => (
          <option key={m.name} value={m.name}>
            {m.name}
            {m.frames !== undefined ? ` (${m.frames} frames)` : ''}
          </option>
        ))}
      </TextField>
      <Button
        type="submit"
        variant="contained"
        startIcon={<FolderOpenIcon />}
        disabled={busy || !chosen || !movies.some((m) => m.name === movie)}
        data-testid={`${testId}-load`}
      >
        Load
      </Button>
      {chosen && (
        <Typography variant="caption" color="text.secondary" sx={{ width: '100%', wordBreak: 'break-all' }}>
          {chosen.outputDir}
        </Typography>
      )}
    </Box>
  );
}

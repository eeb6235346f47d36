import { Alert, Box, Button, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { chooseFile, hasOpenDialog } from '../app/shell';
import { RecentPaths } from '../components/RecentPaths';
import { useConfig } from '../stores/config';
import { useErrors } from '../stores/errors';
import { useRuns } from '../stores/runs';
import { RunCard } from './runs/RunCard';
import { SlurmPanel } from './runs/SlurmPanel';

/** Start a run from a saved config, follow it movie by movie and stage by stage, read the log. */
export function RunsView() {
  const { runs, log, start: startRun, cancel } = useRuns();
  const savedConfig = useConfig((s) => (s.dirty ? undefined : s.path));
  const [configPath, setConfigPath] = useState(savedConfig ?? '');
  const [frames, setFrames] = useState('');
  const show = useErrors((s) => s.show);

  useEffect(() => {
    const st = useRuns.getState();
    st.loadRuns().catch((e: unknown) => show('Could not list the runs', e));
    return st.follow();
  }, [show]);

  const start = async () => {
    try {
      await startRun(configPath, frames);
    } catch (e) {
      show('The run could not start', e);
    }
  };
  const choose = async () => {
    const p = await chooseFile('Choose a run config', [{ name: 'YAML config', extensions: ['yml', 'yaml'] }]);
    if (p) setConfigPath(p);
  };

  return (
    <Box sx={{ p: 3, maxWidth: 1000 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        Runs
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Runs a HiTMicTools config (ASCT_focusrestore) over its movies, one worker process per movie; each
        stage books its memory. Movies already analysed are skipped.
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, mb: 2 }}>
        <TextField
          label="Config file (path on the computer running HiTMic Studio)"
          value={configPath}
          onChange={(e) => setConfigPath(e.target.value)}
          fullWidth
          slotProps={{ htmlInput: { 'data-testid': 'run-config-path' } }}
        />
        <TextField
          label="Frames A:B"
          value={frames}
          onChange={(e) => setFrames(e.target.value)}
          sx={{ width: 130 }}
          slotProps={{ htmlInput: { 'data-testid': 'run-frames' } }}
        />
        {hasOpenDialog() && <Button onClick={() => void choose()}>Choose…</Button>}
        <Button
          variant="contained"
          onClick={() => void start()}
          disabled={!configPath.trim()}
          data-testid="run-start"
        >
          Run
        </Button>
      </Box>
      <Box sx={{ mb: 1 }}>
        <RecentPaths kind="configs" onPick={setConfigPath} />
      </Box>
      <SlurmPanel configPath={configPath} frames={frames} />
      {runs.length === 0 && (
        <Alert severity="info">No runs yet. Save a config in the Config view, then run it here.</Alert>
      )}
      {runs.map((r) => (
        <RunCard
          key={r.id}
          run={r}
          onCancel={() => void cancel(r.id).catch((e: unknown) => show('Could not cancel', e))}
        />
      ))}
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        Log
      </Typography>
      <Box
        component="pre"
        data-testid="run-log"
        sx={{
          fontSize: 12,
          maxHeight: 220,
          overflow: 'auto',
          bgcolor: 'action.hover',
          p: 1,
          m: 0,
          whiteSpace: 'pre-wrap',
        }}
      >
        {log.length === 0
          ? 'Nothing logged yet.'
          : log.map((e) => `${e.time.slice(11, 19)} ${e.level.padEnd(5)} ${e.message}`).join('\n')}
      </Box>
    </Box>
  );
}

import { Alert, Box, Button, Checkbox, FormControlLabel, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { chooseFile, hasOpenDialog } from '../app/shell';
import { RecentPaths } from '../components/RecentPaths';
import { EmptyState } from '../components/TryDemo';
import { useConfig } from '../stores/config';
import { useConfirm } from '../stores/confirm';
import { useErrors } from '../stores/errors';
import { useRecent } from '../stores/recent';
import { useRuns } from '../stores/runs';
import { RunCard } from './runs/RunCard';
import { RunHistory } from './runs/RunHistory';
import { SlurmPanel } from './runs/SlurmPanel';

/**
 * Start a run from a saved config, follow it movie by movie and stage by stage, read the log; and
 * the runs found on disk (remembered across restarts) with links into the Viewer, QC and Results.
 */
export function RunsView() {
  const { runs, history, historyLoaded, log, start: startRun, cancel } = useRuns();
  const savedConfig = useConfig((s) => (s.dirty ? undefined : s.path));
  const usage = useRecent((s) => s.configUsage);
  const [configPath, setConfigPath] = useState(savedConfig ?? '');
  const [frames, setFrames] = useState('');
  const [force, setForce] = useState(false);
  const [folder, setFolder] = useState('');
  const show = useErrors((s) => s.show);

  useEffect(() => {
    const st = useRuns.getState();
    st.loadRuns().catch((e: unknown) => show('Could not list the runs', e));
    st.loadHistory()
      .then(() =>
        useRecent
          .getState()
          .checkConfigs(useRuns.getState().history.flatMap((r) => (r.configPath ? [r.configPath] : []))),
      )
      .catch((e: unknown) => show('Could not list the runs on disk', e));
    return st.follow();
  }, [show]);

  const start = async (path: string, frameRange: string, redo: boolean) => {
    try {
      await startRun(path, frameRange, { force: redo });
    } catch (e) {
      show('The run could not start', e);
    }
  };
  const choose = async () => {
    const p = await chooseFile('Choose a run config', [{ name: 'YAML config', extensions: ['yml', 'yaml'] }]);
    if (p) setConfigPath(p);
  };
  const addFolder = async () => {
    try {
      await useRuns.getState().addFolder(folder);
      setFolder('');
    } catch (e) {
      show('Could not add the folder', e);
    }
  };
  const forget = async (outputDir: string) => {
    const ok = await useConfirm.getState().ask({
      title: 'Stop listing this run?',
      message: `${outputDir} will no longer be listed here, in QC or in Results. Its files stay where they are.`,
      confirmLabel: 'Forget',
    });
    if (ok)
      await useRuns
        .getState()
        .forget(outputDir)
        .catch((e: unknown) => show('Could not forget', e));
  };
  // This session's runs with live progress; the ones on disk below (a live run shows in both).
  const nothingYet = historyLoaded && runs.length === 0 && history.length === 0;

  return (
    <Box sx={{ p: 3, maxWidth: 1000 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        Runs
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Runs a HiTMicTools config (ASCT_focusrestore) over its movies, one worker process per movie; each
        stage books its memory. Movies already analysed are skipped unless you ask to redo them.
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, mb: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <TextField
          label="Config file (path on the computer running HiTMic Studio)"
          value={configPath}
          onChange={(e) => setConfigPath(e.target.value)}
          sx={{ flex: '1 1 380px' }}
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
        <FormControlLabel
          control={
            <Checkbox
              checked={force}
              onChange={(e) => setForce(e.target.checked)}
              slotProps={{ input: { 'data-testid': 'run-force' } as object }}
            />
          }
          label="Redo movies already analysed"
          title="hitmic run --force: analyse every movie again, replacing its results"
        />
        <Button
          variant="contained"
          onClick={() => void start(configPath, frames, force)}
          disabled={!configPath.trim()}
          data-testid="run-start"
        >
          Run
        </Button>
      </Box>
      <Box sx={{ mb: 2 }}>
        <RecentPaths kind="configs" onPick={setConfigPath} flags={usage} />
      </Box>
      <SlurmPanel configPath={configPath} frames={frames} />
      {nothingYet && (
        <EmptyState title="No runs yet" testId="runs-empty">
          Save a config in the Config view and run it here; its results are listed here from then on, also
          after HiTMic Studio restarts. Or try the demo: a ready config on a 20-frame demo movie.
        </EmptyState>
      )}
      {runs.map((r) => (
        <RunCard
          key={r.id}
          run={r}
          onCancel={() => void cancel(r.id).catch((e: unknown) => show('Could not cancel', e))}
          onRedo={r.configPath ? () => void start(r.configPath!, frames, true) : undefined}
        />
      ))}
      {history.length > 0 && (
        <Typography variant="h6" component="h2" sx={{ mt: 2, mb: 1 }}>
          Runs on disk
        </Typography>
      )}
      <RunHistory
        records={history}
        usage={usage}
        onRerun={(r) => r.configPath && void start(r.configPath, '', true)}
        onForget={(r) => void forget(r.outputDir)}
        onCancel={(r) =>
          r.liveRunId && void cancel(r.liveRunId).catch((e: unknown) => show('Could not cancel', e))
        }
      />
      <Box
        component="form"
        sx={{ display: 'flex', gap: 1, alignItems: 'center', mt: 1, mb: 2 }}
        onSubmit={(e) => (e.preventDefault(), void addFolder())}
      >
        <TextField
          size="small"
          label="Add a run folder made elsewhere (e.g. by hitmic run in a terminal)"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          sx={{ flex: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'run-add-folder-path', spellCheck: false } }}
        />
        <Button type="submit" disabled={!folder.trim()} data-testid="run-add-folder">
          Add
        </Button>
      </Box>
      {history.some((r) => !r.folderExists) && (
        <Alert severity="info" sx={{ mb: 2 }}>
          Some folders listed are gone; Forget removes them from the list.
        </Alert>
      )}
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

import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { PIPELINE_REQUIRED_MODELS } from '../../src-shared/collections';
import { chooseFile, chooseSavePath, hasOpenDialog, hasSaveDialog } from '../app/shell';
import { RecentPaths } from '../components/RecentPaths';
import { useCollections } from '../stores/collections';
import { useConfig } from '../stores/config';
import { useRecent } from '../stores/recent';
import { useErrors } from '../stores/errors';
import { ConfigForm } from './config/ConfigForm';
import { DiagnosticList } from './config/DiagnosticList';
import { YamlEditor } from './config/YamlEditor';

/** Asks for a path on the backend's machine where the shell has no native dialog (browser). */
function PathDialog({
  title,
  initial,
  onClose,
}: {
  title: string;
  initial: string;
  onClose(path: string | null): void;
}) {
  const [path, setPath] = useState(initial);
  return (
    <Dialog open onClose={() => onClose(null)} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <TextField
          autoFocus
          fullWidth
          label="Path on the computer running HiTMic Studio"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          sx={{ mt: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'path-input' } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(null)}>Cancel</Button>
        <Button onClick={() => onClose(path.trim() || null)} variant="contained" data-testid="path-ok">
          OK
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The library collection a new config should use: the one selected, else the first that serves the pipeline. */
function templateCollection(pipeline: string): string | undefined {
  const { library, selectedId } = useCollections.getState();
  const serves = (keys: string[]) =>
    (PIPELINE_REQUIRED_MODELS[pipeline] ?? []).every((k) => keys.includes(k));
  const selected = library.find((c) => c.id === selectedId);
  return selected && serves(selected.modelKeys) ? selected.id : library.find((c) => serves(c.modelKeys))?.id;
}

export function ConfigView() {
  const {
    text,
    path,
    dirty,
    diagnostics,
    ok,
    checking,
    filesChecked,
    setText,
    newFromTemplate,
    load,
    save: saveTo,
  } = useConfig();
  const show = useErrors((s) => s.show);
  const configFlags = useRecent((s) => s.configUsage);

  useEffect(() => {
    void useCollections.getState().loadLibrary();
    void useRecent.getState().checkConfigs();
  }, []);
  const [ask, setAsk] = useState<{ title: string; initial: string; then(p: string): Promise<void> } | null>(
    null,
  );

  const choosePath = async (title: string, initial: string, save: boolean): Promise<string | null> => {
    if (save && hasSaveDialog()) return chooseSavePath(title, initial);
    if (!save && hasOpenDialog())
      return chooseFile(title, [{ name: 'YAML config', extensions: ['yml', 'yaml'] }]);
    return new Promise((resolve) => setAsk({ title, initial, then: async (p) => resolve(p) }));
  };
  const guard =
    <A extends unknown[]>(what: string, fn: (...args: A) => Promise<void>) =>
    (...args: A) =>
      void fn(...args).catch((e: unknown) => show(what, e));

  const discardFirst = (what: string) => useConfig.getState().confirmDiscard(what);
  const newConfig = guard('Could not make a new config', async () => {
    if (await discardFirst('New from template'))
      await newFromTemplate(templateCollection('ASCT_focusrestore'));
  });
  const open = guard('Could not open the config', async () => {
    if (!(await discardFirst('Opening another config'))) return;
    const p = await choosePath('Open a config', '', false);
    if (p) await load(p);
  });
  const openRecent = guard('Could not open the config', async (p: string) => {
    if (await discardFirst('Opening another config')) await load(p);
  });
  const saveAs = guard('Could not save the config', async () => {
    const p = await choosePath('Save the config as', path ?? 'config.yml', true);
    if (p) await saveTo(p);
  });
  const save = path ? guard('Could not save the config', () => saveTo(path)) : saveAs;

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return (
    <Box sx={{ p: 2, height: '100%', display: 'flex', flexDirection: 'column', minHeight: 0 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography variant="h6" component="h1" sx={{ mr: 1 }}>
          Config
        </Typography>
        <Button onClick={newConfig} data-testid="config-new">
          New from template
        </Button>
        <Button onClick={open}>Open…</Button>
        <Button onClick={save} disabled={!dirty && Boolean(path)}>
          Save
        </Button>
        <Button onClick={saveAs}>Save as…</Button>
        <Box sx={{ flex: 1 }} />
        <Typography variant="caption" color="text.secondary" noWrap sx={{ maxWidth: 320 }}>
          {path ?? 'unsaved config'}
          {dirty ? ' •' : ''}
        </Typography>
        <Chip
          size="small"
          color={ok ? (warnings ? 'warning' : 'success') : 'error'}
          label={`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`}
          data-testid="config-status"
          title={
            filesChecked
              ? 'The same checks as hitmic config validate: files, folders, the collection and its models'
              : 'Checked as text; files and the collection are being checked'
          }
        />
        <Typography
          variant="caption"
          color="text.secondary"
          sx={{ minWidth: 96 }}
          data-testid={checking ? 'config-checking' : 'config-checked'}
        >
          {checking ? 'checking files…' : filesChecked ? 'files checked' : ''}
        </Typography>
      </Box>
      <RecentPaths kind="configs" onPick={openRecent} flags={configFlags} />
      <Box sx={{ display: 'flex', gap: 2, flex: 1, minHeight: 0, mt: 1 }}>
        <Box sx={{ width: 340, overflow: 'auto', pr: 1 }}>
          <ConfigForm text={text} diagnostics={diagnostics} onChange={(t) => setText(t)} />
        </Box>
        <Box sx={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }}>
          <Box sx={{ flex: 1, minHeight: 200 }}>
            <YamlEditor value={text} diagnostics={diagnostics} onChange={(t) => setText(t)} />
          </Box>
          <DiagnosticList diagnostics={diagnostics} />
        </Box>
      </Box>
      {ask && (
        <PathDialog
          title={ask.title}
          initial={ask.initial}
          onClose={(p) => {
            setAsk(null);
            if (p) void ask.then(p);
          }}
        />
      )}
    </Box>
  );
}

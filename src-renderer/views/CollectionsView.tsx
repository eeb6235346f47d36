import {
  Alert,
  Box,
  Button,
  Chip,
  LinearProgress,
  List,
  ListItemButton,
  ListItemText,
  Typography,
} from '@mui/material';
import { useEffect, useRef } from 'react';
import { hasOpenDialog } from '../app/shell';
import { setYamlValue } from './config/yaml-edit';
import { useCollections, formatBytes } from '../stores/collections';
import { useConfig } from '../stores/config';
import { useNavigation } from '../stores/navigation';
import { EmptyState } from '../components/TryDemo';
import { FileTree } from './collections/FileTree';
import { ModelCard } from './collections/ModelCard';

/** Library of model collections: import (drop anywhere, or Import…), inspect, verify, use in a config. */
export function CollectionsView() {
  const s = useCollections();
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void useCollections.getState().loadLibrary();
  }, []);

  useEffect(() => {
    if (s.selectedId) void useCollections.getState().inspect(s.selectedId);
  }, [s.selectedId]);

  // The desktop app has a native dialog; the browser picks the ZIP with a file input and uploads it.
  const chooseAndImport = () => {
    if (hasOpenDialog()) void s.chooseAndImport();
    else fileInput.current?.click();
  };

  const selected = s.library.find((c) => c.id === s.selectedId);
  const useInConfig = () => {
    if (!selected) return;
    const cfg = useConfig.getState();
    cfg.setText(setYamlValue(cfg.text, ['models', 'model_collection'], selected.path));
    useNavigation.getState().setView('config');
  };

  return (
    <Box sx={{ p: 2, display: 'flex', gap: 2, height: '100%', minHeight: 0 }}>
      <Box sx={{ width: 300, display: 'flex', flexDirection: 'column' }}>
        <Typography variant="h6" component="h1">
          Model collections
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ mb: 1 }}>
          Drop a collection ZIP anywhere on the window, or:
        </Typography>
        <Button variant="contained" onClick={chooseAndImport} data-testid="import-collection">
          Import collection…
        </Button>
        <input
          ref={fileInput}
          type="file"
          accept=".zip"
          hidden
          data-testid="import-file-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void s.importFile(f);
          }}
        />
        {s.busy && (
          <Box sx={{ mt: 1 }} data-testid="collections-busy">
            <Typography variant="caption">{s.busy}</Typography>
            <LinearProgress aria-label={s.busy} />
          </Box>
        )}
        {s.loaded && s.library.length === 0 && (
          <EmptyState title="The library is empty" testId="collections-empty">
            A model collection is a ZIP of trained models (focus restoration, segmentation, classification, PI
            staining) with its settings. Import your lab&apos;s, or try the demo: it imports the bundled demo
            collection, opens a demo movie and fills in a config you can run.
          </EmptyState>
        )}
        <List dense data-testid="collection-list" sx={{ overflow: 'auto' }}>
          {s.library.map((c) => (
            <ListItemButton key={c.id} selected={c.id === s.selectedId} onClick={() => s.select(c.id)}>
              <ListItemText
                primary={`${c.name}${c.version ? ` ${c.version}` : ''}`}
                secondary={`${c.modelKeys.length} models · ${formatBytes(c.sizeBytes)} · ${c.layout === 'hitmictools-bundle' ? 'HiTMicTools bundle' : 'per-model folders'}${c.created ? ` · ${c.created.slice(0, 10)}` : ''}`}
              />
              {c.verified !== undefined && (
                <Chip
                  size="small"
                  color={c.verified ? 'success' : 'error'}
                  label={c.verified ? 'verified' : 'failed'}
                />
              )}
            </ListItemButton>
          ))}
        </List>
      </Box>
      <Box sx={{ flex: 1, overflow: 'auto' }} data-testid="collection-detail">
        {!selected && s.library.length > 0 && (
          <Alert severity="info">Select a collection to see its models, or import one.</Alert>
        )}
        {selected && (
          <>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mb: 1 }}>
              <Typography variant="h6">{selected.name}</Typography>
              <Box sx={{ flex: 1 }} />
              <Button onClick={() => void s.verifySelected()} data-testid="verify-collection">
                Verify
              </Button>
              <Button onClick={useInConfig} data-testid="use-in-config">
                Use in config
              </Button>
              <Button color="error" onClick={() => void s.removeSelected()} data-testid="remove-collection">
                Remove…
              </Button>
            </Box>
            <Typography
              variant="caption"
              color="text.secondary"
              sx={{ display: 'block', mb: 1, fontFamily: 'monospace' }}
            >
              {selected.path}
            </Typography>
            {s.verify && (
              <Alert severity={s.verify.ok ? 'success' : 'error'} sx={{ mb: 1 }} data-testid="verify-result">
                {s.verify.ok ? 'Verified: ' : 'Verification failed: '}
                {s.verify.files.filter((f) => f.ok).length}/{s.verify.files.length} checksums match;{' '}
                {s.verify.tests.filter((t) => t.ok).length}/{s.verify.tests.length} test tensors reproduce
                {s.verify.tests
                  .map(
                    (t) =>
                      ` · ${t.key} ${t.ok ? 'ok' : 'FAILED'}${t.max_abs_err !== null ? ` (max err ${t.max_abs_err.toExponential(1)})` : ''}`,
                  )
                  .join('')}
              </Alert>
            )}
            {s.inspection ? (
              <>
                {s.inspection.problems.map((p) => (
                  <Alert key={`${p.code}-${p.path ?? ''}-${p.message}`} severity={p.severity} sx={{ mb: 1 }}>
                    {p.message}
                    {p.fix ? ` — ${p.fix}` : ''}
                  </Alert>
                ))}
                <Box
                  sx={{
                    display: 'grid',
                    gridTemplateColumns: 'repeat(auto-fill, minmax(420px, 1fr))',
                    gap: 1.5,
                  }}
                >
                  {s.inspection.models.map((m) => (
                    <ModelCard key={m.key} model={m} />
                  ))}
                </Box>
                <Typography variant="subtitle2" sx={{ mt: 2 }}>
                  Files
                </Typography>
                <FileTree inspection={s.inspection} />
              </>
            ) : (
              <LinearProgress aria-label={`Reading ${selected.name}`} />
            )}
          </>
        )}
      </Box>
    </Box>
  );
}

import ScienceIcon from '@mui/icons-material/Science';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  TextField,
  Typography,
} from '@mui/material';
import { useState, type ReactNode } from 'react';
import { useDemo } from '../stores/demo';

/** The "Try the demo" action: one click from an empty app to a demo ready to run. */
export function TryDemoButton({ variant = 'contained' }: { variant?: 'contained' | 'outlined' }) {
  const busy = useDemo((s) => s.busy);
  return (
    <Button
      variant={variant}
      startIcon={<ScienceIcon />}
      disabled={!!busy}
      onClick={() => void useDemo.getState().tryDemo()}
      data-testid="try-demo"
    >
      Try the demo
    </Button>
  );
}

/** An empty state that leads somewhere: what is missing, what to do, and the demo as a way in. */
export function EmptyState({
  title,
  children,
  testId,
}: {
  title: string;
  children: ReactNode;
  testId: string;
}) {
  const busy = useDemo((s) => s.busy);
  return (
    <Alert severity="info" sx={{ my: 1 }} data-testid={testId} icon={false}>
      <Typography variant="subtitle2" component="p" sx={{ mb: 0.5 }}>
        {title}
      </Typography>
      <Typography variant="body2" component="div" sx={{ mb: 1 }}>
        {children}
      </Typography>
      <TryDemoButton variant="outlined" />
      {busy && (
        <Box sx={{ mt: 1 }}>
          <Typography variant="caption">{busy}</Typography>
          <LinearProgress aria-label={busy} />
        </Box>
      )}
    </Alert>
  );
}

/** After the demo is set up: what was done, and an offer to run it (on all frames or a few). */
export function DemoDialog() {
  const { ready, busy, runDemo, dismiss } = useDemo();
  const [frames, setFrames] = useState('');
  if (busy && !ready)
    return (
      <Dialog open aria-labelledby="demo-busy-title">
        <DialogTitle id="demo-busy-title">Setting up the demo</DialogTitle>
        <DialogContent sx={{ minWidth: 360 }}>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {busy}
          </Typography>
          <LinearProgress aria-label={busy} />
        </DialogContent>
      </Dialog>
    );
  if (!ready) return null;
  const name = (p: string) => p.split(/[\\/]/).pop();
  return (
    <Dialog
      open
      onClose={dismiss}
      aria-labelledby="demo-title"
      data-testid="demo-dialog"
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle id="demo-title">The demo is ready</DialogTitle>
      <DialogContent>
        <Typography variant="body2" component="ul" sx={{ pl: 2, mt: 0 }}>
          <li>
            Model collection <b>{ready.collection.name}</b>{' '}
            {ready.collectionReused ? 'was already in your library' : 'imported into your library'} (
            {ready.collection.modelKeys.length} models).
          </li>
          <li>
            Demo movie <b>{name(ready.moviePath)}</b> ({ready.frames} frames, bright field and propidium
            iodide) is open in the Viewer.
          </li>
          <li>
            Config <b>{name(ready.configPath)}</b>, from the template with the demo&apos;s paths, is in the
            Config editor. Results go to <code style={{ wordBreak: 'break-all' }}>{ready.outputDir}</code>.
          </li>
        </Typography>
        <Typography variant="body2" sx={{ mt: 1.5, mb: 1 }}>
          Run it now? All {ready.frames} frames take about half a minute on a laptop; a few frames are
          quicker.
        </Typography>
        <TextField
          size="small"
          label="Frames A:B (empty: all)"
          value={frames}
          onChange={(e) => setFrames(e.target.value)}
          placeholder={`0:${ready.frames}`}
          slotProps={{ htmlInput: { 'data-testid': 'demo-frames' } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={dismiss} data-testid="demo-later">
          Look around first
        </Button>
        <Button variant="contained" onClick={() => void runDemo(frames)} data-testid="demo-run">
          Run the demo
        </Button>
      </DialogActions>
    </Dialog>
  );
}

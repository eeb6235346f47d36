import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { useConnection } from '../stores/connection';
import { useNavigation } from '../stores/navigation';

export function AboutDialog() {
  const { aboutOpen, setAboutOpen } = useNavigation();
  const info = useConnection((s) => s.info);
  return (
    <Dialog open={aboutOpen} onClose={() => setAboutOpen(false)} aria-labelledby="about-title">
      <DialogTitle id="about-title">About HiTMic Studio</DialogTitle>
      <DialogContent>
        <Typography gutterBottom>
          HiTMic Studio analyses time-lapse movies of bacteria: it manages model collections (focus
          restoration, segmentation, classification, PI staining), runs them with onnxruntime in worker
          processes that hold memory reservations, and lets you preview, check and export per-cell results. It
          reads HiTMicTools configs, model bundles and booking files as they are.
        </Typography>
        {info && (
          <Typography variant="body2" color="text.secondary" data-testid="about-version">
            Version {info.version} · {info.shell === 'electron' ? 'desktop app' : 'browser (hitmic serve)'} ·{' '}
            {info.platform}/{info.arch} · Node {info.nodeVersion}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => setAboutOpen(false)}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

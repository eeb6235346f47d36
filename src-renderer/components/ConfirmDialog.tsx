import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useConfirm } from '../stores/confirm';

/** Asks before something is removed or unsaved work is discarded (Escape and Cancel keep it). */
export function ConfirmDialog() {
  const { request, answer } = useConfirm();
  if (!request) return null;
  return (
    <Dialog
      open
      onClose={() => answer(false)}
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      data-testid="confirm-dialog"
    >
      <DialogTitle id="confirm-title">{request.title}</DialogTitle>
      <DialogContent>
        <DialogContentText id="confirm-message">{request.message}</DialogContentText>
        {request.details && request.details.length > 0 && (
          <ul data-testid="confirm-details" style={{ margin: '8px 0 0', paddingLeft: 20 }}>
            {request.details.map((d) => (
              <li key={d} style={{ wordBreak: 'break-all' }}>
                {d}
              </li>
            ))}
          </ul>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => answer(false)} autoFocus data-testid="confirm-cancel">
          {request.cancelLabel ?? 'Cancel'}
        </Button>
        <Button
          onClick={() => answer(true)}
          color={request.danger ? 'error' : 'primary'}
          variant="contained"
          data-testid="confirm-ok"
        >
          {request.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

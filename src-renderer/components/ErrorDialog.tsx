import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle } from '@mui/material';
import { useErrors } from '../stores/errors';

/** The oldest unread error, one at a time, with what happened and (in the message) what to do. */
export function ErrorDialog() {
  const { errors, dismiss } = useErrors();
  const current = errors[0];
  if (!current) return null;
  return (
    <Dialog open onClose={() => dismiss(current.id)} aria-labelledby="error-title" data-testid="error-dialog">
      <DialogTitle id="error-title">{current.title}</DialogTitle>
      <DialogContent>
        <Alert severity={current.code === 'NOT_AVAILABLE' ? 'info' : 'error'}>{current.message}</Alert>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => dismiss(current.id)} autoFocus>
          OK
        </Button>
      </DialogActions>
    </Dialog>
  );
}

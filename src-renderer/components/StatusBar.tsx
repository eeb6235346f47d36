import { Box, Chip, Typography } from '@mui/material';
import { useConnection } from '../stores/connection';

const COLORS = { connected: 'success', connecting: 'warning', disconnected: 'error' } as const;

/** Bottom bar: is the backend there, which device it computes on, which version runs. */
export function StatusBar() {
  const { status, info } = useConnection();
  return (
    <Box
      component="footer"
      data-testid="status-bar"
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 2,
        px: 1.5,
        py: 0.5,
        borderTop: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
        fontSize: 12,
      }}
    >
      <Chip size="small" color={COLORS[status]} label={`Backend ${status}`} data-testid="backend-status" />
      <Typography variant="caption" data-testid="device">
        {info ? info.device : '…'}
      </Typography>
      <Box sx={{ flex: 1 }} />
      <Typography variant="caption" color="text.secondary">
        {info ? `${info.shell === 'electron' ? 'Desktop' : 'Browser'} · v${info.version}` : ''}
      </Typography>
    </Box>
  );
}

import { Alert, List, ListItem, ListItemText } from '@mui/material';
import type { Diagnostic } from '../../../src-shared/config';

/** Every finding with its line:column, what is wrong and how to fix it. */
export function DiagnosticList({ diagnostics }: { diagnostics: Diagnostic[] }) {
  if (diagnostics.length === 0)
    return (
      <Alert severity="success" data-testid="config-ok">
        No problems found.
      </Alert>
    );
  return (
    <List dense data-testid="config-diagnostics" sx={{ maxHeight: 180, overflow: 'auto' }}>
      {diagnostics.map((d, i) => (
        <ListItem key={i} disableGutters>
          <ListItemText
            primary={`${d.line}:${d.column} ${d.severity}: ${d.message}`}
            secondary={d.fix ? `Fix: ${d.fix}` : d.path}
            slotProps={{
              primary: {
                color:
                  d.severity === 'error'
                    ? 'error'
                    : d.severity === 'warning'
                      ? 'warning.main'
                      : 'text.primary',
                sx: { fontSize: 13 },
              },
            }}
          />
        </ListItem>
      ))}
    </List>
  );
}

import { Alert, Box, List, ListItem, ListItemText, Typography } from '@mui/material';
import type { ReactNode } from 'react';

export interface PlannedViewProps {
  title: string;
  purpose: string;
  planned: string[];
  issue: string;
  children?: ReactNode;
}

/**
 * A view whose features land in a later issue: it says what it will do and when, and shows
 * whatever the backend can already answer (children) — never invented data.
 */
export function PlannedView({ title, purpose, planned, issue, children }: PlannedViewProps) {
  return (
    <Box sx={{ p: 3, maxWidth: 900 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {title}
      </Typography>
      <Typography sx={{ mb: 2 }}>{purpose}</Typography>
      {children}
      <Alert severity="info" sx={{ mt: 2 }} data-testid="planned-notice">
        Not available yet — arrives with {issue}. This view will:
        <List dense disablePadding>
          {planned.map((p) => (
            <ListItem key={p} disableGutters sx={{ py: 0 }}>
              <ListItemText primary={`• ${p}`} />
            </ListItem>
          ))}
        </List>
      </Alert>
    </Box>
  );
}

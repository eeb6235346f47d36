import { Box, Chip, Typography } from '@mui/material';
import { useRecent, type RecentKind } from '../stores/recent';

/** Recently used paths as chips: click to use one again. */
export function RecentPaths({ kind, onPick }: { kind: RecentKind; onPick(path: string): void }) {
  const list = useRecent((s) => s[kind]);
  if (list.length === 0) return null;
  return (
    <Box
      sx={{ display: 'flex', gap: 0.5, alignItems: 'center', flexWrap: 'wrap', px: 1 }}
      data-testid={`recent-${kind}`}
    >
      <Typography variant="caption" color="text.secondary">
        Recent:
      </Typography>
      {list.map((p) => (
        <Chip
          key={p}
          size="small"
          label={p.split(/[\\/]/).pop()}
          title={p}
          onClick={() => onPick(p)}
          onDelete={() => useRecent.getState().forget(kind, p)}
        />
      ))}
    </Box>
  );
}

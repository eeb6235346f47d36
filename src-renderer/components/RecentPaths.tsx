import WarningIcon from '@mui/icons-material/WarningAmber';
import { Box, Chip, Typography } from '@mui/material';
import type { ConfigUsage } from '../../src-shared/api';
import { useRecent, type RecentKind } from '../stores/recent';

/** Why a saved config is flagged, or undefined when it is fine (or not checked). */
export function configFlag(usage: ConfigUsage | undefined): string | undefined {
  if (!usage) return undefined;
  if (usage.unreadable) return `cannot be used: ${usage.unreadable}`;
  if (usage.collectionMissing) return `its model collection is gone (${usage.collection}); it will not run`;
  return undefined;
}

/**
 * Recently used paths as chips: click to use one again. Configs whose collection is gone (removed
 * from the library) or that cannot be read are flagged, with the reason on hover.
 */
export function RecentPaths({
  kind,
  onPick,
  flags,
}: {
  kind: RecentKind;
  onPick(path: string): void;
  flags?: Record<string, ConfigUsage>;
}) {
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
      {list.map((p) => {
        const flag = configFlag(flags?.[p]);
        return (
          <Chip
            key={p}
            size="small"
            label={p.split(/[\\/]/).pop()}
            title={flag ? `${p} — ${flag}` : p}
            color={flag ? 'warning' : 'default'}
            icon={flag ? <WarningIcon aria-label={flag} /> : undefined}
            onClick={() => onPick(p)}
            onDelete={() => useRecent.getState().forget(kind, p)}
            data-flagged={flag ? 'true' : undefined}
          />
        );
      })}
    </Box>
  );
}

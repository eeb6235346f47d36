import { Box, Typography } from '@mui/material';
import type { CollectionInspection } from '../../../src-shared/api';

/** The collection's files as an indented tree, from the inspection and the manifest when there is one. */
export function FileTree({ inspection }: { inspection: CollectionInspection }) {
  const files = [
    ...new Set([
      ...(inspection.layout === 'hitmictools-bundle' ? ['config.yml'] : []),
      ...(inspection.manifest?.files.map((f) => f.path) ?? []),
      ...inspection.models.flatMap((m) => m.files.map((f) => f.path)),
      ...(inspection.tracking ? [inspection.tracking.path] : []),
    ]),
  ].sort();
  const lines: { depth: number; name: string; dir: boolean }[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    parts.forEach((name, i) => {
      const key = parts.slice(0, i + 1).join('/');
      if (seen.has(key)) return;
      seen.add(key);
      lines.push({ depth: i, name, dir: i < parts.length - 1 });
    });
  }
  return (
    <Box component="pre" data-testid="file-tree" sx={{ m: 0, fontSize: 12, fontFamily: 'monospace' }}>
      {lines.length === 0 ? (
        <Typography variant="caption">No model files.</Typography>
      ) : (
        lines.map((l) => `${'  '.repeat(l.depth)}${l.dir ? '▸ ' : '· '}${l.name}`).join('\n')
      )}
    </Box>
  );
}

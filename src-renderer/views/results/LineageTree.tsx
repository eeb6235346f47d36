import DownloadIcon from '@mui/icons-material/Download';
import ImageIcon from '@mui/icons-material/Image';
import { Box, Button, MenuItem, Paper, TextField, Typography } from '@mui/material';
import { useMemo, useRef, useState } from 'react';
import type { MovieLineage } from '../../../src-shared/api';
import { layoutColony, type TreeLayout } from '../../../src-shared/results';
import { linearTicks } from '../../../src-shared/charts';
import { downloadCsv, downloadSvgAsPng } from './export';

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const WIDTH = 520;
const PAD = { left: 20, right: 36, top: 12, bottom: 34 };
/** Okabe–Ito blue for cell cycles, vermillion for divisions (colour-blind safe, as the class palette). */
const BRANCH = '#0072B2';
const DIVISION = '#D55E00';

/** The tree of one colony: time left to right, one bar per cell cycle, a tick where a cell divides. */
function TreeSvg({ layout, svgRef }: { layout: TreeLayout; svgRef: React.RefObject<SVGSVGElement | null> }) {
  // Small trees get roomy rows, large ones at least 8 px per cell.
  const row = Math.min(26, Math.max(8, 240 / Math.max(1, layout.rows)));
  const height = PAD.top + PAD.bottom + Math.max(1, layout.rows) * row;
  const span = Math.max(1, layout.end - layout.begin);
  const x = (f: number) => PAD.left + ((f - layout.begin) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (r: number) => PAD.top + (r + 0.5) * row;
  const byId = new Map(layout.branches.map((b) => [b.id, b]));
  const labels = row >= 12;
  return (
    <svg
      ref={svgRef}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      role="img"
      aria-label={`Lineage tree of the colony founded by track ${layout.root}`}
      style={{ maxHeight: 560, fontFamily: 'sans-serif' }}
      data-testid="lineage-tree"
    >
      <rect x={0} y={0} width={WIDTH} height={height} fill="#fff" />
      <g fontSize={10} fill="#555">
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={height - PAD.bottom}
          y2={height - PAD.bottom}
          stroke="#888"
        />
        {linearTicks(layout.begin, layout.end, 8, { integer: true }).values.map((t) => (
          <text key={t} x={x(t)} y={height - PAD.bottom + 13} textAnchor="middle">
            {t}
          </text>
        ))}
        <text x={(PAD.left + WIDTH - PAD.right) / 2} y={height - 4} textAnchor="middle">
          frame
        </text>
      </g>
      {layout.branches.map((b) => {
        const mother = b.parent >= 0 ? byId.get(b.parent) : undefined;
        // A daughter's bar leaves her mother where the mother's track ends.
        const from = mother ? Math.min(mother.end, b.begin) : b.begin;
        return (
          <g key={b.id} data-track={b.id}>
            {mother && (
              <line
                x1={x(from)}
                x2={x(from)}
                y1={y(mother.row)}
                y2={y(b.row)}
                stroke={BRANCH}
                strokeWidth={1}
              />
            )}
            <line
              x1={x(from)}
              x2={Math.max(x(b.end), x(from) + 1.5)}
              y1={y(b.row)}
              y2={y(b.row)}
              stroke={BRANCH}
              strokeWidth={2.5}
            />
            {labels && (
              <text x={x(b.end) + 5} y={y(b.row) + 3} fontSize={9} fill="#666">
                {b.id}
              </text>
            )}
          </g>
        );
      })}
      {layout.branches
        .filter((b) => layout.branches.some((c) => c.parent === b.id))
        .map((b) => (
          <circle key={`d${b.id}`} cx={x(b.end)} cy={y(b.row)} r={3} fill={DIVISION} data-division={b.id} />
        ))}
    </svg>
  );
}

/** Lineage tree per colony, with a colony picker and PNG / CSV export. */
export function LineageTree({ lineage, movie }: { lineage: MovieLineage; movie: string }) {
  const [picked, setPicked] = useState<number | ''>('');
  const root = picked === '' ? (lineage.colonies[0]?.root ?? -1) : picked;
  const layout = useMemo(() => layoutColony(lineage, root), [lineage, root]);
  const svg = useRef<SVGSVGElement>(null);
  const colony = lineage.colonies.find((c) => c.root === root);
  if (!colony) return null;
  const rows = layout.branches.map((b) => [b.id, b.parent, b.begin, b.end]);
  return (
    <Paper variant="outlined" sx={{ p: 1.5, flex: '1 1 480px', minWidth: 0 }} data-testid="lineage-panel">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          Lineage tree
        </Typography>
        <TextField
          select
          size="small"
          label="colony"
          value={root}
          onChange={(e) => setPicked(Number(e.target.value))}
          sx={{ minWidth: 220 }}
          slotProps={{ htmlInput: { 'data-testid': 'lineage-colony' } }}
        >
          {lineage.colonies.slice(0, 200).map((c) => (
            <MenuItem key={c.root} value={c.root}>
              {`track ${c.root}: ${count(c.tracks, 'cell')}, ${count(c.divisions, 'division')}`}
            </MenuItem>
          ))}
        </TextField>
        <Button
          size="small"
          startIcon={<ImageIcon />}
          onClick={() =>
            svg.current &&
            void downloadSvgAsPng(svg.current, `${movie}_lineage_${root}.png`, 'the lineage tree')
          }
          data-testid="lineage-png"
        >
          PNG
        </Button>
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() =>
            downloadCsv(
              ['trackid', 'parent_track_id', 'first_frame', 'last_frame'],
              rows,
              `${movie}_lineage_${root}.csv`,
            )
          }
          data-testid="lineage-csv"
        >
          CSV
        </Button>
      </Box>
      <TreeSvg layout={layout} svgRef={svg} />
      <Typography variant="caption" color="text.secondary" data-testid="lineage-facts">
        Colony founded by track {colony.root}: {colony.tracks} cell cycles, {colony.divisions} divisions,
        frames {colony.begin}–{colony.end} · <span style={{ color: DIVISION }}>●</span> division ·{' '}
        {lineage.colonies.length} colonies, {lineage.divisions} divisions in the movie
      </Typography>
    </Paper>
  );
}

import DownloadIcon from '@mui/icons-material/Download';
import ImageIcon from '@mui/icons-material/Image';
import { Box, Button, Paper, Typography } from '@mui/material';
import { useRef, type ReactNode } from 'react';
import type { ResultCell } from '../../../src-shared/api';
import { downloadCsv, downloadSvgAsPng } from './export';

export const W = 520;
export const H = 240;
export const M = { left: 46, right: 12, top: 12, bottom: 34 };

export interface Series {
  name: string;
  colour: string;
  ys: (number | null)[];
}

const fmt = (v: number) => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(2));

/** Nice tick values between lo and hi (about `n` of them). */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

function Axes({
  xTicks,
  yTicks,
  x,
  y,
  xLabel,
  yLabel,
}: {
  xTicks: number[];
  yTicks: number[];
  x: (v: number) => number;
  y: (v: number) => number;
  xLabel: string;
  yLabel: string;
}) {
  return (
    <g fontSize={10} fill="#555">
      <line x1={M.left} y1={H - M.bottom} x2={W - M.right} y2={H - M.bottom} stroke="#888" />
      <line x1={M.left} y1={M.top} x2={M.left} y2={H - M.bottom} stroke="#888" />
      {xTicks.map((t) => (
        <text key={`x${t}`} x={x(t)} y={H - M.bottom + 13} textAnchor="middle">
          {fmt(t)}
        </text>
      ))}
      {yTicks.map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#e0e0e0" />
          <text x={M.left - 4} y={y(t) + 3} textAnchor="end">
            {fmt(t)}
          </text>
        </g>
      ))}
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">
        {xLabel}
      </text>
      <text transform={`translate(11 ${(M.top + H - M.bottom) / 2}) rotate(-90)`} textAnchor="middle">
        {yLabel}
      </text>
    </g>
  );
}

/** Lines over x, one per series; a null breaks the line. */
export function LineChart({
  xs,
  series,
  xLabel,
  yLabel,
  yMax,
}: {
  xs: number[];
  series: Series[];
  xLabel: string;
  yLabel: string;
  yMax?: number;
}) {
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const top = yMax ?? Math.max(1, ...series.flatMap((s) => s.ys.filter((v): v is number => v !== null)));
  const x = (v: number) => M.left + ((v - x0) / Math.max(1e-9, x1 - x0)) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / top) * (H - M.top - M.bottom);
  return (
    <>
      <Axes xTicks={ticks(x0, x1, 8)} yTicks={ticks(0, top)} x={x} y={y} xLabel={xLabel} yLabel={yLabel} />
      {series.map((s) => {
        const segs: string[][] = [[]];
        s.ys.forEach((v, i) =>
          v === null ? segs.push([]) : segs.at(-1)!.push(`${x(xs[i]).toFixed(1)},${y(v).toFixed(1)}`),
        );
        return (
          <g key={s.name} data-series={s.name}>
            {segs
              .filter((p) => p.length > 0)
              .map((p, i) => (
                <polyline key={i} points={p.join(' ')} fill="none" stroke={s.colour} strokeWidth={2} />
              ))}
            {s.ys.map((v, i) =>
              v === null ? null : <circle key={i} cx={x(xs[i])} cy={y(v)} r={2.2} fill={s.colour} />,
            )}
          </g>
        );
      })}
    </>
  );
}

/** Stacked bars over bin edges, one colour per series. */
export function HistogramChart({
  edges,
  series,
  xLabel,
}: {
  edges: number[];
  series: Series[];
  xLabel: string;
}) {
  const n = edges.length - 1;
  const totals = Array.from({ length: n }, (_, b) => series.reduce((a, s) => a + (s.ys[b] ?? 0), 0));
  const top = Math.max(1, ...totals);
  const x = (v: number) =>
    M.left + ((v - edges[0]) / Math.max(1e-9, edges[n] - edges[0])) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / top) * (H - M.top - M.bottom);
  return (
    <>
      <Axes
        xTicks={ticks(edges[0], edges[n], 6)}
        yTicks={ticks(0, top)}
        x={x}
        y={y}
        xLabel={xLabel}
        yLabel="objects"
      />
      {Array.from({ length: n }, (_, b) => {
        let base = 0;
        return series.map((s) => {
          const v = s.ys[b] ?? 0;
          const rect =
            v > 0 ? (
              <rect
                key={`${b}-${s.name}`}
                x={x(edges[b]) + 0.5}
                width={Math.max(0.5, x(edges[b + 1]) - x(edges[b]) - 1)}
                y={y(base + v)}
                height={y(base) - y(base + v)}
                fill={s.colour}
              />
            ) : null;
          base += v;
          return rect;
        });
      })}
    </>
  );
}

/** A titled plot with its legend and PNG / CSV export. */
export function PlotCard(props: {
  id: string;
  title: string;
  fileStem: string;
  legend: Series[];
  table: { columns: string[]; rows: ResultCell[][] };
  children: ReactNode;
  note?: string;
  actions?: ReactNode;
}) {
  const svg = useRef<SVGSVGElement>(null);
  return (
    <Paper
      variant="outlined"
      sx={{ p: 1.5, flex: '1 1 480px', minWidth: 0 }}
      data-testid={`plot-${props.id}`}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="subtitle2" sx={{ flex: 1 }}>
          {props.title}
        </Typography>
        {props.actions}
        <Button
          size="small"
          startIcon={<ImageIcon />}
          onClick={() => svg.current && void downloadSvgAsPng(svg.current, `${props.fileStem}.png`)}
          data-testid={`plot-${props.id}-png`}
        >
          PNG
        </Button>
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() => downloadCsv(props.table.columns, props.table.rows, `${props.fileStem}.csv`)}
          data-testid={`plot-${props.id}-csv`}
        >
          CSV
        </Button>
      </Box>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={props.title}
        style={{ maxHeight: 280, fontFamily: 'sans-serif' }}
      >
        <rect x={0} y={0} width={W} height={H} fill="#fff" />
        {props.children}
      </svg>
      <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }}>
        {props.legend.map((s) => (
          // The swatch carries the colour; the name stays in the text colour (contrast ≥ 4.5:1).
          <Typography key={s.name} variant="caption">
            <span style={{ color: s.colour }} aria-hidden>
              ■
            </span>{' '}
            <span>{s.name}</span>
          </Typography>
        ))}
        {props.note && (
          <Typography variant="caption" color="text.secondary">
            {props.note}
          </Typography>
        )}
      </Box>
    </Paper>
  );
}

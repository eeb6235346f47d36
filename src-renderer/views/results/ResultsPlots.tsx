import { Box, MenuItem, TextField } from '@mui/material';
import { useMemo, useState } from 'react';
import type { ResultTable } from '../../../src-shared/api';
import { QC_CLASSES } from '../../../src-shared/results';
import {
  classCountsOverTime,
  classSeriesTable,
  histogramByClass,
  histogramTable,
  killCurve,
  killCurveTable,
  NO_CLASS,
} from '../../../src-shared/results';
import { classCss } from '../../../src-shared/viewer';
import { HistogramChart, LineChart, PlotCard, type Series } from './Charts';

/** A class's colour in the Viewer and QC; objects without a class in the unclassified colour. */
const seriesColour = (c: string) => classCss(c === NO_CLASS ? undefined : c);

/** Objects per class over time, the kill curve and the area distribution of one movie. */
export function ResultsPlots({ cells, movie }: { cells: ResultTable; movie: string }) {
  const [killClass, setKillClass] = useState('');
  const counts = useMemo(() => classCountsOverTime(cells, QC_CLASSES), [cells]);
  const kill = useMemo(() => killCurve(cells, killClass || undefined), [cells, killClass]);
  const hist = useMemo(() => histogramByClass(cells, 'area', 30, QC_CLASSES), [cells]);
  const timed = counts.axis.timed;
  const xs = timed ? counts.axis.hours.map((h, i) => h ?? counts.axis.frames[i]) : counts.axis.frames;
  const xLabel = timed ? 'time (h)' : 'frame';
  const countSeries: Series[] = counts.classes.map((c, i) => ({
    name: c,
    colour: seriesColour(c),
    ys: counts.counts[i],
  }));
  const killSeries: Series[] = [{ name: 'PI-positive fraction', colour: '#d32f2f', ys: kill.fraction }];
  const histSeries: Series[] = hist.classes.map((c, i) => ({
    name: c,
    colour: seriesColour(c),
    ys: hist.counts[i],
  }));
  if (counts.axis.frames.length === 0) return null;
  const lastFraction = kill.fraction.filter((f): f is number => f !== null).at(-1);
  return (
    <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
      <PlotCard
        id="class-counts"
        title="Objects per class over time"
        fileStem={`${movie}_objects_per_class`}
        legend={countSeries}
        table={classSeriesTable(counts)}
      >
        <LineChart xs={xs} series={countSeries} xLabel={xLabel} yLabel="objects" />
      </PlotCard>
      <PlotCard
        id="kill-curve"
        title="PI-positive fraction over time (kill curve)"
        fileStem={`${movie}_kill_curve${killClass ? `_${killClass}` : ''}`}
        legend={killSeries}
        table={killCurveTable(kill)}
        actions={
          <TextField
            select
            size="small"
            label="of"
            value={killClass}
            onChange={(e) => setKillClass(e.target.value)}
            sx={{ minWidth: 150 }}
            slotProps={{
              htmlInput: { 'data-testid': 'kill-class' },
              select: { displayEmpty: true },
              inputLabel: { shrink: true },
            }}
          >
            <MenuItem value="">all objects</MenuItem>
            {counts.classes.map((c) => (
              <MenuItem key={c} value={c}>
                {c} only
              </MenuItem>
            ))}
          </TextField>
        }
        note={
          lastFraction !== undefined
            ? `last frame: ${(lastFraction * 100).toFixed(1)} % PI-positive`
            : 'no PI calls'
        }
      >
        <LineChart xs={xs} series={killSeries} xLabel={xLabel} yLabel="PI-positive fraction" yMax={1} />
      </PlotCard>
      <PlotCard
        id="area-histogram"
        title="Area distribution (pixels), stacked by class"
        fileStem={`${movie}_area_histogram`}
        legend={histSeries}
        table={histogramTable(hist)}
      >
        <HistogramChart edges={hist.edges} series={histSeries} xLabel="area (px)" />
      </PlotCard>
    </Box>
  );
}

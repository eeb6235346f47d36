import { Box, MenuItem, TextField } from '@mui/material';
import { useMemo, useState } from 'react';
import type { ResultTable } from '../../../src-shared/api';
import {
  areaHistogramChart,
  classCountsChart,
  classCountsOverTime,
  classSeriesTable,
  histogramByClass,
  histogramTable,
  killCurve,
  killCurveChart,
  killCurveTable,
  QC_CLASSES,
} from '../../../src-shared/results';
import { PlotCard } from './Charts';

/**
 * Objects per class over time, the kill curve and the area distribution of one movie: the same
 * chart specs the demo draws to PNG, so an exported figure and a demo preview look alike.
 */
export function ResultsPlots({ cells, movie }: { cells: ResultTable; movie: string }) {
  const [killClass, setKillClass] = useState('');
  const counts = useMemo(() => classCountsOverTime(cells, QC_CLASSES), [cells]);
  const countsSpec = useMemo(() => classCountsChart(cells, counts), [cells, counts]);
  const kill = useMemo(() => killCurve(cells, killClass || undefined), [cells, killClass]);
  const killSpec = useMemo(
    () => killCurveChart(cells, killClass || undefined, kill),
    [cells, killClass, kill],
  );
  const hist = useMemo(() => histogramByClass(cells, 'area', QC_CLASSES), [cells]);
  const histSpec = useMemo(() => areaHistogramChart(cells, hist), [cells, hist]);
  if (counts.axis.frames.length === 0) return null;
  return (
    <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
      <PlotCard
        id="class-counts"
        spec={countsSpec}
        fileStem={`${movie}_objects_per_class`}
        table={classSeriesTable(counts)}
      />
      <PlotCard
        id="kill-curve"
        spec={killSpec}
        fileStem={`${movie}_kill_curve${killClass ? `_${killClass}` : ''}`}
        table={killCurveTable(kill)}
        actions={
          <TextField
            select
            size="small"
            label="PI-positive fraction of"
            value={killClass}
            onChange={(e) => setKillClass(e.target.value)}
            sx={{ minWidth: 190 }}
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
      />
      <PlotCard
        id="area-histogram"
        spec={histSpec}
        fileStem={`${movie}_area_histogram`}
        table={histogramTable(hist)}
      />
    </Box>
  );
}

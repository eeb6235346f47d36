import type { MovieLineage, ResultTable } from '../api';
import { formatTick, PI_POSITIVE_COLOUR, type HistogramSpec, type LineChartSpec } from '../charts';
import { classCss, UNCLASSIFIED_NAME } from '../viewer';
import { QC_CLASSES } from './crops';
import {
  classCountsOverTime,
  histogramByClass,
  killCurve,
  NO_CLASS,
  type ClassSeries,
  type Histogram,
  type KillCurve,
  type TimeAxis,
} from './plots';

/**
 * The Results plots as chart specs, so the Results view, its exports and the demo's PNGs draw the
 * very same figures: titles, axis titles with units, and classes in the app's one palette.
 */

/** How a class is named in legends: objects without one are "unclassified", as in the Viewer. */
export const legendName = (c: string): string => (c === NO_CLASS ? UNCLASSIFIED_NAME : c);

/** A class's colour in the Viewer and QC; objects without a class in the unclassified colour. */
export const classSeriesColour = (c: string): string => classCss(c === NO_CLASS ? undefined : c);

/** Hours where the run has timestamps, frame numbers otherwise. */
function timeX(axis: TimeAxis): LineChartSpec['x'] {
  return axis.timed
    ? { title: 'time', unit: 'h', values: axis.hours.map((h, i) => h ?? axis.frames[i]) }
    : { title: 'frame', values: axis.frames, integer: true };
}

/** Objects per class over time. */
export function classCountsChart(
  cells: ResultTable,
  s: ClassSeries = classCountsOverTime(cells, QC_CLASSES),
): LineChartSpec {
  const total = s.counts.reduce((a, c) => a + c.reduce((x, y) => x + y, 0), 0);
  return {
    kind: 'line',
    title: 'Objects per class over time',
    note: `${total} objects in ${s.axis.frames.length} frames`,
    x: timeX(s.axis),
    y: { title: 'objects', unit: 'count', integer: true },
    series: s.classes.map((c, i) => ({
      name: legendName(c),
      colour: classSeriesColour(c),
      values: s.counts[i],
    })),
  };
}

/** PI-positive fraction over time (the kill curve), in percent, of all objects or one class. */
export function killCurveChart(
  cells: ResultTable,
  className?: string,
  k: KillCurve = killCurve(cells, className),
): LineChartSpec {
  let last: string | undefined;
  for (let i = k.fraction.length - 1; i >= 0 && last === undefined; i--) {
    const f = k.fraction[i];
    if (f !== null)
      last = `last frame: ${(f * 100).toFixed(1)} % PI-positive (${k.positive[i]} of ${k.total[i]})`;
  }
  return {
    kind: 'line',
    title: 'PI-positive fraction over time (kill curve)',
    note: last ?? 'no PI calls in this run',
    x: timeX(k.axis),
    y: { title: 'PI-positive', unit: '%', min: 0, max: 100 },
    series: [
      {
        name: `PI-positive, ${className ? `${legendName(className)} only` : 'all objects'}`,
        colour: PI_POSITIVE_COLOUR,
        values: k.fraction.map((f) => (f === null ? null : f * 100)),
      },
    ],
  };
}

/** The area histogram's data and chart together (the view also exports the bins as CSV). */
export function areaHistogramChart(
  cells: ResultTable,
  hist: Histogram = histogramByClass(cells, 'area', QC_CLASSES),
): HistogramSpec {
  const regular = hist.edges.length - 1;
  const over = hist.overflowFrom === null ? 0 : hist.counts.reduce((a, c) => a + c[regular], 0);
  const width = regular > 0 ? hist.edges[1] - hist.edges[0] : 1;
  const fmt = (v: number) => formatTick(v, width);
  return {
    kind: 'histogram',
    title: 'Object area by class',
    note:
      hist.overflowFrom === null
        ? `bins of ${fmt(width)} px, stacked by class`
        : `bins of ${fmt(width)} px, stacked by class; the last bar holds the ${over} objects of ${fmt(hist.overflowFrom)}–${fmt(hist.max)} px`,
    x: { title: 'area', unit: 'px' },
    y: { title: 'objects', unit: 'count' },
    edges: hist.edges,
    overflowFrom: hist.overflowFrom,
    series: hist.classes.map((c, i) => ({
      name: legendName(c),
      colour: classSeriesColour(c),
      counts: hist.counts[i],
    })),
  };
}

/** Divisions per frame: how many cells divided (their daughters first seen in that frame). */
export function divisionsChart(lineage: MovieLineage): LineChartSpec {
  return {
    kind: 'line',
    title: 'Divisions over time',
    note: `${lineage.divisions} divisions in ${lineage.tracks.length} tracks (from ${lineage.source === 'tracks' ? '_tracks.csv' : '_fl.csv'})`,
    x: { title: 'frame', values: lineage.frames, integer: true },
    y: { title: 'divisions', unit: 'count', integer: true },
    // Okabe–Ito vermillion: not a class colour, nor the PI red of the kill curve.
    series: [{ name: 'divisions', colour: '#D55E00', values: lineage.divisionsPerFrame }],
  };
}

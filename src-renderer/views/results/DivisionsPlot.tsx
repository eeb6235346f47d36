import type { MovieLineage } from '../../../src-shared/api';
import { divisionsTable } from '../../../src-shared/results';
import { LineChart, PlotCard, type Series } from './Charts';

/** Divisions per frame: how many cells divided (their daughters appear in that frame). */
export function DivisionsPlot({ lineage, movie }: { lineage: MovieLineage; movie: string }) {
  if (lineage.frames.length === 0) return null;
  const series: Series[] = [{ name: 'divisions', colour: '#D55E00', ys: lineage.divisionsPerFrame }];
  return (
    <PlotCard
      id="divisions"
      title="Divisions over time"
      fileStem={`${movie}_divisions`}
      legend={series}
      table={divisionsTable(lineage)}
      note={`${lineage.divisions} divisions in ${lineage.tracks.length} tracks (${lineage.source === 'tracks' ? 'from _tracks.csv' : 'from _fl.csv'})`}
    >
      <LineChart xs={lineage.frames} series={series} xLabel="frame" yLabel="divisions" />
    </PlotCard>
  );
}

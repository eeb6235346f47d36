import { useMemo } from 'react';
import type { MovieLineage } from '../../../src-shared/api';
import { divisionsChart, divisionsTable } from '../../../src-shared/results';
import { PlotCard } from './Charts';

/** Divisions per frame: how many cells divided (their daughters appear in that frame). */
export function DivisionsPlot({ lineage, movie }: { lineage: MovieLineage; movie: string }) {
  const spec = useMemo(() => divisionsChart(lineage), [lineage]);
  if (lineage.frames.length === 0) return null;
  return (
    <PlotCard id="divisions" spec={spec} fileStem={`${movie}_divisions`} table={divisionsTable(lineage)} />
  );
}

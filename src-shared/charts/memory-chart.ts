import type { LineChartSpec } from './line-chart';
import { SERIES_COLOURS } from './theme';

/** One memory sample: resident memory per process label in MB (`null` once the process ended). */
export interface MemorySample {
  atMs: number;
  processesMb: Readonly<Record<string, number | null>>;
}

/** MB below 2 GB, GB from there: axis labels stay short and readable (800 MB, 3.5 GB). */
export function memoryUnit(maxMb: number): { unit: 'MB' | 'GB'; perMb: number } {
  return maxMb >= 2048 ? { unit: 'GB', perMb: 1 / 1024 } : { unit: 'MB', perMb: 1 };
}

/**
 * The Resources memory chart: resident memory of the backend and each worker over clock time, on
 * an axis from zero (a flat line at 63 MB must not look like a full machine), in MB or GB.
 */
export function memoryChartSpec(
  samples: readonly MemorySample[],
  tzOffsetMin = new Date(samples[0]?.atMs ?? 0).getTimezoneOffset(),
): LineChartSpec {
  const labels = [...new Set(samples.flatMap((p) => Object.keys(p.processesMb)))];
  let maxMb = 0;
  for (const p of samples)
    for (const v of Object.values(p.processesMb)) if (v !== null && v > maxMb) maxMb = v;
  const { unit, perMb } = memoryUnit(maxMb);
  const last = samples.at(-1);
  const spanS = samples.length > 1 ? Math.round((last!.atMs - samples[0].atMs) / 1000) : 0;
  return {
    kind: 'line',
    title: 'Memory of HiTMic Studio processes',
    note: `resident set size (RSS) per process, sampled over the last ${spanS} s; peak ${(maxMb * perMb).toFixed(unit === 'GB' ? 2 : 0)} ${unit}`,
    x: { title: 'time of day', unit: 'hh:mm:ss', values: samples.map((p) => p.atMs), clock: { tzOffsetMin } },
    y: { title: 'memory', unit, min: 0 },
    series: labels.map((label, i) => ({
      name: label,
      colour: SERIES_COLOURS[i % SERIES_COLOURS.length],
      values: samples.map((p) => {
        const v = p.processesMb[label];
        return v === null || v === undefined ? null : v * perMb;
      }),
    })),
  };
}

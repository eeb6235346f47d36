import { describe, expect, it } from 'vitest';
import { AnalysisOptionError } from './errors';
import { formatDateTime, frameTimestamps, wallClockMs } from './timestamps';

describe('frameTimestamps', () => {
  it('gives date_time = date + (t − t0), timestep in hours since frame 0, abslag_in_s = t', () => {
    const ts = frameTimestamps([12.5, 912.5, 1812.9, 7212.5], '2024-03-01T23:50:00');
    expect(ts.date_time).toEqual([
      '2024-03-01 23:50:00',
      '2024-03-02 00:05:00',
      '2024-03-02 00:20:00',
      '2024-03-02 01:50:00',
    ]);
    expect(Array.from(ts.timestep)).toEqual([0, 0.25, (1812.9 - 12.5) / 3600, 2]);
    expect(Array.from(ts.abslag_in_s)).toEqual([12.5, 912.5, 1812.9, 7212.5]);
  });

  it('keeps the written wall clock whatever the zone suffix, and handles leap days and fractions', () => {
    expect(formatDateTime(wallClockMs('2024-02-28T23:59:59.999+02:00') + 1)).toBe('2024-02-29 00:00:00');
    expect(frameTimestamps([0, 86_400], '2023-12-31 12:00:00Z').date_time[1]).toBe('2024-01-01 12:00:00');
    expect(frameTimestamps([0, 1], new Date(Date.UTC(2020, 0, 1, 8))).date_time).toEqual([
      '2020-01-01 08:00:00',
      '2020-01-01 08:00:01',
    ]);
  });

  it('leaves date_time empty without a date and rejects bad input', () => {
    expect(frameTimestamps([0, 60]).date_time).toEqual(['', '']);
    expect(() => frameTimestamps([0, Number.NaN])).toThrow(AnalysisOptionError);
    expect(() => frameTimestamps([0], 'yesterday')).toThrow(/ISO 8601/);
  });
});

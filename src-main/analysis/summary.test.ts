import { describe, expect, it } from 'vitest';
import { TableError } from './errors';
import { SUMMARY_AGGREGATES, SUMMARY_KEYS, summarise } from './summary';

const base = { file: 'm1', channel: 1, date_time: '2024-01-01 00:00:00', timestep: 0, abslag_in_s: 0 };

describe('summarise (HiTMicTools _summary.csv)', () => {
  it('counts objects and PI classes and sums areas per frame and class, sorted by the keys', () => {
    const rows = [
      {
        ...base,
        frame: 1,
        object_class: 'single-cell',
        pi_class: 'piPOS',
        area: 30,
        timestep: 0.5,
        date_time: '2024-01-01 00:30:00',
        abslag_in_s: 1800,
      },
      { ...base, frame: 0, object_class: 'single-cell', pi_class: 'piNEG', area: 20 },
      { ...base, frame: 0, object_class: 'clump', pi_class: 'piPOS', area: 100 },
      { ...base, frame: 0, object_class: 'single-cell', pi_class: 'piPOS', area: 25 },
      { ...base, frame: 0, object_class: 'single-cell', pi_class: 'piNEG', area: 22 },
      { ...base, frame: 0, object_class: 'single-cell', pi_class: null, area: 5 },
    ];
    const s = summarise(rows);
    expect(s.map((r) => [r.frame, r.object_class])).toEqual([
      [0, 'clump'],
      [0, 'single-cell'],
      [1, 'single-cell'],
    ]);
    expect(SUMMARY_AGGREGATES.map((k) => s[1][k])).toEqual([4, 2, 1, 42, 25, 72]);
    expect(SUMMARY_AGGREGATES.map((k) => s[0][k])).toEqual([1, 0, 1, 0, 100, 100]);
    expect(SUMMARY_AGGREGATES.map((k) => s[2][k])).toEqual([1, 0, 1, 0, 30, 30]);
    expect(Object.keys(s[0])).toEqual([...SUMMARY_KEYS, ...SUMMARY_AGGREGATES]);
  });

  it('keeps groups with missing keys (pandas would drop them) and sorts them last', () => {
    const s = summarise([
      { ...base, frame: 0, object_class: 'a', pi_class: 'piNEG', area: 1, date_time: null },
      { ...base, frame: 0, object_class: 'a', pi_class: 'piNEG', area: 2 },
    ]);
    expect(s.map((r) => r.date_time)).toEqual(['2024-01-01 00:00:00', null]);
    expect(() => summarise([{ frame: 0, area: 1 }])).toThrow(TableError);
    expect(() => summarise([{ ...base, frame: 0, object_class: 'a', area: 'x' }])).toThrow(/area/);
    expect(
      summarise([{ file: 'f', frame: 2, object_class: 'a', area: 3 }], ['file', 'frame', 'object_class'])[0]
        .total_count,
    ).toBe(1);
  });
});

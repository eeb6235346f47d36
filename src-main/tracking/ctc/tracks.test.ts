import { describe, expect, it } from 'vitest';
import { CtcFormatError } from './errors';
import { ctcTracksFromRows, formatTrackTable, parseTrackTable } from './tracks';

describe('CTC track tables', () => {
  it('reads L B E P lines and writes them back', () => {
    const text = '1 0 4 0\n2 5 9 1\n3 5 7 1\n';
    const t = parseTrackTable(text, 'res_track.txt');
    expect(t).toEqual([
      { label: 1, begin: 0, end: 4, parent: 0 },
      { label: 2, begin: 5, end: 9, parent: 1 },
      { label: 3, begin: 5, end: 7, parent: 1 },
    ]);
    expect(formatTrackTable(t)).toBe(text);
  });

  it.each([
    ['1 0 4', /line 1/],
    ['1 0 4 0\n1 5 6 0', /used once/],
    ['1 4 2 0', /B ≤ E/],
    ['1 0 2 7', /parent that is a track/],
    ['1 0 x 0', /four whole numbers/],
  ])('refuses %j', (text, message) => {
    const err = (() => {
      try {
        parseTrackTable(text, 'man_track.txt');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CtcFormatError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toMatch(/man_track\.txt/);
  });
});

describe('ctcTracksFromRows', () => {
  it('numbers tracks by first frame, cuts a track at a gap and names the piece before as parent', () => {
    // track 7: frames 0, 1, then 3 (gap at 2); track 4: frames 2, 3 with mother 7
    const frame = Int32Array.of(0, 1, 3, 2, 3);
    const trackid = Int32Array.of(7, 7, 7, 4, 4);
    const parent = Int32Array.of(-1, -1, -1, 7, 7);
    const { tracks, label } = ctcTracksFromRows(frame, trackid, parent);
    expect(tracks).toEqual([
      { label: 1, begin: 0, end: 1, parent: 0 },
      { label: 2, begin: 2, end: 3, parent: 1 },
      { label: 3, begin: 3, end: 3, parent: 1 },
    ]);
    expect(Array.from(label)).toEqual([1, 1, 3, 2, 2]);
  });

  it('leaves untracked rows (−1) out with label 0', () => {
    const r = ctcTracksFromRows(Int32Array.of(0, 0), Int32Array.of(-1, 0), Int32Array.of(-1, -1));
    expect(Array.from(r.label)).toEqual([0, 1]);
    expect(r.tracks).toHaveLength(1);
  });

  it('refuses one track with two objects in a frame', () => {
    expect(() => ctcTracksFromRows(Int32Array.of(0, 0), Int32Array.of(3, 3), Int32Array.of(-1, -1))).toThrow(
      CtcFormatError,
    );
  });
});

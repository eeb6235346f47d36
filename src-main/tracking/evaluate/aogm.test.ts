import { describe, expect, it } from 'vitest';
import type { CtcTrack } from '../ctc/tracks';
import { scoreTracking } from './aogm';
import { matchFrame, type FrameMatch } from './match';

/** A 1-row strip of labels, one character per pixel ('.' = 0). */
const strip = (s: string): Uint16Array => Uint16Array.from(s, (c) => (c === '.' ? 0 : Number(c)));
const tr = (label: number, begin: number, end: number, parent = 0): CtcTrack => ({
  label,
  begin,
  end,
  parent,
});

describe('matchFrame (CTC rule: a result object covering more than half of a reference object)', () => {
  it('matches above half, not at exactly half', () => {
    //                     reference: 1 = four pixels, 2 = four pixels
    const m = matchFrame(strip('1111.2222'), strip('3333.44..'));
    expect(Array.from(m.gt)).toEqual([1, 2]);
    expect(Array.from(m.match)).toEqual([3, 0]); // 4 holds 2 of 2's 4 pixels: not more than half
  });

  it('lets one result object match two reference objects (to be split)', () => {
    const m = matchFrame(strip('1111.2222'), strip('555555555'));
    expect(Array.from(m.match)).toEqual([5, 5]);
  });
});

describe('scoreTracking: DET, TRA and AOGM on cases computed by hand', () => {
  it('a perfect result scores 1 everywhere', () => {
    const f: FrameMatch[] = [0, 1, 2].map(() => matchFrame(strip('11.22'), strip('33.44')));
    const s = scoreTracking(f, [tr(1, 0, 2), tr(2, 0, 2)], [tr(3, 0, 2), tr(4, 0, 2)]);
    expect(s.DET).toBe(1);
    expect(s.TRA).toBe(1);
    expect(s.links).toMatchObject({ precision: 1, recall: 1, matched: 4, reference: 4 });
  });

  it('a missed division: the mother continues into one daughter, the other starts a track', () => {
    // Reference: 1 in frames 0–1 divides into 2 and 3 at frame 2.
    // Result: 5 in frames 0–2 (its frame-2 object is daughter 2), 6 from frame 2 (daughter 3).
    const frames = [
      matchFrame(strip('111....'), strip('555....')),
      matchFrame(strip('111....'), strip('555....')),
      matchFrame(strip('22..33.'), strip('55..66.')),
    ];
    const s = scoreTracking(
      frames,
      [tr(1, 0, 1), tr(2, 2, 2, 1), tr(3, 2, 2, 1)],
      [tr(5, 0, 2), tr(6, 2, 2)],
    );
    // Vertices all matched: NS = FN = FP = 0. Reference edges: 1→1 (track), 1→2 and 1→3 (parent).
    // Result edges: 5→5 (t0–1, matches the track link), 5→5 (t1–2, lands on 1→2 with the wrong
    // semantic: EC = 1). 1→3 is missing: EA = 1. Nothing redundant: ED = 0.
    expect(s.counts).toMatchObject({ NS: 0, FN: 0, FP: 0, ED: 0, EA: 1, EC: 1 });
    expect(s.counts).toMatchObject({ referenceVertices: 4, referenceEdges: 3, resultEdges: 2 });
    // AOGM = 1·1 + 1.5·1 = 2.5; AOGM0 = 10·4 + 1.5·3 = 44.5.
    expect(s.AOGM).toBe(2.5);
    expect(s.AOGM0).toBe(44.5);
    expect(s.TRA).toBeCloseTo(1 - 2.5 / 44.5, 12);
    expect(s.DET).toBe(1);
    expect(s.links).toMatchObject({ matched: 2, precision: 1, recall: 2 / 3 });
    expect(s.divisions).toMatchObject({ matched: 0, result: 0, reference: 1, precision: null, recall: 0 });
  });

  it('counts splits, false positives and misses, and prices them as the CTC does', () => {
    // Frame 0: reference 1 and 2 are covered by one result object 7 (to split, NS = 1), and the
    // result has an extra object 8 (FP = 1). Frame 1: reference 1 is missed (FN = 1), 2 is found as 9.
    const frames = [
      matchFrame(strip('11.22...'), strip('77777.88')),
      matchFrame(strip('11.22...'), strip('...99...')),
    ];
    const s = scoreTracking(frames, [tr(1, 0, 1), tr(2, 0, 1)], [tr(7, 0, 0), tr(8, 0, 0), tr(9, 1, 1)]);
    expect(s.counts).toMatchObject({ NS: 1, FN: 1, FP: 1 });
    // DET: AOGM-D = 5·1 + 10·1 + 1·1 = 16 of AOGM-D0 = 10·4 = 40.
    expect(s.AOGMD).toBe(16);
    expect(s.AOGMD0).toBe(40);
    expect(s.DET).toBeCloseTo(0.6, 12);
    // Result edges: none (7, 8, 9 are single-frame tracks). Reference edges 1→1, 2→2 are missing:
    // EA = 2. AOGM = 16 + 1.5·2 = 19 of 10·4 + 1.5·2 = 43.
    expect(s.AOGM).toBe(19);
    expect(s.TRA).toBeCloseTo(1 - 19 / 43, 12);
  });

  it('counts a redundant link and a correct division', () => {
    // Same masks and labels in both. Reference: 1 divides into 2 and 3 at frame 1; 4 ends at
    // frame 0 and 5 is a new cell at frame 1. Result: the same division, but 5 names 4 as its
    // parent, a link the reference does not have (ED = 1).
    const frames = [
      matchFrame(strip('111.4...'), strip('111.4...')),
      matchFrame(strip('2.3.5...'), strip('2.3.5...')),
    ];
    const ref = [tr(1, 0, 0), tr(2, 1, 1, 1), tr(3, 1, 1, 1), tr(4, 0, 0), tr(5, 1, 1)];
    const res = [tr(1, 0, 0), tr(2, 1, 1, 1), tr(3, 1, 1, 1), tr(4, 0, 0), tr(5, 1, 1, 4)];
    const s = scoreTracking(frames, ref, res);
    expect(s.counts).toMatchObject({ ED: 1, EA: 0, EC: 0 });
    expect(s.links).toMatchObject({ matched: 2, result: 3, reference: 2 });
    expect(s.divisions).toMatchObject({ matched: 1, result: 1, reference: 1, precision: 1, recall: 1 });
    expect(s.AOGM).toBe(1);
  });

  it('refuses a track table that names an object the masks lack', () => {
    const frames = [matchFrame(strip('1..'), strip('1..')), matchFrame(strip('.2.'), strip('.2.'))];
    expect(() => scoreTracking(frames, [tr(1, 0, 0), tr(2, 1, 1, 1)], [tr(1, 0, 0), tr(3, 1, 1, 1)])).toThrow(
      /label 3 in the mask of frame 1/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { layerPixelAt, layerScreenRect } from '../viewer';
import {
  analysisOrigin,
  analysisToMovie,
  describeRegistration,
  labelsPlaneOf,
  placementWarnings,
  readRegistration,
  registrationRecord,
} from './registration';

// A 512×512 movie aligned over three frames (shifts as the drift estimator gives them) and cropped.
const aligned = describeRegistration({
  movieSize: { width: 512, height: 512 },
  analysisSize: { width: 503, height: 501 },
  frames: [4, 5, 6],
  alignment: {
    shifts: [
      { dx: 0, dy: 0 },
      { dx: 9, dy: -2.5 },
      { dx: 3.03125, dy: 4 },
    ],
    crop: { x0: 9, y0: 4, width: 503, height: 501 },
  },
});
const movie = { width: 512, height: 512 };
const labels = { width: 503, height: 501 };

describe('registration of a run', () => {
  it('moves analysis pixels by the crop offset minus the frame shift', () => {
    expect(aligned.shifts.map((s) => s.frame)).toEqual([4, 5, 6]);
    expect(analysisOrigin(aligned, 4)).toEqual({ x: 9, y: 4 });
    expect(analysisOrigin(aligned, 5)).toEqual({ x: 0, y: 6.5 });
    expect(analysisOrigin(aligned, 6)).toEqual({ x: 5.96875, y: 0 });
    // centroid_1 = 10.5, centroid_0 = 20 in frame 5 lies at column 10.5, row 26.5 of the movie.
    expect(analysisToMovie(aligned, 5, { x: 10.5, y: 20 })).toEqual({ x: 10.5, y: 26.5 });
  });

  it('survives run.json: written as a record, read back the same', () => {
    const json = JSON.parse(
      JSON.stringify({ frames: [4, 5, 6], aligned: true, registration: registrationRecord(aligned) }),
    );
    expect(json.registration.frame_of_reference).toMatch(/movie_x = x \+ crop\.x0 - dx/);
    expect(readRegistration(json)).toEqual(aligned);
    const still = describeRegistration({
      movieSize: movie,
      analysisSize: movie,
      frames: [0, 1],
      alignment: null,
    });
    expect(readRegistration({ frames: [0, 1], registration: registrationRecord(still) })).toEqual(still);
    expect(analysisOrigin(still, 1)).toEqual({ x: 0, y: 0 });
  });

  it("finds a movie frame's plane in the labels stack of a frame range", () => {
    expect([3, 4, 5, 6, 7].map((f) => labelsPlaneOf(aligned, f))).toEqual([-1, 0, 1, 2, -1]);
    expect(labelsPlaneOf(readRegistration({ aligned: false }), 7)).toBe(7); // frames not recorded
  });

  it('refuses shifts that do not match the frames', () => {
    expect(() =>
      describeRegistration({
        movieSize: movie,
        analysisSize: labels,
        frames: [0, 1],
        alignment: { shifts: [{ dx: 0, dy: 0 }], crop: { x0: 0, y0: 0, width: 503, height: 501 } },
      }),
    ).toThrow('1 alignment shifts for 2 analysed frames');
  });

  it('reads older run.json files as far as they go, and says what it cannot know', () => {
    expect(readRegistration({ aligned: false, crop: null })).toMatchObject({
      kind: 'unaligned',
      exact: true,
    });
    const cropOnly = readRegistration({ aligned: true, crop: { x0: 9, y0: 0, width: 503, height: 501 } });
    expect(cropOnly).toMatchObject({ kind: 'crop-only', exact: false, analysisSize: labels });
    expect(cropOnly.warning).toContain('recorded only its crop (x0 9, y0 0)');
    expect(analysisOrigin(cropOnly, 7)).toEqual({ x: 9, y: 0 });
    for (const j of [undefined, 'text', {}, { aligned: true }]) {
      const r = readRegistration(j);
      expect(r).toMatchObject({ kind: 'unknown', exact: false });
      expect(r.warning).toMatch(/may be out of register/);
    }
    const broken = readRegistration({ registration: { aligned: true, crop: null, shifts: [] } });
    expect(broken.kind).toBe('unknown');
    expect(broken.warning).toContain('registration record is incomplete');
    const badShift = readRegistration({
      registration: { aligned: false, shifts: [{ frame: 0, dx: 'x', dy: 0 }] },
    });
    expect(badShift.kind).toBe('unknown');
  });

  it('names what puts an overlay out of register with the movie shown', () => {
    expect(placementWarnings(aligned, movie, labels)).toEqual([]);
    expect(placementWarnings(aligned, { width: 256, height: 256 }, labels)).toEqual([
      expect.stringContaining('The run analysed a 512×512 movie but the movie shown is 256×256'),
    ]);
    expect(placementWarnings(aligned, movie, movie)).toEqual([
      expect.stringContaining('labels are 512×512 but run.json records 503×501'),
    ]);
    const unknown = readRegistration(undefined);
    expect(placementWarnings(unknown, movie, movie)).toEqual([unknown.warning]);
    expect(placementWarnings(unknown, movie, labels)[1]).toContain(
      'labels are 503×501 but the movie is 512×512',
    );
  });
});

describe('a layer placed in the movie', () => {
  it('is drawn at its translate, fractional included, and read back at the same pixels', () => {
    const t = analysisOrigin(aligned, 5); // (0, 6.5)
    const view = { scale: 2, offsetX: 10, offsetY: 20 };
    expect(layerScreenRect(view, t, 503, 501)).toEqual({ x: 10, y: 33, width: 1006, height: 1002 });
    // Movie pixel (3, 10): its centre (3.5, 10.5) lies in layer pixel (3, 4), which covers rows 10.5–11.5.
    expect(layerPixelAt(t, 503, 501, { x: 3, y: 10 })).toEqual({ x: 3, y: 4 });
    expect(layerPixelAt(t, 503, 501, { x: 3, y: 6 })).toEqual({ x: 3, y: 0 });
    expect(layerPixelAt(t, 503, 501, { x: 3, y: 5 })).toBeUndefined();
    expect(layerPixelAt({ x: 9, y: 4 }, 503, 501, { x: 8, y: 4 })).toBeUndefined();
    expect(layerPixelAt({ x: 9, y: 4 }, 503, 501, { x: 511, y: 504 })).toEqual({ x: 502, y: 500 });
    expect(layerPixelAt({ x: 9, y: 4 }, 503, 501, { x: 511, y: 505 })).toBeUndefined();
  });
});

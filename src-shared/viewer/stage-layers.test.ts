import { describe, expect, it } from 'vitest';
import { TEST_MODE_STAGES, type TestModeObjects, type TestModeStageReport } from '../api';
import { drawTrackTails, objectRow, PI_COLOURS, piColour, stageObjects, stageSummary } from './stage-layers';

const report = (statuses: Partial<Record<string, TestModeStageReport['status']>>, ms = 100) =>
  TEST_MODE_STAGES.map((stage): TestModeStageReport => ({
    stage,
    status: statuses[stage] ?? 'cached',
    ran: statuses[stage] === 'ran' ? 1 : 0,
    cached: statuses[stage] === 'ran' ? 0 : 1,
    ms: statuses[stage] === 'ran' ? ms : 0,
    key: 'k',
  }));

describe('test-mode stage layers', () => {
  it('says which stages came from the cache and which re-ran', () => {
    const segOnwards = report(
      {
        segmentation: 'ran',
        cell_classifier: 'ran',
        measure: 'ran',
        pi_classification: 'ran',
        tracking: 'ran',
      },
      250,
    );
    expect(stageSummary(segOnwards)).toBe(
      'alignment, background correction, restoration (bright field), restoration (PI channel) from the cache; segmentation onwards re-ran (1.3 s).',
    );
    // The PI restoration came from the cache between re-run stages: they are listed one by one.
    const bf = report({
      bf_focus: 'ran',
      segmentation: 'ran',
      cell_classifier: 'ran',
      measure: 'ran',
      pi_classification: 'ran',
      tracking: 'off',
    });
    expect(stageSummary(bf)).toMatch(
      /restoration \(PI channel\) from the cache; restoration \(bright field\), segmentation, classification, measurements, PI classification re-ran \(500 ms\)/,
    );
    expect(stageSummary(report({}))).toBe('Every stage came from the cache.');
    expect(stageSummary(report(Object.fromEntries(TEST_MODE_STAGES.map((s) => [s, 'ran']))))).toBe(
      'Every stage ran (900 ms).',
    );
  });

  const objects: TestModeObjects = {
    columns: {
      label: Float64Array.of(3, 7),
      area: Float64Array.of(40, 55),
      class_prob: Float64Array.of(0.9, NaN),
      trackid: Float64Array.of(2, -1),
      roi_std_dev: Float64Array.of(1.5, 2),
    },
    objectClass: ['clump', ''],
    piClass: ['piPOS', ''],
  };

  it('reads the shown objects for the hover readout and the measurement table', () => {
    expect(stageObjects(objects)).toEqual([
      { label: 3, area: 40, className: 'clump', confidence: 0.9, piClass: 'piPOS', trackId: 2 },
      {
        label: 7,
        area: 55,
        className: undefined,
        confidence: undefined,
        piClass: undefined,
        trackId: undefined,
      },
    ]);
    const row = objectRow(objects, 3)!;
    expect(row.map((r) => r.name)).toEqual([
      'label',
      'area',
      'class_prob',
      'trackid',
      'roi_std_dev',
      'object_class',
      'pi_class',
    ]);
    expect(row.find((r) => r.name === 'pi_class')!.value).toBe('piPOS');
    expect(objectRow(objects, 4)).toBeUndefined();
    expect(piColour('piPOS')).toEqual(PI_COLOURS.piPOS);
    expect(piColour(undefined)).not.toEqual(piColour('piNEG'));
  });

  it('draws each track over its last frames where the cell was, and a dot where it is', () => {
    const W = 20;
    const H = 10;
    const rgba = new Uint8ClampedArray(W * H * 4);
    // Track 1 moves right along row 5 (movie pixels); the analysis frame of frame 2 starts at x 1.
    const tracks = {
      frame: Int32Array.of(0, 1, 2, 2),
      label: Int32Array.of(1, 1, 1, 2),
      trackId: Int32Array.of(1, 1, 1, 4),
      parentTrackId: Int32Array.of(-1, -1, -1, 1),
      x: Float64Array.of(3, 8, 13, 13),
      y: Float64Array.of(5, 5, 5, 8),
    };
    drawTrackTails(rgba, W, H, tracks, {
      frame: 2,
      origin: { x: 1, y: 0 },
      tail: 1,
      colourOf: (id) => [id, 0, 0],
    });
    const at = (x: number, y: number) => (rgba[(y * W + x) * 4 + 3] ? rgba[(y * W + x) * 4] : 0);
    // Frame 0 is past the tail: its segment (x 2–7) is not drawn; frame 1 → 2 is (x 7–12), the
    // daughter (track 4, drawn after) starting at its mother's point of frame 1.
    expect(at(3, 5)).toBe(0);
    for (let x = 8; x <= 12; x++) expect(at(x, 5)).toBe(1);
    expect(at(7, 5)).toBe(4);
    // Dot of 3×3 at the cell now; the daughter (track 4) starts from its mother's last point before it.
    expect([at(11, 4), at(13, 6)]).toEqual([1, 1]);
    expect(at(12, 8)).toBe(4);
    expect(at(9, 6)).toBe(4);
  });
});

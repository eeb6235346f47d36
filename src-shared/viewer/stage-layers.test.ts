import { describe, expect, it } from 'vitest';
import { TEST_MODE_STAGES, type TestModeObjects, type TestModeStageReport } from '../api';
import { objectRow, PI_COLOURS, piColour, stageObjects, stageSummary, stageTracks } from './stage-layers';
import { TrackIndex } from './tracks';

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

  it('gives its tracks as a run’s, so a tracks layer draws their tails and the fork of a division', () => {
    // Track 1 moves right along row 5 (movie pixels); track 4 is its daughter from frame 2; rows
    // come in any order, and a row without a track is left out.
    const tracks = {
      frame: Int32Array.of(2, 0, 1, 2, 1),
      label: Int32Array.of(1, 1, 1, 2, 7),
      trackId: Int32Array.of(1, 1, 1, 4, -1),
      parentTrackId: Int32Array.of(-1, -1, -1, 1, -1),
      x: Float64Array.of(13, 3, 8, 13, 0),
      y: Float64Array.of(5, 5, 5, 8, 0),
    };
    const run = stageTracks(tracks);
    expect(run).toEqual([
      { id: 1, parent: -1, frames: [0, 1, 2], labels: [1, 1, 1], x: [3, 8, 13], y: [5, 5, 5] },
      { id: 4, parent: 1, frames: [2], labels: [2], x: [13], y: [8] },
    ]);
    const tails = new TrackIndex(run).tails(2, 1);
    expect(tails).toEqual([
      {
        id: 1,
        points: [
          { x: 8, y: 5 },
          { x: 13, y: 5 },
        ],
        fromParent: false,
      },
      {
        id: 4,
        points: [
          { x: 8, y: 5 },
          { x: 13, y: 8 },
        ],
        fromParent: true,
      },
    ]);
  });
});

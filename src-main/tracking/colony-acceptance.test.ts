/**
 * Acceptance (issue 18): on a dense, dividing colony with exact masks — 53 frames of 1300×1000,
 * 3471 objects, 330 divisions (scripts/make-tracking-colony.py; labels renumbered at random in
 * every frame) — the best backend (btrack with the built-in configuration, btrack/bacteria.ts)
 * reaches link precision and recall ≥ 0.98 and division precision and recall ≥ 0.90, scored as
 * `hitmic evaluate-tracking` scores them. Time is measured by `npm run bench -- tracking`, not here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { bacteriaBtrackConfigText } from './btrack/bacteria';
import { evaluateCtc } from './ctc/folder';
import { trackLabelMovie } from './label-movie/track';
import { selectTracker } from './select';

const colony = path.resolve(__dirname, '../../test-support/tracking/colony-dense');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-colony-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

it('tracks the dense colony with link P/R ≥ 0.98 and division P/R ≥ 0.90', async () => {
  const report = await trackLabelMovie(path.join(colony, 'labels.tif'), {
    tracker: (field) =>
      selectTracker(
        { backend: 'btrack' },
        {
          bundleTrackerConfig: { text: bacteriaBtrackConfigText(), file: 'built-in' },
          linkerOptions: { volume: { minX: 0, maxX: field.width, minY: 0, maxY: field.height } },
        },
      ).tracker,
    format: 'ctc',
    outputDir: out,
  });
  expect(report).toMatchObject({ frames: 53, objects: 3471 });
  const { scores } = await evaluateCtc(out, path.join(colony, 'GT'));
  console.log(
    `dense colony: TRA ${scores.TRA.toFixed(4)}, links P ${scores.links.precision} R ${scores.links.recall}, divisions P ${scores.divisions.precision} R ${scores.divisions.recall} (${scores.divisions.matched}/${scores.divisions.result}/${scores.divisions.reference})`,
  );
  expect(scores.counts.referenceVertices).toBe(3471);
  expect(scores.divisions.reference).toBe(330);
  expect(scores.links.precision).toBeGreaterThanOrEqual(0.98);
  expect(scores.links.recall).toBeGreaterThanOrEqual(0.98);
  expect(scores.divisions.precision).toBeGreaterThanOrEqual(0.9);
  expect(scores.divisions.recall).toBeGreaterThanOrEqual(0.9);
}, 180_000);

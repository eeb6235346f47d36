/**
 * `hitmic evaluate-tracking RESULT GT [--json]`: Cell Tracking Challenge scores of a tracking
 * result against ground truth.
 */
import path from 'node:path';
import { AOGM_WEIGHTS, evaluateCtc, type TrackingScores } from '../../tracking';
import { parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../command';

const USAGE = `Usage: hitmic evaluate-tracking RESULT GT [--json]

Scores a tracking result the way the Cell Tracking Challenge does. RESULT is a CTC result folder
(maskTTT.tif + res_track.txt, as 'hitmic track --format ctc' writes); GT is the ground truth
(man_trackTTT.tif + man_track.txt, or a folder holding TRA/ with them).

A result object matches a ground-truth object when it covers more than half of its pixels.
  DET   detection accuracy: 1 − min(AOGM-D, AOGM-D0)/AOGM-D0, AOGM-D = 5·NS + 10·FN + 1·FP
  TRA   tracking accuracy:  1 − min(AOGM, AOGM0)/AOGM0,
        AOGM = 5·NS + 10·FN + 1·FP + 1·ED + 1.5·EA + 1·EC (split, missed, false objects;
        redundant, missing and wrongly typed links); AOGM0 builds the ground truth from nothing
  links      precision and recall of frame-to-frame and mother-to-daughter links
  divisions  precision and recall of divisions (mother and both daughters matched, same frame)

Options:
  --json   print {DET, TRA, AOGM, AOGM0, AOGMD, AOGMD0, counts, links, divisions} as JSON
`;

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(2)} %`);

export function formatScores(s: TrackingScores): string {
  const c = s.counts;
  const w = AOGM_WEIGHTS;
  return [
    `DET ${s.DET.toFixed(4)}   TRA ${s.TRA.toFixed(4)}`,
    `  objects: ${c.referenceVertices} in the ground truth, ${c.resultVertices} in the result; missed (FN) ${c.FN}, false (FP) ${c.FP}, to split (NS) ${c.NS}`,
    `  links:   ${c.referenceEdges} in the ground truth, ${c.resultEdges} in the result; redundant (ED) ${c.ED}, missing (EA) ${c.EA}, wrong type (EC) ${c.EC}`,
    `  AOGM ${s.AOGM.toFixed(1)} of ${s.AOGM0.toFixed(1)} (weights NS ${w.NS}, FN ${w.FN}, FP ${w.FP}, ED ${w.ED}, EA ${w.EA}, EC ${w.EC})`,
    `links      precision ${pct(s.links.precision)}  recall ${pct(s.links.recall)}  (${s.links.matched} correct of ${s.links.result} made, ${s.links.reference} true)`,
    `divisions  precision ${pct(s.divisions.precision)}  recall ${pct(s.divisions.recall)}  (${s.divisions.matched} correct of ${s.divisions.result} found, ${s.divisions.reference} true)`,
  ].join('\n');
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { options: o, positionals } = parseArgs(argv, { json: { type: 'boolean' } }, 'evaluate-tracking');
  if (positionals.length !== 2)
    throw new CliError(
      `'evaluate-tracking' needs two folders, RESULT and GT, got ${positionals.length} (see 'hitmic evaluate-tracking --help')`,
    );
  const [result, gt] = positionals.map((p) => path.resolve(io.cwd, p));
  const { scores } = await evaluateCtc(result, gt);
  io.stdout.write(o.json === true ? `${JSON.stringify(scores, null, 2)}\n` : `${formatScores(scores)}\n`);
  return 0;
}

export const evaluateTrackingCommand: CliCommand = {
  name: 'evaluate-tracking',
  summary:
    'score a tracking result against ground truth (Cell Tracking Challenge DET, TRA, links, divisions)',
  usage: USAGE,
  run,
};

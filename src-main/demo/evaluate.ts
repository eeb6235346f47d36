/**
 * Accuracy of a run against ground truth (the demo movie's truth, or any labelled movie):
 * segmentation F1 at IoU 0.5, class and PI accuracy on matched objects, the fraction of true
 * frame-to-frame links the tracker kept, and divisions found. Pure functions over label frames.
 */

export interface ObjectMatch {
  frame: number;
  predicted: number;
  truth: number;
  iou: number;
}

/**
 * Matches predicted to true objects in one frame by IoU > 0.5 (such a match is unique on both
 * sides, so no assignment step is needed). One pass over the pixels.
 */
export function matchFrame(
  frame: number,
  predicted: ArrayLike<number>,
  truth: ArrayLike<number>,
): { matches: ObjectMatch[]; predictedCount: number; truthCount: number } {
  const overlap = new Map<number, number>();
  const predArea = new Map<number, number>();
  const truthArea = new Map<number, number>();
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i];
    const t = truth[i];
    if (p) predArea.set(p, (predArea.get(p) ?? 0) + 1);
    if (t) truthArea.set(t, (truthArea.get(t) ?? 0) + 1);
    if (p && t) {
      const key = p * 4294967296 + t;
      overlap.set(key, (overlap.get(key) ?? 0) + 1);
    }
  }
  const matches: ObjectMatch[] = [];
  for (const [key, inter] of overlap) {
    const p = Math.floor(key / 4294967296);
    const t = key - p * 4294967296;
    const iou = inter / (predArea.get(p)! + truthArea.get(t)! - inter);
    if (iou > 0.5) matches.push({ frame, predicted: p, truth: t, iou });
  }
  return { matches, predictedCount: predArea.size, truthCount: truthArea.size };
}

export interface TruthObject {
  frame: number;
  label: number;
  className: string;
  piClass: string;
  trackId: number;
  parentTrackId: number;
}

export interface PredictedObject {
  frame: number;
  label: number;
  className: string;
  piClass: string;
  trackId: number;
  parentTrackId: number;
}

export interface Evaluation {
  frames: number;
  truthObjects: number;
  predictedObjects: number;
  matched: number;
  precision: number;
  recall: number;
  f1: number;
  classAccuracy: number;
  piAccuracy: number;
  /** True links (same track in consecutive frames, both ends matched) that kept one predicted track id. */
  linksTotal: number;
  linksCorrect: number;
  linkAccuracy: number;
  divisionsTrue: number;
  divisionsFound: number;
}

const key = (frame: number, label: number) => `${frame}:${label}`;
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function evaluate(
  matches: ObjectMatch[],
  counts: { predicted: number; truth: number; frames: number },
  truth: TruthObject[],
  predicted: PredictedObject[],
): Evaluation {
  const truthBy = new Map(truth.map((t) => [key(t.frame, t.label), t]));
  const predBy = new Map(predicted.map((p) => [key(p.frame, p.label), p]));
  const predOfTruth = new Map<string, PredictedObject>();
  let classOk = 0;
  let piOk = 0;
  let paired = 0;
  for (const m of matches) {
    const t = truthBy.get(key(m.frame, m.truth));
    const p = predBy.get(key(m.frame, m.predicted));
    if (!t || !p) continue;
    paired++;
    predOfTruth.set(key(t.frame, t.label), p);
    if (t.className === p.className) classOk++;
    if (t.piClass === p.piClass) piOk++;
  }
  // Links: consecutive appearances of one true track.
  const byTrack = new Map<number, TruthObject[]>();
  for (const t of truth)
    if (t.trackId >= 0) (byTrack.get(t.trackId) ?? byTrack.set(t.trackId, []).get(t.trackId)!).push(t);
  let linksTotal = 0;
  let linksCorrect = 0;
  let divisionsTrue = 0;
  let divisionsFound = 0;
  const firstOfTrack = new Map<number, TruthObject>();
  for (const [id, objs] of byTrack) {
    objs.sort((a, b) => a.frame - b.frame);
    firstOfTrack.set(id, objs[0]);
    for (let i = 1; i < objs.length; i++) {
      if (objs[i].frame !== objs[i - 1].frame + 1) continue;
      const a = predOfTruth.get(key(objs[i - 1].frame, objs[i - 1].label));
      const b = predOfTruth.get(key(objs[i].frame, objs[i].label));
      if (!a || !b) continue;
      linksTotal++;
      if (a.trackId >= 0 && a.trackId === b.trackId) linksCorrect++;
    }
  }
  // Divisions: a daughter track's first object; found when the predicted object there either
  // continues the mother's predicted track or names it as parent.
  for (const [, first] of firstOfTrack) {
    if (first.parentTrackId < 0) continue;
    const mother = byTrack.get(first.parentTrackId)?.filter((o) => o.frame === first.frame - 1)[0];
    if (!mother) continue;
    divisionsTrue++;
    const d = predOfTruth.get(key(first.frame, first.label));
    const m = predOfTruth.get(key(mother.frame, mother.label));
    if (d && m && m.trackId >= 0 && (d.parentTrackId === m.trackId || d.trackId === m.trackId))
      divisionsFound++;
  }
  const precision = ratio(paired, counts.predicted);
  const recall = ratio(paired, counts.truth);
  return {
    frames: counts.frames,
    truthObjects: counts.truth,
    predictedObjects: counts.predicted,
    matched: paired,
    precision,
    recall,
    f1: ratio(2 * paired, counts.predicted + counts.truth),
    classAccuracy: ratio(classOk, paired),
    piAccuracy: ratio(piOk, paired),
    linksTotal,
    linksCorrect,
    linkAccuracy: ratio(linksCorrect, linksTotal),
    divisionsTrue,
    divisionsFound,
  };
}

/**
 * Object matching of the Cell Tracking Challenge (Matula et al. 2015): a result object matches a
 * reference (ground-truth) object when it covers more than half of the reference object's pixels.
 * A reference object has at most one match; a result object may match several (it must then be
 * split, AOGM's NS operation).
 */

/** A label image: row-major, 0 = background. */
export type Labels = Uint8Array | Uint16Array | Uint32Array | Int32Array;

/** The objects of one frame in both annotations, and the match of each reference object. */
export interface FrameMatch {
  /** Reference labels present, ascending. */
  gt: Uint32Array;
  /** Result labels present, ascending. */
  res: Uint32Array;
  /** `match[k]`: the result label matching reference label `gt[k]`, 0 for none. */
  match: Uint32Array;
}

function presentLabels(labels: Labels): { list: Uint32Array; slot: Map<number, number> } {
  const set = new Set<number>();
  for (let i = 0; i < labels.length; i++) if (labels[i] > 0) set.add(labels[i]);
  const list = Uint32Array.from(set).sort();
  const slot = new Map<number, number>();
  list.forEach((l, k) => slot.set(l, k));
  return { list, slot };
}

/**
 * Matches the objects of one frame. @throws RangeError when the two images differ in size (the
 * caller names the files).
 */
export function matchFrame(gt: Labels, res: Labels): FrameMatch {
  if (gt.length !== res.length)
    throw new RangeError(`frames differ in size: ${gt.length} and ${res.length} pixels`);
  const g = presentLabels(gt);
  const r = presentLabels(res);
  const ng = g.list.length;
  const nr = r.list.length;
  const gtArea = new Float64Array(ng);
  // Overlap counts keyed by gtSlot * (nr + 1) + resSlot: the pairs that touch are few.
  const overlap = new Map<number, number>();
  const stride = nr + 1;
  let lastG = -1;
  let lastR = -1;
  let gs = -1;
  let rs = -1;
  for (let i = 0; i < gt.length; i++) {
    const a = gt[i];
    if (a === 0) continue;
    if (a !== lastG) {
      lastG = a;
      gs = g.slot.get(a) as number;
    }
    gtArea[gs]++;
    const b = res[i];
    if (b === 0) continue;
    if (b !== lastR) {
      lastR = b;
      rs = r.slot.get(b) as number;
    }
    const key = gs * stride + rs;
    overlap.set(key, (overlap.get(key) ?? 0) + 1);
  }
  const match = new Uint32Array(ng);
  for (const [key, count] of overlap) {
    const gk = Math.floor(key / stride);
    if (count > 0.5 * gtArea[gk]) match[gk] = r.list[key - gk * stride];
  }
  return { gt: g.list, res: r.list, match };
}

/**
 * Frame matches when both annotations hold the same masks under different labels (tracking a
 * given segmentation): `gt[k]` and `res[k]` label the same object in each frame (`res[k]` 0: the
 * object was left untracked, so it matches nothing).
 */
export function identityMatch(gtLabels: Uint32Array, resLabels: Uint32Array): FrameMatch {
  const order = Array.from(gtLabels.keys()).sort((a, b) => gtLabels[a] - gtLabels[b]);
  return {
    gt: Uint32Array.from(order, (k) => gtLabels[k]),
    res: Uint32Array.from(resLabels.filter((l) => l > 0)).sort(),
    match: Uint32Array.from(order, (k) => resLabels[k]),
  };
}

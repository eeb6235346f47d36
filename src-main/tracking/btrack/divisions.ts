/**
 * Division geometry for the global pass: where a dividing rod leaves its daughters, and a local
 * exchange of daughters between divisions of one frame.
 *
 * A rod that divides leaves its two daughters around its centre along its major axis, each a
 * quarter of its major axis length out ({@link DAUGHTER_OFFSET}). The global assignment prices
 * each daughter on its own (its distance to the nearer of the two spots), which cannot see that
 * two daughters of one mother take *both* spots; in a packed colony where neighbours divide in the
 * same frame, that lets two mothers swap a daughter. {@link exchangeDaughters} repairs it: for
 * every two divisions of one frame whose mothers are near each other it re-pairs their four
 * daughters (three pairings, two ways round) to the cheapest total of "each daughter on its own
 * spot", keeping only pairings whose daughters are daughter-sized for their new mother.
 */

/** Daughter centroid offset from the mother's, as a fraction of her major axis length. */
export const DAUGHTER_OFFSET = 0.25;

/** Mother geometry at the daughters' frame: predicted centre and half-axis vector (pixels). */
export interface MotherSpots {
  x: Float64Array;
  y: Float64Array;
  /** DAUGHTER_OFFSET × major axis along the major axis; 0 without orientation / axis lengths. */
  ux: Float64Array;
  uy: Float64Array;
}

/** Distance from (x, y) to the nearer daughter spot of mother i. */
export function spotDistance(s: MotherSpots, i: number, x: number, y: number): number {
  const dx = x - s.x[i];
  const dy = y - s.y[i];
  return Math.min(Math.hypot(dx - s.ux[i], dy - s.uy[i]), Math.hypot(dx + s.ux[i], dy + s.uy[i]));
}

/** Cost of daughters a, b (positions) taking mother i's two spots, one each. */
export function pairCost(s: MotherSpots, i: number, ax: number, ay: number, bx: number, by: number): number {
  const px = s.x[i] + s.ux[i];
  const py = s.y[i] + s.uy[i];
  const qx = s.x[i] - s.ux[i];
  const qy = s.y[i] - s.uy[i];
  const one = Math.hypot(ax - px, ay - py) + Math.hypot(bx - qx, by - qy);
  const two = Math.hypot(ax - qx, ay - qy) + Math.hypot(bx - px, by - py);
  return Math.min(one, two);
}

/** The three ways to split four daughters into two pairs, each given to mothers (i, j) both ways. */
const PAIRINGS: [number, number, number, number][] = [
  [0, 1, 2, 3],
  [2, 3, 0, 1],
  [0, 2, 1, 3],
  [1, 3, 0, 2],
  [0, 3, 1, 2],
  [1, 2, 0, 3],
];

/**
 * Re-pairs daughters between divisions of one frame (see the module comment). `daughters[i]` is
 * [a, b] (start rows' tracklets) or []; `pos(j)` gives tracklet j's first position; `fits(i, j)`
 * says whether tracklet j may be a daughter of mother i (size, distance); mothers further apart
 * than `reach` are not compared. Changes `daughters` in place and returns the number of divisions
 * changed.
 */
export function exchangeDaughters(
  daughters: number[][],
  spots: MotherSpots,
  frameOf: (j: number) => number,
  pos: (j: number) => [number, number],
  fits: (i: number, j: number) => boolean,
  reach: number,
): number {
  const byFrame = new Map<number, number[]>();
  daughters.forEach((d, i) => {
    if (d.length !== 2) return;
    const f = frameOf(d[0]);
    const list = byFrame.get(f);
    if (list) list.push(i);
    else byFrame.set(f, [i]);
  });
  const cost = (i: number, a: number, b: number) => {
    const [ax, ay] = pos(a);
    const [bx, by] = pos(b);
    return pairCost(spots, i, ax, ay, bx, by);
  };
  let changed = 0;
  for (const mothers of byFrame.values()) {
    for (let pass = 0; pass < 4; pass++) {
      let improved = false;
      for (let p = 0; p < mothers.length; p++)
        for (let q = p + 1; q < mothers.length; q++) {
          const i = mothers[p];
          const j = mothers[q];
          if (Math.hypot(spots.x[i] - spots.x[j], spots.y[i] - spots.y[j]) > reach) continue;
          const four = [...daughters[i], ...daughters[j]];
          const now = cost(i, four[0], four[1]) + cost(j, four[2], four[3]);
          let best = now;
          let pick = -1;
          PAIRINGS.forEach(([a, b, c, d], k) => {
            if (k === 0) return;
            const [da, db, dc, dd] = [four[a], four[b], four[c], four[d]];
            if (!fits(i, da) || !fits(i, db) || !fits(j, dc) || !fits(j, dd)) return;
            const total = cost(i, da, db) + cost(j, dc, dd);
            if (total < best - 1e-9) {
              best = total;
              pick = k;
            }
          });
          if (pick > 0) {
            const [a, b, c, d] = PAIRINGS[pick];
            daughters[i] = [four[a], four[b]];
            daughters[j] = [four[c], four[d]];
            changed++;
            improved = true;
          }
        }
      if (!improved) break;
    }
  }
  return changed;
}

/**
 * Linking with "no link" alternatives, as a linear assignment problem (Jaqaman et al. 2008, Nature
 * Methods 5:695, the LAP of u-track and TrackMate): sources (track ends) are linked to targets
 * (detections or tracklet starts) through candidate links, or left alone at their own cost.
 *
 * Each connected component of the candidate graph is solved on its own with the dense square
 * block matrix
 *
 *     [ links (ns×nt)          | source alone (diag, ns×ns) ]
 *     [ target alone (diag)    | links' feasibility (nt×ns), cost 0 ]
 *
 * whose lower-right block lets the unused "alone" entries of linked pairs pair up at no cost, so the
 * total is exactly Σ chosen link costs + Σ alone costs of the unlinked. Forbidden entries are
 * +Infinity; the block structure is always feasible. Components keep the dense solver's O(n³) to
 * the size of a neighbourhood, not of the frame.
 */
import { linearSumAssignment } from './assignment';

export interface LinkProblem {
  sources: number;
  targets: number;
  /** Candidate links: `linkSource[k]` → `linkTarget[k]` at `linkCost[k]` (finite). */
  linkSource: Int32Array;
  linkTarget: Int32Array;
  linkCost: Float64Array;
  /** Cost of leaving each source / each target without a link (finite). */
  sourceAlone: Float64Array;
  targetAlone: Float64Array;
}

/** Union–find with path halving. */
class Components {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]];
      i = p[i];
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[ra] = rb;
  }
}

/**
 * The optimal links: `targetOf[s]` is the target linked to source s, or −1 when s stays alone.
 * Among equal-cost optima the choice is deterministic (the dense solver's tie rules).
 */
export function solveLinks(p: LinkProblem): Int32Array {
  const { sources: ns, targets: nt } = p;
  const targetOf = new Int32Array(ns).fill(-1);
  const nLinks = p.linkSource.length;
  if (nLinks === 0) return targetOf;
  // nodes 0..ns-1 are sources, ns..ns+nt-1 targets
  const uf = new Components(ns + nt);
  for (let k = 0; k < nLinks; k++) uf.union(p.linkSource[k], ns + p.linkTarget[k]);
  const groups = new Map<number, { src: number[]; dst: number[]; links: number[] }>();
  const groupOf = (node: number) => {
    const r = uf.find(node);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = { src: [], dst: [], links: [] }));
    return g;
  };
  for (let k = 0; k < nLinks; k++) groupOf(p.linkSource[k]).links.push(k);
  for (const g of groups.values()) {
    const seenS = new Set<number>();
    const seenT = new Set<number>();
    for (const k of g.links) {
      if (!seenS.has(p.linkSource[k])) {
        seenS.add(p.linkSource[k]);
        g.src.push(p.linkSource[k]);
      }
      if (!seenT.has(p.linkTarget[k])) {
        seenT.add(p.linkTarget[k]);
        g.dst.push(p.linkTarget[k]);
      }
    }
    g.src.sort((a, b) => a - b);
    g.dst.sort((a, b) => a - b);
    solveComponent(p, g.src, g.dst, g.links, targetOf);
  }
  return targetOf;
}

function solveComponent(
  p: LinkProblem,
  src: number[],
  dst: number[],
  links: number[],
  out: Int32Array,
): void {
  const ns = src.length;
  const nt = dst.length;
  if (ns === 1 && nt === 1) {
    // One candidate pair: link when cheaper than leaving both alone (the common case).
    let best = Infinity;
    for (const k of links) best = Math.min(best, p.linkCost[k]);
    if (best < p.sourceAlone[src[0]] + p.targetAlone[dst[0]]) out[src[0]] = dst[0];
    return;
  }
  const n = ns + nt;
  const cost = new Float64Array(n * n).fill(Infinity);
  const rowOf = new Map<number, number>();
  const colOf = new Map<number, number>();
  src.forEach((s, i) => rowOf.set(s, i));
  dst.forEach((t, j) => colOf.set(t, j));
  for (const k of links) {
    const r = rowOf.get(p.linkSource[k]) as number;
    const c = colOf.get(p.linkTarget[k]) as number;
    const at = r * n + c;
    if (p.linkCost[k] < cost[at]) cost[at] = p.linkCost[k];
    cost[(ns + c) * n + nt + r] = 0;
  }
  for (let r = 0; r < ns; r++) cost[r * n + nt + r] = p.sourceAlone[src[r]];
  for (let c = 0; c < nt; c++) cost[(ns + c) * n + c] = p.targetAlone[dst[c]];
  const a = linearSumAssignment(cost, n, n);
  for (let k = 0; k < a.rowInd.length; k++) {
    const r = a.rowInd[k];
    const c = a.colInd[k];
    if (r < ns && c < nt) out[src[r]] = dst[c];
  }
}

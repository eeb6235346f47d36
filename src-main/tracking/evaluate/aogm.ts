/**
 * Tracking scores as the Cell Tracking Challenge computes them (Matula et al. 2015, "Cell
 * Tracking Accuracy Measurement Based on Comparison of Acyclic Oriented Graphs", and the CTC's
 * own py-ctcmetrics), plus link and division precision/recall.
 *
 * Graphs: a vertex per object and frame; a *track link* (semantic 0) between the two objects of
 * one label in consecutive frames; a *parent link* (semantic 1) from a track's parent at the
 * parent's last frame to the track's first object.
 *
 * Vertices: a reference vertex is a true positive when matched (match.ts), else a false negative
 * (FN); a result vertex matching no reference vertex is a false positive (FP); one matching k > 1
 * reference vertices needs k − 1 splits (NS). Edges are compared on the result edges whose ends
 * match exactly one reference vertex each: such an edge absent from the reference is redundant
 * (ED), a reference edge missing from them is added (EA), and a matched edge of the other
 * semantic is changed (EC).
 *
 * AOGM = 5·NS + 10·FN + 1·FP + 1·ED + 1.5·EA + 1·EC; TRA = 1 − min(AOGM, AOGM₀)/AOGM₀ with AOGM₀ =
 * 10·|V_ref| + 1.5·|E_ref| (building the reference from nothing). DET uses the vertex terms only:
 * AOGM-D = 5·NS + 10·FN + 1·FP, AOGM-D₀ = 10·|V_ref|.
 *
 * Links (ours): precision = matched result edges / all result edges, recall = matched / all
 * reference edges (both semantics); null where the denominator is 0. Divisions: a track with two or more daughters; a result
 * division matches a reference one when the mothers end in the same frame and match there, and
 * every reference daughter's first object matches a distinct result daughter's first object in
 * the same frame (the CTC's branching correctness BC(0)).
 */
import { CtcFormatError } from '../ctc/errors';
import type { CtcTrack } from '../ctc/tracks';
import type { FrameMatch } from './match';

export const AOGM_WEIGHTS = { NS: 5, FN: 10, FP: 1, ED: 1, EA: 1.5, EC: 1 } as const;

export interface AogmCounts {
  NS: number;
  FN: number;
  FP: number;
  ED: number;
  EA: number;
  EC: number;
  referenceVertices: number;
  referenceEdges: number;
  resultVertices: number;
  resultEdges: number;
}

export interface PrecisionRecall {
  /** null when there is nothing to divide by (no result events / no reference events). */
  precision: number | null;
  recall: number | null;
  /** Matched events, result events, reference events. */
  matched: number;
  result: number;
  reference: number;
}

export interface TrackingScores {
  DET: number;
  TRA: number;
  AOGM: number;
  AOGM0: number;
  AOGMD: number;
  AOGMD0: number;
  counts: AogmCounts;
  links: PrecisionRecall;
  divisions: PrecisionRecall;
}

interface Graph {
  /** Vertex index of (frame, label). */
  vertex: Map<number, number>[];
  /** Edges as from * V + to, with their semantic. */
  edges: Map<number, number>;
  vertices: number;
}

function buildGraph(labelsPerFrame: Uint32Array[], tracks: readonly CtcTrack[], what: string): Graph {
  const vertex: Map<number, number>[] = [];
  let v = 0;
  for (const labels of labelsPerFrame) {
    const m = new Map<number, number>();
    for (const l of labels) m.set(l, v++);
    vertex.push(m);
  }
  const edges = new Map<number, number>();
  for (let t = 0; t + 1 < labelsPerFrame.length; t++) {
    const next = vertex[t + 1];
    for (const [l, a] of vertex[t]) {
      const b = next.get(l);
      if (b !== undefined) edges.set(a * v + b, 0);
    }
  }
  const byLabel = new Map(tracks.map((t) => [t.label, t]));
  for (const t of tracks) {
    if (t.parent === 0) continue;
    const p = byLabel.get(t.parent) as CtcTrack;
    const a = vertex[p.end]?.get(p.label);
    const b = vertex[t.begin]?.get(t.label);
    if (a === undefined || b === undefined) {
      const [which, frame] = a === undefined ? [p.label, p.end] : [t.label, t.begin];
      throw new CtcFormatError(
        what,
        `track ${t.label} (parent ${t.parent})`,
        `label ${which} in the mask of frame ${frame}, as the track table says`,
        'no such object',
        'Make the track table agree with the masks (each track present from B to E).',
      );
    }
    edges.set(a * v + b, 1);
  }
  return { vertex, edges, vertices: v };
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/**
 * Scores a result against a reference. `frames[t]` holds frame t's objects and matches;
 * `reference` and `result` are the track tables. @throws CtcFormatError when a track table
 * names an object the masks lack.
 */
export function scoreTracking(
  frames: readonly FrameMatch[],
  reference: readonly CtcTrack[],
  result: readonly CtcTrack[],
): TrackingScores {
  const R = buildGraph(
    frames.map((f) => f.gt),
    reference,
    'reference',
  );
  const C = buildGraph(
    frames.map((f) => f.res),
    result,
    'result',
  );
  // Vertex matching.
  const refToRes = new Int32Array(R.vertices).fill(-1);
  const hits = new Int32Array(C.vertices);
  frames.forEach((f, t) => {
    f.gt.forEach((g, k) => {
      const r = f.match[k];
      if (r === 0) return;
      const cv = C.vertex[t].get(r);
      if (cv === undefined) return;
      refToRes[R.vertex[t].get(g) as number] = cv;
      hits[cv]++;
    });
  });
  let FN = 0;
  for (let i = 0; i < R.vertices; i++) if (refToRes[i] < 0) FN++;
  let FP = 0;
  let NS = 0;
  const resToRef = new Int32Array(C.vertices).fill(-1);
  for (let i = 0; i < C.vertices; i++) {
    if (hits[i] === 0) FP++;
    else if (hits[i] > 1) NS += hits[i] - 1;
  }
  for (let i = 0; i < R.vertices; i++) {
    const c = refToRes[i];
    if (c >= 0 && hits[c] === 1) resToRef[c] = i;
  }
  // Edges between uniquely matched result vertices, mapped onto the reference.
  let ED = 0;
  let EC = 0;
  let matchedEdges = 0;
  for (const [key, sem] of C.edges) {
    const a = Math.floor(key / C.vertices);
    const b = key - a * C.vertices;
    const ra = resToRef[a];
    const rb = resToRef[b];
    if (ra < 0 || rb < 0) continue;
    const refSem = R.edges.get(ra * R.vertices + rb);
    if (refSem === undefined) ED++;
    else {
      matchedEdges++;
      if (refSem !== sem) EC++;
    }
  }
  const EA = R.edges.size - matchedEdges;
  const w = AOGM_WEIGHTS;
  const AOGM = w.NS * NS + w.FN * FN + w.FP * FP + w.ED * ED + w.EA * EA + w.EC * EC;
  const AOGM0 = w.FN * R.vertices + w.EA * R.edges.size;
  const AOGMD = w.NS * NS + w.FN * FN + w.FP * FP;
  const AOGMD0 = w.FN * R.vertices;
  return {
    DET: AOGMD0 === 0 ? 1 : 1 - Math.min(AOGMD, AOGMD0) / AOGMD0,
    TRA: AOGM0 === 0 ? 1 : 1 - Math.min(AOGM, AOGM0) / AOGM0,
    AOGM,
    AOGM0,
    AOGMD,
    AOGMD0,
    counts: {
      NS,
      FN,
      FP,
      ED,
      EA,
      EC,
      referenceVertices: R.vertices,
      referenceEdges: R.edges.size,
      resultVertices: C.vertices,
      resultEdges: C.edges.size,
    },
    links: {
      precision: ratio(matchedEdges, C.edges.size),
      recall: ratio(matchedEdges, R.edges.size),
      matched: matchedEdges,
      result: C.edges.size,
      reference: R.edges.size,
    },
    divisions: scoreDivisions(frames, reference, result),
  };
}

function divisionsOf(tracks: readonly CtcTrack[]): Map<number, CtcTrack[]> {
  const children = new Map<number, CtcTrack[]>();
  for (const t of tracks) {
    if (t.parent === 0) continue;
    const list = children.get(t.parent);
    if (list) list.push(t);
    else children.set(t.parent, [t]);
  }
  for (const [p, list] of children) if (list.length < 2) children.delete(p);
  return children;
}

/** BC(0): divisions matched frame-exactly (see the module comment). */
export function scoreDivisions(
  frames: readonly FrameMatch[],
  reference: readonly CtcTrack[],
  result: readonly CtcTrack[],
): PrecisionRecall {
  const refDiv = divisionsOf(reference);
  const resDiv = divisionsOf(result);
  const refEnd = new Map(reference.map((t) => [t.label, t.end]));
  const resEnd = new Map(result.map((t) => [t.label, t.end]));
  // matchAt(t, g): the result label matching reference label g in frame t (0 none)
  const lookup = frames.map((f) => new Map(Array.from(f.gt, (g, k) => [g, f.match[k]])));
  const matchAt = (t: number, g: number) => lookup[t]?.get(g) ?? 0;
  let matched = 0;
  for (const [refMother, refKids] of refDiv) {
    const t = refEnd.get(refMother) as number;
    const resMother = matchAt(t, refMother);
    if (resMother === 0 || !resDiv.has(resMother) || resEnd.get(resMother) !== t) continue;
    const resKids = resDiv.get(resMother) as CtcTrack[];
    if (resKids.length !== refKids.length) continue;
    const used = new Set<number>();
    const ok = refKids.every((k) => {
      const r = matchAt(k.begin, k.label);
      const kid = resKids.find((c) => c.label === r && c.begin === k.begin && !used.has(c.label));
      if (!kid) return false;
      used.add(kid.label);
      return true;
    });
    if (ok) matched++;
  }
  return {
    precision: ratio(matched, resDiv.size),
    recall: ratio(matched, refDiv.size),
    matched,
    result: resDiv.size,
    reference: refDiv.size,
  };
}

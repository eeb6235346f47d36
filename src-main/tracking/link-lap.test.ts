import { describe, expect, it } from 'vitest';
import { mulberry32 } from './__tests__/helpers';
import { solveLinks, type LinkProblem } from './link-lap';

/** Best total over every way to link (each source to at most one target and vice versa). */
function bruteForce(p: LinkProblem): number {
  const cost = new Map<string, number>();
  for (let k = 0; k < p.linkSource.length; k++) {
    const key = `${p.linkSource[k]}:${p.linkTarget[k]}`;
    cost.set(key, Math.min(cost.get(key) ?? Infinity, p.linkCost[k]));
  }
  let best = Infinity;
  const usedT = new Set<number>();
  const rec = (s: number, acc: number) => {
    if (s === p.sources) {
      let total = acc;
      for (let t = 0; t < p.targets; t++) if (!usedT.has(t)) total += p.targetAlone[t];
      best = Math.min(best, total);
      return;
    }
    rec(s + 1, acc + p.sourceAlone[s]);
    for (let t = 0; t < p.targets; t++) {
      const c = cost.get(`${s}:${t}`);
      if (c === undefined || usedT.has(t)) continue;
      usedT.add(t);
      rec(s + 1, acc + c);
      usedT.delete(t);
    }
  };
  rec(0, 0);
  return best;
}

function totalOf(p: LinkProblem, targetOf: Int32Array): number {
  let total = 0;
  const used = new Set<number>();
  for (let s = 0; s < p.sources; s++) {
    const t = targetOf[s];
    if (t < 0) {
      total += p.sourceAlone[s];
      continue;
    }
    used.add(t);
    let c = Infinity;
    for (let k = 0; k < p.linkSource.length; k++)
      if (p.linkSource[k] === s && p.linkTarget[k] === t) c = Math.min(c, p.linkCost[k]);
    expect(c).toBeLessThan(Infinity); // only candidate links are made
    total += c;
  }
  for (let t = 0; t < p.targets; t++) if (!used.has(t)) total += p.targetAlone[t];
  expect(used.size).toBe(targetOf.filter((t) => t >= 0).length); // no target used twice
  return total;
}

describe('solveLinks (assignment with "no link" alternatives, by components)', () => {
  it('finds the optimum on random sparse problems (checked by enumeration)', () => {
    const r = mulberry32(5);
    for (let trial = 0; trial < 60; trial++) {
      const sources = 1 + Math.floor(r() * 6);
      const targets = 1 + Math.floor(r() * 6);
      const ls: number[] = [];
      const lt: number[] = [];
      const lc: number[] = [];
      for (let s = 0; s < sources; s++)
        for (let t = 0; t < targets; t++)
          if (r() < 0.45) {
            ls.push(s);
            lt.push(t);
            lc.push(r() * 10 - 2); // negative costs too
          }
      const p: LinkProblem = {
        sources,
        targets,
        linkSource: Int32Array.from(ls),
        linkTarget: Int32Array.from(lt),
        linkCost: Float64Array.from(lc),
        sourceAlone: Float64Array.from({ length: sources }, () => r() * 4),
        targetAlone: Float64Array.from({ length: targets }, () => r() * 4),
      };
      expect(totalOf(p, solveLinks(p))).toBeCloseTo(bruteForce(p), 9);
    }
  });

  it('leaves both alone when that is cheaper than their link', () => {
    const p: LinkProblem = {
      sources: 1,
      targets: 1,
      linkSource: Int32Array.of(0),
      linkTarget: Int32Array.of(0),
      linkCost: Float64Array.of(5),
      sourceAlone: Float64Array.of(2),
      targetAlone: Float64Array.of(2),
    };
    expect(Array.from(solveLinks(p))).toEqual([-1]);
    p.linkCost[0] = 3.9;
    expect(Array.from(solveLinks(p))).toEqual([0]);
  });
});

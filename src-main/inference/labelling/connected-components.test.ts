import { describe, expect, it } from 'vitest';
import { labelComponents } from './connected-components';

function parse(rows: string[]): { mask: Uint8Array; h: number; w: number } {
  const h = rows.length;
  const w = rows[0].length;
  const mask = new Uint8Array(h * w);
  rows.forEach((r, y) => [...r].forEach((c, x) => (mask[y * w + x] = c === '#' ? 1 : 0)));
  return { mask, h, w };
}

function show(labels: ArrayLike<number>, h: number, w: number): string[] {
  const out: string[] = [];
  for (let y = 0; y < h; y++) {
    let s = '';
    for (let x = 0; x < w; x++) s += labels[y * w + x] ? String(labels[y * w + x]) : '.';
    out.push(s);
  }
  return out;
}

describe('connected components (scipy.ndimage.label semantics)', () => {
  const { mask, h, w } = parse([
    '#..#.', //
    '.#.#.',
    '..#..',
    '##..#',
  ]);

  it('4-connectivity: diagonal pixels are separate objects, numbered in raster order of first pixel', () => {
    const r = labelComponents(mask, h, w);
    // scipy.ndimage.label(mask) → [[1,0,0,2,0],[0,3,0,2,0],[0,0,4,0,0],[5,5,0,0,6]], 6 objects
    expect(show(r.labels, h, w)).toEqual(['1..2.', '.3.2.', '..4..', '55..6']);
    expect(r.count).toBe(6);
    expect(Array.from(r.areas)).toEqual([0, 1, 2, 1, 1, 2, 1]);
    expect(r.labels).toBeInstanceOf(Uint16Array);
  });

  it('8-connectivity joins diagonals', () => {
    const r = labelComponents(mask, h, w, { connectivity: 8 });
    expect(show(r.labels, h, w)).toEqual(['1..1.', '.1.1.', '..1..', '11..2']);
    expect(r.count).toBe(2);
  });

  it('U shapes merge late (union-find) and keep raster numbering', () => {
    const u = parse([
      '#.#.#', //
      '#.#.#',
      '###.#',
      '....#',
      '#####',
    ]);
    const r = labelComponents(u.mask, u.h, u.w);
    // scipy.ndimage.label: [[1,0,1,0,2],[1,0,1,0,2],[1,1,1,0,2],[0,0,0,0,2],[2,2,2,2,2]]
    expect(show(r.labels, u.h, u.w)).toEqual(['1.1.2', '1.1.2', '111.2', '....2', '22222']);
    expect(r.count).toBe(2);
    const v = parse(['.#.#', '##.#', '...#', '#...']);
    expect(show(labelComponents(v.mask, v.h, v.w).labels, v.h, v.w)).toEqual([
      '.1.2',
      '11.2',
      '...2',
      '3...',
    ]);
  });

  it('drops objects smaller than minSize (size ≥ minSize kept) and renumbers in raster order', () => {
    const m = parse([
      '##...###', //
      '##......',
      '......#.',
      '####..##',
    ]);
    const r = labelComponents(m.mask, m.h, m.w, { minSize: 4 });
    // sizes in raster order: A=4 (kept), B=3 (dropped), C=3 (dropped), D=4 (kept)
    expect(show(r.labels, m.h, m.w)).toEqual(['11......', '11......', '........', '2222....']);
    expect(r.count).toBe(2);
    expect(labelComponents(m.mask, m.h, m.w, { minSize: 3 }).count).toBe(4);
  });

  it('handles empty, full and 1×1 masks', () => {
    expect(labelComponents(new Uint8Array(6), 2, 3).count).toBe(0);
    const full = labelComponents(new Uint8Array(12).fill(1), 3, 4);
    expect(full.count).toBe(1);
    expect(full.areas[1]).toBe(12);
    expect(labelComponents(new Uint8Array([1]), 1, 1).count).toBe(1);
  });

  it('checkerboard: 4-connectivity gives one object per foreground pixel, beyond 65535 → Uint32Array', () => {
    const h = 400;
    const w = 400;
    const m = new Uint8Array(h * w);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = (x + y) % 2 === 0 ? 1 : 0;
    const r = labelComponents(m, h, w);
    expect(r.count).toBe(80000);
    expect(r.labels).toBeInstanceOf(Uint32Array);
    expect(r.labels[0]).toBe(1);
    expect(r.labels[2]).toBe(2);
    expect(r.labels[w + 1]).toBe(201);
    expect(labelComponents(m, h, w, { connectivity: 8 }).count).toBe(1);
  });

  // An independent reference: breadth-first flood fill from each unlabelled foreground pixel in raster
  // order (so objects are numbered by their first pixel), then the size filter and renumbering.
  function floodFill(m: Uint8Array, h: number, w: number, eight: boolean, minSize: number): number[] {
    const lab = new Int32Array(h * w);
    const sizes = [0];
    const steps = eight
      ? [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [dy, dx])).filter(([dy, dx]) => dy || dx)
      : [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1],
        ];
    for (let i = 0; i < h * w; i++) {
      if (!m[i] || lab[i]) continue;
      const id = sizes.length;
      sizes.push(0);
      const queue = [i];
      lab[i] = id;
      while (queue.length) {
        const p = queue.pop()!;
        sizes[id]++;
        const y = Math.floor(p / w);
        const x = p % w;
        for (const [dy, dx] of steps) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (m[q] && !lab[q]) {
            lab[q] = id;
            queue.push(q);
          }
        }
      }
    }
    const renum = [0];
    let n = 0;
    for (let id = 1; id < sizes.length; id++) renum.push(sizes[id] >= minSize ? ++n : 0);
    return Array.from(lab, (id) => renum[id]);
  }

  it('matches a flood-fill reference on random masks of every density, shape and setting', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 60; trial++) {
      const h = 1 + Math.floor(rand() * 40);
      const w = 1 + Math.floor(rand() * 40);
      const density = [0.1, 0.4, 0.55, 0.7, 0.95][trial % 5];
      const m = new Uint8Array(h * w);
      for (let i = 0; i < m.length; i++) m[i] = rand() < density ? 1 + Math.floor(rand() * 3) : 0;
      for (const eight of [false, true]) {
        const minSize = [0, 1, 3, 8][trial % 4];
        const r = labelComponents(m, h, w, { connectivity: eight ? 8 : 4, minSize });
        const ref = floodFill(m, h, w, eight, minSize);
        expect(Array.from(r.labels), `trial ${trial} ${h}×${w} ${eight ? 8 : 4}-conn`).toEqual(ref);
        expect(r.count).toBe(Math.max(0, ...ref));
        const areas = new Array<number>(r.count + 1).fill(0);
        ref.forEach((l) => l && areas[l]++);
        expect(Array.from(r.areas)).toEqual(areas);
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { ResultTable } from '../api';
import { classForKey, classesOf, currentClass, groupByClass, QC_CLASSES, selectCandidates } from './crops';
import { formatCsv } from '../io';
import { correctionCounts, correctionsCsv, mergeCorrections } from './corrections';
import { locationFromPath, movieName, runFileName } from './run-files';
import { classCountsOverTime, histogramByClass, killCurve, killCurveTable } from './plots';
import { applyCorrections, filterRows, frameExtent, isPiPositive, sortRows, toCell } from './table';

// A small table in the columns of {movie}_fl.csv.
const T: ResultTable = {
  columns: ['label', 'frame', 'area', 'object_class', 'class_prob', 'pi_class', 'timestep'],
  rows: [
    [1, 0, 10, 'single-cell', 0.9, 'piNEG', 0],
    [2, 0, 20, 'clump', 0.5, 'piPOS', 0],
    [3, 0, 30, 'single-cell', 0.7, 'piPOS', 0],
    [4, 1, 40, 'noise', 0.6, 'piNEG', 0.5],
    [5, 1, 50, 'single-cell', 0.95, 'piPOS', 0.5],
    [6, 2, null, 'single-cell', null, null, 1],
  ],
};

describe('table', () => {
  it('types CSV fields', () => {
    expect(toCell('')).toBeNull();
    expect(toCell('3.5')).toBe(3.5);
    expect(toCell('-1')).toBe(-1);
    expect(toCell('piPOS')).toBe('piPOS');
    expect(toCell('1e-5')).toBe(1e-5);
    expect(toCell('0x10')).toBe(16);
    expect(toCell('demo_movie')).toBe('demo_movie');
  });

  it('sorts by any column with nulls last both ways', () => {
    const area = T.columns.indexOf('area');
    expect(sortRows(T.rows, area, 'asc').map((r) => r[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sortRows(T.rows, area, 'desc').map((r) => r[0])).toEqual([5, 4, 3, 2, 1, 6]);
    const cls = T.columns.indexOf('object_class');
    expect(sortRows(T.rows, cls, 'asc').map((r) => r[0])).toEqual([2, 4, 1, 3, 5, 6]);
  });

  it('reads the folder and movie from a pasted output path', () => {
    expect(locationFromPath('/data/run1/pos01_fl.csv')).toEqual({ outputDir: '/data/run1', movie: 'pos01' });
    expect(locationFromPath('C:\\runs\\a_b_labels.tif')).toEqual({ outputDir: 'C:\\runs', movie: 'a_b' });
    expect(locationFromPath('/pos01_summary.csv')).toEqual({ outputDir: '/', movie: 'pos01' });
    expect(locationFromPath('/data/run1')).toBeUndefined();
    expect(locationFromPath('/data/run1/pos01_oof_summary.csv')).toEqual({
      outputDir: '/data/run1',
      movie: 'pos01',
    });
    expect(runFileName('pos01', 'cells')).toBe('pos01_fl.csv');
    expect(movieName('C:\\data\\pos01.ome.tif')).toBe('pos01');
    expect(movieName('/data/pos01.nd2')).toBe('pos01');
  });

  it('names a per-plane file set without its placeholders and their labels', () => {
    expect(movieName('/data/run1/img_t{T}.tif')).toBe('img');
    expect(movieName('/data/Position01Channel0{C}Frames{T}.tif')).toBe('Position01');
    expect(movieName('/data/MG1655_t{T}xy1c{C}.tif')).toBe('MG1655_xy1');
    expect(movieName('C:\\data\\sample_Channel_{C}.ome.tif')).toBe('sample');
    expect(movieName('/data/cat{T}.tif')).toBe('cat'); // "t" inside a word is not a label
    expect(movieName('/data/well3/{T}.tif')).toBe('well3');
    expect(movieName('/data/well3/')).toBe('well3');
    expect(movieName('{T}.tif')).toBe('movie');
    expect(movieName('/data/exp_t1.tif')).toBe('exp_t1'); // a plain file keeps its name
  });

  it('applies corrections to object_class by label, leaving the input alone', () => {
    const t = applyCorrections(T, [{ label: 2, newClass: 'single-cell' }]);
    const ci = T.columns.indexOf('object_class');
    expect(t.rows[1][ci]).toBe('single-cell');
    expect(T.rows[1][ci]).toBe('clump');
    expect(t.rows[0]).toBe(T.rows[0]);
    expect(classCountsOverTime(t, QC_CLASSES).counts[0]).toEqual([3, 1, 1]);
  });

  it('filters by class, PI status and frame range', () => {
    expect(filterRows(T, { className: 'single-cell' }).map((r) => r[0])).toEqual([1, 3, 5, 6]);
    expect(filterRows(T, { pi: 'positive' }).map((r) => r[0])).toEqual([2, 3, 5]);
    expect(filterRows(T, { pi: 'negative' }).map((r) => r[0])).toEqual([1, 4, 6]);
    expect(filterRows(T, { frameMin: 1, frameMax: 1 }).map((r) => r[0])).toEqual([4, 5]);
    expect(frameExtent(T)).toEqual([0, 2]);
    expect(isPiPositive('piPOS')).toBe(true);
    expect(isPiPositive('piNEG')).toBe(false);
    expect(isPiPositive(1)).toBe(true);
  });
});

describe('plots', () => {
  it('counts objects per class per frame', () => {
    const s = classCountsOverTime(T, QC_CLASSES);
    expect(s.axis.frames).toEqual([0, 1, 2]);
    expect(s.axis.hours).toEqual([0, 0.5, 1]);
    expect(s.axis.timed).toBe(true);
    expect(s.classes).toEqual(['single-cell', 'clump', 'noise']);
    expect(s.counts).toEqual([
      [2, 1, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('computes the PI-positive fraction per frame (kill curve)', () => {
    const k = killCurve(T);
    expect(k.positive).toEqual([2, 1, 0]);
    expect(k.total).toEqual([3, 2, 0]);
    expect(k.fraction).toEqual([2 / 3, 0.5, null]);
    expect(killCurve(T, 'single-cell').fraction).toEqual([0.5, 1, null]);
    expect(killCurveTable(k).rows[0]).toEqual([0, 0, 2, 3, 2 / 3]);
  });

  it('bins areas per class; the last bin holds the maximum', () => {
    const h = histogramByClass(T, 'area', QC_CLASSES, { maxBins: 4 });
    expect(h.edges).toEqual([10, 20, 30, 40, 50]);
    expect(h.overflowFrom).toBeNull();
    expect(h.classes).toEqual(['single-cell', 'clump', 'noise']);
    expect(h.counts).toEqual([
      [1, 0, 1, 1],
      [0, 1, 0, 0],
      [0, 0, 0, 1],
    ]);
    expect(h.counts.flat().reduce((a, b) => a + b, 0)).toBe(5);
  });
});

describe('crops and corrections', () => {
  it('orders candidates lowest confidence first and filters them', () => {
    expect(selectCandidates(T).map((c) => c.label)).toEqual([6, 2, 4, 3, 1, 5]);
    expect(selectCandidates(T, { className: 'single-cell', minConfidence: 0.8 }).map((c) => c.label)).toEqual(
      [1, 5],
    );
    expect(selectCandidates(T, { pi: 'positive', frameMin: 1 }).map((c) => c.label)).toEqual([5]);
    expect(selectCandidates(T, { pi: 'negative' }).map((c) => c.label)).toEqual([4, 1]);
  });

  it('groups by class in key order and maps keys 1–5', () => {
    const g = groupByClass(selectCandidates(T), classesOf(T));
    expect(g.map(([c, l]) => [c, l.map((x) => x.label)])).toEqual([
      ['single-cell', [6, 3, 1, 5]],
      ['clump', [2]],
      ['noise', [4]],
    ]);
    expect(classForKey('1', QC_CLASSES)).toBe('single-cell');
    expect(classForKey('5', QC_CLASSES)).toBe('joint-cell');
    expect(classForKey('6', QC_CLASSES)).toBeUndefined();
    expect(classForKey('a', QC_CLASSES)).toBeUndefined();
  });

  it('merges corrections, undoes them, counts and exports them', () => {
    let held = mergeCorrections([], [{ frame: 1, label: 4, oldClass: 'noise', newClass: 'clump' }]);
    held = mergeCorrections(held, [{ frame: 0, label: 2, oldClass: 'clump', newClass: 'single-cell' }]);
    held = mergeCorrections(held, [{ frame: 1, label: 4, oldClass: 'clump', newClass: 'off-focus' }]);
    expect(held).toEqual([
      { frame: 0, label: 2, oldClass: 'clump', newClass: 'single-cell' },
      { frame: 1, label: 4, oldClass: 'noise', newClass: 'off-focus' },
    ]);
    expect(currentClass({ label: 4, className: 'noise' }, held)).toBe('off-focus');
    expect(correctionCounts(held, QC_CLASSES)).toEqual([
      ['single-cell', 1],
      ['clump', 0],
      ['noise', 0],
      ['off-focus', 1],
      ['joint-cell', 0],
    ]);
    expect(correctionsCsv(held)).toBe(
      'frame,label,old_class,new_class\n0,2,clump,single-cell\n1,4,noise,off-focus\n',
    );
    held = mergeCorrections(held, [{ frame: 1, label: 4, oldClass: 'off-focus', newClass: 'noise' }]);
    expect(held.map((c) => c.label)).toEqual([2]);
    expect(formatCsv(['a', 'b'], [['x,y', null]])).toBe('a,b\n"x,y",\n');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPipeline, PIPELINE_REQUIRED_MODELS } from '../../src-shared/collections';
import { RUNNABLE_PIPELINES } from '../pipeline';
import { movieName } from '../results';
import { globToRegExp, selectMovies } from './select-movies';

const tmpDirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-sel-'));
  tmpDirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('movie selection', () => {
  it('names movies without any image extension', () => {
    expect(movieName('/a/exp1_pos3.ome.tif')).toBe('exp1_pos3');
    expect(movieName('x.TIFF')).toBe('x');
    expect(movieName('well.nd2')).toBe('well');
    expect(movieName('.tif')).toBe('');
  });

  it('treats file_pattern as a glob prefix, as HiTMicTools does', () => {
    expect(globToRegExp('exp1*.tif').test('exp1_a.tif')).toBe(true);
    expect(globToRegExp('exp1*.tif').test('xexp1_a.tif')).toBe(false);
    expect(globToRegExp('pos[12]*.tif').test('pos2.tif')).toBe(true);
    expect(globToRegExp('pos[!12]*.tif').test('pos2.tif')).toBe(false);
    expect(globToRegExp('a.b*').test('axb')).toBe(false);
  });

  it('selects by pattern, sorts, and skips movies already analysed unless forced', () => {
    const input = tmp();
    const output = tmp();
    for (const f of ['exp_b.tif', 'exp_a.tif', 'other.tif', 'exp_c.nd2'])
      fs.writeFileSync(path.join(input, f), '');
    fs.writeFileSync(path.join(output, 'exp_a_summary.csv'), '');
    fs.writeFileSync(path.join(output, 'exp_a_fl.csv'), '');
    fs.writeFileSync(path.join(output, 'exp_b_fl.csv'), ''); // only one of the two: not done
    const sel = selectMovies({
      inputFolder: input,
      fileType: '.tif',
      filePattern: 'exp',
      outputFolder: output,
    });
    expect(sel.files.map((f) => path.basename(f))).toEqual(['exp_b.tif']);
    expect(sel.skipped.map((f) => path.basename(f))).toEqual(['exp_a.tif']);
    const forced = selectMovies({
      inputFolder: input,
      fileType: '.tif',
      filePattern: null,
      outputFolder: output,
      force: true,
    });
    expect(forced.files.map((f) => path.basename(f))).toEqual(['exp_a.tif', 'exp_b.tif', 'other.tif']);
  });

  it('reads worklists and explains a missing input folder', () => {
    const input = tmp();
    fs.writeFileSync(path.join(input, 'm1.tif'), '');
    const list = path.join(input, 'list.txt');
    fs.writeFileSync(list, `${path.join(input, 'm1.tif')}\n\nmissing.tif\n`);
    expect(
      selectMovies({ inputFolder: input, fileType: '.tif', outputFolder: input, worklist: list }).files,
    ).toHaveLength(1);
    expect(() =>
      selectMovies({ inputFolder: path.join(input, 'nope'), fileType: '.tif', outputFolder: input }),
    ).toThrow(/is not a folder/);
  });
});

describe('pipeline registry', () => {
  it('finds pipelines exactly, then case-insensitively', () => {
    expect(findPipeline('ASCT_focusrestore')).toBe('ASCT_focusrestore');
    expect(findPipeline('asct_scsegm')).toBe('ASCT_scsegm');
    expect(findPipeline('nope')).toBeUndefined();
  });

  it('runs only pipelines HiTMicTools knows', () => {
    expect(RUNNABLE_PIPELINES).toEqual(['ASCT_focusrestore', 'ASCT_scsegm', 'oof_detection']);
    for (const p of RUNNABLE_PIPELINES) expect(PIPELINE_REQUIRED_MODELS[p]).toBeDefined();
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPipeline, PIPELINE_REQUIRED_MODELS } from '../../src-shared/collections';
import { RUNNABLE_PIPELINES } from '../pipeline';
import { openMovie } from '../io';
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

  it('selects by pattern, sorts, and skips movies already analysed unless forced', async () => {
    const input = tmp();
    const output = tmp();
    for (const f of ['exp_b.tif', 'exp_a.tif', 'other.tif', 'exp_c.nd2'])
      fs.writeFileSync(path.join(input, f), '');
    fs.writeFileSync(path.join(output, 'exp_a_summary.csv'), '');
    fs.writeFileSync(path.join(output, 'exp_a_fl.csv'), '');
    fs.writeFileSync(path.join(output, 'exp_b_fl.csv'), ''); // only one of the two: not done
    const sel = await selectMovies({
      inputFolder: input,
      fileType: '.tif',
      filePattern: 'exp',
      outputFolder: output,
    });
    expect(sel.files.map((f) => path.basename(f))).toEqual(['exp_b.tif']);
    expect(sel.skipped.map((f) => path.basename(f))).toEqual(['exp_a.tif']);
    const forced = await selectMovies({
      inputFolder: input,
      fileType: '.tif',
      filePattern: null,
      outputFolder: output,
      force: true,
    });
    expect(forced.files.map((f) => path.basename(f))).toEqual(['exp_a.tif', 'exp_b.tif', 'other.tif']);
  });

  it('reads worklists and explains a missing input folder', async () => {
    const input = tmp();
    fs.writeFileSync(path.join(input, 'm1.tif'), '');
    const list = path.join(input, 'list.txt');
    fs.writeFileSync(list, `${path.join(input, 'm1.tif')}\n\nmissing.tif\n`);
    expect(
      (await selectMovies({ inputFolder: input, fileType: '.tif', outputFolder: input, worklist: list }))
        .files,
    ).toHaveLength(1);
    await expect(
      selectMovies({ inputFolder: path.join(input, 'nope'), fileType: '.tif', outputFolder: input }),
    ).rejects.toThrow(/is not a folder/);
  });

  // Written by scripts/make-test-movies.py: img_t000..004.tif (one plane each), split_c1/_c2.tif
  // (3-frame ImageJ movies, one channel each), pos1.tif (one plane).
  const INPUT = path.resolve(__dirname, '../../test-support/movies/input-folder');

  it('a per-frame file set in input_folder is one movie named without its placeholder; channel-split movies stay apart', async () => {
    const output = tmp();
    const sel = await selectMovies({
      inputFolder: INPUT,
      fileType: '.tif',
      filePattern: '',
      outputFolder: output,
    });
    expect(sel.files.map((f) => path.relative(INPUT, f))).toEqual([
      'img_t{T}.tif',
      'pos1.tif',
      'split_c1.tif',
      'split_c2.tif',
    ]);
    expect(sel.fileSets).toEqual([{ pattern: path.join(INPUT, 'img_t{T}.tif'), files: 5 }]);
    const movie = await openMovie(sel.files[0]);
    expect(movie.info.shape).toMatchObject({ t: 5, c: 1, z: 1, y: 16, x: 24 });
    expect((await movie.readPlane({ t: 3, c: 0 })).data[2 * 24 + 1]).toBe(3000 + 1 + 4);
    await movie.close();
    expect(movieName(sel.files[0])).toBe('img');
    // Its outputs are found under that name: analysed, it is skipped.
    fs.writeFileSync(path.join(output, 'img_summary.csv'), '');
    fs.writeFileSync(path.join(output, 'img_fl.csv'), '');
    const again = await selectMovies({
      inputFolder: INPUT,
      fileType: '.tif',
      filePattern: 'img',
      outputFolder: output,
    });
    expect(again.files).toEqual([]);
    expect(again.skipped).toEqual([path.join(INPUT, 'img_t{T}.tif')]);
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

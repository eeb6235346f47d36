import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../src-shared/api';
import { groupSequenceFiles, holdsOnePlane } from '../io';
import { movieName, RunFolder } from '../results';

/** Converts a shell glob (`*`, `?`, `[...]`) to an anchored RegExp, as Python's fnmatch does. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export interface MovieSelection {
  /**
   * Movies to analyse, sorted by name: files, and per-frame file sets as their pattern
   * (`input/img_t{T}.tif`), which `openMovie` reads as one movie.
   */
  files: string[];
  /** The per-frame file sets found, with how many files each joins. */
  fileSets: { pattern: string; files: number }[];
  /** Movies skipped because both `<name>_summary.csv` and `<name>_fl.csv` exist in the output folder. */
  skipped: string[];
  pattern: string;
}

/**
 * Selects movies as HiTMicTools does: `input_folder/{file_pattern}*{file_type}` (a glob prefix,
 * not a regex), or the lines of a worklist `.txt` that exist and match the pattern. Unlike
 * HiTMicTools, files of the folder that are the frames (or channels) of one movie — one plane
 * each, names differing only in labelled numbers (`img_t000.tif`, `img_t001.tif`…) — are one
 * movie, not one movie per frame. Movies already analysed are skipped unless `force`.
 */
export async function selectMovies(options: {
  inputFolder: string;
  fileType: string;
  filePattern?: string | null;
  outputFolder: string;
  worklist?: string;
  force?: boolean;
}): Promise<MovieSelection> {
  const pattern = `${options.filePattern ?? ''}*${options.fileType}`;
  const matcher = globToRegExp(pattern);
  let candidates: string[];
  const fileSets: MovieSelection['fileSets'] = [];
  if (options.worklist) {
    if (!fs.existsSync(options.worklist))
      throw new ApiError('NOT_FOUND', `Worklist file not found: ${options.worklist}`, {
        file: options.worklist,
      });
    candidates = fs
      .readFileSync(options.worklist, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .map((l) => (path.isAbsolute(l) ? l : path.resolve(options.inputFolder, l)))
      .filter((l) => fs.existsSync(l) && matcher.test(path.basename(l)));
  } else {
    if (!fs.existsSync(options.inputFolder) || !fs.statSync(options.inputFolder).isDirectory()) {
      throw new ApiError(
        'NOT_FOUND',
        `input_folder '${options.inputFolder}' is not a folder; set input_data.input_folder to the folder holding your movies`,
        { folder: options.inputFolder },
      );
    }
    const names = fs.readdirSync(options.inputFolder).filter((f) => matcher.test(f));
    candidates = [];
    for (const group of groupSequenceFiles(options.inputFolder, names)) {
      // Channel-split movies (`exp_c1.tif`, `exp_c2.tif`) are named like a file set: only files of one plane join.
      if (group.pattern !== null && (await holdsOnePlane(group.files[0]))) {
        candidates.push(group.pattern);
        fileSets.push({ pattern: group.pattern, files: group.files.length });
      } else candidates.push(...group.files);
    }
  }
  candidates.sort();
  const output = new RunFolder(options.outputFolder);
  const files: string[] = [];
  const skipped: string[] = [];
  for (const f of candidates) {
    if (!options.force && output.isAnalysed(movieName(f))) skipped.push(f);
    else files.push(f);
  }
  return { files, skipped, pattern, fileSets };
}

/**
 * The movies named on the command line (`--input`), with the same skip rule as a folder's: one
 * whose `_summary.csv` and `_fl.csv` exist in the output folder is skipped unless `force`.
 */
export function selectNamedMovies(
  files: readonly string[],
  options: { outputFolder: string; force?: boolean },
): Omit<MovieSelection, 'pattern'> {
  const output = new RunFolder(options.outputFolder);
  const selected: string[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    if (!options.force && output.isAnalysed(movieName(f))) skipped.push(f);
    else selected.push(f);
  }
  return { files: selected, skipped, fileSets: [] };
}

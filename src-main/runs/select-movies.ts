import fs from 'node:fs';
import path from 'node:path';

/**
 * The movie name used for output files: the file name without its image extension.
 * HiTMicTools strips only some suffixes (so `x.tif` gives `x.tif_fl.csv`); we strip every
 * known one, longest first.
 */
export function movieName(file: string): string {
  const base = path.basename(file);
  const lower = base.toLowerCase();
  for (const ext of [
    '.ome.p.tiff',
    '.ome.p.tif',
    '.ome.tiff',
    '.ome.tif',
    '.p.tiff',
    '.p.tif',
    '.tiff',
    '.tif',
    '.nd2',
  ]) {
    if (lower.endsWith(ext) && base.length > ext.length) return base.slice(0, -ext.length);
  }
  return base.replace(/\.[^.]+$/, '');
}

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

export class MovieSelectionError extends Error {
  constructor(
    message: string,
    readonly folder: string,
  ) {
    super(message);
    this.name = 'MovieSelectionError';
  }
}

export interface MovieSelection {
  /** Movies to analyse, sorted by name. */
  files: string[];
  /** Movies skipped because both `<name>_summary.csv` and `<name>_fl.csv` exist in the output folder. */
  skipped: string[];
  pattern: string;
}

/**
 * Selects movies as HiTMicTools does: `input_folder/{file_pattern}*{file_type}` (a glob prefix,
 * not a regex), or the lines of a worklist `.txt` that exist and match the pattern. Movies
 * already analysed are skipped unless `force`.
 */
export function selectMovies(options: {
  inputFolder: string;
  fileType: string;
  filePattern?: string | null;
  outputFolder: string;
  worklist?: string;
  force?: boolean;
}): MovieSelection {
  const pattern = `${options.filePattern ?? ''}*${options.fileType}`;
  const matcher = globToRegExp(pattern);
  let candidates: string[];
  if (options.worklist) {
    if (!fs.existsSync(options.worklist))
      throw new MovieSelectionError(`Worklist file not found: ${options.worklist}`, options.inputFolder);
    candidates = fs
      .readFileSync(options.worklist, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .map((l) => (path.isAbsolute(l) ? l : path.resolve(options.inputFolder, l)))
      .filter((l) => fs.existsSync(l) && matcher.test(path.basename(l)));
  } else {
    if (!fs.existsSync(options.inputFolder) || !fs.statSync(options.inputFolder).isDirectory()) {
      throw new MovieSelectionError(
        `input_folder '${options.inputFolder}' is not a folder; set input_data.input_folder to the folder holding your movies`,
        options.inputFolder,
      );
    }
    candidates = fs
      .readdirSync(options.inputFolder)
      .filter((f) => matcher.test(f))
      .map((f) => path.join(options.inputFolder, f));
  }
  candidates.sort();
  const files: string[] = [];
  const skipped: string[] = [];
  for (const f of candidates) {
    const name = movieName(f);
    const done = ['_summary.csv', '_fl.csv'].every((s) =>
      fs.existsSync(path.join(options.outputFolder, `${name}${s}`)),
    );
    if (done && !options.force) skipped.push(f);
    else files.push(f);
  }
  return { files, skipped, pattern };
}

import fs from 'node:fs';
import path from 'node:path';
import { TiffError } from '../tiff/errors';

/** One-file-per-plane movie: which file holds plane (t, c, z). */
export interface FileSequence {
  /** Folder the files are in. */
  dir: string;
  /** The pattern with placeholders, e.g. "Position01Channel0{C}Frames{T}.tif". */
  pattern: string;
  sizeT: number;
  sizeC: number;
  sizeZ: number;
  /** The number in the file name for each index along each axis (sorted numerically). */
  tValues: number[];
  cValues: number[];
  zValues: number[];
  /** files[(t * sizeZ + z) * sizeC + c] = absolute path. */
  files: string[];
}

type Axis = 'T' | 'C' | 'Z';
const TIFF_EXT = /\.tiff?$/i;

/** True when the base name of `p` contains a {T}, {C} or {Z} placeholder. */
export function isSequencePattern(p: string): boolean {
  return /\{[TCZtcz]\}/.test(path.basename(p));
}

/**
 * Resolves a pattern such as "dir/Position01Channel0{C}Frames{T}.tif": each placeholder matches
 * one run of digits; values are sorted numerically and become indices 0, 1, …. Every combination
 * must exist (a missing file is an error naming it).
 */
export function resolvePattern(pattern: string): FileSequence {
  const dir = path.dirname(pattern);
  const name = path.basename(pattern);
  const axes: Axis[] = [];
  const reSrc = name
    .split(/(\{[TCZtcz]\})/)
    .map((part) => {
      const m = /^\{([TCZtcz])\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const axis = m[1].toUpperCase() as Axis;
      if (axes.includes(axis)) throw patternError(pattern, `placeholder {${axis}} appears twice`);
      axes.push(axis);
      return '(\\d+)';
    })
    .join('');
  const re = new RegExp(`^${reSrc}$`);
  const matches: { file: string; nums: Record<Axis, number> }[] = [];
  for (const f of listDir(dir, pattern)) {
    const m = re.exec(f);
    if (!m) continue;
    const nums: Record<Axis, number> = { T: 0, C: 0, Z: 0 };
    axes.forEach((a, i) => (nums[a] = Number.parseInt(m[i + 1], 10)));
    matches.push({ file: path.join(dir, f), nums });
  }
  if (matches.length === 0) {
    throw new TiffError('No files match the pattern', {
      code: 'io',
      path: pattern,
      expected: `files named like ${name} in ${dir}`,
      actual: 'none',
      fix: 'Check the folder and the placeholders ({T} frame, {C} channel, {Z} slice number)',
    });
  }
  return assemble(dir, name, matches);
}

/**
 * Label regexes for folder auto-detection (case-insensitive); per axis the first that matches a
 * name wins, C first, then T, then Z. Besides the common `_t12`, `Frames000012`, `Channel02`,
 * `_c1`, `_z3`: viv's per-channel files (`…Channel_0.tif`) and SuperSegger's
 * `[basename]t[number]xy[number]c[number].tif` (xy, the position, stays part of the name).
 */
const AXIS_LABELS: Record<Axis, RegExp[]> = {
  C: [
    /(channel[_-]?)(\d+)/i,
    /(_c)(\d+)/i,
    /(_ch)(\d+)/i,
    /(?<=(?:xy|t)\d+)(c)(\d+)(?=\.tiff?$)/i, // SuperSegger
  ],
  T: [
    /(frames?[_-]?)(\d+)/i,
    /(_t)(\d+)/i,
    /(time[_-]?)(\d+)/i,
    /(?<![a-z])(t)(\d+)(?=(?:xy\d+)?c(?:\d+|\{C\}))/i, // SuperSegger
  ],
  Z: [/(_z)(\d+)/i, /(slice[_-]?)(\d+)/i],
};

interface LabelledFile {
  file: string;
  nums: Record<Axis, number>;
}

/** A file name with its labelled numbers replaced by placeholders, and those numbers. */
function labelled(name: string): { pattern: string; nums: Record<Axis, number> } {
  let pattern = name;
  const nums: Record<Axis, number> = { T: 0, C: 0, Z: 0 };
  for (const axis of ['C', 'T', 'Z'] as Axis[]) {
    for (const re of AXIS_LABELS[axis]) {
      const m = re.exec(pattern);
      if (m && m.index !== undefined) {
        nums[axis] = Number.parseInt(m[2], 10);
        pattern = pattern.slice(0, m.index) + m[1] + `{${axis}}` + pattern.slice(m.index + m[0].length);
        break;
      }
    }
  }
  return { pattern, nums };
}

/**
 * Detects a file sequence in a folder of TIFFs: numbers after "Channel", "Frame(s)", "_t", "_c",
 * "_z", … name the axes; when no label is found and the names differ in a single run of digits,
 * that number is T. All files must then share one pattern (else: more than one movie → error).
 */
export function detectSequence(dir: string): FileSequence {
  const files = listDir(dir, dir).filter((f) => TIFF_EXT.test(f));
  if (files.length === 0) {
    throw new TiffError('The folder holds no .tif/.tiff files', {
      code: 'io',
      path: dir,
      fix: 'Choose the folder that holds the frames',
    });
  }
  const patterns = new Map<string, LabelledFile[]>();
  for (const f of files) {
    const { pattern, nums } = labelled(f);
    patterns.set(pattern, [...(patterns.get(pattern) ?? []), { file: path.join(dir, f), nums }]);
  }
  if (patterns.size > 1 && [...patterns.keys()].every((p) => !p.includes('{'))) {
    // No labels at all: try "names differ in exactly one run of digits" → T.
    const generic = new Map<string, LabelledFile[]>();
    for (const f of files) {
      const runs = [...f.matchAll(/\d+/g)];
      const last = runs[runs.length - 1];
      if (!last || last.index === undefined) continue;
      const pat = f.slice(0, last.index) + '{T}' + f.slice(last.index + last[0].length);
      generic.set(pat, [
        ...(generic.get(pat) ?? []),
        { file: path.join(dir, f), nums: { T: Number(last[0]), C: 0, Z: 0 } },
      ]);
    }
    if (generic.size === 1) {
      const [[pat, list]] = [...generic];
      return assemble(dir, pat, list);
    }
  }
  if (patterns.size !== 1) {
    const names = [...patterns.keys()].slice(0, 5).join(', ');
    throw new TiffError('The folder holds more than one movie (file names follow different patterns)', {
      code: 'unsupported',
      path: dir,
      expected: 'one file-name pattern such as Position01Channel{C}Frames{T}.tif',
      actual: `${patterns.size} patterns: ${names}${patterns.size > 5 ? ', …' : ''}`,
      fix: `Open one pattern explicitly, e.g. "${path.join(dir, [...patterns.keys()][0])}"`,
    });
  }
  const [[pat, list]] = [...patterns];
  return assemble(dir, pat, list);
}

/** Files of one folder as movies: a per-plane file set (its pattern) or a single file. */
export interface FileGroup {
  /** The pattern with placeholders ("dir/img_t{T}.tif"), or null for a file that is a movie on its own. */
  pattern: string | null;
  /** Absolute paths, sorted. */
  files: string[];
}

/**
 * Groups file names of one folder into movies by the same labels `detectSequence` reads: names
 * that differ only in labelled numbers (`img_t000.tif`, `img_t001.tif`…; `…Channel_0.tif`,
 * `…Channel_1.tif`; SuperSegger's `t01xy1c1.tif`…) form one group with their pattern; every other
 * name is a group of its own. Names without labels are never grouped (`pos1.tif`, `pos2.tif` are
 * two movies). Whether each file of a group holds one plane is the caller's to check
 * (`holdsOnePlane`): channel-split movies are named like that too.
 */
export function groupSequenceFiles(dir: string, names: readonly string[]): FileGroup[] {
  const byPattern = new Map<string, string[]>();
  for (const n of [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
    const { pattern } = labelled(n);
    byPattern.set(pattern, [...(byPattern.get(pattern) ?? []), path.join(dir, n)]);
  }
  const groups: FileGroup[] = [];
  for (const [pattern, files] of byPattern) {
    if (files.length > 1 && pattern.includes('{')) groups.push({ pattern: path.join(dir, pattern), files });
    else for (const f of files) groups.push({ pattern: null, files: [f] });
  }
  return groups;
}

function assemble(dir: string, pattern: string, list: LabelledFile[]): FileSequence {
  const values = (a: Axis): number[] => [...new Set(list.map((m) => m.nums[a]))].sort((x, y) => x - y);
  const tValues = values('T');
  const cValues = values('C');
  const zValues = values('Z');
  const [T, C, Z] = [tValues.length, cValues.length, zValues.length];
  const files = new Array<string>(T * C * Z);
  const ti = new Map(tValues.map((v, i) => [v, i]));
  const ci = new Map(cValues.map((v, i) => [v, i]));
  const zi = new Map(zValues.map((v, i) => [v, i]));
  for (const m of list) {
    const k = (ti.get(m.nums.T)! * Z + zi.get(m.nums.Z)!) * C + ci.get(m.nums.C)!;
    if (files[k]) {
      throw patternError(
        path.join(dir, pattern),
        `two files give the same plane: ${path.basename(files[k])} and ${path.basename(m.file)}`,
      );
    }
    files[k] = m.file;
  }
  for (let t = 0; t < T; t++) {
    for (let z = 0; z < Z; z++) {
      for (let c = 0; c < C; c++) {
        if (!files[(t * Z + z) * C + c]) {
          throw new TiffError('A file of the sequence is missing', {
            code: 'io',
            path: path.join(dir, pattern),
            expected: `a file for frame ${tValues[t]}, channel ${cValues[c]}, slice ${zValues[z]}`,
            actual: 'none',
            fix: 'Every frame needs every channel; remove incomplete frames or give a narrower pattern',
          });
        }
      }
    }
  }
  return { dir, pattern, sizeT: T, sizeC: C, sizeZ: Z, tValues, cValues, zValues, files };
}

function listDir(dir: string, shown: string): string[] {
  try {
    return fs.readdirSync(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch (err) {
    throw new TiffError('Cannot list the folder', {
      code: 'io',
      path: shown,
      actual: (err as NodeJS.ErrnoException).code,
      cause: err,
    });
  }
}

function patternError(p: string, what: string): TiffError {
  return new TiffError(`Bad file pattern: ${what}`, {
    code: 'state',
    path: p,
    fix: 'Use each of {T}, {C}, {Z} at most once',
  });
}

/**
 * Cell Tracking Challenge folders on disk:
 *
 * - a **result** (`RES`): `maskTTT.tif` per frame (TTT zero-padded, at least 3 digits), labelled by
 *   track, and `res_track.txt`;
 * - a **reference** (ground truth): `man_trackTTT.tif` and `man_track.txt`, in the folder given or
 *   in its `TRA/` (the CTC's `01_GT/TRA` layout).
 *
 * Frames are numbered from 0 without gaps. {@link evaluateCtc} scores a result against a reference
 * frame by frame (one frame of each in memory at a time).
 */
import fs from 'node:fs';
import path from 'node:path';
import { TiffReader } from '../../io';
import { scoreTracking, type TrackingScores } from '../evaluate/aogm';
import { matchFrame, type FrameMatch, type Labels } from '../evaluate/match';
import { CtcFormatError } from './errors';
import { parseTrackTable, type CtcTrack } from './tracks';

export interface CtcFolder {
  kind: 'result' | 'reference';
  /** The folder holding the masks and the track table. */
  dir: string;
  trackFile: string;
  /** Mask file of each frame, frame 0 first. */
  masks: string[];
  tracks: CtcTrack[];
}

/** CTC file names: frame numbers zero-padded to the frame count's width, at least 3 digits. */
export function ctcDigits(frames: number): number {
  return Math.max(3, String(Math.max(frames - 1, 0)).length);
}

export function ctcMaskName(kind: 'result' | 'reference', t: number, frames: number): string {
  return `${kind === 'result' ? 'mask' : 'man_track'}${String(t).padStart(ctcDigits(frames), '0')}.tif`;
}

/** Finds and checks a result or reference folder. @throws CtcFormatError saying what is missing. */
export function readCtcFolder(given: string, kind: 'result' | 'reference'): CtcFolder {
  if (!fs.existsSync(given) || !fs.statSync(given).isDirectory())
    throw new CtcFormatError(
      given,
      'folder',
      `a Cell Tracking Challenge ${kind} folder`,
      fs.existsSync(given) ? 'a file' : 'nothing at that path',
      kind === 'result'
        ? "Give the folder 'hitmic track --format ctc' wrote (maskTTT.tif and res_track.txt)."
        : 'Give the ground-truth folder (man_trackTTT.tif and man_track.txt, or one holding TRA/).',
    );
  const trackName = kind === 'result' ? 'res_track.txt' : 'man_track.txt';
  let dir = given;
  if (
    kind === 'reference' &&
    !fs.existsSync(path.join(dir, trackName)) &&
    fs.existsSync(path.join(dir, 'TRA'))
  )
    dir = path.join(dir, 'TRA');
  const trackFile = path.join(dir, trackName);
  if (!fs.existsSync(trackFile))
    throw new CtcFormatError(
      dir,
      trackName,
      `the track table ${trackName}`,
      'no such file',
      kind === 'result'
        ? 'A CTC result folder holds res_track.txt beside its maskTTT.tif files.'
        : 'A CTC ground-truth folder (TRA) holds man_track.txt beside its man_trackTTT.tif files.',
    );
  const re = kind === 'result' ? /^mask(\d+)\.tiff?$/ : /^man_track(\d+)\.tiff?$/;
  const byFrame = new Map<number, string>();
  for (const f of fs.readdirSync(dir)) {
    const m = re.exec(f);
    if (m) byFrame.set(Number(m[1]), path.join(dir, f));
  }
  if (byFrame.size === 0)
    throw new CtcFormatError(
      dir,
      'masks',
      kind === 'result' ? 'mask000.tif, mask001.tif, …' : 'man_track000.tif, man_track001.tif, …',
      'no mask files',
      'Put the label masks of every frame in the folder, named as the Cell Tracking Challenge names them.',
    );
  const masks: string[] = [];
  for (let t = 0; t < byFrame.size; t++) {
    const f = byFrame.get(t);
    if (!f)
      throw new CtcFormatError(
        dir,
        `frame ${t}`,
        `${byFrame.size} mask files numbered 0…${byFrame.size - 1}`,
        `no mask for frame ${t} (highest number ${Math.max(...byFrame.keys())})`,
        'Frames are numbered from 0 without gaps; add the missing mask (it may be empty).',
      );
    masks.push(f);
  }
  const tracks = parseTrackTable(fs.readFileSync(trackFile, 'utf8'), trackFile);
  const last = tracks.find((t) => t.end >= masks.length);
  if (last)
    throw new CtcFormatError(
      trackFile,
      `track ${last.label}`,
      `frames within 0…${masks.length - 1} (the masks there)`,
      `${last.begin}…${last.end}`,
      'Make the track table agree with the masks.',
    );
  return { kind, dir, trackFile, masks, tracks };
}

/** One mask as a label image. */
export async function readMask(
  file: string,
  signal?: AbortSignal,
): Promise<{ labels: Labels; width: number; height: number }> {
  const r = await TiffReader.open(file);
  try {
    const page = await r.readPage(0, signal);
    const d = page.samples[0];
    let labels: Labels;
    if (
      d instanceof Uint8Array ||
      d instanceof Uint16Array ||
      d instanceof Uint32Array ||
      d instanceof Int32Array
    )
      labels = d;
    else if (page.dtype === 'int16' || page.dtype === 'int8')
      labels = Uint32Array.from(d as ArrayLike<number>, (v) => (v > 0 ? v : 0));
    else
      throw new CtcFormatError(
        file,
        'pixels',
        'integer labels',
        `${page.dtype} pixels`,
        'CTC masks hold integer labels (uint16), 0 for background.',
      );
    return { labels, width: page.width, height: page.height };
  } finally {
    await r.close();
  }
}

export interface EvaluateOptions {
  signal?: AbortSignal;
  onFrame?: (done: number, total: number) => void;
}

/** Scores a CTC result folder against a reference folder (aogm.ts). */
export async function evaluateCtc(
  resultDir: string,
  referenceDir: string,
  opts: EvaluateOptions = {},
): Promise<{ scores: TrackingScores; result: CtcFolder; reference: CtcFolder }> {
  const result = readCtcFolder(resultDir, 'result');
  const reference = readCtcFolder(referenceDir, 'reference');
  if (result.masks.length !== reference.masks.length)
    throw new CtcFormatError(
      result.dir,
      'masks',
      `${reference.masks.length} frames, as the reference has`,
      `${result.masks.length} frames`,
      'Track the same movie the reference annotates, every frame of it.',
    );
  const frames: FrameMatch[] = [];
  for (let t = 0; t < reference.masks.length; t++) {
    const g = await readMask(reference.masks[t], opts.signal);
    const r = await readMask(result.masks[t], opts.signal);
    if (g.width !== r.width || g.height !== r.height)
      throw new CtcFormatError(
        result.masks[t],
        'size',
        `${g.width}×${g.height} like ${path.basename(reference.masks[t])}`,
        `${r.width}×${r.height}`,
        'Track the movie at the size it was annotated.',
      );
    frames.push(matchFrame(g.labels, r.labels));
    opts.onFrame?.(t + 1, reference.masks.length);
  }
  return { scores: scoreTracking(frames, reference.tracks, result.tracks), result, reference };
}

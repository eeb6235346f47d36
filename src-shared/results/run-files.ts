/**
 * The names of the files a run writes for each movie, in one place (DESIGN.md "Outputs of a
 * run"). HiTMicTools decides that a movie is done by the presence of `{movie}_summary.csv` and
 * `{movie}_fl.csv`; everything else is ours. Pure strings: the Node side joins them to a folder
 * (src-main/results), the renderer shows and matches them.
 */
export const RUN_FILE_SUFFIXES = {
  /** One row per object per frame: HiTMicTools' columns, class_prob, pi_prob, centroids in movie pixels. */
  cells: '_fl.csv',
  /** Per frame and class: counts, PI counts and areas. */
  summary: '_summary.csv',
  /** uint16 instance labels, T×Y×X. */
  labels: '_labels.tif',
  /** Restored bright field and fluorescence, float32. */
  restored: '_restored.tif',
  /** Provenance: versions, resolved config, models, timings, warnings, memory. */
  run: '_run.json',
  /** The movie job's log: warnings and a memory line per model stage and frame (HiTMicTools' MemoryLogger). */
  log: '_log.txt',
  /** The oof_detection pipeline's one table. */
  oofSummary: '_oof_summary.csv',
  /** QC relabelling kept beside the run. */
  qcCorrections: '_qc_corrections.json',
  /** QC corrections exported for retraining. */
  qcCorrectionsCsv: '_qc_corrections.csv',
  /** `hitmic track --format hitmic`: one row per object and frame with its track and parent. */
  tracks: '_tracks.csv',
  /** `hitmic track --format hitmic`: the label movie relabelled by track, pixel = trackid + 1. */
  trackLabels: '_tracks.tif',
} as const;

export type RunFileKind = keyof typeof RUN_FILE_SUFFIXES;

/** The files whose presence marks a movie as analysed (HiTMicTools' skip rule), written last. */
export const COMPLETION_FILES: readonly RunFileKind[] = ['summary', 'cells'];

/** `{movie}{suffix}`, e.g. runFileName('demo_movie', 'cells') === 'demo_movie_fl.csv'. */
export function runFileName(movie: string, kind: RunFileKind): string {
  return `${movie}${RUN_FILE_SUFFIXES[kind]}`;
}

/** The movie a `{movie}_fl.csv`-style file name belongs to, or null when it is not a `kind` file. */
export function movieOfRunFile(fileName: string, kind: RunFileKind): string | null {
  const suffix = RUN_FILE_SUFFIXES[kind];
  return fileName.endsWith(suffix) && fileName.length > suffix.length
    ? fileName.slice(0, -suffix.length)
    : null;
}

/** Image extensions stripped from a movie's file name, longest first. */
const MOVIE_EXTENSIONS = [
  '.ome.p.tiff',
  '.ome.p.tif',
  '.ome.tiff',
  '.ome.tif',
  '.p.tiff',
  '.p.tif',
  '.tiff',
  '.tif',
  '.nd2',
];

/**
 * A placeholder of a per-plane file set ({T} frame, {C} channel, {Z} slice) with the axis label
 * just before it ("_t", "Frames", "Channel0", "c"…), when that label starts a word or follows a
 * digit: `img_t{T}`, `Position01Channel0{C}Frames{T}`, `MG1655_t{T}xy1c{C}`.
 */
const PLACEHOLDER =
  /(?:(?<![A-Za-z])[_\-. ]?(?:frames?|time|channel|ch|slice|t|c|z)[_-]?\d*)?\{[TCZtcz]\}/gi;

/**
 * The movie name used for output files: the file name (any folder stripped, `/` or `\`) without
 * its image extension. HiTMicTools strips only some suffixes (so `x.tif` gives `x.tif_fl.csv`);
 * we strip every known one, longest first, and any other last extension. A per-plane file set
 * named by a pattern loses its placeholders and their labels (`img_t{T}.tif` → `img`,
 * `Position01Channel0{C}Frames{T}.tif` → `Position01`); a pattern of placeholders only gives its
 * folder's name (and a folder, its own).
 */
export function movieName(file: string): string {
  const trimmed = file.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  const base = trimmed.slice(cut + 1);
  const lower = base.toLowerCase();
  let name = base.replace(/\.[^.]+$/, '');
  for (const ext of MOVIE_EXTENSIONS) {
    if (lower.endsWith(ext) && base.length > ext.length) {
      name = base.slice(0, -ext.length);
      break;
    }
  }
  if (!/\{[TCZtcz]\}/.test(name)) return name;
  const stripped = name
    .replace(PLACEHOLDER, '_')
    .replace(/[_\-. ]{2,}/g, '_')
    .replace(/^[_\-. ]+|[_\-. ]+$/g, '');
  return stripped || movieName(trimmed.slice(0, Math.max(cut, 0))) || 'movie';
}

/** The folder and movie name of a pasted output-file path (`…/{movie}_fl.csv`, `…_labels.tif`, …). */
export function locationFromPath(p: string): { outputDir: string; movie: string } | undefined {
  const trimmed = p.trim();
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (cut < 0) return undefined;
  const fileName = trimmed.slice(cut + 1);
  for (const kind of Object.keys(RUN_FILE_SUFFIXES) as RunFileKind[]) {
    const movie = movieOfRunFile(fileName, kind);
    // `_summary.csv` also ends `_oof_summary.csv`: the longest suffix that matches wins.
    if (movie !== null && !(kind === 'summary' && fileName.endsWith(RUN_FILE_SUFFIXES.oofSummary)))
      return { outputDir: trimmed.slice(0, cut) || '/', movie };
  }
  return undefined;
}

import fs from 'node:fs';
import path from 'node:path';
import type { QcCorrection } from '../../src-shared/api';
import { CORRECTION_COLUMNS, correctionsCsv, mergeCorrections } from '../../src-shared/results';
import { classesOf } from '../../src-shared/results';
import { runFileName } from '../../src-shared/results';
import { writeCsvAtomic, writeJsonAtomic } from '../io';
import { ResultsError } from './errors';
import type { MovieResults } from './run-folder';
import { movieTable } from './tables';

/** Corrections held in `{movie}_qc_corrections.json`; none when the file is absent. */
export function readCorrections(results: MovieResults): QcCorrection[] {
  const file = results.file('qcCorrections');
  if (!fs.existsSync(file)) return [];
  let j: { corrections?: QcCorrection[] };
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8')) as { corrections?: QcCorrection[] };
  } catch (err) {
    throw new ResultsError(
      'bad-input',
      `${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      { file, fix: 'Fix or remove the file; corrections made since it broke are lost' },
    );
  }
  return Array.isArray(j.corrections) ? j.corrections : [];
}

/**
 * Checks corrections against the movie's table (the object must exist in that frame, the new
 * class must be one the table knows; the original class is the table's, whatever the caller
 * says), merges them into those held and saves them atomically. Returns every correction held.
 */
export function saveCorrections(results: MovieResults, corrections: unknown): QcCorrection[] {
  if (!Array.isArray(corrections))
    throw new ResultsError('bad-input', 'corrections must be a list', { field: 'corrections' });
  const table = movieTable(results, 'cells');
  const classes = classesOf(table);
  const li = table.columns.indexOf('label');
  const fi = table.columns.indexOf('frame');
  const ci = table.columns.indexOf('object_class');
  const rowOf = new Map(table.rows.map((r) => [r[li], r]));
  const checked = (corrections as Partial<QcCorrection>[]).map((c, i): QcCorrection => {
    const row = c && typeof c === 'object' ? rowOf.get(c.label ?? NaN) : undefined;
    if (!row || row[fi] !== c.frame) {
      throw new ResultsError(
        'bad-input',
        `corrections[${i}]: no object with label ${String(c?.label)} in frame ${String(c?.frame)} of ${runFileName(results.movie, 'cells')}`,
        { field: `corrections[${i}]` },
      );
    }
    if (typeof c.newClass !== 'string' || !classes.includes(c.newClass)) {
      throw new ResultsError('bad-input', `corrections[${i}]: unknown class "${String(c.newClass)}"`, {
        field: `corrections[${i}].newClass`,
        expected: classes.join(', '),
      });
    }
    return { frame: c.frame, label: c.label!, oldClass: String(row[ci]), newClass: c.newClass };
  });
  const merged = mergeCorrections(readCorrections(results), checked);
  writeJsonAtomic(results.file('qcCorrections'), {
    movie: results.movie,
    table: runFileName(results.movie, 'cells'),
    updatedAt: new Date().toISOString(),
    corrections: merged,
  });
  return merged;
}

/**
 * Writes the corrections as CSV (`frame,label,old_class,new_class`, by frame then label) to
 * `target` (relative to the run folder), by default `{movie}_qc_corrections.csv` beside the run.
 */
export async function exportCorrections(
  results: MovieResults,
  target: unknown,
): Promise<{ path: string; count: number; csv: string }> {
  if (target !== undefined && target !== null && (typeof target !== 'string' || target.trim() === '')) {
    throw new ResultsError('bad-input', 'path must be a file path or left out', { field: 'path' });
  }
  const file = target ? path.resolve(results.folder.dir, target as string) : results.file('qcCorrectionsCsv');
  const corrections = readCorrections(results);
  const sorted = [...corrections].sort((a, b) => a.frame - b.frame || a.label - b.label);
  await writeCsvAtomic(
    file,
    CORRECTION_COLUMNS,
    sorted.map((c) => [c.frame, c.label, c.oldClass, c.newClass]),
    { eol: '\n' },
  );
  return { path: file, count: corrections.length, csv: correctionsCsv(corrections) };
}

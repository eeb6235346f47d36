import fs from 'node:fs';
import type { QcCorrection } from '../../src-shared/api';
import { CLASS_NAME_RULE, correctionsCsv, isSafeClassName, mergeCorrections } from '../../src-shared/results';
import { classesOf } from '../../src-shared/results';
import { runFileName } from '../../src-shared/results';
import { writeFileAtomic, writeJsonAtomic } from '../io';
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
 * class must be one the table knows and be written with CLASS_NAME_RULE's characters — a table
 * can come from anywhere; the original class is the table's, whatever the caller says), merges
 * them into those held and saves them atomically. Returns every correction held.
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
    if (!isSafeClassName(c.newClass)) {
      throw new ResultsError(
        'bad-input',
        `corrections[${i}]: the class "${c.newClass}" has characters a class name may not have`,
        {
          field: `corrections[${i}].newClass`,
          expected: `a name matching ${String(CLASS_NAME_RULE)} (letters, digits, space, _ - . ( ) +)`,
          fix: 'Rename the class in the table, or relabel to one of the pipeline classes',
        },
      );
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
 * Writes the corrections as CSV (`frame,label,old_class,new_class`, by frame then label, formulas
 * neutralised: correctionsCsv) to `file`, by default `{movie}_qc_corrections.csv` beside the run.
 * `file` is an absolute path the caller has already checked (the backend's user-files rule:
 * `.csv`, no hidden or system folder, never over a link or another kind of file).
 */
export async function exportCorrections(
  results: MovieResults,
  file: string = results.file('qcCorrectionsCsv'),
): Promise<{ path: string; count: number; csv: string }> {
  const corrections = readCorrections(results);
  const csv = correctionsCsv(corrections);
  writeFileAtomic(file, csv);
  return { path: file, count: corrections.length, csv };
}

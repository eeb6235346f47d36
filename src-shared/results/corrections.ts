import type { QcCorrection } from '../api';
import { formatCsv } from '../io';

export const CORRECTION_COLUMNS = ['frame', 'label', 'old_class', 'new_class'] as const;

/**
 * Corrections as CSV (`frame,label,old_class,new_class`, LF line ends), by frame then label. The
 * file is meant for a spreadsheet, so formulas in class names are neutralised (CsvOptions).
 */
export function correctionsCsv(corrections: readonly QcCorrection[]): string {
  const sorted = [...corrections].sort((a, b) => a.frame - b.frame || a.label - b.label);
  return formatCsv(
    CORRECTION_COLUMNS,
    sorted.map((c) => [c.frame, c.label, c.oldClass, c.newClass]),
    { spreadsheetSafe: true },
  );
}

/**
 * What a class a cell is relabelled to may be written with: a letter or digit first, then
 * letters, digits, spaces, `_`, `-`, `.`, `(`, `)` and `+`, 64 characters at most. HiTMicTools'
 * classes (`single-cell`, `off-focus`, …) fit; a name that a shell, a formula or a CSV reader
 * would act on does not, whatever table it came from.
 */
export const CLASS_NAME_RULE = /^[\p{L}\p{N}][\p{L}\p{N} _.()+-]{0,63}$/u;

export function isSafeClassName(name: string): boolean {
  return CLASS_NAME_RULE.test(name);
}

/** Counts of corrections per new class, in the order of `classes` (others after). */
export function correctionCounts(
  corrections: readonly QcCorrection[],
  classes: readonly string[],
): [string, number][] {
  const counts = new Map<string, number>(classes.map((c) => [c, 0]));
  for (const c of corrections) counts.set(c.newClass, (counts.get(c.newClass) ?? 0) + 1);
  return [...counts];
}

/**
 * Merges new corrections into held ones, keyed by label (unique in a movie); a correction back to
 * the original class removes the entry. The original class is kept from the first correction.
 */
export function mergeCorrections(
  held: readonly QcCorrection[],
  incoming: readonly QcCorrection[],
): QcCorrection[] {
  const byLabel = new Map(held.map((c) => [c.label, c]));
  for (const c of incoming) {
    const prev = byLabel.get(c.label);
    const oldClass = prev ? prev.oldClass : c.oldClass;
    if (c.newClass === oldClass) byLabel.delete(c.label);
    else byLabel.set(c.label, { frame: c.frame, label: c.label, oldClass, newClass: c.newClass });
  }
  return [...byLabel.values()].sort((a, b) => a.frame - b.frame || a.label - b.label);
}

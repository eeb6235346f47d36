import type { QcCorrection, QcCrop, QcCropFilter, ResultTable } from '../api';
import { DEFAULT_CELL_CLASSES } from '../collections';
import { columnIndex, isPiPositive, numAt, textAt } from './table';

/** The five classes of the ASCT pipelines, in key order (key 1 = single-cell … 5 = joint-cell). */
export const QC_CLASSES: readonly string[] = Object.keys(DEFAULT_CELL_CLASSES)
  .map(Number)
  .sort((a, b) => a - b)
  .map((k) => DEFAULT_CELL_CLASSES[k]);

export const DEFAULT_CROP_LIMIT = 400;

/** Classes to offer: the defaults in key order, then any other class found in the table. */
export function classesOf(table: ResultTable): string[] {
  const ci = columnIndex(table, 'object_class');
  const seen = new Set(table.rows.map((r) => textAt(r, ci)).filter((c) => c !== ''));
  return [...QC_CLASSES, ...[...seen].filter((c) => !QC_CLASSES.includes(c)).sort()];
}

/** An object of the table that a crop is made for. */
export interface CropCandidate {
  frame: number;
  label: number;
  className: string;
  confidence: number;
  piClass?: string;
}

/**
 * Objects that pass the filter, lowest confidence first (ties: frame, then label). An object
 * without a class is skipped; a missing confidence counts as 0 (least sure).
 */
export function selectCandidates(table: ResultTable, filter: QcCropFilter = {}): CropCandidate[] {
  const idx = {
    frame: columnIndex(table, 'frame'),
    label: columnIndex(table, 'label'),
    cls: columnIndex(table, 'object_class'),
    prob: columnIndex(table, 'class_prob'),
    pi: columnIndex(table, 'pi_class'),
  };
  const out: CropCandidate[] = [];
  for (const r of table.rows) {
    const className = textAt(r, idx.cls);
    const frame = numAt(r, idx.frame);
    const label = numAt(r, idx.label);
    if (!className || !Number.isFinite(frame) || !Number.isFinite(label)) continue;
    const p = numAt(r, idx.prob);
    const confidence = Number.isFinite(p) ? p : 0;
    if (filter.className && className !== filter.className) continue;
    if (filter.frameMin !== undefined && frame < filter.frameMin) continue;
    if (filter.frameMax !== undefined && frame > filter.frameMax) continue;
    if (filter.minConfidence !== undefined && confidence < filter.minConfidence) continue;
    if (filter.maxConfidence !== undefined && confidence > filter.maxConfidence) continue;
    const piValue = idx.pi >= 0 ? r[idx.pi] : null;
    if (filter.pi && filter.pi !== 'any') {
      if (piValue === null || isPiPositive(piValue) !== (filter.pi === 'positive')) continue;
    }
    out.push({
      frame,
      label,
      className,
      confidence,
      ...(piValue !== null ? { piClass: String(piValue) } : {}),
    });
  }
  return out.sort((a, b) => a.confidence - b.confidence || a.frame - b.frame || a.label - b.label);
}

/** Crops grouped by class in `classes` order (others after); each group keeps its order. */
export function groupByClass<T extends { className: string }>(
  items: readonly T[],
  classes: readonly string[],
): [string, T[]][] {
  const groups = new Map<string, T[]>(classes.map((c) => [c, []]));
  for (const it of items) {
    if (!groups.has(it.className)) groups.set(it.className, []);
    groups.get(it.className)!.push(it);
  }
  return [...groups].filter(([, list]) => list.length > 0);
}

/** The class a crop shows now: its correction if one is held, else its classified class. */
export function currentClass(
  crop: Pick<QcCrop, 'label' | 'className'>,
  corrections: readonly QcCorrection[],
): string {
  return corrections.find((c) => c.label === crop.label)?.newClass ?? crop.className;
}

/** The class for a number key ('1'…'9'), or undefined. */
export function classForKey(key: string, classes: readonly string[]): string | undefined {
  if (!/^[1-9]$/.test(key)) return undefined;
  return classes[Number(key) - 1];
}

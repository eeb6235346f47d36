/**
 * `tracking.parameters_override` for btrack configs, as HiTMicTools' `utils.update_config` does it:
 * a recursive merge where a mapping meets a mapping; any other value replaces the old one and is
 * logged `Updating a.b: old -> new`; a path absent from the config is logged as a warning
 * `Current path not found: a.b` and still added.
 *
 * Overrides are applied to the normalised (flat, lower-case) document; an override written in the
 * legacy layout (`TrackerConfig.MotionModel.max_lost`, `MotionModel.max_lost`) is normalised the
 * same way first, so both spellings reach the same field whatever the file's layout.
 */
import { isRecord, normaliseBtrackDocument } from './document';

export interface OverrideResult {
  doc: Record<string, unknown>;
  /** `Updating a.b: old -> new` lines, in application order. */
  changes: string[];
  /** `Current path not found: a.b` lines. */
  warnings: string[];
}

/** Python-like rendering of a value for the log (lists and mappings as JSON). */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function merge(
  target: Record<string, unknown>,
  updates: Record<string, unknown>,
  path: string,
  out: OverrideResult,
): void {
  for (const [key, value] of Object.entries(updates)) {
    const p = path ? `${path}.${key}` : key;
    if (key in target) {
      const cur = target[key];
      if (isRecord(value) && isRecord(cur)) merge(cur, value, p, out);
      else {
        out.changes.push(`Updating ${p}: ${show(cur)} -> ${show(value)}`);
        target[key] = structuredClone(value);
      }
    } else {
      out.warnings.push(`Current path not found: ${p}`);
      target[key] = structuredClone(value);
    }
  }
}

/** Returns a merged copy of `doc` (normalised layout); neither input is modified. */
export function applyBtrackOverrides(
  doc: Record<string, unknown>,
  overrides: Record<string, unknown> | null | undefined,
): OverrideResult {
  const base = normaliseBtrackDocument(doc).doc;
  const out: OverrideResult = { doc: base, changes: [], warnings: [] };
  if (!overrides) return out;
  merge(base, normaliseBtrackDocument(overrides).doc, '', out);
  return out;
}

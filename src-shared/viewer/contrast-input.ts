/**
 * The contrast fields of the Viewer: what a typed level means, how a level is printed, and when a
 * min/max pair is refused (with a message that says what to type instead).
 */
import type { ContrastRange } from './contrast';

/** A level as the fields print it: integers whole, others with 4 significant digits, never "-0". */
export function formatLevel(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (Object.is(v, -0)) return '0';
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

export type LevelParse = { ok: true; value: number } | { ok: false; message: string };

/**
 * A typed level: a number with a point for decimals and an optional exponent (`1200`, `0.35`,
 * `-12`, `1e3`); spaces are ignored. Commas are refused rather than guessed (decimal comma or
 * thousands separator?).
 */
export function parseLevel(text: string): LevelParse {
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  if (t === '') return { ok: false, message: 'Type a number' };
  if (t.includes(','))
    return {
      ok: false,
      message: `"${text.trim()}": use a point for decimals (0.5) and no thousands separators`,
    };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t))
    return { ok: false, message: `"${text.trim()}" is not a number` };
  const value = Number(t);
  return Number.isFinite(value)
    ? { ok: true, value }
    : { ok: false, message: `"${text.trim()}" is too large` };
}

export type ContrastCheck =
  { ok: true; range: ContrastRange } | { ok: false; field: 'min' | 'max'; message: string };

/** Checks a typed min/max pair: both numbers and min below max. */
export function checkContrastInput(minText: string, maxText: string): ContrastCheck {
  const min = parseLevel(minText);
  if (!min.ok) return { ok: false, field: 'min', message: `min: ${min.message}` };
  const max = parseLevel(maxText);
  if (!max.ok) return { ok: false, field: 'max', message: `max: ${max.message}` };
  if (min.value >= max.value)
    return {
      ok: false,
      field: min.value > max.value ? 'min' : 'max',
      message: `min (${formatLevel(min.value)}) must be below max (${formatLevel(max.value)}): nothing would be drawn between them`,
    };
  return { ok: true, range: { min: min.value, max: max.value } };
}

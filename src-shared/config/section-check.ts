/**
 * The generic checker of one config section against its spec (schema.ts): types, enums, ranges,
 * required keys, unknown keys, with a diagnostic at the key's line:column.
 */
import type { Diagnostic } from './diagnostics';
import type { FieldType, SectionSpec } from './schema';
import { diag, type YamlPath, type YamlSource } from './yaml-source';

export function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'object') return 'mapping';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchesType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'int':
      // Integers past 2^53 are not exact; no HiTMicTools setting needs one.
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'mapping':
      return isMapping(value);
    case 'list':
      return Array.isArray(value);
    case 'any':
      return true;
  }
}

const TYPE_WORDS: Record<FieldType, string> = {
  int: 'an integer',
  number: 'a number',
  bool: 'true or false',
  string: 'a text value',
  mapping: 'a mapping (key: value lines)',
  list: 'a list',
  any: 'a value',
};

export interface CheckSectionOptions {
  /** Severity for keys the spec does not know. */
  unknownKeys: 'error' | 'warning';
  /** Why unknown keys matter, appended to their message. */
  unknownReason: string;
}

/**
 * Checks one mapping against its spec: required keys, types, enums, numeric bounds and unknown
 * keys. Returns diagnostics only; never throws, whatever the value is.
 */
export function checkSection(
  src: YamlSource,
  path: YamlPath,
  value: unknown,
  spec: SectionSpec,
  options: CheckSectionOptions,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const where = path.map(String).join('.') || 'the file';
  if (!isMapping(value)) {
    out.push(
      diag(
        src,
        'error',
        path,
        `'${where}' must be a mapping, got ${typeOf(value)}`,
        `Write '${where}:' followed by indented 'key: value' lines.`,
      ),
    );
    return out;
  }
  for (const [key, field] of Object.entries(spec)) {
    const p = [...path, key];
    if (!(key in value)) {
      if (field.required) {
        out.push(
          diag(
            src,
            'error',
            path,
            `'${where}' is missing the required key '${key}' (${field.doc})`,
            `Add '${key}:' under '${where}'.`,
            'key',
          ),
        );
      }
      continue;
    }
    const v = value[key];
    if (v === null || v === undefined) {
      if (!field.nullable && field.required !== 'key' && field.required) {
        out.push(
          diag(
            src,
            'error',
            p,
            `'${p.join('.')}' is empty; expected ${TYPE_WORDS[field.type]} (${field.doc})`,
            `Give '${key}' a value.`,
          ),
        );
      } else if (!field.nullable && field.required !== 'key' && !field.required && field.type !== 'any') {
        out.push(
          diag(
            src,
            'warning',
            p,
            `'${p.join('.')}' is empty; HiTMicTools passes None, expected ${TYPE_WORDS[field.type]}`,
            `Remove the key to use the default${field.default !== undefined ? ` (${JSON.stringify(field.default)})` : ''} or give a value.`,
          ),
        );
      }
      continue;
    }
    if (field.enum) {
      const ok = field.enum.some((e) => e === v);
      if (!ok) {
        const lower =
          typeof v === 'string'
            ? field.enum.find((e) => typeof e === 'string' && e.toLowerCase() === v.toLowerCase())
            : undefined;
        out.push(
          diag(
            src,
            'error',
            p,
            `'${p.join('.')}' is ${JSON.stringify(v)}; expected one of ${field.enum.map((e) => JSON.stringify(e)).join(', ')}`,
            lower !== undefined
              ? `Write ${JSON.stringify(lower)} (values are case-sensitive).`
              : `Use one of ${field.enum.map((e) => JSON.stringify(e)).join(', ')}.`,
          ),
        );
        continue;
      }
    }
    if (!matchesType(v, field.type)) {
      const asText =
        typeof v === 'string' && field.type !== 'string' ? ` (the text ${JSON.stringify(v)})` : '';
      out.push(
        diag(
          src,
          'error',
          p,
          `'${p.join('.')}' must be ${TYPE_WORDS[field.type]}, got ${typeOf(v)}${asText}`,
          `Write ${TYPE_WORDS[field.type]} for '${key}' (${field.doc}).`,
        ),
      );
      continue;
    }
    if (typeof v === 'number') {
      if (field.min !== undefined && v < field.min) {
        out.push(
          diag(
            src,
            'error',
            p,
            `'${p.join('.')}' is ${v}; must be ≥ ${field.min} (${field.doc})`,
            `Use a value ≥ ${field.min}.`,
          ),
        );
      } else if (field.max !== undefined && v > field.max) {
        out.push(
          diag(
            src,
            'error',
            p,
            `'${p.join('.')}' is ${v}; must be ≤ ${field.max} (${field.doc})`,
            `Use a value ≤ ${field.max}.`,
          ),
        );
      }
    }
  }
  for (const key of Object.keys(value)) {
    if (spec[key]) continue;
    const p = [...path, key];
    out.push(
      diag(
        src,
        options.unknownKeys,
        p,
        `Unknown key '${key}' in '${where}'${options.unknownReason}`,
        `Remove '${key}' or check its spelling; known keys: ${Object.keys(spec).join(', ')}.`,
        'key',
      ),
    );
  }
  return out;
}

/** Copies the spec's defaults into a mapping where keys are absent (for the normalised config). */
export function withDefaults(value: Record<string, unknown>, spec: SectionSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  for (const [key, field] of Object.entries(spec))
    if (!(key in out) && field.default !== undefined) out[key] = field.default;
  return out;
}

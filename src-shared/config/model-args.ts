/**
 * Cross-field rules inside a model section's `inferer_args` and `model_args` (reference §4.2–4.6):
 * power-of-two windows, overlap range and float literal, scaler arguments, sc_segmenter ranges,
 * integer class indices.
 */
import { isMap, isPair, isScalar } from 'yaml';
import { MODEL_KEY_TABLE, type ModelKey } from '../collections';
import type { Diagnostic } from './diagnostics';
import { SCALER_ARGS_SPEC } from './schema';
import { checkSection, isMapping } from './section-check';
import { diag, type YamlPath, type YamlSource } from './yaml-source';

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Cross-field rules of inferer_args: power-of-two windows, overlap range, scaler arguments. */
export function checkInfererValues(
  src: YamlSource,
  ia: YamlPath,
  key: ModelKey,
  args: Record<string, unknown>,
  scalerPath: YamlPath,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const detector = MODEL_KEY_TABLE[key].detector;
  const ps = args.patch_size;
  if (typeof ps === 'number' && Number.isInteger(ps) && ps > 0 && !detector && !isPowerOfTwo(ps)) {
    const lower = 2 ** Math.floor(Math.log2(ps));
    out.push(
      diag(
        src,
        'warning',
        [...ia, 'patch_size'],
        `patch_size ${ps} is not a power of two; the networks downsample by 2 at every level and the guide requires a power of two`,
        `Use ${lower} or ${lower * 2}.`,
      ),
    );
  }
  const ov = args.overlap_ratio;
  if (typeof ov === 'number') {
    const p = [...ia, 'overlap_ratio'];
    if (ov >= 1 || ov < 0)
      out.push(
        diag(
          src,
          'error',
          p,
          `overlap_ratio ${ov} is outside [0, 1): windows would never advance`,
          'Use a value between 0 and 0.5, e.g. 0.25.',
        ),
      );
    else if (ov > 0.5 && !detector)
      out.push(
        diag(
          src,
          'warning',
          p,
          `overlap_ratio ${ov} is above 0.5: every pixel is computed more than 4 times for little gain`,
          'Use 0.25 (default) to 0.35 against artefacts.',
        ),
      );
    const text = src.sourceText(p);
    if (!detector && text !== undefined && Number.isInteger(ov) && !/[.]/.test(text)) {
      out.push(
        diag(
          src,
          'error',
          p,
          `overlap_ratio is written as the integer ${text}; HiTMicTools asserts a float ("overlap_ratio must be a float between 0 and 1")`,
          `Write ${ov}.0`,
        ),
      );
    }
  }
  if (key === 'sc_segmenter') {
    const mt = args.mask_threshold;
    if (typeof mt === 'number' && (mt <= 0 || mt >= 1))
      out.push(
        diag(
          src,
          'error',
          [...ia, 'mask_threshold'],
          `mask_threshold ${mt} must be strictly between 0 and 1`,
          'Use 0.5.',
        ),
      );
    const pf = args.priority_overlap_fraction;
    if (typeof pf === 'number' && pf <= 0)
      out.push(
        diag(
          src,
          'error',
          [...ia, 'priority_overlap_fraction'],
          `priority_overlap_fraction ${pf} must be in (0, 1]`,
          'Use 0.5.',
        ),
      );
  }
  const method = typeof args.scale_method === 'string' ? args.scale_method : 'range01';
  const sa = args.scaler_args;
  if (sa !== undefined && sa !== null && !isMapping(sa)) return out;
  const scaler = (sa ?? {}) as Record<string, unknown>;
  if (sa !== undefined && sa !== null) {
    out.push(
      ...checkSection(src, scalerPath, sa, SCALER_ARGS_SPEC, {
        unknownKeys: 'warning',
        unknownReason: '; the scaler ignores it',
      }),
    );
  }
  if (method === 'fixed_range' && !('bit_depth' in scaler)) {
    out.push(
      diag(
        src,
        'error',
        [...ia, 'scale_method'],
        `scale_method fixed_range needs scaler_args.bit_depth (1–32)`,
        'Add scaler_args: {bit_depth: 12} (your camera bit depth) inside inferer_args.',
      ),
    );
  }
  const pmin = scaler.pmin;
  const pmax = scaler.pmax;
  if (typeof pmin === 'number' && typeof pmax === 'number' && !(0 <= pmin && pmin < pmax && pmax <= 100)) {
    out.push(
      diag(
        src,
        'error',
        [...scalerPath, 'pmin'],
        `pmin ${pmin} and pmax ${pmax} must satisfy 0 ≤ pmin < pmax ≤ 100`,
        'Use pmin: 1.0 and pmax: 99.8 (the defaults).',
      ),
    );
  }
  if (
    (method === 'none' || method === 'zscore') &&
    ('pmin' in scaler || 'pmax' in scaler || 'bit_depth' in scaler)
  ) {
    out.push(
      diag(
        src,
        'info',
        scalerPath,
        `scaler_args are not used by scale_method ${method}`,
        'Remove scaler_args or change scale_method.',
        'key',
      ),
    );
  }
  return out;
}

/** Class indices must be integers: HiTMicTools indexes an array with them. */
export function checkClassKeys(src: YamlSource, path: YamlPath): Diagnostic[] {
  const node = src.node(path);
  if (!node || !isMap(node)) return [];
  const out: Diagnostic[] = [];
  for (const item of node.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const k = item.key.value;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0) {
      const { line, col } = src.lines.linePos(item.key.range?.[0] ?? 0);
      out.push({
        severity: 'error',
        message: `Class index ${JSON.stringify(k)} must be a non-negative integer (written without quotes)`,
        path: [...path, String(k)].join('.'),
        line,
        column: col,
        fix: `Write the index as a plain number, e.g. 0: "single-cell".`,
      });
    }
    if (!isScalar(item.value) || typeof item.value.value !== 'string') {
      const { line, col } = src.lines.linePos(item.key.range?.[0] ?? 0);
      out.push({
        severity: 'error',
        message: `Class ${JSON.stringify(k)} must have a name (text)`,
        path: [...path, String(k)].join('.'),
        line,
        column: col,
        fix: 'Give each class index a name, e.g. 1: "clump".',
      });
    }
  }
  return out;
}

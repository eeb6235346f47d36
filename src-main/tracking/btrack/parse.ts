/**
 * btrack configuration → typed {@link BtrackConfig}, with HiTMicTools' matrix-size validation
 * (`tracking/config_validator.py`: A = s², H = m·s, P = s², R = m², G = s entries, where
 * m = `measurements` and s = `states`) extended to Q (s²) and to both matrix notations:
 * `{matrix: [...], sigma: σ}` (values × σ, σ defaults to 1) and plain lists (btrack ≥ 0.5 saves
 * matrices already scaled). G or Q must be present; without Q, Q = Gᵀ·G as btrack computes it.
 * Defaults are btrack's: dt 1, accuracy 2, max_lost 5, prob_not_assign 0.1, max_search_radius 100.
 */
import { BtrackConfigError } from '../errors';
import { isRecord, normaliseBtrackDocument, readBtrackDocument } from './document';
import type { BtrackConfig, BtrackHypothesisModel, BtrackMatrix, BtrackMotionModel } from './types';

const MATRIX_DESCRIPTION: Record<string, string> = {
  A: 'State transition matrix',
  H: 'Observation matrix',
  P: 'Covariance matrix',
  R: 'Measurement noise matrix',
  G: 'Process noise matrix',
  Q: 'Process noise covariance matrix',
};

const KNOWN_TOP = new Set([
  'name',
  'version',
  'verbose',
  'motion_model',
  'object_model',
  'hypothesis_model',
  'max_search_radius',
  'return_kalman',
  'store_candidate_graph',
  'volume',
  'update_method',
  'optimizer_options',
  'features',
  'tracking_updates',
  'enable_optimisation',
]);
const HYPOTHESIS_NUMBERS = [
  'lambda_time',
  'lambda_dist',
  'lambda_link',
  'lambda_branch',
  'eta',
  'theta_dist',
  'theta_time',
  'dist_thresh',
  'time_thresh',
  'apop_thresh',
  'segmentation_miss_rate',
  'apoptosis_rate',
] as const;
const H_TYPES = ['P_FP', 'P_init', 'P_term', 'P_link', 'P_branch', 'P_dead', 'P_merge'];

class Ctx {
  constructor(readonly file: string) {}
  fail(where: string, expected: string, actual: unknown, hint: string): never {
    throw new BtrackConfigError(
      this.file,
      where,
      expected,
      typeof actual === 'string' ? actual : (JSON.stringify(actual) ?? String(actual)),
      hint,
    );
  }
  num(obj: Record<string, unknown>, key: string, where: string, dflt?: number): number {
    const v = obj[key];
    if (v === undefined || v === null) {
      if (dflt !== undefined) return dflt;
      this.fail(`${where}.${key}`, 'a number', 'nothing', `Add '${key}' to ${where}.`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v))
      this.fail(`${where}.${key}`, 'a finite number', v, `Write '${key}' as a number.`);
    return v;
  }
  int(obj: Record<string, unknown>, key: string, where: string, dflt?: number): number {
    const v = this.num(obj, key, where, dflt);
    if (!Number.isInteger(v) || v < 0)
      this.fail(`${where}.${key}`, 'a non-negative integer', v, `Write '${key}' as a whole number.`);
    return v;
  }
}

function matrix(
  ctx: Ctx,
  mm: Record<string, unknown>,
  key: string,
  rows: number,
  cols: number,
): BtrackMatrix | null {
  const where = `motion_model.${key}`;
  const v = mm[key];
  if (v === undefined || v === null) return null;
  let list: unknown = v;
  let sigma = 1;
  if (isRecord(v)) {
    list = v.matrix;
    if (v.sigma !== undefined && v.sigma !== null) {
      if (typeof v.sigma !== 'number' || !Number.isFinite(v.sigma))
        ctx.fail(`${where}.sigma`, 'a number', v.sigma, 'Write sigma as a number or remove it (default 1).');
      sigma = v.sigma;
    }
  }
  if (!Array.isArray(list))
    ctx.fail(
      `${where}.matrix`,
      'a list of numbers',
      list ?? 'nothing',
      `Give ${key} as {matrix: [...], sigma: s} or as a flat list.`,
    );
  const flat = (list as unknown[]).flat(Infinity);
  if (flat.length !== rows * cols) {
    ctx.fail(
      where,
      `${rows * cols} entries (${rows}×${cols}, ${MATRIX_DESCRIPTION[key]})`,
      `${flat.length}`,
      `Check motion_model.measurements/states or the ${key} matrix: ${MATRIX_DESCRIPTION[key]} (${key}): expected ${rows * cols}, got ${flat.length}.`,
    );
  }
  const values = new Float64Array(rows * cols);
  flat.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      ctx.fail(`${where}[${i}]`, 'a finite number', x, `Fix entry ${i} of ${key}.`);
    values[i] = x * sigma;
  });
  return { rows, cols, values, sigma };
}

function motionModel(ctx: Ctx, mm: unknown): BtrackMotionModel {
  if (!isRecord(mm))
    ctx.fail(
      'motion_model',
      'a mapping (MotionModel)',
      mm ?? 'nothing',
      'Add a motion_model section (btrack cell_config.json has one).',
    );
  const m = ctx.int(mm, 'measurements', 'motion_model');
  const s = ctx.int(mm, 'states', 'motion_model');
  if (m < 1 || s < m)
    ctx.fail(
      'motion_model.states',
      `states ≥ measurements ≥ 1`,
      `measurements ${m}, states ${s}`,
      'Use e.g. measurements 3, states 6 (constant velocity).',
    );
  const need = (key: string, r: number, c: number): BtrackMatrix => {
    const x = matrix(ctx, mm, key, r, c);
    if (!x)
      ctx.fail(
        `motion_model.${key}`,
        `a ${r}×${c} matrix (${MATRIX_DESCRIPTION[key]})`,
        'nothing',
        `Add motion_model.${key}.`,
      );
    return x;
  };
  const A = need('A', s, s);
  const H = need('H', m, s);
  const P = need('P', s, s);
  const R = need('R', m, m);
  const G = matrix(ctx, mm, 'G', 1, s);
  let Q = matrix(ctx, mm, 'Q', s, s);
  if (!Q) {
    if (!G)
      ctx.fail(
        'motion_model.G',
        `a G (${s} entries) or Q (${s * s} entries) matrix`,
        'neither',
        'Add motion_model.G (btrack computes Q = Gᵀ·G).',
      );
    const q = new Float64Array(s * s);
    for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) q[i * s + j] = G.values[i] * G.values[j];
    Q = { rows: s, cols: s, values: q, sigma: 1 };
  }
  return {
    name: typeof mm.name === 'string' ? mm.name : 'Default',
    measurements: m,
    states: s,
    dt: ctx.num(mm, 'dt', 'motion_model', 1.0),
    accuracy: ctx.num(mm, 'accuracy', 'motion_model', 2.0),
    max_lost: ctx.int(mm, 'max_lost', 'motion_model', 5),
    prob_not_assign: ctx.num(mm, 'prob_not_assign', 'motion_model', 0.1),
    A,
    H,
    P,
    R,
    G,
    Q,
  };
}

function hypothesisModel(ctx: Ctx, hm: Record<string, unknown>, warnings: string[]): BtrackHypothesisModel {
  const hyps = hm.hypotheses ?? [];
  if (!Array.isArray(hyps) || !hyps.every((h) => typeof h === 'string' && H_TYPES.includes(h))) {
    ctx.fail(
      'hypothesis_model.hypotheses',
      `a list drawn from ${H_TYPES.join(', ')}`,
      hyps,
      'Use btrack hypothesis names, e.g. ["P_FP", "P_init", "P_term", "P_link", "P_branch", "P_dead"].',
    );
  }
  if (!hyps.includes('P_FP'))
    ctx.fail(
      'hypothesis_model.hypotheses',
      'a list that includes P_FP (btrack requires it)',
      hyps,
      'Add "P_FP" to the hypotheses.',
    );
  const out = {
    name: typeof hm.name === 'string' ? hm.name : 'Default',
    hypotheses: hyps as string[],
    relax: null,
  } as BtrackHypothesisModel;
  for (const k of HYPOTHESIS_NUMBERS)
    out[k] = hm[k] === undefined || hm[k] === null ? null : ctx.num(hm, k, 'hypothesis_model');
  if (typeof hm.relax === 'boolean') out.relax = hm.relax;
  else if (hm.relax === undefined || hm.relax === null)
    warnings.push(
      'hypothesis_model.relax is missing: btrack requires it (true lets tracks start and end anywhere)',
    );
  else ctx.fail('hypothesis_model.relax', 'true or false', hm.relax, 'Write relax: true or relax: false.');
  return out;
}

/**
 * Typed config from a document (already parsed JSON/YAML, either layout). `file` only labels
 * errors. @throws BtrackConfigError naming the field (`motion_model.H`, …), expected and actual.
 */
export function parseBtrackConfig(
  document: Record<string, unknown>,
  file = '',
  inheritedWarnings: string[] = [],
): BtrackConfig {
  const ctx = new Ctx(file);
  const { doc, format } = normaliseBtrackDocument(document);
  const warnings = [...inheritedWarnings];
  if (format === 'nested')
    warnings.push(
      'legacy btrack layout (TrackerConfig/MotionModel/HypothesisModel) read; btrack ≥ 0.5 writes lower-case motion_model/hypothesis_model',
    );
  for (const k of Object.keys(doc))
    if (!KNOWN_TOP.has(k)) warnings.push(`unknown top-level key '${k}' ignored`);
  const motion = motionModel(ctx, doc.motion_model);
  let hypothesis: BtrackHypothesisModel | null = null;
  if (isRecord(doc.hypothesis_model)) hypothesis = hypothesisModel(ctx, doc.hypothesis_model, warnings);
  else if (doc.hypothesis_model !== undefined && doc.hypothesis_model !== null)
    ctx.fail(
      'hypothesis_model',
      'a mapping',
      doc.hypothesis_model,
      'Give hypothesis_model as a mapping or remove it.',
    );
  let radius = 100;
  if (doc.max_search_radius !== undefined && doc.max_search_radius !== null)
    radius = ctx.num(doc, 'max_search_radius', 'config');
  else {
    const misplaced = isRecord(doc.hypothesis_model) ? doc.hypothesis_model.max_search_radius : undefined;
    const inMotion = isRecord(doc.motion_model) ? doc.motion_model.max_search_radius : undefined;
    const found = misplaced ?? inMotion;
    if (typeof found === 'number' && Number.isFinite(found)) {
      radius = found;
      warnings.push(
        `max_search_radius found under ${misplaced !== undefined ? 'hypothesis_model' : 'motion_model'} and used; btrack reads only the top-level key (move it there)`,
      );
    }
  }
  if (!(radius > 0))
    ctx.fail(
      'max_search_radius',
      'a positive number of pixels',
      radius,
      'Set max_search_radius to the largest jump between frames, e.g. 50.',
    );
  return {
    format,
    name: typeof doc.name === 'string' ? doc.name : motion.name,
    version: typeof doc.version === 'string' ? doc.version : null,
    motion_model: motion,
    hypothesis_model: hypothesis,
    max_search_radius: radius,
    raw: doc,
    warnings,
  };
}

/** Text (JSON, JSON with trailing text, or YAML) → typed config. */
export function parseBtrackConfigText(text: string, file = ''): BtrackConfig {
  const { doc, warnings } = readBtrackDocument(text, file);
  return parseBtrackConfig(doc, file, warnings);
}

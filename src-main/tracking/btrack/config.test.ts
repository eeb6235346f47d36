import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BtrackConfigError } from '../errors';
import { btrackToHungarianV5Params } from './fallback';
import { applyBtrackOverrides } from './override';
import { parseBtrackConfig, parseBtrackConfigText } from './parse';

const DIR = path.resolve(__dirname, '../../../../shared/fixtures/tracking/btrack_configs');
const present = existsSync(DIR);
const MISSING = `SKIPPED: btrack fixtures not found at ${DIR}`;
if (!present) console.warn(MISSING);

function listConfigs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return listConfigs(p);
    return /\.(json|ya?ml)$/i.test(name) ? [p] : [];
  });
}

describe.skipIf(!present)(`every btrack fixture config parses${present ? '' : ` — ${MISSING}`}`, () => {
  const files = present ? listConfigs(DIR) : [];
  it('finds the fixture configs', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });
  it.each(files.map((f) => [path.relative(DIR, f), f]))('%s', (rel, file) => {
    const c = parseBtrackConfigText(readFileSync(file, 'utf8'), rel);
    const mm = c.motion_model;
    console.log(
      `${rel}: format ${c.format}, motion ${mm.name} (${mm.measurements}/${mm.states}), dt ${mm.dt}, accuracy ${mm.accuracy}, ` +
        `max_lost ${mm.max_lost}, prob_not_assign ${mm.prob_not_assign}, max_search_radius ${c.max_search_radius}` +
        (c.hypothesis_model ? `, hypotheses ${c.hypothesis_model.hypotheses.join('/')}` : '') +
        (c.warnings.length ? ` | warnings: ${c.warnings.join('; ')}` : ''),
    );
    expect(mm.A.values.length).toBe(mm.states ** 2);
    expect(mm.H.values.length).toBe(mm.measurements * mm.states);
    expect(mm.Q.values.length).toBe(mm.states ** 2);
    expect(c.hypothesis_model?.hypotheses).toContain('P_FP');
  });

  it('reads the E. coli configs (accuracy 6, max_search_radius 50) and LB max_lost 3', () => {
    const c = parseBtrackConfigText(readFileSync(path.join(DIR, 'ECT_ecoli/LB_ROI1_config.json'), 'utf8'));
    expect(c).toMatchObject({ format: 'flat', max_search_radius: 50 });
    expect(c.motion_model).toMatchObject({ accuracy: 6, max_lost: 3, prob_not_assign: 0.1 });
    expect(c.motion_model.R.values[0]).toBe(20);
  });

  it('applies sigma to nested matrices and derives Q = GᵀG (cell_config.json)', () => {
    const c = parseBtrackConfigText(readFileSync(path.join(DIR, 'btrack-examples/cell_config.json'), 'utf8'));
    const mm = c.motion_model;
    expect(c.format).toBe('nested');
    expect(c.max_search_radius).toBe(100); // btrack default: the legacy file has none
    expect(mm.P.values[0]).toBeCloseTo(15, 12); // 0.1 × 150
    expect(mm.P.values[21]).toBe(150);
    expect(Array.from(mm.G?.values ?? [])).toEqual([7.5, 7.5, 7.5, 15, 15, 15]);
    expect(mm.Q.values[0]).toBe(56.25);
    expect(mm.Q.values[3]).toBe(112.5);
    expect(mm.Q.values[35]).toBe(225);
  });

  it('accepts btrack 2019 config with a stray closing brace, with a warning', () => {
    const c = parseBtrackConfigText(
      readFileSync(
        path.join(DIR, 'btrack_repo_history/btrack_models_cell_config_2019_ConstantVelocity.json'),
        'utf8',
      ),
      '2019.json',
    );
    expect(c.motion_model.name).toBe('ConstantVelocity');
    expect(c.warnings.join('\n')).toMatch(/extra text "}" at line 69, after the end of the configuration/);
  });

  it('maps a config onto Hungarian v5 (max_distance = max_search_radius, gap = max_lost)', () => {
    const c = parseBtrackConfigText(readFileSync(path.join(DIR, 'ECT_ecoli/M9_ROI1_config.json'), 'utf8'));
    expect(btrackToHungarianV5Params(c)).toMatchObject({
      max_distance: 50,
      gap_bridge_frames: 4,
      reid_max_gap: 16,
    });
  });
});

const FLAT = {
  name: 'mini',
  motion_model: {
    measurements: 3,
    states: 6,
    A: [
      1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
      1,
    ],
    H: [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
    P: [
      15, 0, 0, 0, 0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 150, 0, 0, 0, 0, 0, 0, 150, 0, 0, 0,
      0, 0, 0, 150,
    ],
    R: [5, 0, 0, 0, 5, 0, 0, 0, 5],
    G: [7.5, 7.5, 7.5, 15, 15, 15],
    max_lost: 5,
  },
  hypothesis_model: { hypotheses: ['P_FP', 'P_link'], relax: true },
  max_search_radius: 100,
};

describe('btrack config validation and overrides', () => {
  it('a corrupted matrix size is an error naming the field, expected and actual sizes', () => {
    const bad = structuredClone(FLAT);
    bad.motion_model.H = bad.motion_model.H.slice(0, 17);
    try {
      parseBtrackConfig(bad, 'bad.json');
      throw new Error('expected a BtrackConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(BtrackConfigError);
      const err = e as BtrackConfigError;
      expect(err.field).toBe('motion_model.H');
      expect(err.file).toBe('bad.json');
      expect(err.message).toMatch(/bad\.json.*motion_model\.H.*expected 18 entries.*got 17/);
    }
    const noG = structuredClone(FLAT) as unknown as Record<string, Record<string, unknown>>;
    delete noG.motion_model.G;
    expect(() => parseBtrackConfig(noG)).toThrow(/motion_model\.G/);
    expect(() => parseBtrackConfig({ ...FLAT, motion_model: { ...FLAT.motion_model, states: 5 } })).toThrow(
      /motion_model\.A.*25 entries/,
    );
  });

  it('deep-merges parameters_override, logging each change and warning on unknown paths', () => {
    const r = applyBtrackOverrides(FLAT, {
      motion_model: { max_lost: 2, R: [9, 0, 0, 0, 9, 0, 0, 0, 9] },
      hypothesis_model: { max_search_radius: 30 },
      max_search_radius: 60,
    });
    expect(r.changes).toEqual([
      'Updating motion_model.max_lost: 5 -> 2',
      'Updating motion_model.R: [5,0,0,0,5,0,0,0,5] -> [9,0,0,0,9,0,0,0,9]',
      'Updating max_search_radius: 100 -> 60',
    ]);
    expect(r.warnings).toEqual(['Current path not found: hypothesis_model.max_search_radius']);
    const c = parseBtrackConfig(r.doc);
    expect(c.motion_model.max_lost).toBe(2);
    expect(c.motion_model.R.values[4]).toBe(9);
    expect(c.max_search_radius).toBe(60);
    expect(c.motion_model.A.values.length).toBe(36); // untouched siblings survive
    expect(FLAT.motion_model.max_lost).toBe(5); // input not modified
  });

  it('legacy-layout overrides reach the same fields', () => {
    const r = applyBtrackOverrides(FLAT, { TrackerConfig: { MotionModel: { max_lost: 1 } } });
    expect(r.changes).toEqual(['Updating motion_model.max_lost: 5 -> 1']);
  });

  it('reads YAML too', () => {
    const yaml = `motion_model:\n  measurements: 1\n  states: 2\n  A: {matrix: [1, 1, 0, 1]}\n  H: {matrix: [1, 0]}\n  P: {matrix: [1, 0, 0, 1], sigma: 2}\n  R: {matrix: [1]}\n  G: {matrix: [0.5, 1], sigma: 2}\nmax_search_radius: 12\n`;
    const c = parseBtrackConfigText(yaml, 'config_tracker.yml');
    expect(c.max_search_radius).toBe(12);
    expect(Array.from(c.motion_model.Q.values)).toEqual([1, 2, 2, 4]);
  });
});

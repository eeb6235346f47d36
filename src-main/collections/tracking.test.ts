import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrackerConfig, summariseTracker } from './tracking';

const dir = path.resolve(__dirname, '../../../shared/fixtures/tracking/btrack_configs');
const have = fs.existsSync(dir);
if (!have) console.warn(`SKIPPED btrack config tests: ${dir} not found`);
const files = have
  ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'))
  : [];

describe.skipIf(!have)('btrack configurations (real files)', () => {
  it('finds the eleven configs', () => expect(files.length).toBe(11));
  for (const f of files) {
    it(`${f} parses and has a motion model`, () => {
      const r = summariseTracker(fs.readFileSync(path.join(dir, f), 'utf8'), f);
      expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(r.style).not.toBe('unknown');
      expect(r.motionModel?.maxLost).toBeGreaterThan(0);
      expect(r.motionModel?.accuracy).toBeGreaterThan(0);
    });
  }
  it('summarises the E. coli config: accuracy 6, max_lost 3, max_search_radius 50 (flat format)', () => {
    const r = summariseTracker(
      fs.readFileSync(path.join(dir, 'ECT_ecoli/LB_ROI1_config.json'), 'utf8'),
      'LB',
    );
    expect(r).toMatchObject({ style: 'flat', maxSearchRadius: 50, motionModel: { accuracy: 6, maxLost: 3 } });
  });
  it('reads the 2019 nested config despite its extra closing brace, with a warning naming the line', () => {
    const r = summariseTracker(
      fs.readFileSync(
        path.join(dir, 'btrack_repo_history/btrack_models_cell_config_2019_ConstantVelocity.json'),
        'utf8',
      ),
      'old.json',
    );
    expect(r.style).toBe('nested');
    expect(r.motionModel?.name).toBe('ConstantVelocity');
    expect(r.problems.find((p) => p.code === 'tracker-trailing-content')?.message).toMatch(/line 69/);
  });
});

describe('tracker config parsing', () => {
  it('reads YAML (config_tracker.yml written as YAML) and reports garbage as an error', () => {
    expect(
      summariseTracker(
        'motion_model:\n  name: m\n  accuracy: 2\n  max_lost: 4\nmax_search_radius: 20\n',
        'y.yml',
      ),
    ).toMatchObject({ style: 'flat', maxSearchRadius: 20 });
    expect(parseTrackerConfig('{"a": [1, 2', 'bad').problems[0].severity).toBe('error');
  });
});

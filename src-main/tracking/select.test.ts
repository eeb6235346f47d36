import { describe, expect, it } from 'vitest';
import { btrackCellConfig } from './__tests__/helpers';
import { TrackingConfigError } from './errors';
import { selectTracker } from './select';

const CELL_CONFIG = JSON.stringify(btrackCellConfig({ hypotheses: ['P_FP', 'P_init', 'P_term', 'P_link'] }));

describe('selectTracker (HiTMicTools build_pipeline semantics)', () => {
  it('hungarian with no version → v2 with max_distance 25.0 and gap_bridge_frames 2', () => {
    const s = selectTracker({ backend: 'hungarian' });
    expect(s.backend === 'hungarian' && s.version).toBe('v2');
    expect(s.backend === 'hungarian' && s.params).toEqual({ max_distance: 25.0, gap_bridge_frames: 2 });
    expect(s.message).toBe('Tracking enabled: Hungarian v2 (max_distance=25)');
  });

  it('parameters {version: v5, max_distance: 12.0} → v5 with 12.0 and gap 5 (version taken from parameters)', () => {
    const s = selectTracker({ backend: 'hungarian', parameters: { version: 'v5', max_distance: 12.0 } });
    if (s.backend !== 'hungarian' || s.version !== 'v5')
      throw new Error(`expected v5, got ${JSON.stringify(s)}`);
    expect(s.params.max_distance).toBe(12.0);
    expect(s.params.gap_bridge_frames).toBe(5);
    expect(s.params.reid_max_gap).toBe(16);
  });

  it('tracking.version wins over parameters.version and is lower-cased; v1/legacy map to v2', () => {
    expect(
      selectTracker({ backend: 'hungarian', version: 'V5', parameters: { version: 'v2' } }),
    ).toMatchObject({ version: 'v5' });
    expect(selectTracker({ backend: 'hungarian', version: 'legacy' })).toMatchObject({ version: 'v2' });
    expect(
      selectTracker({ backend: 'hungarian', parameters: { version: 'v1', gap_bridge_frames: 1 } }),
    ).toMatchObject({ version: 'v2', params: { gap_bridge_frames: 1 } });
  });

  it('an unknown version names the accepted ones', () => {
    expect(() => selectTracker({ backend: 'hungarian', version: 'v3' })).toThrow(
      /one of: legacy, v1, v2, v5.*'v3'/,
    );
  });

  it('an unknown backend, parameter or bad value is an error naming the field', () => {
    expect(() => selectTracker({ backend: 'trackmate' })).toThrow(/tracking\.backend.*btrack, hungarian/);
    expect(() => selectTracker({ backend: 'hungarian', parameters: { max_dist: 3 } })).toThrow(
      /tracking\.parameters\.max_dist/,
    );
    expect(() =>
      selectTracker({ backend: 'hungarian', version: 'v5', parameters: { reid_enabled: 'yes' } }),
    ).toThrow(TrackingConfigError);
  });

  it('btrack is the default backend and needs a config source', () => {
    expect(() => selectTracker({})).toThrow(/no config source provided/);
    const s = selectTracker(
      {
        config_path: '/x/cell_config.json',
        parameters_override: { motion_model: { max_lost: 3 }, max_search_radius: 40 },
      },
      { readFile: () => CELL_CONFIG },
    );
    if (s.backend !== 'btrack') throw new Error('expected btrack');
    expect(s.config.motion_model.max_lost).toBe(3);
    expect(s.config.max_search_radius).toBe(40);
    expect(s.log).toEqual(['Updating motion_model.max_lost: 5 -> 3']);
    expect(s.config.warnings).toContain('Current path not found: max_search_radius');
  });

  it('a bundle config_tracker.yml takes precedence over config_path', () => {
    const s = selectTracker(
      { backend: 'btrack', config_path: '/nonexistent' },
      { bundleTrackerConfig: { text: CELL_CONFIG, file: 'config_tracker.yml' } },
    );
    expect(s.backend).toBe('btrack');
    expect(s.tracker.description).toMatch(/cell_motion/);
  });
});

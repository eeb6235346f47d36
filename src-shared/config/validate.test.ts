/**
 * The run-config validator (src-shared/config) on the HiTMicTools user guide's examples, on
 * configs as HiTMicTools reads them, on each rule, and on a few hundred random mutations.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostics';
import { validateRunConfig } from './validate';
import { exampleConfig as text } from '../../test-support/config-files';

const where = (ds: Diagnostic[], severity: Diagnostic['severity']): string[] =>
  ds
    .filter((d) => d.severity === severity)
    .map((d) => d.path)
    .sort();
const full = text('hitmictools-individual.yml');
const withSetup = (extra: string): string => text('hitmictools-collection.yml') + extra;

describe('the user guide examples', () => {
  it('individual models: every guide variant is accepted with a warning naming the canonical form', () => {
    const v = validateRunConfig(text('guide-individual-models.yml'));
    expect(where(v.diagnostics, 'warning')).toEqual([
      'bf_focus.scaler_args',
      'cell_classifier.classes',
      'fl_focus.scaler_args',
      'pi_classification.pi_classifier_path',
    ]);
    expect(v.diagnostics.find((d) => d.path === 'bf_focus.scaler_args')).toMatchObject({
      line: 11,
      column: 3,
      fix: expect.stringMatching(/inside 'inferer_args'/),
    });
    expect(v.diagnostics.find((d) => d.path === 'pi_classification.pi_classifier_path')?.fix).toMatch(
      /Rename 'pi_classifier_path' to 'model_path'/,
    );
    // It is a fragment: only the two missing sections are errors; the cell classifier .onnx is an info.
    expect(v.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      expect.stringMatching(/Missing section 'input_data'/),
      expect.stringMatching(/Missing section 'pipeline_setup'/),
    ]);
    expect(where(v.diagnostics, 'info')).toEqual(['cell_classifier.model_path']);
    // The variants are moved where HiTMic Studio (and HiTMicTools) read them.
    expect(v.config?.models.bf_focus?.inferer_args?.scaler_args).toEqual({ pmin: 1.0, pmax: 99.8 });
    expect(v.config?.models.fl_focus?.inferer_args?.scaler_args).toEqual({ bit_depth: 12 });
    expect(v.config?.models.cell_classifier?.model_args?.classes).toEqual({
      0: 'single-cell',
      1: 'clump',
      2: 'noise',
      3: 'off-focus',
      4: 'joint-cell',
    });
    expect(v.config?.models.pi_classification?.model_path).toBe('/path/to/models/pi_classifier/model.joblib');
  });

  it('collection, versioning and multi-process snippets parse; only missing sections are reported', () => {
    for (const f of ['guide-collection.yml', 'guide-versioning.yml']) {
      const v = validateRunConfig(text(f));
      expect(v.diagnostics.map((d) => d.severity)).toEqual(['error', 'error']);
      expect(v.config?.model_collection).toBe('./models/model_collection_tracking_20250529.zip');
    }
    const mp = validateRunConfig(text('guide-multiprocess.yml'));
    expect(
      mp.diagnostics
        .filter((d) => d.path === 'pipeline_setup')
        .map((d) => d.message.match(/key '(\w+)'/)?.[1]),
    ).toEqual(['name', 'reference_channel', 'align_frames', 'method', 'focus_correction']);
  });

  it('the tuning fragments parse without throwing; duplicate keys are positioned YAML errors', () => {
    const docs = text('guide-fragments.yml').split(/^---$/m);
    expect(docs).toHaveLength(8);
    for (const d of docs) {
      const v = validateRunConfig(d);
      expect(v.diagnostics.length).toBeGreaterThan(0);
      for (const x of v.diagnostics) expect(x.line).toBeGreaterThanOrEqual(1);
    }
    const dup = validateRunConfig(docs[4]);
    expect(dup.diagnostics[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/YAML syntax: Map keys must be unique/),
      line: 8,
    });
  });

  it('the bundle config (a create input, not a run config) is recognised as such', () => {
    const v = validateRunConfig(text('guide-bundle-config.yml'));
    expect(v.diagnostics.find((d) => d.path === 'model_collection')?.severity).toBe('warning');
  });
});

describe('configs as HiTMicTools reads them', () => {
  it('individual sections: valid, no warnings, defaults applied', () => {
    const v = validateRunConfig(full);
    expect(v.diagnostics).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.config?.pipeline).toBe('ASCT_focusrestore');
    expect(v.config?.tracking).toMatchObject({ backend: 'hungarian', version: 'v2' });
    expect(v.config?.pipeline_setup.debug_provenance).toBe(false);
  });
  it('collection: valid with no diagnostics', () => {
    expect(validateRunConfig(text('hitmictools-collection.yml')).diagnostics).toEqual([]);
  });
  it('collection plus individual sections: the collection wins (warning), an error with strict', () => {
    const both = withSetup(
      'bf_focus:\n  model_path: a.pth\n  model_metadata: a.json\n  inferer_args: {patch_size: 256, overlap_ratio: 0.25}\n',
    );
    const v = validateRunConfig(both);
    expect(v.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        path: 'models.model_collection',
        message: expect.stringMatching(/collection wins/),
      }),
    ]);
    const s = validateRunConfig(both, { strict: true });
    expect(s.ok).toBe(false);
    expect(s.diagnostics[0].severity).toBe('error');
  });
  it('model sections nested under models: (README form) are read with a warning to move them', () => {
    const v = validateRunConfig(
      full
        .replace('pi_classification:\n  model_path: "/path/pi_classifier.pkl"\n', '')
        .concat('models:\n  pi_classification:\n    model_path: "/path/pi.pkl"\n'),
    );
    expect(v.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        path: 'models.pi_classification',
        message: expect.stringMatching(/top level/),
      }),
    ]);
    expect(v.config?.models.pi_classification?.model_path).toBe('/path/pi.pkl');
  });
});

describe('rules', () => {
  const set = (from: string, to: string): Diagnostic[] => {
    expect(full).toContain(from);
    return validateRunConfig(full.replace(from, to)).diagnostics;
  };
  const cases: [string, string, string, Diagnostic['severity'], RegExp][] = [
    [
      'patch_size: 256\n    overlap_ratio: 0.25\n    half_precision: false\n    scaler_args: {pmin',
      'patch_size: 300\n    overlap_ratio: 0.25\n    half_precision: false\n    scaler_args: {pmin',
      'bf_focus.inferer_args.patch_size',
      'warning',
      /not a power of two/,
    ],
    ['patch_size: 512', 'patch_size: 0', 'segmentation.inferer_args.patch_size', 'error', /must be ≥ 1/],
    [
      'patch_size: 512',
      'patch_size: "512"',
      'segmentation.inferer_args.patch_size',
      'error',
      /must be an integer, got string/,
    ],
    [
      'overlap_ratio: 0.25, half',
      'overlap_ratio: 0.6, half',
      'segmentation.inferer_args.overlap_ratio',
      'warning',
      /above 0\.5/,
    ],
    [
      'overlap_ratio: 0.25, half',
      'overlap_ratio: 1.0, half',
      'segmentation.inferer_args.overlap_ratio',
      'error',
      /outside \[0, 1\)/,
    ],
    [
      'overlap_ratio: 0.25, half',
      'overlap_ratio: 0, half',
      'segmentation.inferer_args.overlap_ratio',
      'error',
      /integer 0; HiTMicTools asserts a float/,
    ],
    [
      'scale_method: "range01"',
      'scale_method: "Range01"',
      'bf_focus.inferer_args.scale_method',
      'error',
      /expected one of/,
    ],
    [
      'scale_method: "range01"',
      'scale_method: "none"',
      'bf_focus.inferer_args.scale_method',
      'error',
      /expected one of/,
    ],
    ['{bit_depth: 12}', '{}', 'fl_focus.inferer_args.scale_method', 'error', /needs scaler_args\.bit_depth/],
    ['{bit_depth: 12}', '{bit_depth: 40}', 'fl_focus.inferer_args.scaler_args.bit_depth', 'error', /≤ 32/],
    [
      '{pmin: 1.0, pmax: 99.8}',
      '{pmin: 99.0, pmax: 5.0}',
      'bf_focus.inferer_args.scaler_args.pmin',
      'error',
      /0 ≤ pmin < pmax ≤ 100/,
    ],
    ['batch_size: 512', 'batch_size: 0', 'cell_classifier.model_args.batch_size', 'error', /≥ 1/],
    ['min_size: 128', 'min_size: -5', 'cell_classifier.model_args.min_size', 'error', /≥ 1/],
    [
      'min_size: 128',
      'min_size: 128\n    device: cuda',
      'cell_classifier.model_args.device',
      'error',
      /TypeError/,
    ],
    [
      '{0: "single-cell"',
      '{"0": "single-cell"',
      'cell_classifier.model_args.classes.0',
      'error',
      /non-negative integer/,
    ],
    [
      'name: "ASCT_focusrestore"',
      'name: "asct_FocusRestore"',
      'pipeline_setup.name',
      'info',
      /case-insensitively/,
    ],
    [
      'name: "ASCT_focusrestore"',
      'name: "ASCT_magic"',
      'pipeline_setup.name',
      'error',
      /Available pipelines: ASCT_focusrestore/,
    ],
    [
      'name: "ASCT_focusrestore"',
      'name: "ASCT_scsegm"',
      'pipeline_setup.name',
      'error',
      /needs the models sc_segmenter/,
    ],
    ['pi_channel: 1', 'pi_channel: 0', 'pipeline_setup.pi_channel', 'error', /both channel 0/],
    [
      'method: "basicpy_fl"',
      'method: "basic"',
      'pipeline_setup.method',
      'error',
      /expected one of "standard"/,
    ],
    [
      'parallel_processing: false\n  num_workers: 1',
      'parallel_processing: true',
      'pipeline_setup.parallel_processing',
      'error',
      /num_workers is missing/,
    ],
    [
      'compile_models: false',
      'compile_models: "fast"',
      'pipeline_setup.compile_models',
      'error',
      /expected one of "default"/,
    ],
    ['  tracking: true\n', '  tracking: yes\n', '', 'error', /never/],
    ['backend: "hungarian"', 'backend: "btrack"', 'tracking', 'error', /needs a config/],
    ['version: "v2"', 'version: "v3"', 'tracking.version', 'error', /"v1", "v2", "legacy", "v5"/],
    ['  file_pattern: ""\n', '', 'input_data', 'error', /required key 'file_pattern'/],
    [
      'pi_classification:\n  model_path: "/path/pi_classifier.pkl"',
      'pi_classification:\n  model_path: "/path/pi_classifier.txt"',
      'pi_classification.model_path',
      'error',
      /\.pkl, \.joblib or \.onnx/,
    ],
    [
      'cell_classifier:\n  model_path',
      'cell_classifier:\n  modle_path: x\n  model_path',
      'cell_classifier.modle_path',
      'warning',
      /Unknown key 'modle_path'/,
    ],
  ];
  for (const [from, to, p, severity, message] of cases) {
    it(`${p || 'no diagnostic'} ${severity}: ${message.source}`, () => {
      const ds = set(from, to);
      if (p === '') {
        // `yes` is a YAML 1.1 boolean, as in PyYAML: accepted silently.
        expect(ds).toEqual([]);
        return;
      }
      expect(
        ds.find((d) => d.path === p && d.severity === severity && message.test(d.message)),
        JSON.stringify(ds, null, 1),
      ).toBeDefined();
    });
  }

  it('points at the exact line and column of the bad value, 1-based', () => {
    const ds = set('overlap_ratio: 0.25, half', 'overlap_ratio: 3.5, half');
    const d = ds.find((x) => x.path === 'segmentation.inferer_args.overlap_ratio');
    const lineNo = full.split('\n').findIndex((l) => l.includes('inferer_args: {scale_method: "none"')) + 1;
    const col = full.split('\n')[lineNo - 1].indexOf('0.25') + 1;
    expect(d).toMatchObject({ line: lineNo, column: col });
  });

  it('channel indices must be within the movie when its channel count is known', () => {
    const v = validateRunConfig(full, { channelCount: 1 });
    expect(v.diagnostics).toEqual([
      expect.objectContaining({
        path: 'pipeline_setup.pi_channel',
        severity: 'error',
        message: expect.stringMatching(/movie has 1 channel/),
      }),
    ]);
  });

  it('YAML syntax errors and empty files are diagnostics with positions, never exceptions', () => {
    const tab = validateRunConfig('input_data:\n\tinput_folder: x\n');
    expect(tab.diagnostics[0]).toMatchObject({
      severity: 'error',
      line: 2,
      message: expect.stringMatching(/YAML syntax/),
    });
    const unclosed = validateRunConfig('pipeline_setup:\n  name: "ASCT\n');
    expect(unclosed.ok).toBe(false);
    expect(unclosed.diagnostics[0].message).toMatch(/YAML syntax/);
    expect(validateRunConfig('').diagnostics[0].message).toMatch(/empty/);
    expect(validateRunConfig('- a\n- b\n').diagnostics[0].message).toMatch(/must be a mapping/);
    expect(validateRunConfig('models:\n').diagnostics.find((d) => d.path === 'models')?.message).toMatch(
      /AttributeError/,
    );
    const bomb =
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n';
    expect(validateRunConfig(bomb).diagnostics[0].message).toMatch(/could not be expanded/);
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson, stageKey, testModeKeys, type KeyFacts, type StageKeys } from './stage-keys';

/**
 * A stage's cache key must change exactly when what it computes could change: when one of its
 * inputs' keys, its own settings or its model file changes, and never otherwise. Each case below
 * changes one fact of a test-mode run and lists the stages that must get new keys; every other
 * stage must keep its key (so its cached output is reused).
 */
const model = (name: string, patch = 256) => ({
  settings: {
    inferer: { patch_size: patch, overlap_ratio: 0.25, scale_method: 'range01' },
    model: {},
    metadata: { name },
  },
  sha: `sha-of-${name}`,
});

const BASE: KeyFacts = {
  movie: { path: '/data/movie.tif', size: 1000, mtimeMs: 1 },
  frames: [3, 4, 5],
  pipeline: 'ASCT_focusrestore',
  setup: {
    referenceChannel: 0,
    piChannel: 1,
    alignFrames: true,
    method: 'basicpy_fl',
    focusCorrection: true,
    tracking: true,
  },
  models: {
    bf_focus: model('bf', 128),
    fl_focus: model('fl', 128),
    segmentation: model('seg', 256),
    cell_classifier: {
      settings: { inferer: {}, model: { min_size: 32, batch_size: 512 }, metadata: {} },
      sha: 'sha-cls',
    },
    pi_classification: {
      settings: { inferer: {}, model: {}, metadata: { feature_names: ['area'] } },
      sha: 'sha-pi',
    },
  },
  tracking: {
    section: { backend: 'hungarian', version: 'v5', parameters: { max_distance: 15 } },
    trackerSha: 'sha-trk',
  },
};

type Stage =
  | 'movie'
  | 'align'
  | 'background_bf'
  | 'background_fl'
  | 'prepared_bf'
  | 'prepared_fl'
  | 'bf_focus'
  | 'fl_focus'
  | 'segmentation'
  | 'cell_classifier'
  | 'measure'
  | 'pi_classification'
  | 'tracking';

const PER_FRAME = [
  'prepared_bf',
  'prepared_fl',
  'bf_focus',
  'fl_focus',
  'segmentation',
  'cell_classifier',
  'measure',
  'pi_classification',
] as const;

/** Which stages got new keys (a per-frame stage counts when any frame common to both runs did). */
function changed(a: StageKeys, b: StageKeys, common: number[] = [0, 1, 2]): Set<Stage> {
  const out = new Set<Stage>();
  for (const s of ['movie', 'align', 'background_bf', 'background_fl', 'tracking'] as const)
    if (a[s] !== b[s]) out.add(s);
  for (const s of PER_FRAME) if (common.some((k) => a.frames[k][s] !== b.frames[k][s])) out.add(s);
  return out;
}

const DOWNSTREAM_OF_SEGMENTATION: Stage[] = [
  'segmentation',
  'cell_classifier',
  'measure',
  'pi_classification',
  'tracking',
];

/** One fact changed, and the stages whose keys must change. */
const CASES: { what: string; change(f: KeyFacts): KeyFacts; expect: Stage[] }[] = [
  {
    what: 'segmentation patch_size (a segmentation-only setting)',
    change: (f) => ({ ...f, models: { ...f.models, segmentation: model('seg', 128) } }),
    expect: DOWNSTREAM_OF_SEGMENTATION,
  },
  {
    what: 'the segmentation model file (another sha256)',
    change: (f) => ({ ...f, models: { ...f.models, segmentation: { ...model('seg'), sha: 'other' } } }),
    expect: DOWNSTREAM_OF_SEGMENTATION,
  },
  {
    what: 'bright-field restoration patch_size',
    change: (f) => ({ ...f, models: { ...f.models, bf_focus: model('bf', 64) } }),
    expect: ['bf_focus', ...DOWNSTREAM_OF_SEGMENTATION],
  },
  {
    what: 'PI restoration settings (segmentation reads the bright field only)',
    change: (f) => ({ ...f, models: { ...f.models, fl_focus: model('fl', 64) } }),
    expect: ['fl_focus', 'measure', 'pi_classification', 'tracking'],
  },
  {
    what: 'classifier model_args (nothing reads the classes but the table)',
    change: (f) => ({
      ...f,
      models: {
        ...f.models,
        cell_classifier: { ...f.models.cell_classifier!, settings: { model: { min_size: 48 } } },
      },
    }),
    expect: ['cell_classifier'],
  },
  {
    what: 'the PI classifier file',
    change: (f) => ({
      ...f,
      models: { ...f.models, pi_classification: { ...f.models.pi_classification!, sha: 'x' } },
    }),
    expect: ['pi_classification'],
  },
  {
    what: 'tracking max_distance',
    change: (f) => ({
      ...f,
      tracking: {
        section: { backend: 'hungarian', version: 'v5', parameters: { max_distance: 25 } },
        trackerSha: 'sha-trk',
      },
    }),
    expect: ['tracking'],
  },
  {
    what: 'the tracker config file the section falls back to',
    change: (f) => ({ ...f, tracking: { ...f.tracking!, trackerSha: 'edited' } }),
    expect: ['tracking'],
  },
  {
    what: 'tracking turned off',
    change: (f) => ({ ...f, setup: { ...f.setup, tracking: false } }),
    expect: ['tracking'],
  },
  {
    what: 'pi_channel (the bright field is untouched)',
    change: (f) => ({ ...f, setup: { ...f.setup, piChannel: 2 } }),
    expect: ['background_fl', 'prepared_fl', 'fl_focus', 'measure', 'pi_classification', 'tracking'],
  },
  {
    what: 'reference_channel (alignment reads it)',
    change: (f) => ({ ...f, setup: { ...f.setup, referenceChannel: 2 } }),
    expect: ['align', 'background_bf', 'background_fl', ...PER_FRAME, 'tracking'],
  },
  {
    what: 'align_frames off',
    change: (f) => ({ ...f, setup: { ...f.setup, alignFrames: false } }),
    expect: ['align', 'background_bf', 'background_fl', ...PER_FRAME, 'tracking'],
  },
  {
    what: 'background method basicpy_fl → basicpy (BaSiC on the bright field too; the PI channel as before)',
    change: (f) => ({ ...f, setup: { ...f.setup, method: 'basicpy' } }),
    expect: ['background_bf', 'prepared_bf', 'bf_focus', ...DOWNSTREAM_OF_SEGMENTATION],
  },
  {
    what: 'focus_correction off',
    change: (f) => ({ ...f, setup: { ...f.setup, focusCorrection: false } }),
    expect: ['bf_focus', 'fl_focus', ...DOWNSTREAM_OF_SEGMENTATION],
  },
  {
    what: 'the movie file rewritten (another modification time)',
    change: (f) => ({ ...f, movie: { ...(f.movie as object), mtimeMs: 2 } }),
    expect: ['movie', 'align', 'background_bf', 'background_fl', ...PER_FRAME, 'tracking'],
  },
  {
    what: 'the same settings written in another key order',
    change: (f) => ({
      ...f,
      models: {
        ...f.models,
        segmentation: {
          settings: {
            metadata: { name: 'seg' },
            model: {},
            inferer: { scale_method: 'range01', overlap_ratio: 0.25, patch_size: 256 },
          },
          sha: 'sha-of-seg',
        },
      },
    }),
    expect: [],
  },
];

describe('test-mode stage keys', () => {
  const base = testModeKeys(BASE);

  it.each(CASES)('$what', ({ change, expect: stages }) => {
    expect([...changed(base, testModeKeys(change(BASE)))].sort()).toEqual([...stages].sort());
  });

  it('are the same for the same facts, and differ between frames and stages', () => {
    expect(testModeKeys(structuredClone(BASE))).toEqual(base);
    const all = [
      base.align,
      base.background_bf,
      base.background_fl,
      base.tracking,
      ...base.frames.flatMap((k) => Object.values(k)),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('another range re-keys the range-wide stages, and frames only through them', () => {
    // Alignment and BaSiC are fitted over the range: every frame's keys follow them.
    const shifted = testModeKeys({ ...BASE, frames: [4, 5, 6] });
    expect(shifted.frames[0].prepared_bf).not.toBe(base.frames[1].prepared_bf);
    // Without them (no alignment, standard correction: the PI channel uncorrected) a frame keys
    // alike whatever range it is in, so its outputs are reused when the range moves.
    const local = { ...BASE, setup: { ...BASE.setup, alignFrames: false, method: 'standard' } };
    const a = testModeKeys(local);
    const b = testModeKeys({ ...local, frames: [4, 5, 6] });
    expect(b.frames[0]).toEqual(a.frames[1]);
    expect(b.frames[1]).toEqual(a.frames[2]);
    expect(b.tracking).not.toBe(a.tracking);
  });

  it('reference_channel does not reach alignment when alignment is off', () => {
    const off = { ...BASE, setup: { ...BASE.setup, alignFrames: false } };
    const other = { ...off, setup: { ...off.setup, referenceChannel: 2 } };
    expect(testModeKeys(other).align).toBe(testModeKeys(off).align);
    expect(testModeKeys(other).background_bf).not.toBe(testModeKeys(off).background_bf);
  });

  it('ASCT_scsegm: classes come with the instance segmenter, keyed on its settings and batch size', () => {
    const sc: KeyFacts = {
      ...BASE,
      pipeline: 'ASCT_scsegm',
      models: {
        ...BASE.models,
        segmentation: undefined,
        cell_classifier: undefined,
        sc_segmenter: model('sc'),
      },
      setup: { ...BASE.setup, scBatchSize: 4 },
    };
    const a = testModeKeys(sc);
    const b = testModeKeys({ ...sc, setup: { ...sc.setup, scBatchSize: 8 } });
    expect([...changed(a, b)].sort()).toEqual([...DOWNSTREAM_OF_SEGMENTATION].sort());
  });

  it('canonical JSON sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(stageKey('s', ['x'], { a: 1, b: 2 })).toBe(stageKey('s', ['x'], { b: 2, a: 1 }));
    expect(stageKey('s', ['x', 'y'], {})).not.toBe(stageKey('s', ['y', 'x'], {}));
    expect(stageKey('s', [], {}, 'sha1')).not.toBe(stageKey('s', [], {}, 'sha2'));
  });
});

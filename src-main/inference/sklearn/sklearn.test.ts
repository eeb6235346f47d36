import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyPi } from '../adapters/classify-pi';
import { InferenceError, ModelInputError } from '../errors';
import { loadSklearnModel, SklearnModelError, type SklearnModel } from '.';

// Made by scripts/make-sklearn-fixtures.py with scikit-learn 1.2.1: every supported estimator,
// trained on a synthetic PI feature table, written with joblib.dump (plain, zlib, gzip) and
// pickle.dump (protocols 0, 2, 4, 5); expected.json holds scikit-learn's predict/predict_proba.
const ROOT = path.resolve(__dirname, '../../../test-support/sklearn');
const MODELS = path.join(ROOT, 'models');

interface Expected {
  versions: { sklearn: string };
  tables: Record<string, Record<string, (number | null)[]>>;
  models: {
    name: string;
    table: string;
    estimator: string;
    classes: string[];
    feature_names: string[];
    files: string[];
    sklearn_version?: string;
    predict: string[];
    predict_proba: number[][] | null;
  }[];
}
const expected = JSON.parse(fs.readFileSync(path.join(ROOT, 'expected.json'), 'utf8')) as Expected;

/** A feature table as the pipeline passes it: one Float64Array per column, NaN for missing. */
function table(name: string): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [col, values] of Object.entries(expected.tables[name]))
    out[col] = Float64Array.from(values, (v) => (v === null ? Number.NaN : v));
  return out;
}

function load(file: string): SklearnModel {
  return loadSklearnModel(fs.readFileSync(path.join(MODELS, file)), file);
}

/** The runner on the table's columns in feature_names_in_ order. */
async function run(model: SklearnModel, tableName: string) {
  const t = table(tableName);
  const names = model.featureNames!;
  const n = t[names[0]].length;
  const X = new Float64Array(n * names.length);
  names.forEach((name, j) => t[name].forEach((v, i) => (X[i * names.length + j] = v)));
  return { n, out: await model.run({ X: { data: X, dims: [n, names.length] } }) };
}

const cases = expected.models.flatMap((m) => m.files.map((file) => ({ ...m, file })));

describe('scikit-learn classifiers in TypeScript match scikit-learn', () => {
  it('covers every supported estimator type and file variant', () => {
    const classes = new Set(expected.models.flatMap((m) => m.estimator.split(' > ')));
    for (const c of [
      'Pipeline',
      'StandardScaler',
      'MinMaxScaler',
      'RobustScaler',
      'LogisticRegression',
      'LinearSVC',
      'SVC',
      'DecisionTreeClassifier',
      'RandomForestClassifier',
      'ExtraTreesClassifier',
      'GradientBoostingClassifier',
      'HistGradientBoostingClassifier',
    ])
      expect(
        [...classes].some((x) => x.endsWith(`.${c}`)),
        c,
      ).toBe(true);
    const variants = new Set(cases.map((c) => c.file.split('.').slice(1).join('.')));
    for (const v of [
      'joblib',
      'zlib3.joblib',
      'zlib.pkl',
      'gzip.joblib',
      'p0.pkl',
      'p2.pkl',
      'p4.pkl',
      'p5.pkl',
    ])
      expect(variants.has(v), v).toBe(true);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const model = load(c.file);
    expect(model.estimator).toBe(c.estimator);
    expect(model.classes).toEqual(c.classes);
    expect(model.featureNames).toEqual(c.feature_names);
    expect(model.metadata.feature_names).toBe(c.feature_names.join(','));
    expect(model.sklearnVersion).toBe(c.sklearn_version ?? expected.versions.sklearn);
    const { n, out } = await run(model, c.table);
    expect(Array.from(out.label.data as Int32Array, (i) => model.classes[i])).toEqual(c.predict);
    if (c.predict_proba === null) {
      expect(out.probabilities).toBeUndefined();
      return;
    }
    const p = out.probabilities.data as Float64Array;
    expect(out.probabilities.dims).toEqual([n, c.classes.length]);
    let worst = 0;
    c.predict_proba.forEach((row, i) =>
      row.forEach((v, k) => (worst = Math.max(worst, Math.abs(p[i * row.length + k] - v)))),
    );
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('classifyPi with a scikit-learn model', () => {
  const binary = expected.models.filter(
    (m) => m.table !== 'three_class' && m.classes.join() === 'piNEG,piPOS',
  );

  it.each(binary.map((m) => [m.files[0], m] as const))(
    '%s: columns chosen and ordered by feature_names_in_, pi_prob = P(piPOS)',
    async (file, m) => {
      const res = await classifyPi(table(m.table), load(file));
      expect(res.featureNames).toEqual(m.feature_names);
      expect(res.piClass).toEqual(m.predict);
      res.piClass.forEach((c, i) => expect(res.label[i]).toBe(c === 'piPOS' ? 1 : 0));
      if (m.predict_proba === null) expect(res.probability.every((v) => Number.isNaN(v))).toBe(true);
      else
        m.predict_proba.forEach((row, i) => expect(Math.abs(res.probability[i] - row[1])).toBeLessThan(1e-6));
    },
  );

  it('feeds float64: on a row where float32 rounding flips the decision, the float64 answer wins', async () => {
    const model = load('logreg.joblib');
    const names = model.featureNames!;
    const t = table('binary');
    const label = async (row: Float64Array) =>
      ((await model.run({ X: { data: row, dims: [1, names.length] } })).label.data as Int32Array)[0];
    // Per row, bisect rel_mean_intensity to the smallest value predicted piPOS; keep the first row
    // whose features, rounded to float32, are predicted piNEG.
    for (let r = 0; r < t.area.length; r++) {
      const row = (rel: number) =>
        Float64Array.from(names, (nm) => (nm === 'rel_mean_intensity' ? rel : t[nm][r]));
      let lo = -100;
      let hi = 100;
      for (let i = 0; i < 120; i++) {
        const mid = (lo + hi) / 2;
        if ((await label(row(mid))) === 1) hi = mid;
        else lo = mid;
      }
      if ((await label(row(hi).map(Math.fround))) !== 0) continue;
      const one = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.slice(r, r + 1)]));
      one.rel_mean_intensity[0] = hi;
      expect((await classifyPi(one, model)).piClass).toEqual(['piPOS']);
      return;
    }
    throw new Error('no row where float32 rounding flips the decision');
  });

  it('refuses a classifier whose classes are not piNEG/piPOS, naming them', async () => {
    const model = load('logreg_3class.joblib');
    const err = await classifyPi(table('three_class'), model).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InferenceError);
    expect((err as Error).message).toMatch(/'piDIM', 'piNEG', 'piPOS'/);
  });
});

describe('inputs scikit-learn refuses are refused, naming the row and feature', () => {
  it('NaN for estimators that refuse it; accepted by HistGradientBoosting', async () => {
    await expect(run(load('logreg.joblib'), 'nan')).rejects.toThrow(ModelInputError);
    await expect(run(load('random_forest.joblib'), 'nan')).rejects.toThrow(
      /NaN in row \d+, feature '(roi_std_dev|rel_mean_intensity)'/,
    );
    await expect(run(load('hist_gradient_boosting.joblib'), 'nan')).resolves.toBeDefined();
  });
  it('a wrong width names the features expected', async () => {
    const m = load('svc_rbf_proba.joblib');
    await expect(m.run({ X: { data: new Float64Array(4), dims: [1, 4] } })).rejects.toThrow(
      /\[N, 5\] \(rel_mean_intensity, area, mean_intensity, roi_std_dev, max_intensity\)/,
    );
    await expect(
      load('linear_svc.joblib').run({ X: { data: new Float64Array(5), dims: [1, 5] } }, ['probabilities']),
    ).rejects.toThrow(/has no predict_proba/);
  });
});

describe('files that are not supported models', () => {
  it.each([
    ['logreg.bz2.joblib', /bz2-compressed.*only zlib and gzip/],
    ['logreg.xz.joblib', /xz-compressed/],
    ['logreg.lzma.joblib', /lzma-compressed/],
  ])('%s is refused with the compressor named', (file, re) => {
    const err = (() => {
      try {
        load(file);
      } catch (e) {
        return e;
      }
    })() as SklearnModelError;
    expect(err).toBeInstanceOf(SklearnModelError);
    expect(err.message).toMatch(re);
    expect(err.fix).toMatch(/joblib\.dump/);
  });

  it('an unsupported estimator is named, with the supported ones listed', () => {
    const err = (() => {
      try {
        load('knn.joblib');
      } catch (e) {
        return e;
      }
    })() as SklearnModelError;
    expect(err).toBeInstanceOf(SklearnModelError);
    expect(err.estimator).toBe('sklearn.neighbors._classification.KNeighborsClassifier');
    expect(err.message).toMatch(
      /KNeighborsClassifier is not supported; supported: Pipeline, StandardScaler.*HistGradientBoostingClassifier/,
    );
  });

  it('a tree whose nodes loop back is refused, not walked', () => {
    expect(() => load('decision_tree_looping_nodes.pkl')).toThrow(/tree_ node 1 points to children 0\//);
  });

  it('a ZIP, an ONNX file and truncated pickles are errors, never crashes', () => {
    const zip = Buffer.from('PK\x03\x04rest-of-a-torch-checkpoint');
    expect(() => loadSklearnModel(zip, 'model.pth.pkl')).toThrow(/ZIP archive/);
    const onnx = fs.readFileSync(path.resolve(__dirname, '../../../test-support/models/pi_plain.onnx'));
    expect(() => loadSklearnModel(onnx, 'pi_plain.onnx')).toThrow(SklearnModelError);
    const bytes = fs.readFileSync(path.join(MODELS, 'svc_rbf_proba.joblib'));
    for (let n = 0; n < bytes.length; n += 97)
      expect(() => loadSklearnModel(bytes.subarray(0, n), 'cut.joblib')).toThrow(SklearnModelError);
  });
});

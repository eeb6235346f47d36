/**
 * The one table of what this reader understands: each supported scikit-learn class and how it is
 * evaluated, the classes read as parts of them, and the inert records their pickles carry. The
 * pickle allow-list is made from this table, so a class is either evaluated here or refused when
 * the file is read — never silently accepted.
 */
import { NpArray, PickleTuple } from '../../io';
import { stricter, type CompiledClassifier, type CompiledTransform } from './compiled';
import { GB_LOSS_CLASSES, gradientBoostingClassifier } from './gradient-boosting';
import { HGB_LOSS_CLASSES, histGradientBoostingClassifier } from './hist-gradient-boosting';
import { linearSvc, logisticRegression } from './linear';
import { minMaxScaler, robustScaler, standardScaler } from './scalers';
import { Pickled } from './state';
import { svc } from './svc';
import { decisionTreeClassifier, forestClassifier } from './tree';

const PIPELINE = 'sklearn.pipeline.Pipeline';

const CLASSIFIERS: Record<string, (p: Pickled) => CompiledClassifier> = {
  'sklearn.linear_model._logistic.LogisticRegression': logisticRegression,
  'sklearn.svm._classes.LinearSVC': linearSvc,
  'sklearn.svm._classes.SVC': svc,
  'sklearn.tree._classes.DecisionTreeClassifier': decisionTreeClassifier,
  'sklearn.tree._classes.ExtraTreeClassifier': decisionTreeClassifier,
  'sklearn.ensemble._forest.RandomForestClassifier': forestClassifier,
  'sklearn.ensemble._forest.ExtraTreesClassifier': forestClassifier,
  'sklearn.ensemble._gb.GradientBoostingClassifier': gradientBoostingClassifier,
  'sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier':
    histGradientBoostingClassifier,
};

const TRANSFORMS: Record<string, (p: Pickled) => CompiledTransform> = {
  'sklearn.preprocessing._data.StandardScaler': standardScaler,
  'sklearn.preprocessing._data.MinMaxScaler': minMaxScaler,
  'sklearn.preprocessing._data.RobustScaler': robustScaler,
};

/** Classes read as parts of the supported estimators. */
const PARTS = [
  'sklearn.tree._tree.Tree',
  'sklearn.tree._classes.DecisionTreeRegressor',
  'sklearn.dummy.DummyClassifier',
  'sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor',
  ...GB_LOSS_CLASSES,
  ...HGB_LOSS_CLASSES,
];

/**
 * Records these pickles carry that no evaluation reads (random generators of fitted boosting models,
 * the Cython halves of loss objects, binning). Allowed as names only; never called.
 */
const INERT = [
  'sklearn.ensemble._hist_gradient_boosting.binning._BinMapper',
  'sklearn._loss.link.Interval',
  'sklearn._loss.link.LogitLink',
  'sklearn._loss.link.HalfLogitLink',
  'sklearn._loss.link.MultinomialLogit',
  ...['CyHalfBinomialLoss', 'CyHalfMultinomialLoss', 'CyExponentialLoss'].flatMap((c) => [
    `sklearn._loss._loss.${c}`,
    `sklearn._loss._loss.__pyx_unpickle_${c}`,
  ]),
  'numpy.random._pickle.__randomstate_ctor',
  'numpy.random._pickle.__bit_generator_ctor',
  'numpy.random._mt19937.MT19937',
  'numpy.random.mtrand.RandomState',
];

/** The estimators a model file may hold (its top level, or a Pipeline's steps). */
export const SUPPORTED_ESTIMATORS: readonly string[] = [
  PIPELINE,
  ...Object.keys(TRANSFORMS),
  ...Object.keys(CLASSIFIERS),
];

/** Every scikit-learn (and numpy.random) global a model file may name. */
export const SKLEARN_GLOBALS: ReadonlySet<string> = new Set([...SUPPORTED_ESTIMATORS, ...PARTS, ...INERT]);

/** The classifier at the top of a model file (a classifier, or a Pipeline ending in one). */
export function compileClassifier(p: Pickled): CompiledClassifier {
  if (p.cls === PIPELINE) return pipeline(p);
  const make = CLASSIFIERS[p.cls];
  if (!make) return unsupported(p, TRANSFORMS[p.cls] ? 'a transform, not a classifier' : 'not supported');
  return make(p);
}

function unsupported(p: Pickled, why: string): never {
  return p.fail(
    `${p.cls} is ${why}; supported: ${SUPPORTED_ESTIMATORS.map((c) => c.split('.').pop()).join(', ')}`,
    'Use one of these estimators (in a Pipeline after a scaler if needed), or export the model to ONNX.',
  );
}

type Step = { name: string; est: Pickled | null };

function steps(p: Pickled): Step[] {
  return p.list('steps').map((s, i) => {
    const items = s instanceof PickleTuple ? s.items : Array.isArray(s) ? s : [];
    if (items.length !== 2) p.fail(`steps[${i}] is not a (name, estimator) pair`);
    const [name, est] = items;
    const skip = est === null || est === 'passthrough';
    return { name: String(name), est: skip ? null : Pickled.of(est, p.ctx, `step '${String(name)}'`) };
  });
}

function transformOf(s: Pickled): CompiledTransform {
  if (s.cls === PIPELINE) {
    const parts = steps(s).flatMap((x) => (x.est ? [transformOf(x.est)] : []));
    return chain([s.cls], parts);
  }
  const make = TRANSFORMS[s.cls];
  if (!make)
    return unsupported(s, CLASSIFIERS[s.cls] ? 'a classifier in the middle of a Pipeline' : 'not supported');
  return make(s);
}

function chain(path: string[], parts: CompiledTransform[]): CompiledTransform {
  return {
    path: [...path, ...parts.flatMap((t) => t.path)],
    nFeatures: parts[0]?.nFeatures ?? 0,
    policy: parts.reduce<CompiledTransform['policy']>((acc, t) => stricter(acc, t.policy), 'any'),
    transform: (X, n) => parts.reduce((acc, t) => t.transform(acc, n), X),
  };
}

function pipeline(p: Pickled): CompiledClassifier {
  const all = steps(p);
  const last = all[all.length - 1];
  if (!last?.est) return p.fail('the Pipeline does not end in a classifier');
  const before = chain(
    [],
    all.slice(0, -1).flatMap((s) => (s.est ? [transformOf(s.est)] : [])),
  );
  const clf = compileClassifier(last.est);
  if (before.path.length > 0 && before.nFeatures !== clf.nFeatures)
    p.fail(`the scalers take ${before.nFeatures} features but the classifier ${clf.nFeatures}`);
  const apply = (X: Float64Array, n: number): Float64Array =>
    before.path.length ? before.transform(X, n) : X;
  return {
    path: [p.cls, ...before.path, ...clf.path],
    classes: clf.classes,
    nFeatures: before.path.length ? before.nFeatures : clf.nFeatures,
    policy: stricter(before.policy, clf.policy),
    hasProba: clf.hasProba,
    evaluate: (X, n, withProba) => clf.evaluate(apply(X, n), n, withProba),
  };
}

/** `feature_names_in_` of the estimator (a Pipeline's is its first step's), or null. */
export function featureNamesOf(p: Pickled): string[] | null {
  if (p.cls === PIPELINE) {
    const first = steps(p)[0]?.est;
    return first ? featureNamesOf(first) : null;
  }
  return p.has('feature_names_in_') && p.raw('feature_names_in_') instanceof NpArray
    ? p.strings('feature_names_in_')
    : null;
}

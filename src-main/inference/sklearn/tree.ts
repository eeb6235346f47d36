/**
 * scikit-learn's decision trees (`sklearn.tree._tree.Tree`) and the classifiers built on them:
 * DecisionTreeClassifier, ExtraTreeClassifier, RandomForestClassifier, ExtraTreesClassifier.
 *
 * A Tree pickles as `Tree(n_features, n_classes, n_outputs)` + a state dict whose `nodes` is a
 * record array (left_child, right_child, feature, threshold, impurity, n_node_samples,
 * weighted_n_node_samples, and since scikit-learn 1.3 missing_go_to_left) and whose `values` is
 * node_count × n_outputs × max_n_classes. Both node layouts are read by field name.
 *
 * Descent (`_apply_dense`): the feature is cast to float32, as scikit-learn casts X for trees, and
 * compared `x <= threshold` (threshold float64); with the 1.3 layout a NaN goes where
 * missing_go_to_left says, with the 1.2 layout NaN is refused (scikit-learn 1.2 raises on it).
 * scikit-learn ≥ 1.3 accepts NaN only for some trees (by version, splitter and criterion); here every
 * tree with the 1.3 layout routes it, a prediction where scikit-learn may raise.
 * Classifier probabilities: the leaf's values divided by their sum (a zero sum divides by 1);
 * a forest adds its trees' probabilities in order and divides by the number of trees.
 */
import { NpArray, npField, npNumbers, PickleObject } from '../../io';
import { argmaxRows, type CompiledClassifier, type InputPolicy } from './compiled';
import { classOf, Pickled } from './state';

export interface TreeArrays {
  nodeCount: number;
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** 1 where a NaN goes left; null for the scikit-learn < 1.3 layout. */
  missingLeft: Uint8Array | null;
  /** node_count × width values (one output). */
  value: Float64Array;
  width: number;
}

/** Reads the Tree record of `owner.tree_`, checking that every descent ends at a leaf. */
export function readTree(owner: Pickled, nFeatures: number): TreeArrays {
  const rec = owner.raw('tree_');
  if (!(rec instanceof PickleObject) || rec.global.qualified !== 'sklearn.tree._tree.Tree')
    return owner.fail(`tree_ is ${classOf(rec)}, expected sklearn.tree._tree.Tree`);
  const t = Pickled.of(rec, owner.ctx, `tree_ of ${owner.cls}`);
  const nOutputs = Number(rec.args[2]);
  if (nOutputs !== 1) owner.fail(`tree_ has ${nOutputs} outputs; only single-output trees are supported`);
  const nodes = t.array('nodes');
  const nodeCount = t.int('node_count');
  if (nodes.shape.length !== 1 || nodes.shape[0] !== nodeCount)
    owner.fail(`tree_.nodes has shape [${nodes.shape.join(', ')}], expected [${nodeCount}]`);
  const field = (name: string): Float64Array => {
    const f = npField(nodes, name);
    return (
      f ??
      owner.fail(
        `tree_.nodes has no field '${name}' (fields: ${nodes.dtype.fields?.map((x) => x.name).join(', ') ?? 'none'})`,
      )
    );
  };
  const values = t.array('values');
  if (values.shape.length !== 3 || values.shape[0] !== nodeCount || values.shape[1] !== 1)
    owner.fail(`tree_.values has shape [${values.shape.join(', ')}], expected [${nodeCount}, 1, classes]`);
  const tree: TreeArrays = {
    nodeCount,
    left: Int32Array.from(field('left_child')),
    right: Int32Array.from(field('right_child')),
    feature: Int32Array.from(field('feature')),
    threshold: field('threshold'),
    missingLeft: npField(nodes, 'missing_go_to_left') ? Uint8Array.from(field('missing_go_to_left')) : null,
    value: npNumbers(values as NpArray),
    width: values.shape[2],
  };
  for (let i = 0; i < nodeCount; i++) {
    if (tree.left[i] === -1) continue;
    // Nodes are stored parent before children, so a child index above the parent's proves the
    // descent ends; anything else is a damaged or crafted file.
    const ok =
      tree.left[i] > i &&
      tree.right[i] > i &&
      tree.left[i] < nodeCount &&
      tree.right[i] < nodeCount &&
      tree.feature[i] >= 0 &&
      tree.feature[i] < nFeatures;
    if (!ok)
      owner.fail(
        `tree_ node ${i} points to children ${tree.left[i]}/${tree.right[i]} and feature ${tree.feature[i]} (node_count ${nodeCount}, ${nFeatures} features)`,
      );
  }
  return tree;
}

/** The leaf reached by row `row` of X (n × F, float64; compared as float32). */
export function treeLeaf(t: TreeArrays, X: Float64Array, row: number, F: number): number {
  let i = 0;
  while (t.left[i] !== -1) {
    const x = Math.fround(X[row * F + t.feature[i]]);
    if (x !== x) i = t.missingLeft && t.missingLeft[i] ? t.left[i] : t.right[i];
    else i = x <= t.threshold[i] ? t.left[i] : t.right[i];
  }
  return i;
}

/** NaN handling of a tree: scikit-learn ≥ 1.3 trees route it, older ones refuse it. */
export function treePolicy(t: TreeArrays): InputPolicy {
  return t.missingLeft ? 'allow-nan' : 'finite';
}

/** Adds the leaf's normalised class values of each row to `out` (n × width). */
function addTreeProba(t: TreeArrays, X: Float64Array, n: number, F: number, out: Float64Array): void {
  const w = t.width;
  for (let i = 0; i < n; i++) {
    const leaf = treeLeaf(t, X, i, F);
    let sum = 0;
    for (let c = 0; c < w; c++) sum += t.value[leaf * w + c];
    if (sum === 0) sum = 1;
    for (let c = 0; c < w; c++) out[i * w + c] += t.value[leaf * w + c] / sum;
  }
}

export function decisionTreeClassifier(p: Pickled): CompiledClassifier {
  const classes = p.strings('classes_');
  if (p.int('n_outputs_') !== 1) p.fail('multi-output trees are not supported');
  const F = p.int('n_features_in_');
  const t = readTree(p, F);
  if (t.width !== classes.length) p.fail(`tree_ holds ${t.width} class values for ${classes.length} classes`);
  const k = classes.length;
  return {
    path: [p.cls],
    classes,
    nFeatures: F,
    policy: treePolicy(t),
    hasProba: true,
    evaluate(X, n, withProba) {
      // predict is the argmax of the leaf's raw values (not of the normalised ones).
      const raw = new Float64Array(n * k);
      for (let i = 0; i < n; i++) {
        const leaf = treeLeaf(t, X, i, F);
        for (let c = 0; c < k; c++) raw[i * k + c] = t.value[leaf * k + c];
      }
      const label = argmaxRows(raw, n, k);
      if (!withProba) return { label, proba: null };
      const proba = new Float64Array(n * k);
      addTreeProba(t, X, n, F, proba);
      return { label, proba };
    },
  };
}

const TREE_CLASSES = [
  'sklearn.tree._classes.DecisionTreeClassifier',
  'sklearn.tree._classes.ExtraTreeClassifier',
];

export function forestClassifier(p: Pickled): CompiledClassifier {
  const classes = p.strings('classes_');
  if (p.int('n_outputs_') !== 1) p.fail('multi-output forests are not supported');
  const F = p.int('n_features_in_');
  const k = classes.length;
  const trees = p.list('estimators_').map((e, i) => {
    const est = Pickled.of(e, p.ctx, `estimators_[${i}] of ${p.cls}`);
    if (!TREE_CLASSES.includes(est.cls))
      p.fail(`estimators_[${i}] is ${est.cls}, expected a tree classifier`);
    const t = readTree(est, F);
    if (t.width !== k) p.fail(`estimators_[${i}] holds ${t.width} class values for ${k} classes`);
    return t;
  });
  if (trees.length === 0) p.fail('the forest has no trees');
  const proba = (X: Float64Array, n: number): Float64Array => {
    const out = new Float64Array(n * k);
    for (const t of trees) addTreeProba(t, X, n, F, out);
    for (let i = 0; i < out.length; i++) out[i] /= trees.length;
    return out;
  };
  return {
    path: [p.cls],
    classes,
    nFeatures: F,
    policy: trees.every((t) => t.missingLeft) ? 'allow-nan' : 'finite',
    hasProba: true,
    evaluate(X, n, withProba) {
      const p = proba(X, n);
      return { label: argmaxRows(p, n, k), proba: withProba ? p : null };
    },
  };
}

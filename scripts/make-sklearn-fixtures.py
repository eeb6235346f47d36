#!/usr/bin/env python3
"""Make the scikit-learn PI classifier fixtures the TypeScript evaluator is tested against
(test-support/sklearn/).

Run from the repository root:  /usr/bin/python3 scripts/make-sklearn-fixtures.py
Needs scikit-learn (1.2), joblib, numpy and pandas (apt-get install -y python3-pandas).

What it writes:

* ``models/<name>.<variant>``: each supported estimator, trained on a synthetic PI feature table with
  HiTMicTools' column names, fitted on a pandas DataFrame (so ``feature_names_in_`` is set) in a
  column order unlike the test table's, with string labels (``piNEG``/``piPOS``, or
  ``piNEG``/``piDIM``/``piPOS`` for the three-class models). Each model is written with
  ``joblib.dump`` (plain) and ``pickle.dump`` (protocol 4); some also zlib-compressed
  (``compress=3`` and ``('zlib', 3)``), gzip-compressed, and with pickle protocols 0, 2 and 5.
* ``models/*.numpy2-names.p2.pkl``: protocol-2 pickles whose numpy globals are renamed to the
  ``numpy._core`` modules numpy 2 writes (the bytes of a GLOBAL opcode are text, so the rename is exact).
* ``models/decision_tree_sklearn13_layout.pkl``: the decision tree with its ``Tree`` nodes in the
  scikit-learn >= 1.3 layout (an extra ``missing_go_to_left`` byte per node, 64-byte records), written
  by overriding the Tree's reduce; its expected output comes from an independent tree walk
  (``walk_13``) that follows scikit-learn 1.3's rule for NaN (missing_go_to_left), since
  scikit-learn 1.2 cannot load it.
* ``models/decision_tree_looping_nodes.pkl``: the tree with node 1's left child pointing back to the
  root, a damaged file the reader must refuse rather than loop on.
* ``models/logreg.bz2.joblib`` / ``.xz.joblib`` / ``.lzma.joblib``: compressors the reader refuses.
* ``models/knn.joblib``: an estimator the evaluator does not support.
* ``malicious/*.pkl``: pickles whose globals run commands (os.system, posix.system, nt.system,
  subprocess.Popen, subprocess.check_output, builtins.eval/exec/__import__), a class whose
  ``__reduce__`` returns ``(os.system, ('touch /tmp/hitmic-sklearn-pickle-was-executed',))``, and that
  object hidden inside a joblib Pipeline, inside a joblib object array and in a zlib joblib file.
  The script proves the touch payload is live: Python's own ``pickle.loads`` creates the file (the
  script then deletes it).
* ``models/arrays.*``: a dict of numpy arrays (float/int/bool/unicode/object/record dtypes, Fortran
  order, big-endian, empty, 0-d scalars) in every file variant, for the pickle reader's own tests.
* ``expected.json``: the test tables and, per model, scikit-learn's ``predict`` and ``predict_proba``
  on them, the class path, ``classes_``, ``feature_names_in_`` and the files holding it.
"""
import bz2  # noqa: F401  (joblib's bz2 compressor needs the module)
import json
import lzma  # noqa: F401
import os
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test-support', 'sklearn')
MODELS = os.path.join(ROOT, 'models')
EVIL = os.path.join(ROOT, 'malicious')
TOUCHED = '/tmp/hitmic-sklearn-pickle-was-executed'

# The order the models are fitted in (feature_names_in_); the test tables list columns differently.
FEATURES = ['rel_mean_intensity', 'area', 'mean_intensity', 'roi_std_dev', 'max_intensity']


def pi_table(rng, n, three_class=False, nan_fraction=0.0):
    """A synthetic PI (FL channel) feature table: dead cells are brighter relative to background."""
    area = rng.gamma(8.0, 40.0, n)
    background = rng.uniform(90.0, 110.0, n)
    dead = rng.uniform(size=n) < 0.4
    rel = np.where(dead, rng.normal(2.2, 0.5, n), rng.normal(1.15, 0.2, n))
    mean = rel * background
    std = np.abs(rng.normal(0.12, 0.04, n)) * mean
    mx = mean + np.abs(rng.normal(2.5, 0.6, n)) * std
    table = pd.DataFrame({
        'label': np.arange(1, n + 1),
        'min_intensity': mean - std,
        'max_intensity': mx,
        'mean_intensity': mean,
        'area': area.round(),  # pixel counts
        'roi_std_dev': std,
        'rel_mean_intensity': rel,
    })
    score = rel + rng.normal(0, 0.25, n)
    if three_class:
        y = np.where(score > 1.9, 'piPOS', np.where(score > 1.45, 'piDIM', 'piNEG'))
    else:
        y = np.where(score > 1.6, 'piPOS', 'piNEG')
    if nan_fraction > 0:
        for col in ('roi_std_dev', 'rel_mean_intensity'):
            table.loc[rng.uniform(size=n) < nan_fraction, col] = np.nan
    return table, pd.Series(y)


BINARY = {
    'logreg': lambda: LogisticRegression(max_iter=2000),
    'logreg_multinomial': lambda: LogisticRegression(multi_class='multinomial', max_iter=2000),
    'linear_svc': lambda: LinearSVC(dual=False, random_state=0),
    'svc_linear_proba': lambda: SVC(kernel='linear', probability=True, random_state=0),
    'svc_rbf_proba': lambda: SVC(kernel='rbf', probability=True, random_state=0),
    'svc_rbf': lambda: SVC(kernel='rbf'),
    'svc_poly_proba': lambda: Pipeline([
        ('scale', StandardScaler()), ('classify', SVC(kernel='poly', degree=3, probability=True, random_state=0))]),
    'svc_sigmoid': lambda: Pipeline([('scale', StandardScaler()), ('classify', SVC(kernel='sigmoid', coef0=0.5))]),
    'decision_tree': lambda: DecisionTreeClassifier(max_depth=4, random_state=0),
    'random_forest': lambda: RandomForestClassifier(n_estimators=6, max_depth=4, random_state=0),
    'extra_trees': lambda: ExtraTreesClassifier(n_estimators=8, max_depth=4, random_state=0),
    'gradient_boosting': lambda: GradientBoostingClassifier(n_estimators=10, max_depth=2, random_state=0),
    'gradient_boosting_zero_init': lambda: GradientBoostingClassifier(
        n_estimators=5, max_depth=2, init='zero', random_state=0),
    'gradient_boosting_exponential': lambda: GradientBoostingClassifier(
        n_estimators=5, max_depth=2, loss='exponential', random_state=0),
    'hist_gradient_boosting': lambda: HistGradientBoostingClassifier(
        max_iter=10, max_leaf_nodes=8, max_bins=32, random_state=0),
    'pipe_standard_logreg': lambda: Pipeline([('scale', StandardScaler()), ('classify', LogisticRegression())]),
    'pipe_minmax_svc': lambda: Pipeline([
        ('scale', MinMaxScaler(clip=True)), ('classify', SVC(probability=True, random_state=0))]),
    'pipe_robust_forest': lambda: Pipeline([
        ('scale', RobustScaler()), ('classify', RandomForestClassifier(n_estimators=4, max_depth=3, random_state=0))]),
    'pipe_standard_passthrough_tree': lambda: Pipeline([
        ('scale', StandardScaler(with_mean=False)), ('nothing', 'passthrough'),
        ('classify', DecisionTreeClassifier(max_depth=3, random_state=0))]),
}

THREE_CLASS = {
    'logreg_3class': lambda: LogisticRegression(max_iter=2000),
    'logreg_ovr_3class': lambda: LogisticRegression(multi_class='ovr', max_iter=2000),
    'linear_svc_3class': lambda: LinearSVC(dual=False, random_state=0),
    'svc_rbf_proba_3class': lambda: Pipeline([
        ('scale', StandardScaler()), ('classify', SVC(probability=True, random_state=0))]),
    'random_forest_3class': lambda: RandomForestClassifier(n_estimators=4, max_depth=3, random_state=0),
    'gradient_boosting_3class': lambda: GradientBoostingClassifier(n_estimators=4, max_depth=2, random_state=0),
    'hist_gradient_boosting_3class': lambda: HistGradientBoostingClassifier(
        max_iter=5, max_leaf_nodes=6, max_bins=32, random_state=0),
}

# Extra file variants (beyond plain joblib and pickle protocol 4) per model.
VARIANTS = {
    'logreg': ['zlib3.joblib', 'zlib.pkl', 'gzip.joblib', 'p0.pkl', 'p2.pkl', 'p5.pkl'],
    'svc_rbf_proba': ['zlib3.joblib', 'p2.pkl', 'p5.pkl'],
    'random_forest': ['zlib3.joblib', 'p2.pkl', 'p5.pkl'],
    'gradient_boosting': ['zlib.pkl', 'p2.pkl'],
    'hist_gradient_boosting': ['zlib3.joblib', 'p5.pkl'],
    'pipe_minmax_svc': ['zlib.pkl'],
    'linear_svc_3class': ['p5.pkl'],
}


def split_edge_rows(models, base):
    """Rows on the root splits of the tree models, where the feature's float32 rounding decides.

    Trees compare float32(x) <= threshold: a value just above a threshold whose float32 rounding falls
    at or below it goes left in scikit-learn and right in float64. HistGradientBoosting compares in
    float64: a value equal to its threshold goes left, and its float32 rounding may not.
    """
    rows = []
    for name, model in models.items():
        if isinstance(model, (DecisionTreeClassifier, RandomForestClassifier, ExtraTreesClassifier)):
            trees = [model] if isinstance(model, DecisionTreeClassifier) else list(model.estimators_)
        elif isinstance(model, GradientBoostingClassifier):
            trees = list(model.estimators_.ravel())
        else:
            trees = []
        for t in trees:
            f, thr = t.tree_.feature[0], t.tree_.threshold[0]
            x = np.nextafter(thr, np.inf)
            if np.float32(x) <= thr:
                rows.append((f, x))
        if isinstance(model, HistGradientBoostingClassifier):
            for predictors in model._predictors:
                root = predictors[0].nodes[0]
                if float(np.float32(root['num_threshold'])) > root['num_threshold']:
                    rows.append((root['feature_idx'], root['num_threshold']))
    out = base.iloc[[i % len(base) for i in range(len(rows))]].copy()
    for i, (f, x) in enumerate(rows):
        out.iloc[i, out.columns.get_loc(FEATURES[f])] = x
    return out


def write(model, name, variant):
    path = os.path.join(MODELS, f'{name}.{variant}')
    if variant == 'joblib':
        joblib.dump(model, path)
    elif variant == 'zlib3.joblib':
        joblib.dump(model, path, compress=3)
    elif variant == 'zlib.pkl':
        joblib.dump(model, path, compress=('zlib', 3))
    elif variant == 'gzip.joblib':
        joblib.dump(model, path, compress=('gzip', 3))
    elif variant in ('bz2.joblib', 'xz.joblib', 'lzma.joblib'):
        joblib.dump(model, path, compress=(variant.split('.')[0], 3))
    elif variant.startswith('p') and variant.endswith('.pkl'):
        with open(path, 'wb') as f:
            pickle.dump(model, f, protocol=int(variant[1]))
    else:
        raise ValueError(variant)
    return os.path.basename(path)


def class_path(model):
    def one(m):
        return f'{type(m).__module__}.{type(m).__name__}'
    if isinstance(model, Pipeline):
        steps = [one(s) for _, s in model.steps if s not in ('passthrough', None)]
        return ' > '.join([one(model)] + steps)
    return one(model)


def column_lists(table):
    out = {}
    for col in table.columns:
        out[col] = [None if (isinstance(v, float) and np.isnan(v)) else (int(v) if col == 'label' else float(v))
                    for v in table[col].tolist()]
    return out


def expected_for(model, table):
    X = table[list(model.feature_names_in_)]
    pred = model.predict(X)
    proba = model.predict_proba(X).tolist() if hasattr(model, 'predict_proba') else None
    return [str(p) for p in pred], proba


def numpy2_names(blob):
    """The protocol-2 pickle with numpy's globals in the modules numpy 2 writes them from."""
    for old, new in ((b'numpy.core.multiarray\n', b'numpy._core.multiarray\n'),
                     (b'numpy.core.numeric\n', b'numpy._core.numeric\n')):
        blob = blob.replace(b'c' + old, b'c' + new)
    assert b'numpy.core' not in blob
    return blob


# --- the scikit-learn >= 1.3 Tree node layout ------------------------------------------------------

NODE_13 = np.dtype({
    'names': ['left_child', 'right_child', 'feature', 'threshold', 'impurity', 'n_node_samples',
              'weighted_n_node_samples', 'missing_go_to_left'],
    'formats': [np.intp, np.intp, np.intp, np.float64, np.float64, np.intp, np.float64, np.uint8],
    'offsets': [0, 8, 16, 24, 32, 40, 48, 56],
    'itemsize': 64,
})


def nodes_13(tree):
    old = tree.__getstate__()['nodes']
    new = np.zeros(old.shape, dtype=NODE_13)
    for f in old.dtype.names:
        new[f] = old[f]
    # Alternate the NaN direction so both branches are exercised.
    new['missing_go_to_left'] = np.arange(len(new)) % 2
    return new


def walk_13(nodes, values, x):
    """scikit-learn 1.3's tree descent (_tree.pyx _apply_dense) on a float32 row."""
    i = 0
    while nodes['left_child'][i] != -1:
        v = np.float32(x[nodes['feature'][i]])
        if np.isnan(v):
            i = nodes['left_child'][i] if nodes['missing_go_to_left'][i] else nodes['right_child'][i]
        elif float(v) <= nodes['threshold'][i]:
            i = nodes['left_child'][i]
        else:
            i = nodes['right_child'][i]
    return values[i]


def write_tree_13(model, path):
    nodes = nodes_13(model.tree_)
    write_tree_nodes(model, path, nodes, '1.3.2')
    return nodes, model.tree_.__getstate__()['values']


def write_tree_nodes(model, path, nodes, version):
    """The fitted tree model pickled with `nodes` in place of its Tree's node array."""
    from sklearn.tree._tree import Tree

    class TreeNodesPickler(pickle.Pickler):
        def reducer_override(self, obj):
            if isinstance(obj, Tree):
                cls, args, state = obj.__reduce__()
                state = dict(state)
                state['nodes'] = nodes
                return cls, args, state
            if obj is model:
                cls, args, state = obj.__reduce_ex__(4)[:3]
                state = dict(state)
                state['_sklearn_version'] = version
                return cls, args, state
            return NotImplemented

    with open(path, 'wb') as f:
        TreeNodesPickler(f, protocol=4).dump(model)


# --- malicious pickles -------------------------------------------------------------------------------

class TouchOnLoad:
    """Runs `touch TOUCHED` when unpickled by Python."""

    def __reduce__(self):
        return (os.system, (f'touch {TOUCHED}',))


def crafted(module, name, arg, stack_global):
    """A pickle calling module.name(arg): protocol 0 GLOBAL, or protocol 4 STACK_GLOBAL."""
    if not stack_global:
        return b'c' + module.encode() + b'\n' + name.encode() + b'\n(V' + arg.encode() + b'\ntR.'

    def short(s):
        return b'\x8c' + bytes([len(s)]) + s.encode()
    body = short(module) + short(name) + b'\x93' + short(arg) + b'\x85R.'
    return b'\x80\x04' + body


def write_malicious():
    os.makedirs(EVIL, exist_ok=True)
    names = []
    cmd = f'touch {TOUCHED}'
    for module, name, sg in [
        ('os', 'system', False), ('os', 'system', True), ('posix', 'system', False), ('nt', 'system', False),
        ('subprocess', 'Popen', True), ('subprocess', 'check_output', False),
        ('builtins', 'eval', True), ('builtins', 'exec', False), ('builtins', '__import__', True),
        ('__builtin__', 'eval', False),
    ]:
        fn = f'{module}.{name}{".stack" if sg else ""}.pkl'
        with open(os.path.join(EVIL, fn), 'wb') as f:
            f.write(crafted(module, name, cmd if name != '__import__' else 'os', sg))
        names.append(fn)
    with open(os.path.join(EVIL, 'reduce-touch.pkl'), 'wb') as f:
        pickle.dump(TouchOnLoad(), f, protocol=4)
    # Hidden inside a fitted-looking pipeline, an object array, and a compressed joblib file.
    rng = np.random.default_rng(3)
    X, y = pi_table(rng, 60)
    pipe = Pipeline([('scale', StandardScaler()), ('classify', LogisticRegression())]).fit(X[FEATURES], y)
    pipe.steps.append(('payload', TouchOnLoad()))
    joblib.dump(pipe, os.path.join(EVIL, 'pipeline-with-payload.joblib'))
    hidden = LogisticRegression().fit(X[FEATURES], y)
    hidden.classes_ = np.array(['piNEG', TouchOnLoad()], dtype=object)
    joblib.dump(hidden, os.path.join(EVIL, 'object-array-payload.joblib'))
    joblib.dump(TouchOnLoad(), os.path.join(EVIL, 'reduce-touch.zlib.joblib'), compress=3)
    # Prove the payloads are live: Python itself runs them (in a child process, then clean up).
    for fn in ['os.system.pkl', 'reduce-touch.pkl', 'pipeline-with-payload.joblib']:
        if os.path.exists(TOUCHED):
            os.remove(TOUCHED)
        loader = 'import joblib,sys; joblib.load(sys.argv[1])' if fn.endswith('.joblib') else \
            'import pickle,sys; pickle.load(open(sys.argv[1],"rb"))'
        subprocess.run([sys.executable, '-c', loader, os.path.join(EVIL, fn)], check=False)
        assert os.path.exists(TOUCHED), f'{fn} did not run its payload in Python'
        os.remove(TOUCHED)
    return names


def write_arrays():
    """numpy arrays of the dtypes and layouts model pickles hold, for the reader's own tests."""
    rec = np.zeros(3, dtype=[('left', '<i8'), ('threshold', '<f8'), ('flag', 'u1')])
    rec['left'] = [1, -1, -1]
    rec['threshold'] = [0.5, -2.0, 1e300]
    rec['flag'] = [0, 1, 0]
    arrays = {
        'f8': np.array([0.1, -2.5, np.pi, 1e-300]),
        'f4': np.array([[1.5, -0.1], [3.0, 7.25]], dtype=np.float32),
        'i8': np.array([-(2**40), 0, 7]),
        'i1': np.array([-128, 0, 127], dtype=np.int8),
        'u4': np.array([0, 4000000000], dtype=np.uint32),
        'bool': np.array([True, False, True]),
        'fortran': np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)),
        'big_endian': np.array([1.25, -3.5], dtype='>f8'),
        'unicode': np.array(['piNEG', 'piPOS', 'é✓'], dtype='<U5'),
        'object': np.array(['area', 'mean_intensity'], dtype=object),
        'record': rec,
        'empty': np.zeros((0, 4)),
        'scalar_f8': np.float64(0.125),
        'scalar_i8': np.int64(-3),
    }
    files = []
    for variant in ('joblib', 'zlib3.joblib', 'p0.pkl', 'p2.pkl', 'p4.pkl', 'p5.pkl'):
        files.append(write(arrays, 'arrays', variant))
    expected = {}
    for k, v in arrays.items():
        a = np.asarray(v)
        if a.dtype.names:
            values = {f: a[f].tolist() for f in a.dtype.names}
        else:
            values = a.ravel(order='C').tolist()
        expected[k] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'values': values}
    return files, expected


def main():
    os.makedirs(MODELS, exist_ok=True)
    for folder in (MODELS,):
        for f in os.listdir(folder):
            os.remove(os.path.join(folder, f))
    rng = np.random.default_rng(20240611)
    train2, y2 = pi_table(rng, 240)
    test2, _ = pi_table(rng, 60)
    train3, y3 = pi_table(rng, 240, three_class=True)
    test3, _ = pi_table(rng, 45, three_class=True)
    train_nan, y_nan = pi_table(rng, 300, nan_fraction=0.15)
    test_nan, _ = pi_table(rng, 50, nan_fraction=0.2)
    # Rows on the edge: zeros, a huge area, identical values.
    edge = test2.iloc[:3].copy()
    edge.loc[edge.index[0], ['mean_intensity', 'max_intensity', 'roi_std_dev']] = 0.0
    edge.loc[edge.index[1], 'area'] = 1e7
    edge.loc[edge.index[2], 'rel_mean_intensity'] = 1.6
    test2 = pd.concat([test2, edge], ignore_index=True)
    tables = {'binary': test2, 'three_class': test3, 'nan': test_nan}
    # The test tables list their columns in an order unlike FEATURES, plus columns models ignore.
    order = ['label', 'area', 'max_intensity', 'min_intensity', 'mean_intensity', 'roi_std_dev', 'rel_mean_intensity']

    entries = []

    def add(name, model, table, extra_variants=(), files=None):
        pred, proba = expected_for(model, tables[table])
        written = files or [write(model, name, v) for v in ['joblib', 'p4.pkl', *extra_variants]]
        for fn in written:
            again = joblib.load(os.path.join(MODELS, fn))
            assert expected_for(again, tables[table])[0] == pred, fn
        entries.append({
            'name': name, 'table': table, 'estimator': class_path(model),
            'classes': [str(c) for c in model.classes_], 'feature_names': [str(f) for f in model.feature_names_in_],
            'files': written, 'predict': pred, 'predict_proba': proba,
        })

    binary = {name: make().fit(train2[FEATURES], y2) for name, make in BINARY.items()}
    tables['binary'] = test2 = pd.concat([test2, split_edge_rows(binary, test2)], ignore_index=True)
    for name, model in binary.items():
        add(name, model, 'binary', VARIANTS.get(name, []))
    for name, make in THREE_CLASS.items():
        add(name, make().fit(train3[FEATURES], y3), 'three_class', VARIANTS.get(name, []))
    hgb_nan = HistGradientBoostingClassifier(max_iter=10, max_leaf_nodes=6, max_bins=32, random_state=0)
    add('hist_gradient_boosting_nan', hgb_nan.fit(train_nan[FEATURES], y_nan), 'nan')

    logreg = LogisticRegression(max_iter=2000).fit(train2[FEATURES], y2)
    svc = SVC(probability=True, random_state=0).fit(train2[FEATURES], y2)
    for model, name in ((logreg, 'logreg'), (svc, 'svc_rbf_proba')):
        fn = f'{name}.numpy2-names.p2.pkl'
        with open(os.path.join(MODELS, fn), 'wb') as f:
            f.write(numpy2_names(pickle.dumps(model, protocol=2)))
        pred, proba = expected_for(model, test2)
        entries.append({
            'name': f'{name} (numpy 2 module names)', 'table': 'binary', 'estimator': class_path(model),
            'classes': list(model.classes_), 'feature_names': list(model.feature_names_in_),
            'files': [fn], 'predict': pred, 'predict_proba': proba,
        })

    # The scikit-learn >= 1.3 tree layout, checked on the NaN table by an independent walk.
    tree = DecisionTreeClassifier(max_depth=4, random_state=0).fit(train2[FEATURES], y2)
    nodes, values = write_tree_13(tree, os.path.join(MODELS, 'decision_tree_sklearn13_layout.pkl'))
    X = test_nan[FEATURES].to_numpy()
    leaf_values = np.array([walk_13(nodes, values, x)[0] for x in X])
    proba13 = leaf_values / leaf_values.sum(axis=1, keepdims=True)
    entries.append({
        'name': 'decision_tree (scikit-learn 1.3 node layout)', 'table': 'nan', 'estimator': class_path(tree),
        'classes': list(tree.classes_), 'feature_names': list(tree.feature_names_in_),
        'files': ['decision_tree_sklearn13_layout.pkl'], 'sklearn_version': '1.3.2',
        'predict': [str(tree.classes_[i]) for i in leaf_values.argmax(axis=1)],
        'predict_proba': proba13.tolist(),
    })

    # A damaged tree whose second node points back to the root: a reader must not loop forever.
    looping = tree.tree_.__getstate__()['nodes'].copy()
    looping['left_child'][1] = 0
    write_tree_nodes(tree, os.path.join(MODELS, 'decision_tree_looping_nodes.pkl'), looping, sklearn.__version__)

    for v in ('bz2.joblib', 'xz.joblib', 'lzma.joblib'):
        write(logreg, 'logreg', v)
    joblib.dump(KNeighborsClassifier(3).fit(train2[FEATURES][:12], y2[:12]), os.path.join(MODELS, 'knn.joblib'))

    array_files, arrays = write_arrays()
    evil = write_malicious()
    out = {
        'generator': 'scripts/make-sklearn-fixtures.py',
        'versions': {'python': sys.version.split()[0], 'sklearn': sklearn.__version__,
                     'numpy': np.__version__, 'joblib': joblib.__version__, 'pandas': pd.__version__},
        'touched_file': TOUCHED,
        'malicious': sorted(os.listdir(EVIL)),
        'crafted_globals': evil,
        'tables': {k: column_lists(t[order]) for k, t in tables.items()},
        'arrays': {'files': array_files, 'values': arrays},
        'models': entries,
    }
    with open(os.path.join(ROOT, 'expected.json'), 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    total = sum(os.path.getsize(os.path.join(d, f)) for d in (MODELS, EVIL) for f in os.listdir(d))
    print(f'wrote {len(entries)} models, {len(os.listdir(MODELS))} model files, '
          f'{len(os.listdir(EVIL))} malicious files, {total} bytes')


if __name__ == '__main__':
    main()

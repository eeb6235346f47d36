"""The demo collection as labs ship theirs: PyTorch `.pth` models and a scikit-learn PI classifier.

Usage: /usr/bin/python3 scripts/make-demo-variants.py train
       /usr/bin/python3 scripts/make-demo-variants.py predict RUN_FL_CSV

`train` fits the scikit-learn PI classifier on the same table the demo's own PI classifier was
trained on (scripts/demo_world/train.py pi_table: the training movies' fluorescence restored by the
demo fl_focus weights, measured per true object, labelled by the simulation's PI status) and writes
models/demo-variants/PIClassifier.joblib, as HiTMicTools' PI classifiers are: a joblib-pickled
Pipeline whose feature_names_in_ name the `_fl.csv` columns, with labels "piNEG"/"piPOS".

`predict` writes what scikit-learn itself predicts on a run's `_fl.csv`
(models/demo-variants/pi-reference.csv: frame, label, the feature columns, pi_class, pi_prob), the
reference the acceptance test compares HiTMic Studio's evaluation with.

Needs Debian's python3-torch, python3-sklearn, python3-joblib, python3-pandas; never used at run time.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "models" / "demo-variants"
sys.path.insert(0, str(REPO / "scripts" / "demo_world"))


def train() -> None:
    import joblib
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    import common as C
    import hitmic as H
    import train as T

    # The demo fl_focus weights are the restorer the training table is made with.
    shutil.copyfile(REPO / "models/demo-collection/models/NAFNet-fl_focus_restoration.pth", C.TRAINED / "fl.pth")
    X, y = T.pi_table("train", T.DOWNSTREAM_SEEDS, C.TRAIN_SIZE, C.TRAIN_FRAMES)
    print("pi table", X.shape, np.bincount(y))
    frame = pd.DataFrame(X.astype(np.float64), columns=H.PI_FEATURES)
    labels = np.where(y == 1, "piPOS", "piNEG")
    model = Pipeline([("scale", StandardScaler()), ("classify", LogisticRegression(C=1.0, max_iter=2000))])
    model.fit(frame, labels)
    print("training accuracy", (model.predict(frame) == labels).mean())
    OUT.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, OUT / "PIClassifier.joblib")
    print("wrote", OUT / "PIClassifier.joblib")


def predict(fl_csv: str) -> None:
    import joblib
    import pandas as pd

    model = joblib.load(OUT / "PIClassifier.joblib")
    table = pd.read_csv(fl_csv)
    names = list(model.feature_names_in_)
    features = table[names]
    out = table[["frame", "label"] + names].copy()
    out["pi_class"] = model.predict(features)
    out["pi_prob"] = model.predict_proba(features)[:, list(model.classes_).index("piPOS")]
    out.to_csv(OUT / "pi-reference.csv", index=False, float_format="%.9g")
    print("wrote", OUT / "pi-reference.csv", len(out), "objects,", (out["pi_class"] == "piPOS").sum(), "piPOS")


if __name__ == "__main__":
    if sys.argv[1:2] == ["train"]:
        train()
    elif sys.argv[1:2] == ["predict"] and len(sys.argv) == 3:
        predict(sys.argv[2])
    else:
        sys.exit(__doc__)

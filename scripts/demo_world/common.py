"""Shared paths, seeds and cached data for the demo world scripts."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

import numpy as np
import torch

import world

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("HITMIC_DEMO_CACHE", "/tmp/hitmic-demo-world"))
CACHE.mkdir(parents=True, exist_ok=True)

DEMO_SEED = 7
TRAIN_SEEDS = [101, 102, 103, 104, 105, 106, 107, 108]
HOLDOUT_SEEDS = [901, 902]
TRAIN_SIZE = 256
TRAIN_FRAMES = 20
HOLDOUT_SIZE = 256
HOLDOUT_FRAMES = 20
# frames of each training / held-out movie that are restored and used downstream (CPU budget)
USED_FRAMES = list(range(0, 20, 2))
DEMO_EVAL_FRAMES = list(range(20))

# inference settings used everywhere (also written to config.yml)
RESTORER_PATCH = 128
SEG_PATCH = 256
OVERLAP = 0.25
CLS_SIZE = 32
OOF_TILE = 128
OOF_GRID = 8

COLLECTION = REPO / "models" / "demo-collection"
REFERENCE = REPO / "models" / "demo-collection-reference"
DEMO_DIR = REPO / "resources" / "demo"
TRAINED = CACHE / "trained"
TRAINED.mkdir(parents=True, exist_ok=True)


def setup_torch(seed=0):
    torch.set_num_threads(int(os.environ.get("HITMIC_THREADS", "1")))
    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def movie(seed, size, frames, kind):
    """Cached simulated movie. kind: 'train' (mixed defocus), 'holdout' (same), 'demo'."""
    path = CACHE / f"movie_{kind}_{seed}_{size}_{frames}_v1.pkl"
    if path.exists():
        with open(path, "rb") as f:
            return pickle.load(f)
    kw = {}
    if kind in ("train", "holdout"):
        kw["defocus_range"] = (1.4, 3.2)
    r = world.simulate(seed, size=size, frames=frames, **kw)
    with open(path, "wb") as f:
        pickle.dump(r, f, protocol=4)
    return r


def train_movies():
    return [movie(s, TRAIN_SIZE, TRAIN_FRAMES, "train") for s in TRAIN_SEEDS]


def holdout_movies():
    return [movie(s, HOLDOUT_SIZE, HOLDOUT_FRAMES, "holdout") for s in HOLDOUT_SEEDS]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save_json(path, obj):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=False)
        f.write("\n")


def load_json(path):
    with open(path) as f:
        return json.load(f)

"""Train the demo models on simulated movies (seeds differ from the demo movie).

Usage: python3 train.py [--force] [stage ...]   stages: bf fl seg cls pi oof
Outputs go to $HITMIC_DEMO_CACHE/trained (default /tmp/hitmic-demo-world/trained).
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import common as C
import hitmic as H
import nets

NAF_ARGS = {"img_channel": 1, "width": 8, "middle_blk_num": 1, "enc_blk_nums": [1, 1], "dec_blk_nums": [1, 1]}
UNET_ARGS = {"spatial_dims": 2, "in_channels": 1, "out_channels": 1, "channels": [16, 32, 64],
             "strides": [2, 2], "num_res_units": 0}
FLEX_ARGS = {"num_classes": 5, "in_channels": 1, "min_size": C.CLS_SIZE, "initial_filters": 16,
             "num_blocks": 2, "use_global_pool": True}
PI_HIDDEN = 16
# seg / classifier / PI train on restored frames, which are costly to make on 2 CPU cores
DOWNSTREAM_SEEDS = C.TRAIN_SEEDS[:4]


def build(name):
    if name in ("bf", "fl"):
        return nets.NAFNet(**NAF_ARGS)
    if name == "seg":
        a = dict(UNET_ARGS)
        a["channels"], a["strides"] = tuple(a["channels"]), tuple(a["strides"])
        return nets.MonaiUNet(**a)
    if name == "cls":
        return nets.FlexResNet(**FLEX_ARGS)
    if name == "pi":
        return nets.PIClassifierNet(len(H.PI_FEATURES), PI_HIDDEN)
    if name == "oof":
        return nets.OofGridDetector(C.OOF_TILE, C.OOF_GRID)
    raise ValueError(name)


def load(name):
    m = build(name)
    m.load_state_dict(torch.load(C.TRAINED / f"{name}.pth", map_location="cpu"))
    m.eval()
    return m


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def cosine_lr(opt, step, total, lr0):
    lr = lr0 * 0.5 * (1 + math.cos(math.pi * step / total))
    for g in opt.param_groups:
        g["lr"] = lr


# --------------------------------------------------------------------------
# restorers
# --------------------------------------------------------------------------
def restorer_pairs(kind, movies):
    xs, ys = [], []
    for mv in movies:
        obs = mv["bf" if kind == "bf" else "fl"]
        sharp = mv["bf_sharp" if kind == "bf" else "fl_sharp"]
        for t in range(obs.shape[0]):
            x = torch.from_numpy(obs[t].astype(np.float32))[None, None]
            s = torch.from_numpy(sharp[t])[None, None]
            if kind == "bf":
                xi, mi, ma = H.range01(x)
                yi = (s - mi) / (ma - mi + H.EPS32)
            else:
                xi, yi = H.fixed_range(x), H.fixed_range(s)
            xs.append(xi[0, 0].numpy())
            ys.append(yi[0, 0].numpy())
    return np.stack(xs), np.stack(ys)


def train_restorer(kind, steps=500, batch=16, patch=64, lr0=3e-3):
    C.setup_torch(1 if kind == "bf" else 2)
    X, Y = restorer_pairs(kind, C.train_movies())
    scale = 1.0 if kind == "bf" else 4095.0 / 600.0  # FL: weight the loss to the signal range
    model = build(kind)
    opt = torch.optim.AdamW(model.parameters(), lr=lr0, weight_decay=0.0)
    rng = np.random.default_rng(11)
    n, h, w = X.shape
    t0 = time.time()
    for step in range(steps):
        idx = rng.integers(0, n, batch)
        ys_ = rng.integers(0, h - patch + 1, batch)
        xs_ = rng.integers(0, w - patch + 1, batch)
        xb = np.stack([X[i, a:a + patch, b:b + patch] for i, a, b in zip(idx, ys_, xs_)])[:, None]
        yb = np.stack([Y[i, a:a + patch, b:b + patch] for i, a, b in zip(idx, ys_, xs_)])[:, None]
        flip = rng.integers(0, 4)
        xb, yb = np.rot90(xb, flip, (2, 3)).copy(), np.rot90(yb, flip, (2, 3)).copy()
        xb, yb = torch.from_numpy(xb), torch.from_numpy(yb)
        cosine_lr(opt, step, steps, lr0)
        pred = model(xb)
        loss = F.mse_loss(pred * scale, yb * scale) + 0.1 * F.l1_loss(pred * scale, yb * scale)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            log(f"{kind} step {step} loss {loss.item():.5f} ({time.time() - t0:.0f}s)")
    torch.save(model.state_dict(), C.TRAINED / f"{kind}.pth")


# --------------------------------------------------------------------------
# restored stacks (cached) used by the downstream models
# --------------------------------------------------------------------------
def restored(kind, mv_kind, seed):
    tag = C.sha256(C.TRAINED / f"{kind}.pth")[:12]
    path = C.CACHE / f"restored_{kind}_{mv_kind}_{seed}_{tag}.npy"
    if path.exists():
        return np.load(path)
    size = C.TRAIN_SIZE if mv_kind == "train" else C.HOLDOUT_SIZE
    frames = C.TRAIN_FRAMES if mv_kind == "train" else C.HOLDOUT_FRAMES
    mv = C.movie(seed, size, frames, mv_kind)
    model = load(kind)
    fn = H.restore_bf if kind == "bf" else H.restore_fl
    # training inputs: one whole-frame forward (cheaper); held-out: the faithful sliding window
    patch = size if mv_kind == "train" else C.RESTORER_PATCH
    out = np.stack([fn(model, mv[kind][t], patch=patch, overlap=C.OVERLAP) for t in C.USED_FRAMES])
    np.save(path, out.astype(np.float32))
    return out


def proxy_bf(seeds):
    """Stand-in for the BF restorer's output, so that segmentation and classifier training do not wait
    for it: the sharp frame in the observed frame's range01 units, re-blurred (sigma 0-1.2 px) and with
    a little noise (as a restorer leaves). Quality is always measured on real restorer outputs."""
    from scipy import ndimage as ndi
    path = C.CACHE / f"proxy_bf_{'_'.join(map(str, seeds))}.npy"
    if path.exists():
        return np.load(path)
    rng = np.random.default_rng(21)
    out = []
    for s in seeds:
        mv = C.movie(s, C.TRAIN_SIZE, C.TRAIN_FRAMES, "train")
        for t in range(C.TRAIN_FRAMES):
            x = torch.from_numpy(mv["bf"][t].astype(np.float32))[None, None]
            _, mi, ma = H.range01(x)
            y = ((torch.from_numpy(mv["bf_sharp"][t]) - mi[0, 0]) / (ma[0, 0] - mi[0, 0] + H.EPS32)).numpy()
            y = ndi.gaussian_filter(y, rng.uniform(0.0, 1.2)) + rng.normal(0, rng.uniform(0.0, 0.02), y.shape)
            out.append(y.astype(np.float32))
    out = np.stack(out).reshape(len(seeds), C.TRAIN_FRAMES, C.TRAIN_SIZE, C.TRAIN_SIZE)
    np.save(path, out)
    return out


# --------------------------------------------------------------------------
# segmentation
# --------------------------------------------------------------------------
def gap_weights(labels):
    from scipy import ndimage as ndi
    big = np.where(labels == 0, 65535, labels).astype(np.int32)
    lmax = ndi.maximum_filter(labels.astype(np.int32), size=5)
    lmin = ndi.minimum_filter(big, size=5)
    gap = (labels == 0) & (lmin != 65535) & (lmax != lmin)
    return 1.0 + 6.0 * gap.astype(np.float32)


def train_seg(steps=800, batch=8, patch=96, lr0=3e-3):
    C.setup_torch(3)
    X, Y, Wt = [], [], []
    P = proxy_bf(C.TRAIN_SEEDS)
    for k, s in enumerate(C.TRAIN_SEEDS):
        mv = C.movie(s, C.TRAIN_SIZE, C.TRAIN_FRAMES, "train")
        for t in range(C.TRAIN_FRAMES):
            X.append(P[k, t])
            Y.append((mv["labels"][t] > 0).astype(np.float32))
            Wt.append(gap_weights(mv["labels"][t]))
    X, Y, Wt = np.stack(X), np.stack(Y), np.stack(Wt)
    model = build("seg")
    opt = torch.optim.AdamW(model.parameters(), lr=lr0, weight_decay=1e-4)
    rng = np.random.default_rng(12)
    n, h, w = X.shape
    t0 = time.time()
    for step in range(steps):
        idx = rng.integers(0, n, batch)
        ys_ = rng.integers(0, h - patch + 1, batch)
        xs_ = rng.integers(0, w - patch + 1, batch)
        sel = lambda A: np.stack([A[i, a:a + patch, b:b + patch] for i, a, b in zip(idx, ys_, xs_)])[:, None]
        xb, yb, wb = sel(X), sel(Y), sel(Wt)
        flip = rng.integers(0, 4)
        xb, yb, wb = (torch.from_numpy(np.rot90(a, flip, (2, 3)).copy()) for a in (xb, yb, wb))
        cosine_lr(opt, step, steps, lr0)
        logit = model(xb)
        bce = (F.binary_cross_entropy_with_logits(logit, yb, reduction="none") * wb).mean()
        p = torch.sigmoid(logit)
        dice = 1 - (2 * (p * yb).sum() + 1) / (p.sum() + yb.sum() + 1)
        loss = bce + 0.5 * dice
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == steps - 1:
            log(f"seg step {step} loss {loss.item():.4f} ({time.time() - t0:.0f}s)")
    torch.save(model.state_dict(), C.TRAINED / "seg.pth")


# --------------------------------------------------------------------------
# cell classifier
# --------------------------------------------------------------------------
def class_crops(mv_kind, seeds, size, frames):
    Xs, ys = [], []
    for k, s in enumerate(seeds):
        mv = C.movie(s, size, frames, mv_kind)
        if mv_kind == "train":
            R, used = proxy_bf(seeds)[k], range(frames)
        else:
            R, used = restored("bf", mv_kind, s), C.USED_FRAMES
        cls = {}
        for r in mv["rows"]:
            cls[(r["frame"], r["label"])] = r["class_id"]
        for j, t in enumerate(used):
            crops, ids = H.roi_crops(mv["labels"][t], R[j], C.CLS_SIZE)
            Xs.append(crops)
            ys.append(np.array([cls[(t, int(i))] for i in ids], np.int64))
    return np.concatenate(Xs), np.concatenate(ys)


def train_cls(epochs=10, batch=64, lr0=3e-3):
    C.setup_torch(4)
    X, y = class_crops("train", C.TRAIN_SEEDS, C.TRAIN_SIZE, C.TRAIN_FRAMES)
    log("cls crops", X.shape, np.bincount(y, minlength=5))
    counts = np.bincount(y, minlength=5).astype(np.float64)
    wcls = torch.tensor((counts.sum() / (5 * np.maximum(counts, 1))) ** 0.5, dtype=torch.float32)
    model = build("cls")
    opt = torch.optim.AdamW(model.parameters(), lr=lr0, weight_decay=1e-4)
    rng = np.random.default_rng(13)
    n = len(y)
    steps = epochs * (n // batch)
    step = 0
    t0 = time.time()
    for ep in range(epochs):
        perm = rng.permutation(n)
        for k in range(n // batch):
            idx = perm[k * batch:(k + 1) * batch]
            xb = X[idx]
            flip = rng.integers(0, 4)
            xb = np.rot90(xb, flip, (2, 3)).copy()
            if rng.random() < 0.5:
                xb = xb[:, :, :, ::-1].copy()
            xb = torch.from_numpy(xb)
            yb = torch.from_numpy(y[idx])
            cosine_lr(opt, step, steps, lr0)
            loss = F.cross_entropy(model(xb), yb, weight=wcls)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        log(f"cls epoch {ep} loss {loss.item():.4f} ({time.time() - t0:.0f}s)")
    torch.save(model.state_dict(), C.TRAINED / "cls.pth")


# --------------------------------------------------------------------------
# PI classifier
# --------------------------------------------------------------------------
def pi_table(mv_kind, seeds, size, frames):
    Xs, ys = [], []
    for s in seeds:
        mv = C.movie(s, size, frames, mv_kind)
        R = restored("fl", mv_kind, s)
        st = {(r["frame"], r["label"]): r["pi_status"] == "piPOS" for r in mv["rows"]}
        for j, t in enumerate(C.USED_FRAMES):
            rows = H.fl_measurements(mv["labels"][t], R[j])
            Xs.append(H.feature_matrix(rows))
            ys.append(np.array([st[(t, r["label"])] for r in rows], np.int64))
    return np.concatenate(Xs), np.concatenate(ys)


def train_pi(steps=1500, lr0=1e-2):
    C.setup_torch(5)
    X, y = pi_table("train", DOWNSTREAM_SEEDS, C.TRAIN_SIZE, C.TRAIN_FRAMES)
    log("pi table", X.shape, np.bincount(y))
    model = build("pi")
    model.mean.copy_(torch.from_numpy(X.mean(0)))
    model.std.copy_(torch.from_numpy(X.std(0) + 1e-6))
    opt = torch.optim.Adam(model.net.parameters(), lr=lr0)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    for step in range(steps):
        cosine_lr(opt, step, steps, lr0)
        loss = F.cross_entropy(model.logits(Xt), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
    log(f"pi loss {loss.item():.4f}")
    torch.save(model.state_dict(), C.TRAINED / "pi.pth")


# --------------------------------------------------------------------------
# OOF detector
# --------------------------------------------------------------------------
def oof_tiles(mv_kind, seeds, size, frames, stride=None):
    """Tiles of the raw BF (min-max over the whole frame, as OofDetector does) + grid targets."""
    T, G = C.OOF_TILE, C.OOF_GRID
    cell = T // G
    stride = stride or T
    Xs, Ys = [], []
    for s in seeds:
        mv = C.movie(s, size, frames, mv_kind)
        for t in range(frames):
            img = mv["bf"][t].astype(np.float32)
            img = (img - img.min()) / max(img.max() - img.min(), 1e-12)
            tgt = np.zeros((size // cell, size // cell), np.float32)
            for r in mv["rows"]:
                if r["frame"] == t and r["class_id"] == 3:
                    tgt[min(int(r["centroid_0"] // cell), tgt.shape[0] - 1),
                        min(int(r["centroid_1"] // cell), tgt.shape[1] - 1)] = 1
            for y0 in range(0, size - T + 1, stride):
                for x0 in range(0, size - T + 1, stride):
                    Xs.append(img[y0:y0 + T, x0:x0 + T])
                    Ys.append(tgt[y0 // cell:y0 // cell + G, x0 // cell:x0 // cell + G])
    return np.stack(Xs)[:, None], np.stack(Ys)[:, None]


def train_oof(epochs=30, batch=32, lr0=3e-3):
    C.setup_torch(6)
    X, Y = oof_tiles("train", C.TRAIN_SEEDS, C.TRAIN_SIZE, C.TRAIN_FRAMES, stride=64)
    log("oof tiles", X.shape, Y.mean())
    model = build("oof")
    opt = torch.optim.AdamW(model.parameters(), lr=lr0, weight_decay=1e-4)
    rng = np.random.default_rng(14)
    n = len(X)
    steps = epochs * (n // batch)
    step = 0
    pw = torch.tensor(20.0)
    for ep in range(epochs):
        perm = rng.permutation(n)
        for k in range(n // batch):
            idx = perm[k * batch:(k + 1) * batch]
            flip = rng.integers(0, 4)
            xb = torch.from_numpy(np.rot90(X[idx], flip, (2, 3)).copy()).expand(-1, 3, -1, -1)
            yb = torch.from_numpy(np.rot90(Y[idx], flip, (2, 3)).copy())
            cosine_lr(opt, step, steps, lr0)
            loss = F.binary_cross_entropy_with_logits(model.grid_logits(xb), yb, pos_weight=pw)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        if ep % 5 == 0 or ep == epochs - 1:
            log(f"oof epoch {ep} loss {loss.item():.4f}")
    torch.save(model.state_dict(), C.TRAINED / "oof.pth")


STAGES = {"bf": lambda: train_restorer("bf"), "fl": lambda: train_restorer("fl"), "seg": train_seg,
          "cls": train_cls, "pi": train_pi, "oof": train_oof}


def main(argv):
    force = "--force" in argv
    stages = [a for a in argv if not a.startswith("--")] or list(STAGES)
    for st in stages:
        if (C.TRAINED / f"{st}.pth").exists() and not force:
            log(f"{st}: cached ({C.TRAINED / (st + '.pth')})")
            continue
        log(f"training {st}")
        STAGES[st]()


if __name__ == "__main__":
    main(sys.argv[1:])

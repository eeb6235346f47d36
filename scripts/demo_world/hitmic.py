"""HiTMicTools-faithful inference pieces (PyTorch / numpy / scipy).

Mirrors reference hitmictools-models-resources.md §4.1 (ImageScaler), §4.2
(MONAI sliding window), §4.3 (segmentation post-processing), §4.4 (classifier
ROI crops) and hitmictools-pipeline.md §3.2 (FL measurements).
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage as ndi

EPS32 = float(np.finfo(np.float32).eps)  # 1.1920929e-07


# --------------------------------------------------------------------------
# ImageScaler
# --------------------------------------------------------------------------
def range01_stats(x: torch.Tensor, pmin=1.0, pmax=99.8):
    """x [B,C,H,W] float32 -> (mi, ma) [B,C,1,1], quantile over H then over W."""
    def qq(q):
        a = torch.quantile(x, q / 100.0, dim=-2, keepdim=True)
        return torch.quantile(a, q / 100.0, dim=-1, keepdim=True)
    return qq(pmin), qq(pmax)


def range01(x: torch.Tensor, pmin=1.0, pmax=99.8, clip=True):
    x = x.float()
    mi, ma = range01_stats(x, pmin, pmax)
    y = (x - mi) / (ma - mi + EPS32)
    if clip:
        y = torch.clamp(y, 0.0, 1.0)
    return y, mi, ma


def fixed_range(x: torch.Tensor, bit_depth=12):
    return x / float(2 ** bit_depth - 1)


# --------------------------------------------------------------------------
# MONAI sliding window (2D)
# --------------------------------------------------------------------------
def scan_starts(size, roi, overlap):
    if roi == size:
        interval = int(roi)
    else:
        interval = int(roi * (1 - overlap))
        interval = interval if interval > 0 else 1
    num = int(math.ceil(float(size) / interval))
    scan_dim = next((d for d in range(num) if d * interval + roi >= size), None)
    n = scan_dim + 1 if scan_dim is not None else 1
    starts = []
    for i in range(n):
        s = i * interval
        s -= max(s + roi - size, 0)
        starts.append(s)
    return starts


def importance_map(roi, mode, sigma_scale=0.125):
    if mode == "constant":
        return torch.ones((roi, roi), dtype=torch.float32)
    sigma = roi * sigma_scale
    x = torch.arange(start=-(roi - 1) / 2.0, end=(roi - 1) / 2.0 + 1, dtype=torch.float)
    g = torch.exp(x ** 2 / (-2 * sigma ** 2))
    m = g.unsqueeze(-1) * g[None]
    mn = max(torch.min(m).item(), 1e-3)
    return torch.clamp(m.to(torch.float32), min=mn)


@torch.no_grad()
def sliding_window(x: torch.Tensor, fn, roi, overlap, mode="gaussian", padding_mode="reflect"):
    """x [1,C,H,W]; fn maps [1,C,roi,roi] -> [1,Co,roi,roi]."""
    _, _, H, W = x.shape
    pad = []
    for size in (W, H):  # F.pad order: last dim first
        diff = max(roi - size, 0)
        half = diff // 2
        pad.extend([half, diff - half])
    if any(pad):
        x = F.pad(x, pad, mode=padding_mode)
    _, _, Hp, Wp = x.shape
    ys, xs = scan_starts(Hp, roi, overlap), scan_starts(Wp, roi, overlap)
    w = importance_map(roi, mode).to(x.dtype)
    out = None
    cnt = torch.zeros((1, 1, Hp, Wp), dtype=x.dtype)
    for y0 in ys:
        for x0 in xs:
            p = fn(x[:, :, y0:y0 + roi, x0:x0 + roi])
            if out is None:
                out = torch.zeros((1, p.shape[1], Hp, Wp), dtype=x.dtype)
            out[:, :, y0:y0 + roi, x0:x0 + roi] += p * w
            cnt[:, :, y0:y0 + roi, x0:x0 + roi] += w
    out = out / cnt
    return out[:, :, pad[2]:pad[2] + H, pad[0]:pad[0] + W]


# --------------------------------------------------------------------------
# components
# --------------------------------------------------------------------------
@torch.no_grad()
def restore_bf(model, frame: np.ndarray, patch=128, overlap=0.25, pmin=1.0, pmax=99.8):
    """FocusRestorer, range01, rescale=False -> float32 [H,W] in normalised units."""
    x = torch.from_numpy(frame.astype(np.float32))[None, None]
    y, _, _ = range01(x, pmin, pmax, clip=True)
    out = sliding_window(y, model, patch, overlap, mode="gaussian")
    return out[0, 0].numpy().astype(np.float32)


@torch.no_grad()
def restore_fl(model, frame: np.ndarray, patch=128, overlap=0.25, bit_depth=12):
    """FocusRestorer, fixed_range, rescale=True -> float32 [H,W] in counts."""
    x = torch.from_numpy(frame.astype(np.float32))[None, None]
    y = fixed_range(x, bit_depth)
    out = sliding_window(y, model, patch, overlap, mode="gaussian")
    out = out * float(2 ** bit_depth - 1)
    return out[0, 0].numpy().astype(np.float32)


@torch.no_grad()
def segment_prob(model, bf_restored: np.ndarray, patch=256, overlap=0.25):
    x = torch.from_numpy(bf_restored.astype(np.float32))[None, None]
    logits = sliding_window(x, model, patch, overlap, mode="constant")
    return torch.sigmoid(logits)[0, 0].numpy().astype(np.float32)


def prob_to_labels(prob: np.ndarray, threshold=0.5, min_size=20):
    """Single frame: prob > thr, 4-connected components, drop < min_size, relabel 1..N (uint16)."""
    lab, n = ndi.label(prob > threshold)
    if n == 0:
        return lab.astype(np.uint16)
    sizes = np.bincount(lab.ravel())
    keep = sizes >= min_size
    keep[0] = False
    remap = np.zeros(n + 1, np.int64)
    remap[keep] = np.arange(1, keep.sum() + 1)
    return remap[lab].astype(np.uint16)


def roi_crops(labels: np.ndarray, source: np.ndarray, S=32):
    """CellClassifier ROI preparation -> (crops float32 [N,1,S,S], label ids int64 [N])."""
    crops, ids = [], []
    objs = ndi.find_objects(labels)
    for i, sl in enumerate(objs):
        if sl is None:
            continue
        L = i + 1
        crop = source[sl].astype(np.float32).copy()
        crop[labels[sl] != L] = 0
        crops.append(dynamic_resize_roi(crop, S))
        ids.append(L)
    if not crops:
        return np.zeros((0, 1, S, S), np.float32), np.zeros((0,), np.int64)
    return np.stack(crops)[:, None].astype(np.float32), np.array(ids, np.int64)


def dynamic_resize_roi(crop: np.ndarray, S: int):
    h, w = crop.shape
    t = torch.from_numpy(crop)[None, None]
    if h > S or w > S:
        scale = S / max(h, w)
        nh, nw = max(int(h * scale), 1), max(int(w * scale), 1)
        t = F.interpolate(t, size=(nh, nw), mode="bilinear", align_corners=False)
        h, w = nh, nw
    ph, pw = S - h, S - w
    t = F.pad(t, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
    return t[0, 0].numpy()


FEATURE_COLUMNS = ["label", "centroid_0", "centroid_1", "max_intensity", "min_intensity", "mean_intensity",
                   "area", "roi_std_dev", "background", "rel_max_intensity", "rel_min_intensity",
                   "rel_mean_intensity"]
PI_FEATURES = ["mean_intensity", "max_intensity", "roi_std_dev", "area", "rel_mean_intensity"]


def fl_measurements(labels: np.ndarray, fl: np.ndarray):
    """Per-object FL measurements (subset of the HiTMicTools _fl.csv columns) -> list of dicts."""
    fl = fl.astype(np.float64)
    bgpix = fl[labels == 0]
    background = float(np.percentile(bgpix, 10)) if bgpix.size else 0.0
    rows = []
    objs = ndi.find_objects(labels)
    for i, sl in enumerate(objs):
        if sl is None:
            continue
        L = i + 1
        m = labels[sl] == L
        v = fl[sl][m]
        yy, xx = np.nonzero(m)
        r = {
            "label": L,
            "centroid_0": float(yy.mean() + sl[0].start),
            "centroid_1": float(xx.mean() + sl[1].start),
            "max_intensity": float(v.max()), "min_intensity": float(v.min()),
            "mean_intensity": float(v.mean()), "area": float(v.size),
            "roi_std_dev": float(np.std(v)), "background": background,
        }
        for k in ("max", "min", "mean"):
            r[f"rel_{k}_intensity"] = r[f"{k}_intensity"] / background if background != 0 else float("nan")
        rows.append(r)
    return rows


def feature_matrix(rows, names=PI_FEATURES):
    return np.array([[r[n] for n in names] for r in rows], np.float32).reshape(-1, len(names))


# --------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------
def psnr(a, b, data_range):
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 10 * math.log10(data_range ** 2 / max(mse, 1e-20))


def match_objects(gt: np.ndarray, pred: np.ndarray, iou_thr=0.5):
    """Return list of (gt_label, pred_label, iou) one-to-one matches with IoU > thr, plus counts."""
    g = gt.ravel().astype(np.int64)
    p = pred.ravel().astype(np.int64)
    ng, npd = int(g.max()), int(p.max())
    both = (g > 0) & (p > 0)
    inter = np.bincount(g[both] * (npd + 1) + p[both], minlength=(ng + 1) * (npd + 1)).reshape(ng + 1, npd + 1)
    ag = np.bincount(g, minlength=ng + 1)
    ap = np.bincount(p, minlength=npd + 1)
    matches = []
    gi, pi = np.nonzero(inter)
    for a, b in zip(gi, pi):
        if a == 0 or b == 0:
            continue
        iou = inter[a, b] / (ag[a] + ap[b] - inter[a, b])
        if iou > iou_thr:  # IoU > 0.5 is necessarily one-to-one
            matches.append((int(a), int(b), float(iou)))
    n_gt = int((ag[1:] > 0).sum())
    n_pred = int((ap[1:] > 0).sum())
    return matches, n_gt, n_pred

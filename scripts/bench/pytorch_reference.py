#!/usr/bin/env python3
"""PyTorch reference timings for `scripts/bench/inference-vs-pytorch.mjs`.

The demo collection's bf_focus, fl_focus and segmentation networks from their PyTorch state_dicts
(`models/demo-collection/models/*.pth`, architectures from `scripts/demo_world/nets.py`), run on one
2048x2048 frame (the demo movie's frame 0 tiled 4x4) as HiTMicTools does: scale -> MONAI sliding
window (scripts/demo_world/hitmic.py) -> (FL) rescale; segmentation: constant blending -> sigmoid ->
> 0.5, 4-connected components, objects < 20 px dropped. torch.set_num_threads(2) (BENCH_THREADS).

Two sliding-window variants, both MONAI semantics (same windows, same blending, same result):
  * "sw_batch_size=1": hitmic.sliding_window, one window per model call (HiTMicTools' default).
  * "sw_batch_size=B": the same windows B at a time (B = 4, like HiTMic Studio; BENCH_BATCH).
On a busy shared machine libgomp's default (waiting threads spin) can make sw_batch_size=1 10x slower
from one repetition to the next (a spinning thread waits for its descheduled partner at every parallel
region); OMP_WAIT_POLICY=PASSIVE in the environment avoids that and is recorded in "_meta".
One warm-up on a 512x512 crop, then BENCH_REPEAT repetitions (default 2, at most 3); the fastest is kept.

Prints one JSON line on stdout: {stage: ms} for sw_batch_size=1, plus "_batched" ({stage: ms} for
sw_batch_size=B) and "_meta" (with "cpu_ms": process CPU time of the kept repetitions, which a busy
shared machine distorts less than wall time). Progress goes to stderr.
Usage: /usr/bin/python3 scripts/bench/pytorch_reference.py [--size 2048] [--repeat 2] [--batch 4]
                                                          [--modes single,batched]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "demo_world"))
import hitmic as H  # noqa: E402  (HiTMicTools-faithful scaling and MONAI sliding window)
import nets  # noqa: E402  (architectures with HiTMicTools' state_dict keys)

COLLECTION = REPO / "models" / "demo-collection"
MOVIE = REPO / "resources" / "demo" / "demo_movie.tif"
MIN_OBJECT_PX = 20


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, file=sys.stderr, flush=True)


def read_config():
    """The collection's config.yml inferer_args, without needing PyYAML (fall back to the demo's values)."""
    defaults = {
        "bf_focus": {"patch_size": 128, "overlap_ratio": 0.25, "pmin": 1.0, "pmax": 99.8},
        "fl_focus": {"patch_size": 128, "overlap_ratio": 0.25, "bit_depth": 12},
        "segmentation": {"patch_size": 256, "overlap_ratio": 0.25},
    }
    try:
        import yaml  # type: ignore
    except ImportError:
        return defaults
    cfg = yaml.safe_load((COLLECTION / "config.yml").read_text())
    out = {}
    for key, d in defaults.items():
        a = dict((cfg.get(key) or {}).get("inferer_args") or {})
        s = a.pop("scaler_args", None) or {}
        out[key] = {**d, **{k: v for k, v in {**a, **s}.items() if k in d}}
    return out


def load_model(key):
    meta_rel = {
        "bf_focus": "NAFNet-bf_focus_restoration.json",
        "fl_focus": "NAFNet-fl_focus_restoration.json",
        "segmentation": "MonaiUnet-segmentation.json",
    }[key]
    meta = json.loads((COLLECTION / "metadata" / meta_rel).read_text())
    args = dict(meta["model_args"])
    if meta["model_type"] == "NAFNet":
        model = nets.NAFNet(**args)
    elif meta["model_type"] == "MonaiUnet":
        args["channels"], args["strides"] = tuple(args["channels"]), tuple(args["strides"])
        model = nets.MonaiUNet(**args)
    else:
        raise ValueError(f"unexpected model_type {meta['model_type']}")
    state = torch.load(COLLECTION / meta["torch_state_dict"], map_location="cpu")
    model.load_state_dict(state)
    model.eval()
    return model


@torch.no_grad()
def sliding_window_batched(x, model, roi, overlap, mode, batch):
    """MONAI sliding_window_inference with sw_batch_size=batch: the windows of hitmic.scan_starts,
    blended with hitmic.importance_map, `batch` windows per model call. Frames at least roi wide."""
    _, _, Hh, Ww = x.shape
    if Hh < roi or Ww < roi:
        return H.sliding_window(x, model, roi, overlap, mode=mode)  # padding path: one at a time
    ys, xs = H.scan_starts(Hh, roi, overlap), H.scan_starts(Ww, roi, overlap)
    starts = [(y0, x0) for y0 in ys for x0 in xs]
    w = H.importance_map(roi, mode).to(x.dtype)
    out = None
    cnt = torch.zeros((1, 1, Hh, Ww), dtype=x.dtype)
    for k in range(0, len(starts), batch):
        chunk = starts[k:k + batch]
        win = torch.cat([x[:, :, y0:y0 + roi, x0:x0 + roi] for y0, x0 in chunk], dim=0)
        p = model(win)
        if out is None:
            out = torch.zeros((1, p.shape[1], Hh, Ww), dtype=x.dtype)
        for i, (y0, x0) in enumerate(chunk):
            out[:, :, y0:y0 + roi, x0:x0 + roi] += p[i:i + 1] * w
            cnt[:, :, y0:y0 + roi, x0:x0 + roi] += w
    return out / cnt


def make_stages(models, cfg, batch):
    """stage -> fn(bf, fl, state) -> output; batch None = hitmic.sliding_window (sw_batch_size 1)."""
    def sw(x, model, roi, overlap, mode):
        if batch is None:
            return H.sliding_window(x, model, roi, overlap, mode=mode)
        return sliding_window_batched(x, model, roi, overlap, mode, batch)

    @torch.no_grad()
    def bf_focus(bf, fl, st):
        c = cfg["bf_focus"]
        x = torch.from_numpy(bf.astype(np.float32))[None, None]
        y, _, _ = H.range01(x, c["pmin"], c["pmax"], clip=True)
        out = sw(y, models["bf_focus"], int(c["patch_size"]), float(c["overlap_ratio"]), "gaussian")
        st["bf_restored"] = out[0, 0].numpy().astype(np.float32)  # rescale=False (pipeline's BF)
        return st["bf_restored"]

    @torch.no_grad()
    def fl_focus(bf, fl, st):
        c = cfg["fl_focus"]
        x = torch.from_numpy(fl.astype(np.float32))[None, None]
        y = H.fixed_range(x, int(c["bit_depth"]))
        out = sw(y, models["fl_focus"], int(c["patch_size"]), float(c["overlap_ratio"]), "gaussian")
        out = out * float(2 ** int(c["bit_depth"]) - 1)  # rescale=True (pipeline's FL)
        return out[0, 0].numpy().astype(np.float32)

    @torch.no_grad()
    def segmentation(bf, fl, st):
        c = cfg["segmentation"]
        x = torch.from_numpy(st["bf_restored"])[None, None]  # scale_method none: the BF restorer output
        logits = sw(x, models["segmentation"], int(c["patch_size"]), float(c["overlap_ratio"]), "constant")
        prob = torch.sigmoid(logits)[0, 0].numpy().astype(np.float32)
        labels = H.prob_to_labels(prob, 0.5, MIN_OBJECT_PX)
        st["objects"] = int(labels.max())
        return labels

    return {"bf_focus": bf_focus, "fl_focus": fl_focus, "segmentation": segmentation}


def frame_pair(size):
    import tifffile

    mv = tifffile.imread(str(MOVIE))  # T, C, Y, X uint16
    reps = -(-size // mv.shape[-1])
    bf = np.tile(mv[0, 0], (reps, reps))[:size, :size]
    fl = np.tile(mv[0, 1], (reps, reps))[:size, :size]
    return np.ascontiguousarray(bf), np.ascontiguousarray(fl)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=int(os.environ.get("BENCH_SIZE", 2048)))
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 2)))
    ap.add_argument("--batch", type=int, default=int(os.environ.get("BENCH_BATCH", 4)))
    ap.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", 2)))
    ap.add_argument("--modes", default=os.environ.get("BENCH_PT_MODES", "single,batched"),
                    help="comma list of single (sw_batch_size 1), batched (sw_batch_size --batch)")
    a = ap.parse_args(argv)
    repeat = max(1, min(3, a.repeat))
    torch.set_num_threads(a.threads)
    cfg = read_config()
    models = {k: load_model(k) for k in ("bf_focus", "fl_focus", "segmentation")}
    bf, fl = frame_pair(a.size)
    warm_bf, warm_fl = bf[:512, :512].copy(), fl[:512, :512].copy()
    modes = [m.strip() for m in a.modes.split(",") if m.strip()]
    results, objects = {}, None
    cpu_best = {m: {} for m in ("single", "batched")}
    for mode in modes:
        batch = None if mode == "single" else a.batch
        stages = make_stages(models, cfg, batch)
        st = {}
        for fn in stages.values():  # warm-up on a crop (first-call allocations, oneDNN primitive caches)
            fn(warm_bf, warm_fl, st)
        best = {k: float("inf") for k in stages}
        for r in range(repeat):
            st = {}
            for name, fn in stages.items():
                c0, t0 = time.process_time(), time.perf_counter()
                fn(bf, fl, st)
                ms = (time.perf_counter() - t0) * 1000
                cpu = (time.process_time() - c0) * 1000
                if ms < best[name]:
                    best[name] = ms
                    cpu_best[mode][name] = round(cpu, 1)
                log(f"pytorch {mode} rep {r + 1}/{repeat} {name}: {ms:.0f} ms (CPU {cpu:.0f} ms)")
            objects = st.get("objects", objects)
        results[mode] = {k: round(v, 1) for k, v in best.items()}
    out = dict(results.get("single", {}))
    if "batched" in results:
        out["_batched"] = results["batched"]
    out["_meta"] = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "size": a.size,
        "repeat": repeat,
        "batch": a.batch,
        "modes": modes,
        "segmentation_objects": objects,
        "cpu_ms": cpu_best,
        "settings": cfg,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])

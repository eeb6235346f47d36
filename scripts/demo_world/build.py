"""Write the demo movie, the demo model collection, quality numbers and parity references.

Usage: python3 build.py            (after train.py)
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import tifffile
import torch
import yaml

import common as C
import hitmic as H
import nets
import train as TR
import world

VERSION = "0.1.0"
CREATED = "2026-11-26T00:00:00Z"  # fixed so that rebuilding gives the same bytes
CREATED_LOCAL = "2026-11-26 00:00:00"
OPSET = 17
REF_FRAMES = [0, 10]
REF_CROP = (slice(128, 384), slice(128, 384))  # rows, cols of the 512x512 demo frame

FILES = {
    "bf_focus": ("NAFNet-bf_focus_restoration", "bf"),
    "fl_focus": ("NAFNet-fl_focus_restoration", "fl"),
    "segmentation": ("MonaiUnet-segmentation", "seg"),
    "cell_classifier": ("FlexResNet-cell_classifier", "cls"),
    "pi_classification": ("PIClassifier", "pi"),
    "oof_detector": ("RFDETR-oof_detector", "oof"),
}
PTH_NAME = {"oof_detector": "OofGridDetector-oof_detector"}


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


# ==========================================================================
# demo movie
# ==========================================================================
def write_demo():
    mv = C.movie(C.DEMO_SEED, 512, 20, "demo")
    C.DEMO_DIR.mkdir(parents=True, exist_ok=True)
    stack = np.stack([mv["bf"], mv["fl"]], axis=1).astype(np.uint16)  # T C Y X
    res = 1.0 / 0.65
    tifffile.imwrite(C.DEMO_DIR / "demo_movie.tif", stack, imagej=True, compression="zlib",
                     resolution=(res, res),
                     metadata={"axes": "TCYX", "finterval": 600, "unit": "micron"})
    tifffile.imwrite(C.DEMO_DIR / "demo_truth_labels.tif", mv["labels"].astype(np.uint16), imagej=True,
                     compression="zlib", resolution=(res, res),
                     metadata={"axes": "TYX", "finterval": 600, "unit": "micron"})
    cols = ["frame", "label", "class_id", "class_name", "pi_status", "track_id", "parent_track_id",
            "centroid_0", "centroid_1", "area"]
    with open(C.DEMO_DIR / "demo_truth.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in mv["rows"]:
            w.writerow([r["frame"], r["label"], r["class_id"], r["class_name"], r["pi_status"], r["track_id"],
                        r["parent_track_id"], f"{r['centroid_0']:.3f}", f"{r['centroid_1']:.3f}", r["area"]])
    info = {
        "seed": C.DEMO_SEED, "shape_TCYX": list(stack.shape), "pixel_size_um": 0.65, "frame_interval_s": 600,
        "globally_out_of_focus_frames": mv["oof_frames"],
        "classes": {str(i): n for i, n in enumerate(world.CLASS_NAMES)},
        "labels": "per-frame instance ids 1..N (0 = background); (frame, label) keys demo_truth.csv",
        "parent_track_id": "-1 = no parent (object present from frame 0 or not a division product)",
    }
    C.save_json(C.DEMO_DIR / "demo_info.json", info)
    log("demo movie written", stack.shape)
    return mv


# ==========================================================================
# quality
# ==========================================================================
def quality():
    bf, fl, seg, cls, pi, oof = (TR.load(k) for k in ("bf", "fl", "seg", "cls", "pi", "oof"))
    q = {}
    # --- restoration -------------------------------------------------------
    for kind, model in (("bf", bf), ("fl", fl)):
        g_all, g_norm, g_def, pin, pout = [], [], [], [], []
        for s in C.HOLDOUT_SEEDS:
            mv = C.movie(s, C.HOLDOUT_SIZE, C.HOLDOUT_FRAMES, "holdout")
            R = TR.restored(kind, "holdout", s)
            for j, t in enumerate(C.USED_FRAMES):
                x = torch.from_numpy(mv[kind][t].astype(np.float32))[None, None]
                sharp = torch.from_numpy(mv[kind + "_sharp"][t])[None, None]
                if kind == "bf":
                    xi, mi, ma = H.range01(x)
                    tgt = ((sharp - mi) / (ma - mi + H.EPS32))[0, 0].numpy()
                    inp, out = xi[0, 0].numpy(), R[j]
                else:
                    tgt, inp, out = sharp[0, 0].numpy(), mv[kind][t].astype(np.float32), R[j]
                dr = float(tgt.max() - tgt.min())
                a, b = H.psnr(inp, tgt, dr), H.psnr(out, tgt, dr)
                pin.append(a)
                pout.append(b)
                g_all.append(b - a)
                (g_norm if mv["defocus"][t] < 1.0 else g_def).append(b - a)
        q[f"{kind}_focus"] = {"psnr_input_db": round(float(np.mean(pin)), 2),
                              "psnr_restored_db": round(float(np.mean(pout)), 2),
                              "psnr_gain_db": round(float(np.mean(g_all)), 2),
                              "psnr_gain_db_sharp_frames": round(float(np.mean(g_norm)), 2),
                              "psnr_gain_db_defocused_frames": round(float(np.mean(g_def)), 2),
                              "frames": len(g_all)}
    # --- segmentation ------------------------------------------------------
    tp = ngt = npred = 0
    for s in C.HOLDOUT_SEEDS:
        mv = C.movie(s, C.HOLDOUT_SIZE, C.HOLDOUT_FRAMES, "holdout")
        R = TR.restored("bf", "holdout", s)
        for j, t in enumerate(C.USED_FRAMES):
            lab = H.prob_to_labels(H.segment_prob(seg, R[j], C.SEG_PATCH, C.OVERLAP))
            m, a, b = H.match_objects(mv["labels"][t], lab)
            tp += len(m)
            ngt += a
            npred += b
    q["segmentation"] = {"object_f1_iou50": round(2 * tp / (ngt + npred), 4),
                         "precision": round(tp / max(npred, 1), 4), "recall": round(tp / max(ngt, 1), 4),
                         "gt_objects": ngt, "pred_objects": npred}
    # --- classifier (ground-truth masks on restored BF) ---------------------
    X, y = TR.class_crops("holdout", C.HOLDOUT_SEEDS, C.HOLDOUT_SIZE, C.HOLDOUT_FRAMES)
    with torch.no_grad():
        pred = cls(torch.from_numpy(X)).argmax(1).numpy()
    cm = np.zeros((5, 5), int)
    for a, b in zip(y, pred):
        cm[a, b] += 1
    q["cell_classifier"] = {"accuracy": round(float((pred == y).mean()), 4), "objects": int(len(y)),
                            "per_class_recall": {world.CLASS_NAMES[i]: round(cm[i, i] / max(cm[i].sum(), 1), 3)
                                                 for i in range(5)},
                            "confusion_rows_true_cols_pred": cm.tolist()}
    # --- PI ------------------------------------------------------------------
    Xp, yp = TR.pi_table("holdout", C.HOLDOUT_SEEDS, C.HOLDOUT_SIZE, C.HOLDOUT_FRAMES)
    with torch.no_grad():
        lp, _ = pi(torch.from_numpy(Xp))
    q["pi_classification"] = {"accuracy": round(float((lp.numpy() == yp).mean()), 4), "objects": int(len(yp)),
                              "pipos_fraction": round(float(yp.mean()), 3)}
    # --- OOF ---------------------------------------------------------------
    Xo, Yo = TR.oof_tiles("holdout", C.HOLDOUT_SEEDS, C.HOLDOUT_SIZE, C.HOLDOUT_FRAMES)
    with torch.no_grad():
        po = torch.sigmoid(oof.grid_logits(torch.from_numpy(Xo).expand(-1, 3, -1, -1))).numpy() > 0.5
    t_ = Yo > 0.5
    tpo = int((po & t_).sum())
    q["oof_detector"] = {"grid_cell_precision": round(tpo / max(int(po.sum()), 1), 3),
                         "grid_cell_recall": round(tpo / max(int(t_.sum()), 1), 3), "tiles": int(len(Xo))}
    q["_evaluated_on"] = (f"held-out simulated movies seeds {C.HOLDOUT_SEEDS}, {C.HOLDOUT_SIZE}x{C.HOLDOUT_SIZE}, frames {C.USED_FRAMES} of "
                          f"{C.HOLDOUT_FRAMES} frames each (half the frames defocused sigma 1.4-3.2 px)")
    return q


def demo_quality(mv):
    """Whole-pipeline numbers on the demo movie itself (predicted masks)."""
    bf, fl, seg, cls, pi = (TR.load(k) for k in ("bf", "fl", "seg", "cls", "pi"))
    tp = ngt = npred = 0
    ok_c = ok_p = n_m = 0
    cls_of = {(r["frame"], r["label"]): r for r in mv["rows"]}
    for t in C.DEMO_EVAL_FRAMES:
        rb = H.restore_bf(bf, mv["bf"][t], C.RESTORER_PATCH, C.OVERLAP)
        rf = H.restore_fl(fl, mv["fl"][t], C.RESTORER_PATCH, C.OVERLAP)
        lab = H.prob_to_labels(H.segment_prob(seg, rb, C.SEG_PATCH, C.OVERLAP))
        m, a, b = H.match_objects(mv["labels"][t], lab)
        tp, ngt, npred = tp + len(m), ngt + a, npred + b
        crops, ids = H.roi_crops(lab, rb, C.CLS_SIZE)
        feats = H.fl_measurements(lab, rf)
        with torch.no_grad():
            pc = cls(torch.from_numpy(crops)).argmax(1).numpy()
            pp, _ = pi(torch.from_numpy(H.feature_matrix(feats)))
        pos = {int(i): k for k, i in enumerate(ids)}
        for g, p, _iou in m:
            r = cls_of[(t, g)]
            ok_c += int(pc[pos[p]] == r["class_id"])
            ok_p += int(int(pp[pos[p]]) == (r["pi_status"] == "piPOS"))
            n_m += 1
    return {"object_f1_iou50": round(2 * tp / (ngt + npred), 4), "gt_objects": ngt, "pred_objects": npred,
            "classifier_accuracy_matched": round(ok_c / max(n_m, 1), 4),
            "pi_accuracy_matched": round(ok_p / max(n_m, 1), 4), "matched_objects": n_m}


# ==========================================================================
# collection
# ==========================================================================
def export_onnx(model, dummy, path, input_names, output_names, dynamic_axes):
    f = io.BytesIO()
    torch.onnx.export(model, dummy, f, opset_version=OPSET, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, do_constant_folding=True)
    m = onnx.load_from_string(f.getvalue())
    onnx.checker.check_model(m)
    return m


def save_onnx(m, path, props):
    m.producer_name = "hitmic-studio demo_world"
    m.producer_version = VERSION
    onnx.helper.set_model_props(m, props)
    path.write_bytes(m.SerializeToString())


def test_crop(mv, t, y0, x0, size=64):
    return mv["bf"][t, y0:y0 + size, x0:x0 + size], mv["fl"][t, y0:y0 + size, x0:x0 + size]


def write_collection(q, dq):
    out = C.COLLECTION
    if out.exists():
        shutil.rmtree(out)
    for d in ("models", "metadata", "tests"):
        (out / d).mkdir(parents=True)
    models = {k: TR.load(v[1]) for k, v in FILES.items()}
    hold = C.movie(C.HOLDOUT_SEEDS[0], C.HOLDOUT_SIZE, C.HOLDOUT_FRAMES, "holdout")
    Rb = TR.restored("bf", "holdout", C.HOLDOUT_SEEDS[0])
    Rf = TR.restored("fl", "holdout", C.HOLDOUT_SEEDS[0])
    tests = {}
    # ---------------------------------------------------------------- inputs
    bf_in = H.range01(torch.from_numpy(hold["bf"][6].astype(np.float32))[None, None])[0][:, :, 96:160, 96:160]
    fl_in = H.fixed_range(torch.from_numpy(hold["fl"][6].astype(np.float32))[None, None])[:, :, 96:160, 96:160]
    seg_in = torch.from_numpy(Rb[3][None, None, 96:160, 96:160].copy())
    crops, _ids = H.roi_crops(hold["labels"][6], Rb[3], C.CLS_SIZE)
    cls_in = torch.from_numpy(crops[:4].copy())
    feats = H.fl_measurements(hold["labels"][6], Rf[3])
    pi_in = torch.from_numpy(H.feature_matrix(feats)[:8].copy())
    img = hold["bf"][0].astype(np.float32)
    img = (img - img.min()) / (img.max() - img.min())
    oof_in = torch.from_numpy(img[None, None, :C.OOF_TILE, :C.OOF_TILE].copy()).expand(1, 3, -1, -1).contiguous()
    inputs = {"bf_focus": bf_in, "fl_focus": fl_in, "segmentation": seg_in, "cell_classifier": cls_in,
              "pi_classification": pi_in, "oof_detector": oof_in}
    img_axes = {"input": {0: "N", 2: "H", 3: "W"}, "output": {0: "N", 2: "H", 3: "W"}}
    meta_common = {"licence": "MIT", "created": CREATED, "producer": "hitmic-studio scripts/demo_world",
                   "training_dataset": f"simulated bacteria time-lapse (scripts/demo_world/world.py), seeds "
                                       f"{C.TRAIN_SEEDS}; the demo movie uses seed {C.DEMO_SEED}"}
    config = {"_bundle_metadata": {"creation_date": CREATED_LOCAL, "source_config": "scripts/demo_world/build.py"}}
    for key, (stem, short) in FILES.items():
        model = models[key]
        pth = f"models/{PTH_NAME.get(key, stem)}.pth"
        torch.save(model.state_dict(), out / pth)
        onnx_rel = f"models/{stem}.onnx"
        meta = {"original_name": f"{stem}.pth" if key not in ("pi_classification",) else "PIClassifier.onnx"}
        x = inputs[key]
        if key in ("bf_focus", "fl_focus", "segmentation"):
            m = export_onnx(model, x, None, ["input"], ["output"], img_axes)
        elif key == "cell_classifier":
            m = export_onnx(model, x, None, ["input"], ["output"], {"input": {0: "N"}, "output": {0: "N"}})
        elif key == "pi_classification":
            m = export_onnx(model, x, None, ["features"], ["label", "probabilities"],
                            {"features": {0: "N"}, "label": {0: "N"}, "probabilities": {0: "N"}})
        else:
            m = export_onnx(model, x, None, ["input"], ["pred_boxes", "pred_logits"],
                            {"input": {0: "N"}, "pred_boxes": {0: "N"}, "pred_logits": {0: "N"}})
        props = {"hitmic_key": key, "licence": "MIT"}
        if key == "pi_classification":
            props["feature_names"] = ",".join(H.PI_FEATURES)
        save_onnx(m, out / onnx_rel, props)
        with torch.no_grad():
            y = model(x)
        if key == "pi_classification":
            y = y[1]  # probabilities
        elif key == "oof_detector":
            y = y[1]  # pred_logits
        np.save(out / "tests" / f"{key}_input.npy", x.numpy().astype(np.float32))
        np.save(out / "tests" / f"{key}_output.npy", y.numpy().astype(np.float32))
        tests[key] = {"input": f"tests/{key}_input.npy", "output": f"tests/{key}_output.npy"}
        # Which output the expected tensor is, so verifiers need not guess (HiTMic Studio reads it).
        if key == "pi_classification":
            tests[key]["output_name"] = "probabilities"
        elif key == "oof_detector":
            tests[key]["output_name"] = "pred_logits"
        # metadata + config sections
        sec = {"model_path": onnx_rel, "model_metadata": f"metadata/{stem}.json"}
        if key in ("bf_focus", "fl_focus"):
            meta.update({"model_type": "NAFNet", "model_args": TR.NAF_ARGS})
            sec["inferer_args"] = {"scale_method": "range01" if key == "bf_focus" else "fixed_range",
                                   "patch_size": C.RESTORER_PATCH, "overlap_ratio": C.OVERLAP,
                                   "half_precision": False,
                                   "scaler_args": {"pmin": 1.0, "pmax": 99.8} if key == "bf_focus" else {"bit_depth": 12}}
            meta["validation_metrics"] = q[key]
        elif key == "segmentation":
            meta.update({"model_type": "MonaiUnet", "model_args": TR.UNET_ARGS, "output": "logits (sigmoid applied by the caller)"})
            sec["inferer_args"] = {"scale_method": "none", "patch_size": C.SEG_PATCH, "overlap_ratio": C.OVERLAP,
                                   "half_precision": False}
            meta["validation_metrics"] = q["segmentation"]
        elif key == "cell_classifier":
            meta.update({"model_type": "FlexResNet", "model_args": TR.FLEX_ARGS,
                         "note": "LazyLinear in HiTMicTools; its in_features is "
                                 f"{TR.FLEX_ARGS['initial_filters'] * 2 ** (TR.FLEX_ARGS['num_blocks'] - 1)}"})
            sec["model_args"] = {"batch_size": 512, "min_size": C.CLS_SIZE,
                                 "classes": {i: n for i, n in enumerate(world.CLASS_NAMES)}}
            meta["validation_metrics"] = q["cell_classifier"]
        elif key == "pi_classification":
            meta.update({"model_type": "PIClassifier", "feature_names": H.PI_FEATURES,
                         "outputs": {"label": "int64 [N], 0 = piNEG, 1 = piPOS", "probabilities": "float32 [N,2]"},
                         "features_measured_on": "PI channel after FL focus restoration (rescaled to counts), "
                                                 "background = 10th percentile of non-object pixels",
                         "validation_metrics": q["pi_classification"]})
        else:
            meta.update({"model_type": "rfdetrbase", "class_dict": {"oof": 0},
                         "architecture": "OofGridDetector: RF-DETR output contract, not an RF-DETR network",
                         "tile_size": C.OOF_TILE, "num_queries": C.OOF_GRID ** 2,
                         "input": "float32 [N,3,S,S] in [0,1]; ImageNet mean/std normalisation is applied inside the graph",
                         "outputs": {"pred_boxes": "float32 [N,Q,4] cx,cy,w,h normalised to the tile (constant grid cells)",
                                     "pred_logits": "float32 [N,Q,1] class logits; score = sigmoid"},
                         "validation_metrics": q["oof_detector"]})
            sec["inferer_args"] = {"patch_size": C.OOF_TILE, "overlap_ratio": C.OVERLAP, "score_threshold": 0.5,
                                   "nms_iou": 0.5, "class_dict": {"oof": 0}}
        meta["torch_state_dict"] = pth
        meta["onnx"] = {"path": onnx_rel, "opset": OPSET,
                        "inputs": [i.name for i in m.graph.input], "outputs": [o.name for o in m.graph.output]}
        meta.update(meta_common)
        C.save_json(out / sec["model_metadata"], meta)
        config[key] = sec
    with open(out / "config.yml", "w") as f:
        yaml.safe_dump(config, f, sort_keys=False, default_flow_style=False)
    write_tracker(out / "config_tracker.yml")
    write_manifest(out, tests)
    log("collection written")


def write_tracker(path):
    cfg = {
        "name": "hitmic_demo_tracker",
        "verbose": False,
        "max_search_radius": 25,
        "motion_model": {
            "name": "cell_motion", "dt": 1.0, "measurements": 3, "states": 6, "accuracy": 7.5,
            "prob_not_assign": 0.1, "max_lost": 5,
            "A": {"matrix": [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1,
                             0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]},
            "H": {"matrix": [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]},
            "P": {"sigma": 150.0, "matrix": [0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0.1, 0, 0, 0,
                                             0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]},
            "G": {"sigma": 15.0, "matrix": [0.5, 0.5, 0.5, 1, 1, 1]},
            "R": {"sigma": 5.0, "matrix": [1, 0, 0, 0, 1, 0, 0, 0, 1]},
        },
        "hypothesis_model": {
            "name": "cell_hypothesis",
            "hypotheses": ["P_FP", "P_init", "P_term", "P_link", "P_branch", "P_dead"],
            "lambda_time": 5.0, "lambda_dist": 3.0, "lambda_link": 10.0, "lambda_branch": 50.0, "eta": 1e-10,
            "theta_dist": 20.0, "theta_time": 5.0, "dist_thresh": 40, "time_thresh": 2, "apop_thresh": 5,
            "segmentation_miss_rate": 0.1, "apoptosis_rate": 0.001, "relax": True,
        },
    }
    header = ("# btrack 0.7 TrackerConfig (new-style lower-case keys) for the HiTMic Studio demo collection.\n"
              "# Constant-velocity motion model and hypotheses from btrack's cell_config example;\n"
              "# max_search_radius 25 px suits the demo (drift <= ~1.5 px/frame, daughters separate slowly).\n")
    with open(path, "w") as f:
        f.write(header)
        yaml.safe_dump(cfg, f, sort_keys=False, default_flow_style=None, width=120)


def write_manifest(out, tests, name="hitmic-demo-collection",
                   description="Small demo models trained on simulated bacteria movies (scripts/demo_world)."):
    files = []
    for p in sorted(out.rglob("*")):
        if p.is_file() and p.name != "manifest.json":
            files.append({"path": p.relative_to(out).as_posix(), "size": p.stat().st_size, "sha256": C.sha256(p)})
    man = {"schema_version": 1, "name": name, "version": VERSION, "created": CREATED,
           "app": "hitmic-studio", "licence": "MIT", "description": description, "files": files}
    if tests is not None:
        man["tests"] = tests
    C.save_json(out / "manifest.json", man)


# ==========================================================================
# parity references
# ==========================================================================
def write_reference(mv):
    out = C.REFERENCE
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    bf, fl, seg, cls, pi = (TR.load(k) for k in ("bf", "fl", "seg", "cls", "pi"))
    for t in REF_FRAMES:
        ib = mv["bf"][t][REF_CROP].copy()
        ifl = mv["fl"][t][REF_CROP].copy()
        np.save(out / f"t{t:02d}_input_bf.npy", ib.astype(np.uint16))
        np.save(out / f"t{t:02d}_input_fl.npy", ifl.astype(np.uint16))
        rb = H.restore_bf(bf, ib, C.RESTORER_PATCH, C.OVERLAP)
        rf = H.restore_fl(fl, ifl, C.RESTORER_PATCH, C.OVERLAP)
        prob = H.segment_prob(seg, rb, C.SEG_PATCH, C.OVERLAP)
        lab = H.prob_to_labels(prob)
        np.save(out / f"t{t:02d}_bf_restored.npy", rb.astype(np.float32))
        np.save(out / f"t{t:02d}_fl_restored.npy", rf.astype(np.float32))
        np.save(out / f"t{t:02d}_seg_prob.npy", prob.astype(np.float32))
        np.save(out / f"t{t:02d}_labels.npy", lab.astype(np.uint16))
        crops, ids = H.roi_crops(lab, rb, C.CLS_SIZE)
        with torch.no_grad():
            p = torch.softmax(cls(torch.from_numpy(crops)), dim=1).numpy()
        with open(out / f"t{t:02d}_classifier.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["label"] + [f"p_{n}" for n in world.CLASS_NAMES] + ["class_id", "class_name"])
            for i, L in enumerate(ids):
                k = int(np.argmax(p[i]))
                w.writerow([int(L)] + [f"{v:.7g}" for v in p[i]] + [k, world.CLASS_NAMES[k]])
        rows = H.fl_measurements(lab, rf)
        with torch.no_grad():
            lp, pp = pi(torch.from_numpy(H.feature_matrix(rows)))
        with open(out / f"t{t:02d}_pi.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(H.FEATURE_COLUMNS + ["pi_label", "pi_class", "p_piPOS"])
            for r, l_, p_ in zip(rows, lp.numpy(), pp.numpy()):
                w.writerow([r["label"]] + [f"{r[c]:.7g}" for c in H.FEATURE_COLUMNS[1:]] +
                           [int(l_), "piPOS" if int(l_) == 1 else "piNEG", f"{p_[1]:.7g}"])
        log(f"reference frame {t}: {int(lab.max())} objects")
    (out / "README.md").write_text(REFERENCE_README.format(
        frames=REF_FRAMES, crop="rows 128:384, cols 128:384", rp=C.RESTORER_PATCH, sp=C.SEG_PATCH,
        ov=C.OVERLAP, S=C.CLS_SIZE, feats=", ".join(H.PI_FEATURES)))


REFERENCE_README = """# Parity references for the demo collection

What a HiTMicTools-faithful PyTorch implementation (`scripts/demo_world/hitmic.py`, with the
PyTorch state_dicts of `models/demo-collection`) produces on two frames of the demo movie.
Not part of the collection. Regenerate with `bash scripts/make-demo-world.sh`.

## Input

`resources/demo/demo_movie.tif` (TCYX, uint16), frames {frames}, a 256x256 crop: {crop}
(numpy `movie[t, c, 128:384, 128:384]`). Channel 0 = brightfield, channel 1 = PI fluorescence.
Each step runs on the crop alone (statistics, padding and windows are those of a 256x256 image).

## Files (tNN = frame number)

| file | dtype, shape | content |
|---|---|---|
| `tNN_input_bf.npy` | uint16 [256,256] | input crop, channel 0 |
| `tNN_input_fl.npy` | uint16 [256,256] | input crop, channel 1 |
| `tNN_bf_restored.npy` | float32 [256,256] | BF restorer, `range01` (pmin 1, pmax 99.8), **not rescaled** |
| `tNN_fl_restored.npy` | float32 [256,256] | FL restorer, `fixed_range` bit_depth 12, rescaled back (x 4095) |
| `tNN_seg_prob.npy` | float32 [256,256] | segmentation probability = sigmoid(blended logits) on `tNN_bf_restored` |
| `tNN_labels.npy` | uint16 [256,256] | instance labels 1..N |
| `tNN_classifier.csv` | | per label: softmax probabilities of the 5 classes, argmax id and name |
| `tNN_pi.csv` | | per label: FL measurements on `tNN_fl_restored`, PI model label (0 piNEG / 1 piPOS), class, P(piPOS) |

## Exact settings

* **range01** (BF): float32; `mi` = quantile(quantile(x, 0.01, over rows H), 0.01, over columns W),
  `ma` likewise with 0.998, torch.quantile linear interpolation; `y = (x - mi) / (ma - mi + eps)`,
  eps = float32 machine epsilon 1.1920929e-07; clip to [0, 1].
* **fixed_range** (FL): `y = x / 4095`, no clip; output multiplied by 4095.
* **Sliding window** (MONAI 1.5 semantics): roi {rp} (restorers) / {sp} (segmentation), overlap {ov};
  interval `int(roi * (1 - overlap))` (roi if roi == size); windows per axis = smallest d with
  d*interval + roi >= size, plus one; starts i*interval, last start clamped to size - roi; row-major
  order; images smaller than roi are reflect-padded by floor(diff/2) before and the rest after, and
  cropped back. Restorers: Gaussian importance map, sigma = 0.125 * roi, coordinates -(n-1)/2..(n-1)/2,
  outer product, clamped below at max(min(map), 1e-3). Segmentation: constant map. Output =
  sum(pred * w) / sum(w), float32. Windows are fed one at a time (sw_batch_size 1).
  For a 256x256 crop: restorers use starts 0, 96, 128 per axis (9 windows); segmentation one window.
* **Labels**: `prob > 0.5` (strict), `scipy.ndimage.label` default structure (4-connectivity),
  components with < 20 px removed, relabelled 1..N in scan order.
* **Classifier**: for each label (ascending) the bounding box of `tNN_bf_restored`, pixels of other
  labels and background set to 0, float32; if h or w > {S}: bilinear resize (align_corners=False) to
  (int(h*s), int(w*s)), s = {S}/max(h,w), min 1; centred zero padding to {S}x{S} (top = pad//2).
  FlexResNet logits -> softmax.
* **PI**: measurements per label on `tNN_fl_restored`: intensities over object pixels, `area` = pixel
  count, `roi_std_dev` = population std, centroid = mean pixel row/col, `background` = 10th
  percentile (numpy linear) of pixels with label 0, `rel_*` = value / background. Model features, in
  order: {feats}.
"""


def main(argv):
    C.setup_torch(0)
    mv = write_demo()
    log("quality on held-out movies ...")
    q = quality()
    log(json.dumps(q))
    log("quality on the demo movie (whole pipeline) ...")
    dq = demo_quality(mv)
    log(json.dumps(dq))
    C.save_json(C.REPO / "models" / "demo-collection-quality.json", {"holdout": q, "demo_movie": dq})
    write_collection(q, dq)
    write_reference(mv)
    write_manifest(C.DEMO_DIR, None, "hitmic-demo-movie", "Synthetic demo time-lapse and its ground truth.")
    write_manifest(C.REFERENCE, None, "hitmic-demo-collection-reference",
                   "PyTorch parity outputs of the demo collection on two demo frames.")
    write_readme(q, dq)



def write_readme(q, dq):
    import readme
    (C.REPO / "models" / "README.md").write_text(readme.render(q, dq))


if __name__ == "__main__":
    main(sys.argv[1:])

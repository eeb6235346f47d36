"""models/README.md, generated from the measured quality numbers."""

from __future__ import annotations

import common as C
import train as TR


def _pf(v, t):
    return "meets target" if v >= t else "**below target**"


def render(q, dq):
    b, f, s, c, p, o = (q[k] for k in ("bf_focus", "fl_focus", "segmentation", "cell_classifier",
                                       "pi_classification", "oof_detector"))
    recall = ", ".join(f"{k} {v}" for k, v in c["per_class_recall"].items())
    return f"""# Demo model collection

`models/demo-collection/` is a small HiTMicTools-format model collection made for HiTMic Studio's
demo, tests and documentation. It is trained only on synthetic movies from
`scripts/demo_world/world.py`. It is **not** a model for real microscopy data.

* **Licence:** MIT (ours, same as HiTMic Studio). The training data are synthetic and ours too.
* **Provenance:** `scripts/demo_world/` (Python 3, Debian's PyTorch {_torch()}, CPU only, deterministic
  for the seeds in `scripts/demo_world/common.py`). Training movies use seeds {C.TRAIN_SEEDS}
  ({C.TRAIN_SIZE}x{C.TRAIN_SIZE}, {C.TRAIN_FRAMES} frames, half the frames defocused); quality is
  measured on held-out seeds {C.HOLDOUT_SEEDS}; the demo movie (`resources/demo/demo_movie.tif`) uses
  seed {C.DEMO_SEED}, which no model saw.
* **Regenerate and verify:** `bash scripts/make-demo-world.sh` (training about 15 min on 2 busy CPU cores,
  the rest about 3 min; PyTorch uses `HITMIC_THREADS` threads, default 1; cached
  training data in `/tmp/hitmic-demo-world`, set `HITMIC_DEMO_CACHE` to move it; `--retrain` discards
  trained weights). It writes the demo movie, trains any model that is not cached, exports ONNX,
  writes the collection, its `manifest.json`, the parity references and this README, then checks
  every file against its manifest (size + sha256), the size limits, the ONNX test tensors with
  onnxruntime-node (CPU) and prints the quality numbers. Training is bit-reproducible on one machine;
  another CPU or PyTorch build may give slightly different weights, and the verifier says whether the
  result is bit-identical to the committed manifest.

## Layout (the HiTMicTools bundle layout, unzipped)

```
demo-collection/
  config.yml            _bundle_metadata first, then one section per model (HiTMicTools keys)
  config_tracker.yml    btrack 0.7 config, constant-velocity cell model, max_search_radius 25
  models/               <name>.onnx (what config.yml points at) + <name>.pth (PyTorch state_dict)
  metadata/             <name>.json: model_args as HiTMicTools reads them, torch_state_dict, onnx I/O,
                        validation_metrics
  tests/                <key>_input.npy / <key>_output.npy (float32, .npy v1.0), PyTorch outputs
  manifest.json         HiTMic Studio manifest: schema_version 1, files (path, size, sha256), tests
```

`config.yml` points `model_path` at the `.onnx` files (HiTMic Studio runs ONNX). HiTMicTools itself
would need the `.pth` files for the three torch models: each metadata JSON names it in
`torch_state_dict`, and their keys are exactly HiTMicTools' (NAFNet, MONAI 1.5 UNet, FlexResNet).

## Models, inputs and outputs

| key | file | architecture | ONNX input | ONNX output |
|---|---|---|---|---|
| `bf_focus` | `NAFNet-bf_focus_restoration` | NAFNet {TR.NAF_ARGS} | `input` float32 [N,1,H,W], range01-scaled BF (pmin 1, pmax 99.8) | `output` [N,1,H,W], same units (not rescaled in the pipeline) |
| `fl_focus` | `NAFNet-fl_focus_restoration` | NAFNet, same args | `input` [N,1,H,W], FL / 4095 | `output` [N,1,H,W]; pipeline multiplies by 4095 |
| `segmentation` | `MonaiUnet-segmentation` | MONAI UNet {TR.UNET_ARGS} | `input` [N,1,H,W] restored BF (H, W multiples of 4) | `output` [N,1,H,W] **logits** (apply sigmoid) |
| `cell_classifier` | `FlexResNet-cell_classifier` | FlexResNet {TR.FLEX_ARGS} | `input` [N,1,{C.CLS_SIZE},{C.CLS_SIZE}] masked ROI crops of the restored BF | `output` [N,5] logits: 0 single-cell, 1 clump, 2 noise, 3 off-focus, 4 joint-cell |
| `pi_classification` | `PIClassifier` | standardise + MLP (5-16-2) | `features` float32 [N,5]; metadata_props `feature_names` = `mean_intensity,max_intensity,roi_std_dev,area,rel_mean_intensity` | `label` int64 [N] (0 piNEG, 1 piPOS), `probabilities` float32 [N,2] |
| `oof_detector` | `RFDETR-oof_detector` (ONNX) / `OofGridDetector-oof_detector.pth` | small conv net with the RF-DETR output contract | `input` float32 [N,3,{C.OOF_TILE},{C.OOF_TILE}] in [0,1] (grey replicated); ImageNet normalisation is **inside** the graph | `pred_boxes` [N,{C.OOF_GRID ** 2},4] cx,cy,w,h normalised (constant {C.OOF_GRID}x{C.OOF_GRID} grid cells), `pred_logits` [N,{C.OOF_GRID ** 2},1] (score = sigmoid) |

Runtime settings (`config.yml`): restorers `patch_size` {C.RESTORER_PATCH}, `overlap_ratio` {C.OVERLAP},
Gaussian blending; segmentation `scale_method: none`, `patch_size` {C.SEG_PATCH}, constant blending,
sigmoid, `> 0.5`, 4-connected components, drop < 20 px; classifier `min_size` {C.CLS_SIZE}, `batch_size`
512; OOF `patch_size` {C.OOF_TILE}, `score_threshold` 0.5, `nms_iou` 0.5, `class_dict` {{oof: 0}}.
The ONNX graphs have dynamic batch (and H, W for the image-to-image models), opset 17.

Test tensors (`tests/`): restorers and segmentation 1x1x64x64, classifier 4x1x32x32, PI 8x5, OOF
1x3x128x128. The stored output is the first output except where the manifest's test entry names
another in `output_name`: `pi_classification` (`probabilities`) and `oof_detector` (`pred_logits`).

## Training (provenance)

All models train with AdamW/Adam and a cosine learning-rate schedule, 1 PyTorch thread, fixed seeds
(`scripts/demo_world/train.py`):

* `bf_focus` / `fl_focus`: 500 steps, batch 16, random 64x64 crops with 90-degree rotations, MSE +
  0.1 L1, from the observed frame (PSF sigma 0.9 px, or defocused sigma 1.4-3.2 px on half the frames,
  shot + read noise) to the sharp noise-free frame. BF input and target are both in the input frame's
  range01 units (the target is not clipped); FL input and target are divided by 4095.
* `segmentation`: 800 steps, batch 8, 96x96 crops; target = all ground-truth objects; loss =
  BCE (weight 7 on background pixels between two objects, so touching objects stay apart) + 0.5 Dice.
  To avoid waiting for the BF restorer the training input is a stand-in for its output: the sharp
  frame in the observed frame's range01 units, re-blurred (sigma 0-1.2 px) plus a little noise.
* `cell_classifier`: 10 epochs, batch 64, crops made exactly as HiTMicTools' CellClassifier (§4.4 of
  the reference) from ground-truth masks on the same stand-in images; class-balanced loss weights
  (square root of inverse frequency); rotations and flips.
* `pi_classification`: full-batch Adam on the five features measured on the FL restorer's output
  (whole-frame forward) with ground-truth masks, frames {C.USED_FRAMES} of seeds {TR.DOWNSTREAM_SEEDS}.
* `oof_detector`: 30 epochs on 128x128 tiles (stride 64) of the raw BF frame min-max scaled to [0,1]
  over the whole frame (as HiTMicTools' OofDetector does); a grid cell is positive when an off-focus
  object's centroid lies in it; BCE with positive weight 20.

Quality below is always measured on the real restorer outputs (MONAI-style sliding window), never on
the stand-in.

Speed (onnxruntime-node 1.30, CPU, this shared 2-core machine): one 128x128 NAFNet window takes
~10 ms with `intraOpNumThreads: 1` (~16-24 ms with 2 threads, which lose to contention), one
256x256 UNet window ~13 ms, 64 classifier crops ~35 ms. The whole demo movie (25 windows x 2
channels x 20 frames of restoration, 9 segmentation windows per frame, ~90 objects per frame) is
therefore about 10-25 s of inference.

## Quality (measured; held-out simulated movies)

{q['_evaluated_on']}.

| model | metric | value | target |
|---|---|---|---|
| bf_focus | PSNR gain over the input, all frames (input {b['psnr_input_db']} dB -> {b['psnr_restored_db']} dB) | **{b['psnr_gain_db']} dB** (sharp frames {b['psnr_gain_db_sharp_frames']}, defocused {b['psnr_gain_db_defocused_frames']}) | >= 3 dB, {_pf(b['psnr_gain_db'], 3)} |
| fl_focus | PSNR gain (input {f['psnr_input_db']} dB -> {f['psnr_restored_db']} dB) | **{f['psnr_gain_db']} dB** (sharp {f['psnr_gain_db_sharp_frames']}, defocused {f['psnr_gain_db_defocused_frames']}) | >= 3 dB, {_pf(f['psnr_gain_db'], 3)} |
| segmentation | object F1 at IoU > 0.5 (sigmoid > 0.5, 4-conn., drop < 20 px) | **{s['object_f1_iou50']}** (P {s['precision']}, R {s['recall']}, {s['gt_objects']} objects) | >= 0.90, {_pf(s['object_f1_iou50'], 0.9)} |
| cell_classifier | accuracy on ground-truth masks | **{c['accuracy']}** ({c['objects']} objects; recall: {recall}) | >= 0.85, {_pf(c['accuracy'], 0.85)} |
| pi_classification | accuracy on ground-truth masks, restored FL | **{p['accuracy']}** ({p['objects']} objects, {p['pipos_fraction']} piPOS) | >= 0.95, {_pf(p['accuracy'], 0.95)} |
| oof_detector | grid-cell precision / recall (cell positive if an off-focus object's centroid is in it) | {o['grid_cell_precision']} / {o['grid_cell_recall']} | none set |

PSNR: per frame, data range = max - min of the sharp target, in the model's units (BF: range01 units
of the input frame; FL: counts); the input is the normalised observed frame.

Whole pipeline on the demo movie (512x512, frames {C.DEMO_EVAL_FRAMES[0]}-{C.DEMO_EVAL_FRAMES[-1]}, predicted masks, classes and PI compared on matched
objects): object F1 {dq['object_f1_iou50']} ({dq['gt_objects']} true, {dq['pred_objects']} predicted),
classifier accuracy {dq['classifier_accuracy_matched']}, PI accuracy {dq['pi_accuracy_matched']}
({dq['matched_objects']} matched objects). Frames {_oof_frames()} of the demo movie are globally out of focus.
Raw numbers: `models/demo-collection-quality.json`.

## Parity references

`models/demo-collection-reference/` (outside the collection) holds what a HiTMicTools-faithful
PyTorch implementation produces on two demo frames: restored BF/FL, segmentation probabilities and
labels, classifier probabilities and PI features/predictions. See its `README.md` for inputs and
exact settings.

## Demo movie

`resources/demo/demo_movie.tif`: 20 frames x 2 channels x 512 x 512, uint16 (12-bit values), ImageJ
hyperstack TCYX, 0.65 um/px, frame interval 600 s, deflate-compressed. Channel 0 brightfield (dark
cells with a bright halo, uneven illumination, shot and read noise), channel 1 propidium iodide (dead
cells bright). Cells grow, divide and drift; some die over time. Ground truth: `demo_truth_labels.tif`
(per-frame instance labels, uint16 TYX) and `demo_truth.csv` (frame, label, class_id, class_name,
pi_status, track_id, parent_track_id, centroid_0, centroid_1, area; parent -1 = none);
`demo_info.json` lists the globally out-of-focus frames.
"""


def _oof_frames():
    fr = C.load_json(C.DEMO_DIR / "demo_info.json")["globally_out_of_focus_frames"]
    return " and ".join(str(f) for f in fr)


def _torch():
    import torch
    return torch.__version__

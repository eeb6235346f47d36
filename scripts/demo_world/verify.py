"""Verify the generated demo world: manifests (size + sha256), sizes, quality targets.

Exit status 1 if a manifest does not match or a size limit is exceeded. Quality numbers below target
are reported (they are also written, as measured, in models/README.md) but do not fail the run.
"""

from __future__ import annotations

import json
import subprocess
import sys

import common as C

TARGETS = [
    ("bf_focus", "psnr_gain_db", 3.0, "BF restoration PSNR gain (dB)"),
    ("fl_focus", "psnr_gain_db", 3.0, "FL restoration PSNR gain (dB)"),
    ("segmentation", "object_f1_iou50", 0.90, "segmentation object F1 @ IoU 0.5"),
    ("cell_classifier", "accuracy", 0.85, "cell classifier accuracy"),
    ("pi_classification", "accuracy", 0.95, "PI classifier accuracy"),
]


def check_manifest(root):
    man = json.loads((root / "manifest.json").read_text())
    bad = []
    listed = set()
    for f in man["files"]:
        p = root / f["path"]
        listed.add(f["path"])
        if not p.is_file():
            bad.append(f"missing {f['path']}")
        elif p.stat().st_size != f["size"] or C.sha256(p) != f["sha256"]:
            bad.append(f"mismatch {f['path']}")
    extra = [p.relative_to(root).as_posix() for p in root.rglob("*")
             if p.is_file() and p.name != "manifest.json" and p.relative_to(root).as_posix() not in listed]
    bad += [f"not in manifest: {e}" for e in extra]
    for k, t in man.get("tests", {}).items():
        for v in (t.get("input"), t.get("output")):
            if v not in listed:
                bad.append(f"test file of {k} not listed: {v}")
    return man, bad


def committed_manifest(rel):
    try:
        out = subprocess.run(["git", "-C", str(C.REPO), "show", f"HEAD:{rel}"], capture_output=True, text=True)
        return json.loads(out.stdout) if out.returncode == 0 else None
    except Exception:
        return None


def dir_size(p):
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def main():
    ok = True
    for root in (C.COLLECTION, C.DEMO_DIR, C.REFERENCE):
        rel = root.relative_to(C.REPO).as_posix()
        man, bad = check_manifest(root)
        print(f"[manifest] {rel}: {len(man['files'])} files, {'OK' if not bad else 'FAILED'}")
        for b in bad:
            print("    ", b)
        ok &= not bad
        old = committed_manifest(f"{rel}/manifest.json")
        if old is not None:
            a = {f["path"]: f["sha256"] for f in old["files"]}
            b_ = {f["path"]: f["sha256"] for f in man["files"]}
            diff = sorted(k for k in set(a) | set(b_) if a.get(k) != b_.get(k))
            print(f"    vs committed manifest: {'bit-identical' if not diff else f'{len(diff)} files differ: ' + ', '.join(diff[:8])}")
    total = dir_size(C.DEMO_DIR) + dir_size(C.REPO / "models")
    ref = dir_size(C.REFERENCE)
    print(f"[sizes] resources/demo + models = {total / 1e6:.2f} MB (limit 25 MB); "
          f"reference = {ref / 1e6:.2f} MB (limit 6 MB); collection = {dir_size(C.COLLECTION) / 1e6:.2f} MB")
    if total > 25e6 or ref > 6e6:
        ok = False
        print("    SIZE LIMIT EXCEEDED")
    q = json.loads((C.REPO / "models" / "demo-collection-quality.json").read_text())
    print(f"[quality] {q['holdout']['_evaluated_on']}")
    for key, metric, target, name in TARGETS:
        v = q["holdout"][key][metric]
        print(f"    {name:38s} {v:8.4g}  target >= {target:g}  {'PASS' if v >= target else 'BELOW TARGET'}")
    o = q["holdout"]["oof_detector"]
    print(f"    {'OOF detector grid precision / recall':38s} {o['grid_cell_precision']:.3g} / {o['grid_cell_recall']:.3g}")
    d = q["demo_movie"]
    print(f"[quality] demo movie, whole pipeline on predicted masks: F1 {d['object_f1_iou50']}, "
          f"classifier {d['classifier_accuracy_matched']}, PI {d['pi_accuracy_matched']} "
          f"({d['matched_objects']} matched objects)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

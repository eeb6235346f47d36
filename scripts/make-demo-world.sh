#!/usr/bin/env bash
# Regenerate and verify the HiTMic Studio demo world:
#   resources/demo/                        synthetic 2-channel time-lapse (seed 7) + ground truth
#   models/demo-collection/                demo model collection (HiTMicTools bundle layout, unzipped)
#   models/demo-collection-reference/      PyTorch parity outputs on two demo frames
#   models/README.md, models/demo-collection-quality.json   measured quality, provenance, licence
#
# Usage: bash scripts/make-demo-world.sh [--retrain] [--verify-only]
# Needs Debian's python3 with torch, numpy, scipy, tifffile, onnx, yaml (/usr/bin/python3) and
# node with onnxruntime-node (npm install). PyTorch runs on HITMIC_THREADS (default 1) CPU threads
# under `nice -n 10`: Debian's torch has a generic BLAS and is faster single-threaded on shared
# cores, and a fixed thread count keeps the outputs bit-reproducible on one machine;
# simulated movies and trained weights are cached in ${HITMIC_DEMO_CACHE:-/tmp/hitmic-demo-world}.
# The run ends by checking every file against its manifest.json (size + sha256), the size limits,
# the ONNX test tensors (onnxruntime-node, CPU, tolerance 1e-4) and printing the quality numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
DW=scripts/demo_world
export HITMIC_THREADS=${HITMIC_THREADS:-1}
export PYTHONDONTWRITEBYTECODE=1

retrain=0
verify_only=0
for a in "$@"; do
  case "$a" in
    --retrain) retrain=1 ;;
    --verify-only) verify_only=1 ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done

if [ "$verify_only" = 0 ]; then
  if [ "$retrain" = 1 ]; then
    rm -rf "${HITMIC_DEMO_CACHE:-/tmp/hitmic-demo-world}/trained"
  fi
  (cd "$DW" && nice -n 10 "$PY" train.py bf fl seg cls pi oof)
  (cd "$DW" && nice -n 10 "$PY" build.py)
fi

echo "== verify"
(cd "$DW" && "$PY" verify.py)
echo "== ONNX test tensors (onnxruntime-node, CPU)"
node "$DW/verify_onnx.cjs" models/demo-collection 1e-4
echo "demo world OK"

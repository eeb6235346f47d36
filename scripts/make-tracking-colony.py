#!/usr/bin/env python3
"""Writes the tracking ground truth the tests and `npm run bench -- tracking` use (synthetic colonies
with exact masks and known lineages, scripts/tracking_world/colony.py).

Run with the Debian Python that has numpy, scipy and tifffile:
    /usr/bin/python3 scripts/make-tracking-colony.py
Deterministic: re-running rewrites the same pixels and lines.

  test-support/tracking/colony-small/      one micro-colony, 256×224, 24 frames (unit tests):
      GT/TRA/man_track000.tif ...            Cell Tracking Challenge ground truth: uint16 masks
      GT/TRA/man_track.txt                   labelled by track id, and `L B E P` per track
      labels.tif                             the same masks as a T×Y×X uint16 ImageJ stack whose
                                             labels are renumbered at random in every frame (what a
                                             segmentation tool writes: identity is not kept)
  test-support/tracking/colony-dense/      the acceptance colony, 1300×1000, 53 frames, two dense
      GT/TRA/...                             colonies, in the same layout (the benchmark and the
      labels.tif                             acceptance test track labels.tif and score against GT)
"""

from __future__ import annotations

import os
import sys

import numpy as np
import tifffile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tracking_world"))
import colony  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-support", "tracking")


def write_track_table(path: str, tracks: dict) -> None:
    with open(path, "w", newline="\n") as f:
        for tid in sorted(tracks):
            b, e, p = tracks[tid]
            f.write(f"{tid} {b} {e} {p}\n")


def shuffled(stack: np.ndarray, seed: int) -> np.ndarray:
    """Renumbers the labels of every frame with a fresh random permutation of 1..n."""
    rng = np.random.default_rng(seed)
    out = np.zeros_like(stack)
    for t, frame in enumerate(stack):
        ids = np.unique(frame[frame > 0])
        lut = np.zeros(int(frame.max()) + 1, stack.dtype)
        lut[ids] = rng.permutation(len(ids)) + 1
        out[t] = lut[frame]
    return out


def summary(name: str, c: colony.Colony) -> None:
    n = sum(len(np.unique(f)) - 1 for f in c.labels)
    last = len(np.unique(c.labels[-1])) - 1
    print(f"{name}: {c.frames} frames {c.width}x{c.height}, {n} objects, {len(c.tracks)} tracks, "
          f"{c.divisions} divisions, {last} cells in the last frame")


def write_ctc(folder: str, c: colony.Colony, seed: int) -> None:
    d = os.path.join(folder, "GT", "TRA")
    os.makedirs(d, exist_ok=True)
    for t, frame in enumerate(c.labels):
        tifffile.imwrite(os.path.join(d, f"man_track{t:03d}.tif"), frame, compression="zlib",
                         compressionargs={"level": 9})
    write_track_table(os.path.join(d, "man_track.txt"), c.tracks)
    tifffile.imwrite(os.path.join(folder, "labels.tif"), shuffled(c.labels, seed), imagej=True,
                     metadata={"axes": "TYX"}, compression="zlib", compressionargs={"level": 9})


def main() -> None:
    small = colony.simulate(11, height=224, width=256, frames=24, colonies=1, cells_per_colony=2,
                            drift=(0.2, 0.3))
    write_ctc(os.path.join(OUT, "colony-small"), small, seed=5)
    summary("colony-small", small)

    dense = colony.simulate(7, frames=53, colonies=2, cells_per_colony=1)
    write_ctc(os.path.join(OUT, "colony-dense"), dense, seed=9)
    summary("colony-dense", dense)


if __name__ == "__main__":
    main()

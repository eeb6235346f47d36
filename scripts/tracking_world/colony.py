"""A dense, dividing bacterial colony with exact masks and a known lineage (tracking ground truth).

Deterministic for a given seed (numpy Generator + scipy). Used only to make test and benchmark
data (scripts/make-tracking-colony.py); nothing here runs inside the app.

Model: rod-shaped cells (capsules of radius ~3.5 px) seeded as a few micro-colonies grow
exponentially in length, divide into two daughters when they pass a length drawn per cell, and push
each other apart (overlapping capsules are separated along the normal of their closest points,
which also turns them), so every colony becomes a packed mat of touching cells whose outer cells
are pushed outwards several pixels per frame. The whole field drifts slowly (stage drift).

Masks: each pixel within a cell's radius of its axis belongs to the nearest such cell (touching
cells share a boundary, no pixel is lost to a gap); a cell cut by the field border keeps the part
inside; a cell whose mask falls under MIN_AREA pixels or leaves the field ends its track.

Lineage, Cell Tracking Challenge convention: a cell keeps one track id from birth to division or
end; at a division the mother's track ends at frame t and both daughters start at t + 1 with the
mother as parent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

MIN_AREA = 20


@dataclass
class Cell:
    track: int
    parent: int
    born: int
    cy: float
    cx: float
    angle: float
    length: float  # pole to pole, caps included
    radius: float
    growth: float  # ln(length) per frame
    divide_at: float


@dataclass
class Colony:
    height: int
    width: int
    frames: int
    labels: np.ndarray  # T×H×W uint16, labelled by track id
    tracks: dict = field(default_factory=dict)  # track id -> [begin, end, parent]

    @property
    def divisions(self) -> int:
        parents = [p for (_, _, p) in self.tracks.values() if p > 0]
        return len(set(parents))


def _segment(c: Cell):
    half = max(c.length / 2.0 - c.radius, 0.0)
    dy, dx = math.sin(c.angle), math.cos(c.angle)
    return (c.cy - dy * half, c.cx - dx * half), (c.cy + dy * half, c.cx + dx * half)


def _closest_points(p1, q1, p2, q2):
    """Closest points of segments p1q1 and p2q2 (Ericson, Real-Time Collision Detection 5.1.9)."""
    d1 = (q1[0] - p1[0], q1[1] - p1[1])
    d2 = (q2[0] - p2[0], q2[1] - p2[1])
    r = (p1[0] - p2[0], p1[1] - p2[1])
    a = d1[0] * d1[0] + d1[1] * d1[1]
    e = d2[0] * d2[0] + d2[1] * d2[1]
    f = d2[0] * r[0] + d2[1] * r[1]
    eps = 1e-9
    if a <= eps and e <= eps:
        return p1, p2
    if a <= eps:
        s, t = 0.0, min(max(f / e, 0.0), 1.0)
    else:
        c = d1[0] * r[0] + d1[1] * r[1]
        if e <= eps:
            t, s = 0.0, min(max(-c / a, 0.0), 1.0)
        else:
            b = d1[0] * d2[0] + d1[1] * d2[1]
            den = a * e - b * b
            s = min(max((b * f - c * e) / den, 0.0), 1.0) if den > eps else 0.0
            t = (b * s + f) / e
            if t < 0.0:
                t, s = 0.0, min(max(-c / a, 0.0), 1.0)
            elif t > 1.0:
                t, s = 1.0, min(max((b - c) / a, 0.0), 1.0)
    c1 = (p1[0] + d1[0] * s, p1[1] + d1[1] * s)
    c2 = (p2[0] + d2[0] * t, p2[1] + d2[1] * t)
    return c1, c2


def _relax(cells: list[Cell], rng, iterations: int = 12, gap: float = 0.6) -> None:
    """Pushes overlapping capsules apart (and turns them) until they only touch."""
    if len(cells) < 2:
        return
    for _ in range(iterations):
        pts = np.array([[c.cy, c.cx] for c in cells])
        reach = max(c.length for c in cells) + 2 * max(c.radius for c in cells) + gap
        pairs = cKDTree(pts).query_pairs(reach, output_type="ndarray")
        if len(pairs) == 0:
            return
        move = np.zeros((len(cells), 3))  # dy, dx, dangle
        segs = [_segment(c) for c in cells]
        moved = False
        for i, j in pairs:
            ci, cj = cells[i], cells[j]
            a, b = _closest_points(*segs[i], *segs[j])
            dy, dx = b[0] - a[0], b[1] - a[1]
            d = math.hypot(dy, dx)
            overlap = ci.radius + cj.radius + gap - d
            if overlap <= 0:
                continue
            moved = True
            if d < 1e-6:
                ang = rng.uniform(0, 2 * math.pi)
                ny, nx = math.sin(ang), math.cos(ang)
            else:
                ny, nx = dy / d, dx / d
            push = 0.5 * overlap
            for k, (c, sgn, contact) in enumerate(((ci, -1.0, a), (cj, 1.0, b))):
                idx = i if k == 0 else j
                py, px = sgn * push * ny, sgn * push * nx
                move[idx, 0] += py
                move[idx, 1] += px
                # torque of the push about the centre turns the rod (moment of inertia ~ L²/12)
                ry, rx = contact[0] - c.cy, contact[1] - c.cx
                torque = rx * py - ry * px
                move[idx, 2] += 0.5 * torque / max(c.length * c.length / 12.0, 1.0)
        if not moved:
            return
        for c, (dy, dx, da) in zip(cells, move):
            c.cy += 0.8 * dy
            c.cx += 0.8 * dx
            c.angle += float(np.clip(0.8 * da, -0.08, 0.08))


def _render(cells: list[Cell], height: int, width: int, offset) -> np.ndarray:
    labels = np.zeros((height, width), np.uint16)
    best = np.full((height, width), np.inf, np.float32)
    for c in cells:
        (y0, x0), (y1, x1) = _segment(c)
        y0, x0, y1, x1 = y0 + offset[0], x0 + offset[1], y1 + offset[0], x1 + offset[1]
        r = c.radius
        top = int(max(math.floor(min(y0, y1) - r - 1), 0))
        bottom = int(min(math.ceil(max(y0, y1) + r + 2), height))
        left = int(max(math.floor(min(x0, x1) - r - 1), 0))
        right = int(min(math.ceil(max(x0, x1) + r + 2), width))
        if bottom <= top or right <= left:
            continue
        yy, xx = np.mgrid[top:bottom, left:right].astype(np.float32)
        sy, sx = y1 - y0, x1 - x0
        ll = sy * sy + sx * sx
        if ll > 1e-9:
            s = np.clip(((yy - y0) * sy + (xx - x0) * sx) / ll, 0.0, 1.0)
        else:
            s = np.zeros_like(yy)
        d = np.hypot(yy - (y0 + s * sy), xx - (x0 + s * sx))
        win = best[top:bottom, left:right]
        take = (d <= r) & (d < win)
        win[take] = d[take]
        labels[top:bottom, left:right][take] = c.track
    return labels


def _largest_component_only(labels: np.ndarray) -> np.ndarray:
    """Keeps each label's largest 4-connected piece (nearest-axis ownership can cut off slivers)."""
    from scipy import ndimage as ndi

    out = labels.copy()
    for i, sl in enumerate(ndi.find_objects(labels), start=1):
        if sl is None:
            continue
        m = labels[sl] == i
        lab, n = ndi.label(m)
        if n > 1:
            sizes = ndi.sum(m, lab, index=np.arange(1, n + 1))
            keep = lab == (1 + int(np.argmax(sizes)))
            region = out[sl]
            region[m & ~keep] = 0
    return out


def simulate(
    seed: int,
    height: int = 1000,
    width: int = 1300,
    frames: int = 53,
    colonies: int = 9,
    cells_per_colony: int = 2,
    drift=(0.15, -0.1),
    growth=(0.08, 0.11),
) -> Colony:
    rng = np.random.default_rng(seed)
    next_id = 1
    cells: list[Cell] = []
    margin = min(170.0, 0.4 * min(height, width))
    centres = []
    while len(centres) < colonies:
        cy, cx = rng.uniform(margin, height - margin), rng.uniform(margin, width - margin)
        if all(math.hypot(cy - a, cx - b) > 230 for a, b in centres):
            centres.append((cy, cx))
    for cy, cx in centres:
        for _ in range(cells_per_colony):
            L = rng.uniform(16, 28)
            cells.append(
                Cell(next_id, 0, 0, cy + rng.normal(0, 6), cx + rng.normal(0, 6), rng.uniform(0, math.pi), L,
                     rng.uniform(3.2, 3.8), rng.uniform(*growth), rng.normal(33, 1.5))
            )
            next_id += 1
    _relax(cells, rng, iterations=40)

    stack = np.zeros((frames, height, width), np.uint16)
    tracks: dict[int, list[int]] = {}
    for t in range(frames):
        if t > 0:
            born: list[Cell] = []
            for c in cells:
                c.length *= math.exp(c.growth)
                c.angle += rng.normal(0, 0.01)
                c.cy += rng.normal(0, 0.15)
                c.cx += rng.normal(0, 0.15)
                if c.length < c.divide_at:
                    born.append(c)
                    continue
                axis = (math.sin(c.angle), math.cos(c.angle))
                for sgn in (-1.0, 1.0):
                    L = c.length / 2.0 - 0.4
                    off = sgn * (c.length / 4.0 + 0.2)
                    born.append(
                        Cell(next_id, c.track, t, c.cy + off * axis[0], c.cx + off * axis[1],
                             c.angle + rng.normal(0, 0.05), L, c.radius,
                             float(np.clip(c.growth + rng.normal(0, 0.008), growth[0] - 0.01, growth[1] + 0.01)), rng.normal(33, 1.5))
                    )
                    next_id += 1
            cells = born
            _relax(cells, rng)
        offset = (drift[0] * t, drift[1] * t)
        lab = _largest_component_only(_render(cells, height, width, offset))
        ids, counts = np.unique(lab[lab > 0], return_counts=True)
        area = dict(zip(ids.tolist(), counts.tolist()))
        small = [i for i, a in area.items() if a < MIN_AREA]
        if small:
            lab[np.isin(lab, small)] = 0
        present = {i for i, a in area.items() if a >= MIN_AREA}
        # a cell that left the field, or shrank below MIN_AREA there, ends its track for good
        cells = [c for c in cells if c.track in present]
        for c in cells:
            if c.track not in tracks:
                tracks[c.track] = [t, t, c.parent]
            tracks[c.track][1] = t
        stack[t] = lab
    return Colony(height, width, frames, stack, tracks)

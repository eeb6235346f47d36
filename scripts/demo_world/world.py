"""Synthetic bacteria time-lapse with ground truth (HiTMic Studio demo world).

Everything here is deterministic for a given seed (numpy Generator + scipy).

Physics-lite model: rod-shaped cells (capsules) grow exponentially, divide
into two daughters when they pass a length threshold, drift with the stage,
and die at a rate that rises over time (antibiotic).  Dead cells stop growing
and become propidium-iodide positive.  Besides single cells the field holds
clumps, debris ("noise"), out-of-focus cells and end-to-end joint cells.

Class ids: 0 single-cell, 1 clump, 2 noise, 3 off-focus, 4 joint-cell.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage as ndi

CLASS_NAMES = ["single-cell", "clump", "noise", "off-focus", "joint-cell"]
BIT_MAX = 4095.0


# --------------------------------------------------------------------------
# geometry
# --------------------------------------------------------------------------
def capsule_mask(shape, cy, cx, angle, length, radius):
    """Boolean mask of a capsule (rod) with total length `length`."""
    h, w = shape
    half = max(length / 2.0 - radius, 0.0)
    dy, dx = math.sin(angle), math.cos(angle)
    ext = half + radius + 2
    y0, y1 = int(max(cy - ext, 0)), int(min(cy + ext + 1, h))
    x0, x1 = int(max(cx - ext, 0)), int(min(cx + ext + 1, w))
    m = np.zeros(shape, bool)
    if y1 <= y0 or x1 <= x0:
        return m
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    py, px = yy - cy, xx - cx
    t = np.clip(py * dy + px * dx, -half, half)
    d = np.hypot(py - t * dy, px - t * dx)
    m[y0:y1, x0:x1] = d <= radius
    return m


def blob_mask(shape, cy, cx, blobs):
    m = np.zeros(shape, bool)
    h, w = shape
    for oy, ox, r in blobs:
        y, x = cy + oy, cx + ox
        y0, y1 = int(max(y - r - 1, 0)), int(min(y + r + 2, h))
        x0, x1 = int(max(x - r - 1, 0)), int(min(x + r + 2, w))
        if y1 <= y0 or x1 <= x0:
            continue
        yy, xx = np.mgrid[y0:y1, x0:x1]
        m[y0:y1, x0:x1] |= (yy - y) ** 2 + (xx - x) ** 2 <= r * r
    return m


# --------------------------------------------------------------------------
# simulation
# --------------------------------------------------------------------------
class World:
    def __init__(self, seed, size=512, frames=20, density=1.0, oof_frames=None,
                 defocus_range=None):
        self.rng = np.random.default_rng(seed)
        self.H = self.W = size
        self.T = frames
        self.density = density
        self.next_track = 1
        self.objects = []
        # frames that are globally out of focus
        if oof_frames is None:
            n = max(1, frames // 8)
            oof_frames = sorted(self.rng.choice(np.arange(2, frames), n, replace=False).tolist())
        self.oof_frames = set(oof_frames)
        self.defocus_range = defocus_range
        self.drift = self.rng.uniform(-0.8, 0.8, 2)
        self._populate()

    def _new_track(self):
        t = self.next_track
        self.next_track += 1
        return t

    def _free(self, occ, m):
        return not (occ & m).any()

    def _populate(self):
        rng = self.rng
        area = self.H * self.W
        scale = area / (512 * 512) * self.density
        counts = {
            "cell": int(round(38 * scale)),
            "clump": int(round(5 * scale)),
            "noise": int(round(14 * scale)),
            "oof": int(round(7 * scale)),
            "joint": int(round(7 * scale)),
        }
        occ = np.zeros((self.H, self.W), bool)
        order = ["clump", "joint", "oof", "cell", "noise"]
        for kind in order:
            for _ in range(counts[kind]):
                for _try in range(60):
                    o = self._random_object(kind)
                    m = self.object_mask(o, offset=(0.0, 0.0))
                    if m.sum() < 15:
                        continue
                    # spacing: cells need room to grow and divide
                    grow = 14 if kind == "cell" else 7
                    md = ndi.binary_dilation(m, iterations=grow)
                    if self._free(occ, md):
                        occ |= ndi.binary_dilation(m, iterations=4)
                        self.objects.append(o)
                        break

    def _random_object(self, kind):
        rng = self.rng
        o = {
            "kind": kind,
            "track": self._new_track(),
            "parent": -1,
            "cy": rng.uniform(10, self.H - 10),
            "cx": rng.uniform(10, self.W - 10),
            "angle": rng.uniform(0, math.pi),
            "radius": rng.uniform(3.2, 4.2),
            "length": rng.uniform(14, 24),
            "growth": rng.uniform(0.05, 0.09),
            "dead_at": None,
            "vy": rng.normal(0, 0.15),
            "vx": rng.normal(0, 0.15),
            "born": 0,
            "pi_gain": rng.uniform(0.7, 1.0),
        }
        if kind == "clump":
            n = rng.integers(4, 8)
            members = []
            for i in range(n):
                members.append((rng.normal(0, 6), rng.normal(0, 6), rng.uniform(0, math.pi),
                                rng.uniform(14, 24), rng.uniform(3.2, 4.0)))
            o["members"] = members
            o["dead_at"] = 0 if rng.random() < 0.4 else None
        elif kind == "noise":
            n = rng.integers(1, 4)
            r0 = rng.uniform(1.8, 3.5)
            o["blobs"] = [(rng.normal(0, 1.8), rng.normal(0, 1.8), r0 * rng.uniform(0.6, 1.0)) for _ in range(n)]
            o["fl"] = rng.uniform(0.0, 0.08)
            o["bf_contrast"] = rng.uniform(0.25, 0.6)
        elif kind == "oof":
            o["blur"] = rng.uniform(2.2, 3.2)
            o["dead_at"] = 0 if rng.random() < 0.3 else None
        elif kind == "joint":
            o["length2"] = rng.uniform(14, 22)
            o["bend"] = rng.normal(0, 0.15)
            o["dead_at"] = 0 if rng.random() < 0.25 else None
        return o

    # ----------------------------------------------------------------------
    def object_mask(self, o, offset):
        shape = (self.H, self.W)
        cy, cx = o["cy"] + offset[0], o["cx"] + offset[1]
        k = o["kind"]
        if k in ("cell", "oof"):
            return capsule_mask(shape, cy, cx, o["angle"], o["length"], o["radius"])
        if k == "clump":
            m = np.zeros(shape, bool)
            for oy, ox, a, L, r in o["members"]:
                m |= capsule_mask(shape, cy + oy, cx + ox, a, L, r)
            return m
        if k == "noise":
            return blob_mask(shape, cy, cx, o["blobs"])
        if k == "joint":
            a1 = o["angle"]
            a2 = a1 + o["bend"]
            L1, L2, r = o["length"], o["length2"], o["radius"]
            dy, dx = math.sin(a1), math.cos(a1)
            # first cell centred at -L1/2 along axis, the second touching it end to end
            c1 = (cy - dy * L1 / 2, cx - dx * L1 / 2)
            e = (cy, cx)
            d2y, d2x = math.sin(a2), math.cos(a2)
            c2 = (e[0] + d2y * (L2 / 2 - 0.5), e[1] + d2x * (L2 / 2 - 0.5))
            return capsule_mask(shape, c1[0], c1[1], a1, L1, r) | capsule_mask(shape, c2[0], c2[1], a2, L2, r * 0.95)
        raise ValueError(k)

    def step(self, t):
        """Advance objects from frame t-1 to frame t."""
        rng = self.rng
        hazard = 0.004 + 0.035 * (t / max(self.T - 1, 1))
        out = []
        for o in self.objects:
            o["cy"] += o["vy"] + rng.normal(0, 0.12)
            o["cx"] += o["vx"] + rng.normal(0, 0.12)
            o["angle"] += rng.normal(0, 0.01)
            alive = o["dead_at"] is None
            if o["kind"] in ("cell", "joint", "oof") and alive and rng.random() < hazard:
                o["dead_at"] = t
                alive = False
            if o["kind"] == "cell" and alive:
                o["length"] *= math.exp(o["growth"])
                if o["length"] > 34:
                    L = o["length"]
                    for sgn in (-1, 1):
                        d = dict(o)
                        d["track"] = self._new_track()
                        d["parent"] = o["track"]
                        d["length"] = L / 2 - 1.2
                        off = sgn * (L / 4 + 1.4)
                        d["cy"] = o["cy"] + off * math.sin(o["angle"])
                        d["cx"] = o["cx"] + off * math.cos(o["angle"])
                        d["angle"] = o["angle"] + rng.normal(0, 0.06)
                        d["growth"] = float(np.clip(o["growth"] + rng.normal(0, 0.01), 0.04, 0.1))
                        d["vy"] = o["vy"] + sgn * 0.25 * math.sin(o["angle"])
                        d["vx"] = o["vx"] + sgn * 0.25 * math.cos(o["angle"])
                        d["born"] = t
                        out.append(d)
                    continue
            out.append(o)
        self.objects = out

    # ----------------------------------------------------------------------
    def render(self, t):
        """Render frame t. Returns dict with label image, truth rows and images."""
        H, W = self.H, self.W
        rng = self.rng
        off = (self.drift[0] * t, self.drift[1] * t)
        labels = np.zeros((H, W), np.uint16)
        occ_guard = np.zeros((H, W), bool)
        rows = []
        # paint order: stable by track id
        objs = sorted(self.objects, key=lambda o: o["track"])
        masks = []
        lab = 0
        for o in objs:
            m = self.object_mask(o, off)
            if not m.any():
                continue
            m &= ~occ_guard
            m = _largest_component(m)
            if m.sum() < 20:
                continue
            lab += 1
            labels[m] = lab
            occ_guard |= ndi.binary_dilation(m, iterations=2)
            masks.append((lab, o, m))
        # --- images ---------------------------------------------------------
        dark = np.zeros((H, W), np.float32)
        halo = np.zeros((H, W), np.float32)
        dark_oof = np.zeros((H, W), np.float32)
        halo_oof = np.zeros((H, W), np.float32)
        fl = np.zeros((H, W), np.float32)
        fl_oof = np.zeros((H, W), np.float32)
        for lab_id, o, m in masks:
            k = o["kind"]
            sl = _bbox(m, 8, (H, W))
            mm = m[sl]
            inner = ndi.gaussian_filter(mm.astype(np.float32), 0.7)
            dout = ndi.distance_transform_edt(~mm).astype(np.float32)
            din = ndi.distance_transform_edt(mm).astype(np.float32)
            h_ = np.exp(-((dout - 1.8) ** 2) / (2 * 1.1 ** 2)) * (dout > 0)
            dead = o["dead_at"] is not None and o["dead_at"] <= t
            contrast = 0.5 if k != "noise" else o["bf_contrast"]
            if k == "clump":
                contrast = 0.6
            if dead and k != "noise":
                contrast *= 0.8
            hs = 0.35 if k != "noise" else 0.12
            # FL profile: brighter towards the centre line
            prof = np.clip(din / 3.0, 0, 1) ** 0.5 * inner
            if k == "noise":
                f = o["fl"] * prof
            elif dead:
                f = o["pi_gain"] * prof
            else:
                f = 0.03 * prof
            if k == "oof":
                dark_oof[sl] = np.maximum(dark_oof[sl], inner * contrast * 0.8)
                halo_oof[sl] = np.maximum(halo_oof[sl], h_ * hs)
                fl_oof[sl] = np.maximum(fl_oof[sl], f)
            else:
                dark[sl] = np.maximum(dark[sl], inner * contrast)
                halo[sl] = np.maximum(halo[sl], h_ * hs)
                fl[sl] = np.maximum(fl[sl], f)
            cy, cx = ndi.center_of_mass(m)
            pipos = bool(dead and k != "noise")
            rows.append({
                "frame": t, "label": lab_id, "class_id": _class_id(k),
                "class_name": CLASS_NAMES[_class_id(k)],
                "pi_status": "piPOS" if pipos else "piNEG",
                "track_id": o["track"], "parent_track_id": o["parent"],
                "centroid_0": float(cy), "centroid_1": float(cx), "area": int(m.sum()),
                "blur": float(o.get("blur", 0.0)),
            })
        # off-focus objects: blurred in every representation (they are physically defocused)
        blur_oof = 2.7
        dark += ndi.gaussian_filter(dark_oof, blur_oof) * 1.0
        halo += ndi.gaussian_filter(halo_oof, blur_oof)
        fl += ndi.gaussian_filter(fl_oof, blur_oof)
        illum = self._illumination()
        bf_sharp = illum * (1.0 - dark + halo) * 1900.0 + 150.0
        fl_sharp = (220.0 + 60 * (illum - 1)) + 2200.0 * fl
        # observation: PSF + optional global defocus + noise
        if self.defocus_range is not None:
            # training movies: half the frames at the normal PSF, half defocused
            s = 0.9 if rng.random() < 0.5 else float(rng.uniform(*self.defocus_range))
        else:
            s = 3.0 if t in self.oof_frames else 0.9
        bf_b = ndi.gaussian_filter(bf_sharp, s)
        fl_b = ndi.gaussian_filter(fl_sharp, max(s, 1.1))
        bf_obs = rng.poisson(np.clip(bf_b, 0, None) * 0.5) / 0.5 + rng.normal(0, 18, bf_b.shape)
        fl_obs = rng.poisson(np.clip(fl_b, 0, None) * 0.25) / 0.25 + rng.normal(0, 12, fl_b.shape)
        bf_obs = np.clip(np.round(bf_obs), 0, BIT_MAX).astype(np.uint16)
        fl_obs = np.clip(np.round(fl_obs), 0, BIT_MAX).astype(np.uint16)
        return {
            "labels": labels, "rows": rows, "bf": bf_obs, "fl": fl_obs,
            "bf_sharp": bf_sharp.astype(np.float32), "fl_sharp": fl_sharp.astype(np.float32),
            "defocus": s,
        }

    def _illumination(self):
        if not hasattr(self, "_illum"):
            H, W = self.H, self.W
            yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
            cy = H * self.rng.uniform(0.3, 0.7)
            cx = W * self.rng.uniform(0.3, 0.7)
            r2 = ((yy - cy) ** 2 + (xx - cx) ** 2) / (0.9 * max(H, W)) ** 2
            gy, gx = self.rng.uniform(-0.12, 0.12, 2)
            self._illum = (1.0 - 0.35 * r2 + gy * (yy / H - 0.5) + gx * (xx / W - 0.5)).astype(np.float32)
        return self._illum


def _class_id(kind):
    return {"cell": 0, "clump": 1, "noise": 2, "oof": 3, "joint": 4}[kind]


def _bbox(m, pad, shape):
    ys, xs = np.nonzero(m)
    return (slice(max(ys.min() - pad, 0), min(ys.max() + pad + 1, shape[0])),
            slice(max(xs.min() - pad, 0), min(xs.max() + pad + 1, shape[1])))


def _largest_component(m):
    lab, n = ndi.label(m)
    if n <= 1:
        return m
    sizes = ndi.sum(m, lab, index=np.arange(1, n + 1))
    return lab == (1 + int(np.argmax(sizes)))


def simulate(seed, size=512, frames=20, **kw):
    """Simulate a whole movie. Returns dict of stacked arrays and truth rows."""
    w = World(seed, size=size, frames=frames, **kw)
    out = {k: [] for k in ("labels", "bf", "fl", "bf_sharp", "fl_sharp", "defocus")}
    rows = []
    for t in range(frames):
        if t > 0:
            w.step(t)
        r = w.render(t)
        for k in out:
            out[k].append(r[k])
        rows.extend(r["rows"])
    res = {k: np.stack(v) if k != "defocus" else np.array(v, np.float32) for k, v in out.items()}
    res["rows"] = rows
    res["oof_frames"] = sorted(w.oof_frames)
    return res

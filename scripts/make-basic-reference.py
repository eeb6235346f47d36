#!/usr/bin/env python3
"""Reference outputs for HiTMic Studio's BaSiC port (test-support/basic/).

Run from the repository root:  /usr/bin/python3 scripts/make-basic-reference.py
Needs numpy and scipy only. BaSiCPy itself needs JAX, which cannot be installed here, so this is a
numpy transcription of what HiTMicTools runs — BaSiCPy v1.2.0 (peng-lab/BaSiCPy, tag v1.2.0,
src/basicpy/basicpy.py and src/basicpy/_jax_routines.py) with
    BaSiC(smoothness_flatfield=5, smoothness_darkfield=5, get_darkfield=False,
          sort_intensity=False, fitting_mode="approximate")
fitted on a T×Y×X stack — written from that source, in float32 where JAX computes in float32:

* working-size resize: jax.image.resize(method='linear', antialias=True), i.e. the weight matrix
  of jax/_src/image/scale.py compute_weight_mat (triangle kernel, widened when shrinking);
* DCT: scipy.fft.dctn / idctn with norm='ortho' (what JAX's dct and BaSiCPy's idct compute);
* flat field back to the frame size: skimage.transform.resize(S, shape) with its defaults
  (order 1, mode 'reflect', anti_aliasing when shrinking), i.e. scipy.ndimage.gaussian_filter
  (mode 'mirror') where an axis shrinks, then scipy.ndimage.zoom(order=1, mode='mirror',
  grid_mode=True), clipped to S's range;
* transform(timelapse=True) = image / flatfield - baseline[t].

The TypeScript port (src-main/analysis/background/basic.ts) was written from the same source by the
same hand, so a shared misreading would pass both: this reference checks the arithmetic (resizes,
DCT, iterations, reweighting), not the reading.

The input stack is drawn with mulberry32 (test-support/random.ts), so the test rebuilds it exactly.
"""
import json
import os

import numpy as np
import scipy.fft
from scipy import ndimage

OUT = os.path.join('test-support', 'basic')

# --- the synthetic stack (same formula in src-main/analysis/background/basic.test.ts) ---------


def mulberry32(seed):
    a = seed & 0xFFFFFFFF

    def rand():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return rand


def vignette(width, height):
    """A 2-D Gaussian illumination spanning exactly 0.7..1.3 (±30 %), off-centre."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    g = np.exp(-(((x - 0.45 * width) / (0.5 * width)) ** 2 + ((y - 0.55 * height) / (0.6 * height)) ** 2) / 2)
    return 0.7 + 0.6 * (g - g.min()) / (g.max() - g.min())


def synthetic_stack(frames, width, height, seed):
    """frame_t = F · (baseline_t + cells_t) + noise, as float32; also F and the baselines."""
    rand = mulberry32(seed)
    flat = vignette(width, height)
    baselines = [250.0 * (1 - 0.04 * t) for t in range(frames)]
    stack = np.zeros((frames, height, width), np.float32)
    yy, xx = np.mgrid[0:height, 0:width]
    for t in range(frames):
        cells = np.zeros((height, width))
        for _ in range(max(3, (width * height) // 600)):
            cx, cy = rand() * width, rand() * height
            r = 2 + 3 * rand()
            amp = 300 + 700 * rand()
            cells[(xx - cx) ** 2 + (yy - cy) ** 2 <= r * r] += amp
        noise = np.array([rand() - 0.5 for _ in range(width * height)]).reshape(height, width) * 20
        stack[t] = (flat * (baselines[t] + cells) + noise).astype(np.float32)
    return stack, flat, baselines


# --- BaSiCPy 1.2.0, approximate mode, as numpy -------------------------------------------------


def jax_weight_mat(in_size, out_size):
    """jax compute_weight_mat for the linear (triangle) kernel, antialias=True, float32."""
    scale = np.float32(out_size / in_size)
    inv_scale = np.float32(1.0) / scale
    kernel_scale = max(inv_scale, np.float32(1.0))
    sample_f = (np.arange(out_size, dtype=np.float32) + np.float32(0.5)) * inv_scale - np.float32(0.5)
    x = np.abs(sample_f[np.newaxis, :] - np.arange(in_size, dtype=np.float32)[:, np.newaxis]) / kernel_scale
    w = np.maximum(np.float32(0), np.float32(1) - np.abs(x)).astype(np.float32)
    total = w.sum(axis=0, keepdims=True)
    w = np.where(np.abs(total) > 1000 * np.finfo(np.float32).eps, w / np.where(total != 0, total, 1), 0)
    inside = (sample_f >= -0.5) & (sample_f <= in_size - 0.5)
    return np.where(inside[np.newaxis, :], w, 0).astype(np.float32)


def jax_resize_linear(im, shape):
    """jax.image.resize(im, shape, 'linear') on the last two axes (sizes that differ only)."""
    out = im.astype(np.float32)
    for axis in (-2, -1):
        m, n = out.shape[axis], shape[axis]
        if m == n:
            continue
        w = jax_weight_mat(m, n)
        out = np.moveaxis(np.tensordot(np.moveaxis(out, axis, -1), w, axes=([-1], [0])), -1, axis)
    return out.astype(np.float32)


def skimage_resize(image, output_shape):
    """skimage.transform.resize(image, output_shape) with its defaults, for a float32 image."""
    factors = np.divide(image.shape, output_shape)
    anti_aliasing = any(o < i for o, i in zip(output_shape, image.shape))
    filtered = image
    if anti_aliasing:
        sigma = np.maximum(0, (factors - 1) / 2)
        filtered = ndimage.gaussian_filter(image, sigma, cval=0, mode='mirror')
    out = ndimage.zoom(filtered, [1 / f for f in factors], order=1, mode='mirror', cval=0, grid_mode=True)
    return np.clip(out, image.min(), image.max())


def dct2d(a):
    return scipy.fft.dctn(a, norm='ortho').astype(np.float32)


def idct2d(a):
    return scipy.fft.idctn(a, norm='ortho').astype(np.float32)


def shrink(x, thresh):
    return (np.sign(x) * np.maximum(np.abs(x) - thresh, 0)).astype(np.float32)


def fit_basic(images, smoothness_flatfield=5.0, working_size=128, epsilon=0.1, max_iterations=500,
              max_reweight_iterations=10, rho=1.5, mu_coef=12.5, max_mu_coef=1e7,
              optimization_tol=1e-3, reweighting_tol=1e-2):
    images = images[:, np.newaxis, ...]                               # (T, 1, Y, X)
    Im = jax_resize_linear(images, [*images.shape[:2], working_size, working_size])
    Ws = np.ones_like(Im)
    mean_image = Im.mean(axis=0) / Im.mean()
    mean_image_dct = scipy.fft.dctn(mean_image.T, norm='ortho')
    smoothness = float(np.sum(np.abs(mean_image_dct)) / 800 * smoothness_flatfield)
    spectral_norm = float(np.linalg.svd(Im.reshape((Im.shape[0], -1)), compute_uv=False)[0])
    init_mu = mu_coef / spectral_norm
    max_mu = init_mu * max_mu_coef
    image_norm = float(np.linalg.norm(Im.ravel(), ord=2))

    W = np.ones_like(Im, dtype=np.float32) * Ws
    last_S = None
    iterations = []
    reweight_converged = False
    ent1 = 1.0
    for _ in range(max_reweight_iterations):
        S = np.zeros(Im.shape[2:], np.float32)
        B = np.ones(Im.shape[0], np.float32)
        I_R = np.zeros(Im.shape[:1] + Im.shape[2:], np.float32)
        Y = np.zeros_like(I_R)
        I = Im[:, 0]
        weight = W[:, 0]
        mu = init_mu
        fit_residual = np.full(I.shape, np.inf, np.float32)
        k = 0
        while np.linalg.norm(fit_residual.ravel()) / image_norm > optimization_tol and k < max_iterations:
            # ApproximateFit._step with get_darkfield=False (D_R = 0, D_Z = 0)
            S_hat = dct2d(S)
            I_B = S[np.newaxis] * B[:, np.newaxis, np.newaxis]
            temp_W = ((I - I_B - I_R + Y / mu) / ent1).mean(axis=0)
            S_hat = S_hat + dct2d(temp_W)
            S_hat = shrink(S_hat, smoothness / (ent1 * mu))
            S = idct2d(S_hat)
            I_B = S[np.newaxis] * B[:, np.newaxis, np.newaxis]
            I_R = (I - I_B + Y / mu) / ent1
            I_R = shrink(I_R, weight / (ent1 * mu))
            R = I - I_R
            B = np.maximum(R.mean(axis=(1, 2)) / R.mean(), 0).astype(np.float32)
            fit_residual = (R - I_B).astype(np.float32)
            Y = (Y + mu * fit_residual).astype(np.float32)
            mu = min(mu * rho, max_mu)
            k += 1
        iterations.append(k)
        if S.max() == 0:
            raise RuntimeError('Estimated flatfield is zero.')
        mean_S = S.mean()
        S = S / mean_S
        B = B * mean_S
        I_B = B[:, np.newaxis, np.newaxis] * S[np.newaxis]
        XE_norm = I_R / (I_B.mean(axis=(1, 2))[:, np.newaxis, np.newaxis] + 1e-6)
        w = 1.0 / (np.abs(XE_norm) + epsilon)
        W = (w / w.mean())[:, np.newaxis].astype(np.float32) * Ws
        if last_S is not None:
            score = np.sum(np.abs(S - last_S)) / np.sum(np.abs(last_S))
            if score <= reweighting_tol:
                reweight_converged = True
                break
        last_S = S
    flatfield = skimage_resize(S.astype(np.float32), images.shape[2:]).astype(np.float32)
    return dict(S=S.astype(np.float32), B=B.astype(np.float32), flatfield=flatfield, smoothness=smoothness,
                spectral_norm=spectral_norm, iterations=iterations, reweight_converged=reweight_converged)


def main():
    os.makedirs(OUT, exist_ok=True)
    case = dict(frames=6, width=160, height=72, seed=7)
    stack, flat, baselines = synthetic_stack(case['frames'], case['width'], case['height'], case['seed'])
    fit = fit_basic(stack)
    corrected = stack / fit['flatfield'][np.newaxis] - fit['B'][:, np.newaxis, np.newaxis]
    np.save(os.path.join(OUT, 'flatfield_working.npy'), fit['S'])
    np.save(os.path.join(OUT, 'flatfield.npy'), fit['flatfield'])
    with open(os.path.join(OUT, 'reference.json'), 'w') as f:
        json.dump(dict(
            source='scripts/make-basic-reference.py: numpy transcription of BaSiCPy v1.2.0 approximate fit',
            case=case,
            stack_sum=float(stack.astype(np.float64).sum()),
            smoothness=fit['smoothness'],
            spectral_norm=fit['spectral_norm'],
            iterations=fit['iterations'],
            reweight_converged=fit['reweight_converged'],
            baseline=[float(b) for b in fit['B']],
            corrected_frame_means=[float(c.mean()) for c in corrected],
        ), f, indent=2)
        f.write('\n')
    rel = np.abs(fit['flatfield'] - flat / flat.mean()) / (flat / flat.mean())
    print('iterations', fit['iterations'], 'baseline', fit['B'], 'true', baselines)
    print('flat field vs truth: max rel err %.4f, mean %.4f' % (rel.max(), rel.mean()))


if __name__ == '__main__':
    main()

#!/usr/bin/python3
"""Reference values for MedSynth's paired metrics.

PSNR, SSIM, MSE and NRMSE come from scikit-image (Debian python3-skimage); MAE, NMSE (= NRMSE², euclidean) and
DSSIM (= (1 − SSIM)/2) are formed from numpy / scikit-image values; MS-SSIM, which scikit-image lacks, comes from
ms_ssim() below, written from Wang et al. 2003 with the conventions of TensorFlow's tf.image.ssim_multiscale.
The test images are closed-form, so the Java tests rebuild them exactly (see MetricsReferenceTest).
Run with Debian's interpreter:  /usr/bin/python3 metrics_reference.py > metrics_reference.json
"""
import json

import numpy as np
import skimage
from skimage.metrics import (mean_squared_error, normalized_root_mse, peak_signal_noise_ratio,
                             structural_similarity)

MS_SSIM_WEIGHTS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])


def image_2d():
    y, x = np.mgrid[0:40, 0:48].astype(np.float64)
    ref = 100 * np.sin(x / 5.0) * np.cos(y / 7.0) + 0.5 * x + 20
    cand = ref + 10 * np.sin(x * 12.9898 + y * 78.233)
    return ref, cand


def image_3d():
    z, y, x = np.mgrid[0:16, 0:18, 0:20].astype(np.float64)
    ref = 50 * np.sin(x / 4.0) * np.cos(y / 6.0) * np.cos(z / 5.0) + x - y + z
    cand = ref + 5 * np.sin(x * 12.9898 + y * 78.233 + z * 37.719)
    return ref, cand


def image_2d_large():
    """192 × 176 (x × y): every halving is even, so pytorch-msssim's zero padding never applies. The candidate
    differs at coarse scales too, so that the pixels at the borders of every scale weigh on the value."""
    y, x = np.mgrid[0:176, 0:192].astype(np.float64)
    ref = 100 * np.sin(x / 9.0) * np.cos(y / 13.0) + 0.3 * x + 20
    cand = 0.6 * ref + 10 * np.sin(x * 12.9898 + y * 78.233) + 40 * np.cos(x / 17.0 + y / 23.0)
    return ref, cand


def image_3d_large():
    """165 × 163 × 161 (x × y × z): odd sides at every scale, so the padding before pooling matters."""
    z, y, x = np.mgrid[0:161, 0:163, 0:165].astype(np.float64)
    ref = 50 * np.sin(x / 7.0) * np.cos(y / 11.0) * np.cos(z / 9.0) + x - y + z
    cand = 0.6 * ref + 5 * np.sin(x * 12.9898 + y * 78.233 + z * 37.719) + 30 * np.cos(x / 13.0 + z / 7.0)
    return ref, cand


def gaussian_taps(size=11, sigma=1.5):
    c = np.arange(size) - (size - 1) / 2
    g = np.exp(-c ** 2 / (2 * sigma ** 2))
    return g / g.sum()


def valid_filter(a, taps):
    """Separable correlation without padding: only positions where the whole window fits."""
    for axis in range(a.ndim):
        a = np.lib.stride_tricks.sliding_window_view(a, len(taps), axis=axis) @ taps
    return a


def halve(a):
    """2× average pooling on every axis after repeating the last element of odd sides (TF's SYMMETRIC pad)."""
    a = np.pad(a, [(0, s % 2) for s in a.shape], mode="symmetric")
    pairs = a.reshape([n for s in a.shape for n in (s // 2, 2)])
    return pairs.mean(axis=tuple(range(1, 2 * a.ndim, 2)))


def ms_ssim(x, y, data_range):
    """Wang et al. 2003 as tf.image.ssim_multiscale: 'valid' 11-tap Gaussian (σ 1.5), population covariance,
    mean cs at scales 1–4 and mean SSIM at scale 5, each clipped at 0 and raised to its weight."""
    taps = gaussian_taps()
    c1 = (0.01 * data_range) ** 2
    c2 = (0.03 * data_range) ** 2
    terms = []
    for scale in range(len(MS_SSIM_WEIGHTS)):
        mx, my = valid_filter(x, taps), valid_filter(y, taps)
        vx = valid_filter(x * x, taps) - mx * mx
        vy = valid_filter(y * y, taps) - my * my
        vxy = valid_filter(x * y, taps) - mx * my
        luminance = (2 * mx * my + c1) / (mx * mx + my * my + c1)
        contrast_structure = (2 * vxy + c2) / (vx + vy + c2)
        last = scale == len(MS_SSIM_WEIGHTS) - 1
        terms.append(max(0.0, float(np.mean(luminance * contrast_structure if last else contrast_structure))))
        if not last:
            x, y = halve(x), halve(y)
    return float(np.prod(np.array(terms) ** MS_SSIM_WEIGHTS))


def metrics(ref, cand):
    r = float(ref.max() - ref.min())
    ssim_uniform7 = structural_similarity(ref, cand, data_range=r)
    ssim_gaussian_wang = structural_similarity(ref, cand, data_range=r, gaussian_weights=True, sigma=1.5,
                                               use_sample_covariance=False)
    nrmse_euclidean = normalized_root_mse(ref, cand, normalization="euclidean")
    return {
        "data_range": r,
        "psnr": peak_signal_noise_ratio(ref, cand, data_range=r),
        "psnr_range_255": peak_signal_noise_ratio(ref, cand, data_range=255.0),
        "ssim_uniform7": ssim_uniform7,
        "ssim_uniform5": structural_similarity(ref, cand, data_range=r, win_size=5),
        "ssim_gaussian_wang": ssim_gaussian_wang,
        "dssim_uniform7": (1 - ssim_uniform7) / 2,
        "dssim_gaussian_wang": (1 - ssim_gaussian_wang) / 2,
        "mae": float(np.mean(np.abs(ref - cand))),
        "mse": mean_squared_error(ref, cand),
        "nrmse_euclidean": nrmse_euclidean,
        "nrmse_min_max": normalized_root_mse(ref, cand, normalization="min-max"),
        "nrmse_mean": normalized_root_mse(ref, cand, normalization="mean"),
        "nmse_euclidean": nrmse_euclidean ** 2,
    }


def large_metrics(ref, cand):
    """MS-SSIM, and SSIM and the error metrics on images large enough to be computed in parallel."""
    r = float(ref.max() - ref.min())
    return {
        "data_range": r,
        "mae": float(np.mean(np.abs(ref - cand))),
        "nrmse_min_max": normalized_root_mse(ref, cand, normalization="min-max"),
        "nrmse_mean": normalized_root_mse(ref, cand, normalization="mean"),
        "ms_ssim": ms_ssim(ref, cand, r),
        "ms_ssim_range_255": ms_ssim(ref, cand, 255.0),
        "ssim_uniform7": structural_similarity(ref, cand, data_range=r),
        "ssim_gaussian_wang": structural_similarity(ref, cand, data_range=r, gaussian_weights=True, sigma=1.5,
                                                    use_sample_covariance=False),
    }


if __name__ == "__main__":  # diversity_reference.py imports ms_ssim
    print(json.dumps({
        "generator": "scikit-image " + skimage.__version__ + ", numpy " + np.__version__,
        "image_2d": metrics(*image_2d()),
        "image_3d": metrics(*image_3d()),
        "image_2d_large": large_metrics(*image_2d_large()),
        "image_3d_large": large_metrics(*image_3d_large()),
    }, indent=2))

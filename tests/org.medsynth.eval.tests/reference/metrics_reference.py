#!/usr/bin/python3
"""Reference values for MedSynth's paired metrics, computed with scikit-image (Debian python3-skimage).

The test images are closed-form, so the Java tests rebuild them exactly (see MetricsReferenceTest).
Run with Debian's interpreter:  /usr/bin/python3 metrics_reference.py > metrics_reference.json
"""
import json

import numpy as np
import skimage
from skimage.metrics import peak_signal_noise_ratio, structural_similarity


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


def metrics(ref, cand):
    r = float(ref.max() - ref.min())
    return {
        "data_range": r,
        "psnr": peak_signal_noise_ratio(ref, cand, data_range=r),
        "psnr_range_255": peak_signal_noise_ratio(ref, cand, data_range=255.0),
        "ssim_uniform7": structural_similarity(ref, cand, data_range=r),
        "ssim_uniform5": structural_similarity(ref, cand, data_range=r, win_size=5),
        "ssim_gaussian_wang": structural_similarity(ref, cand, data_range=r, gaussian_weights=True, sigma=1.5,
                                                    use_sample_covariance=False),
    }


print(json.dumps({
    "generator": "scikit-image " + skimage.__version__ + ", numpy " + np.__version__,
    "image_2d": metrics(*image_2d()),
    "image_3d": metrics(*image_3d()),
}, indent=2))

#!/usr/bin/python3
"""Reference values for MedSynth's diversity and privacy metrics (SampleSimilarity).

diversity: the mean similarity over all unordered pairs of a sample, SSIM from scikit-image's structural_similarity
(defaults: 7-pixel uniform window, sample covariance) or MS-SSIM from metrics_reference.ms_ssim; per image: its mean
similarity to the others. nearest training neighbour: per candidate the smallest distance to any training image,
RMSE in pixel space (numpy) or 1 − SSIM (scikit-image). Data range: max − min over the candidate sample (diversity)
or the training sample (nearest neighbour). The images are closed-form, so DiversityReferenceTest rebuilds them.
Run with Debian's interpreter:  /usr/bin/python3 diversity_reference.py > diversity_reference.json
"""
import itertools
import json

import numpy as np
import skimage
from skimage.metrics import structural_similarity

from metrics_reference import ms_ssim


def image(k, height, width):
    """Image k of a family: the same smooth pattern shifted, rescaled and with a fine texture of its own."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    return (100 * np.sin(x / (5.0 + k)) * np.cos(y / (7.0 + 0.5 * k)) + (0.5 + 0.1 * k) * x + 20 * k
            + 10 * np.sin(x * 12.9898 + y * (78.233 + k)))


def sample(count, height, width, offset=0, step=1.0):
    return [image(offset + step * k, height, width) for k in range(count)]


def diversity(images, similarity):
    data_range = float(max(i.max() for i in images) - min(i.min() for i in images))
    matrix = np.eye(len(images))
    for a, b in itertools.combinations(range(len(images)), 2):
        matrix[a, b] = matrix[b, a] = similarity(images[a], images[b], data_range)
    off_diagonal = ~np.eye(len(images), dtype=bool)
    return {"value": float(matrix[off_diagonal].mean()),
            "per_image": [float(matrix[i][off_diagonal[i]].mean()) for i in range(len(images))]}


def ssim(a, b, data_range):
    return float(structural_similarity(a, b, data_range=data_range))


def nearest(candidates, training, distance):
    data_range = float(max(i.max() for i in training) - min(i.min() for i in training))
    minima = [min(distance(c, t, data_range) for t in training) for c in candidates]
    return {"value": float(np.mean(minima)), "per_candidate": [float(m) for m in minima]}


def rmse(a, b, data_range):
    return float(np.sqrt(np.mean((a - b) ** 2)))


def one_minus_ssim(a, b, data_range):
    return 1.0 - ssim(a, b, data_range)


# candidates 0 and 1 are new; candidate 2 is an exact copy of training image 1 (memorised)
training = sample(3, 40, 48)
candidates = sample(2, 40, 48, offset=5) + [image(1, 40, 48)]

print(json.dumps({
    "generator": "scikit-image " + skimage.__version__ + ", numpy " + np.__version__,
    "diversity_ssim_4_of_40x48": diversity(sample(4, 40, 48), ssim),
    "diversity_ms_ssim_3_of_164x168": diversity(sample(3, 164, 168, step=0.25), ms_ssim),
    "nearest_rmse": nearest(candidates, training, rmse),
    "nearest_one_minus_ssim": nearest(candidates, training, one_minus_ssim),
}, indent=2))

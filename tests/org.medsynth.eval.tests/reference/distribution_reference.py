#!/usr/bin/python3
"""Reference values for MedSynth's distribution metrics (DistributionMetrics) and its TorchScript feature extractor.

Independent implementations: FID as pytorch-fid computes it (scipy.linalg.sqrtm of sigma1 @ sigma2), KID as
torch-fidelity (unbiased MMD^2, polynomial kernel, on subsets whose indices are written here so Java uses the same
ones), unbiased Gaussian MMD with numpy, improved precision/recall and density/coverage as the prdc package (radii from
scikit-learn NearestNeighbors, distances from scipy cdist), Inception Score as the original implementation.
The feature matrices are closed-form in (i, j), so DistributionReferenceTest rebuilds them exactly.

The TorchScript part writes tiny_feature_net.pt (a traced 3-channel conv net, a few KB) and its outputs for fixed 2D
grey and 3-channel images after pytorch-fid's preprocessing (grey to 3 channels, bilinear resize to 299x299 with
align_corners=False, [0, 1] to [-1, 1]; the image is min-max scaled to [0, 1] first, as MedSynth does for medical
intensities), and for the 3-channel image as it is.

Run with Debian's interpreter, in this folder:  /usr/bin/python3 distribution_reference.py > distribution_reference.json
"""
import json

import numpy as np
import scipy
import scipy.linalg
import sklearn
import torch
import torch.nn.functional as F
from scipy.spatial.distance import cdist, pdist
from sklearn.neighbors import NearestNeighbors


def reference_features(n=60, d=8):
    i, j = np.mgrid[0:n, 0:d].astype(np.float64)
    return np.sin(0.7 * i + 1.3 * j) + 0.1 * j * np.cos(0.37 * i * j + 0.5)


def candidate_features(n=50, d=8):
    i, j = np.mgrid[0:n, 0:d].astype(np.float64)
    return 1.1 * np.sin(0.53 * i + 1.7 * j + 0.4) + 0.2 * np.cos(1.9 * i - 0.6 * j) + 0.25


def logits(n=50, classes=6):
    i, c = np.mgrid[0:n, 0:classes].astype(np.float64)
    return 2 * np.sin(0.3 * i * (c + 1) + c)


def fid(x, y):
    # pytorch-fid's calculate_frechet_distance
    mu1, mu2 = x.mean(axis=0), y.mean(axis=0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    covmean, _ = scipy.linalg.sqrtm(s1.dot(s2), disp=False)
    if not np.isfinite(covmean).all():
        raise ValueError("sqrtm failed")
    covmean = covmean.real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def unbiased_mmd2(kxx, kyy, kxy):
    n, m = kxx.shape[0], kyy.shape[0]
    return float((kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
                 - 2 * kxy.sum() / (n * m))


def kid(x, y, x_subsets, y_subsets):
    d = x.shape[1]
    mmds = []
    for xs, ys in zip(x_subsets, y_subsets):
        a, b = x[xs], y[ys]
        mmds.append(unbiased_mmd2((a @ a.T / d + 1) ** 3, (b @ b.T / d + 1) ** 3, (a @ b.T / d + 1) ** 3))
    return float(np.mean(mmds)), float(np.std(mmds))


def gaussian_mmd(x, y, sigma):
    k = lambda a, b: np.exp(-cdist(a, b, "sqeuclidean") / (2 * sigma ** 2))
    return unbiased_mmd2(k(x, x), k(y, y), k(x, y))


def kth_neighbour_distances(x, k):
    distances, _ = NearestNeighbors(n_neighbors=k + 1).fit(x).kneighbors(x)
    return distances[:, -1]  # column 0 is the point itself


def prdc(real, fake, k):
    """Naeem et al.'s prdc.compute_prdc, with exact distances."""
    real_radii = kth_neighbour_distances(real, k)
    fake_radii = kth_neighbour_distances(fake, k)
    distance = cdist(real, fake)
    # the counts must not hinge on rounding: no distance may (nearly) tie with a radius
    for radii in (real_radii[:, None], fake_radii[None, :]):
        assert np.abs(distance - radii).min() > 1e-9, "a distance ties with a k-NN radius"
    return {
        "precision": float((distance < real_radii[:, None]).any(axis=0).mean()),
        "recall": float((distance < fake_radii[None, :]).any(axis=1).mean()),
        "density": float((1.0 / k) * (distance < real_radii[:, None]).sum(axis=0).mean()),
        "coverage": float((distance.min(axis=1) < real_radii).mean()),
    }


def inception_score(p, splits):
    n = p.shape[0]
    scores = []
    for s in range(splits):
        part = p[s * n // splits:(s + 1) * n // splits]
        py = part.mean(axis=0, keepdims=True)
        scores.append(np.exp(np.mean(np.sum(part * (np.log(part) - np.log(py)), axis=1))))
    return float(np.mean(scores)), float(np.std(scores))


def feature_image():
    y, x = np.mgrid[0:32, 0:40].astype(np.float64)
    return 100 * np.sin(x / 5.0) * np.cos(y / 7.0) + 0.5 * x + 20


def colour_image():
    """Channel c of a 3-channel image: the grey image scaled by (1 + 0.5c) and shifted by 10c."""
    return np.stack([feature_image() * (1 + 0.5 * c) + 10 * c for c in range(3)])


def pytorch_fid_input(image):
    """(C, H, W) with C = 1 or 3 → pytorch-fid's (1, 3, 299, 299) input, after a min-max scaling to [0, 1]."""
    unit = (image - image.min()) / (image.max() - image.min())
    batch = torch.from_numpy(unit).float()[None].expand(1, 3, -1, -1)
    batch = F.interpolate(batch, size=(299, 299), mode="bilinear", align_corners=False)
    return 2 * batch - 1


class TinyFeatureNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, kernel_size=5, stride=4)
        self.fc = torch.nn.Linear(4, 6)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))


def torchscript_features():
    torch.manual_seed(0)
    net = TinyFeatureNet().eval()
    traced = torch.jit.trace(net, torch.zeros(1, 3, 299, 299))
    traced.save("tiny_feature_net.pt")
    with torch.no_grad():
        features = lambda batch: [float(v) for v in traced(batch)[0]]
        return {
            "model": "tiny_feature_net.pt",
            "pytorch_fid_features": features(pytorch_fid_input(feature_image()[None])),
            "pytorch_fid_features_colour": features(pytorch_fid_input(colour_image())),
            "raw_features_colour": features(torch.from_numpy(colour_image()).float()[None]),
        }


x, y = reference_features(), candidate_features()
rng = np.random.RandomState(0)
x_subsets = [sorted(rng.choice(x.shape[0], 20, replace=False).tolist()) for _ in range(5)]
y_subsets = [sorted(rng.choice(y.shape[0], 20, replace=False).tolist()) for _ in range(5)]
kid_mean, kid_sd = kid(x, y, x_subsets, y_subsets)
median = float(np.median(pdist(np.vstack([x, y]))))
probabilities = np.exp(logits()) / np.exp(logits()).sum(axis=1, keepdims=True)
is_mean, is_sd = inception_score(probabilities, 5)

print(json.dumps({
    "generator": "numpy " + np.__version__ + ", scipy " + scipy.__version__ + ", scikit-learn " + sklearn.__version__
                 + ", torch " + torch.__version__,
    "fid": fid(x, y),
    "fid_reference_vs_first_half_of_itself": fid(x, x[:30]),
    "kid": {"x_subsets": x_subsets, "y_subsets": y_subsets, "mean": kid_mean, "sd": kid_sd},
    "mmd": {"median_bandwidth": median, "median": gaussian_mmd(x, y, median), "bandwidth_1_5": gaussian_mmd(x, y, 1.5)},
    "prdc_first_4_columns_k3": prdc(x[:, :4], y[:, :4], 3),
    "prdc_first_4_columns_k5": prdc(x[:, :4], y[:, :4], 5),
    "inception_score_splits5": {"mean": is_mean, "sd": is_sd},
    "torchscript": torchscript_features(),
}, indent=2))

#!/usr/bin/python3
"""Reference FIDs on larger feature sets, as pytorch-fid computes them (numpy means and covariances,
scipy.linalg.sqrtm of sigma1 @ sigma2), for the three ways DistributionMetrics.frechetDistance takes the trace of the
square root: fewer images than features (Gram matrix), more images than features (Cholesky factor), and collinear
features (no Cholesky factor: PSD square root).

The features come from a counter hash (murmur3's 64-bit finaliser, bit-exact in numpy's uint64 arithmetic), so
FidReferenceTest rebuilds them exactly: sample s, row i, column j from the counter (s * 1_000_000 + i) * d + j,
value = (hash >> 11) * 2^-53, the candidate's (s = 1) column j scaled by 1 + j / d.
Run with Debian's interpreter:  /usr/bin/python3 fid_large_reference.py > fid_large_reference.json
"""
import json

import numpy as np
import scipy
from scipy import linalg


def hashed(counter):
    z = counter.copy()
    z ^= z >> np.uint64(33)
    z *= np.uint64(0xFF51AFD7ED558CCD)
    z ^= z >> np.uint64(33)
    z *= np.uint64(0xC4CEB9FE1A85EC53)
    z ^= z >> np.uint64(33)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def features(sample, n, d):
    counter = (np.uint64(sample * 1_000_000) + np.arange(n, dtype=np.uint64))[:, None] * np.uint64(d) \
        + np.arange(d, dtype=np.uint64)[None, :]
    u = hashed(counter)
    return u if sample == 0 else u * (1 + np.arange(d) / d)


def fid(x, y):
    mu1, mu2 = x.mean(axis=0), y.mean(axis=0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real))


def collinear(x):
    x = x.copy()
    x[:, 1] = 2 * x[:, 0]
    return x


def main():
    print(json.dumps({
        "scipy": scipy.__version__,
        "gram_300_vs_260_at_512": fid(features(0, 300, 512), features(1, 260, 512)),
        "cholesky_700_vs_650_at_512": fid(features(0, 700, 512), features(1, 650, 512)),
        "collinear_200_vs_180_at_64": fid(collinear(features(0, 200, 64)), features(1, 180, 64)),
    }, indent=1))


if __name__ == "__main__":
    main()

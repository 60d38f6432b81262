#!/usr/bin/python3
"""Reference values for MedSynth's statistics (org.medsynth.eval.stats), computed with scipy and scikit-learn.

The data are closed-form, so StatisticsReferenceTest rebuilds them exactly. Bootstrap intervals are computed by
scipy.stats.bootstrap itself from resample indices stored here (a RandomState whose randint replays them), so the
Java code is checked on the very same resamples (one row per resample, indices separated by spaces). DeLong's variances come from a direct O(m·n) numpy
implementation of DeLong et al. (1988), independent of the midrank algorithm the Java code uses.
Run with Debian's interpreter:  /usr/bin/python3 statistics_reference.py > statistics_reference.json
"""
import json

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.metrics import roc_auc_score


def paired_distinct():
    """20 pairs, no zero or tied differences: Wilcoxon's exact branch."""
    i = np.arange(20, dtype=np.float64)
    x = 30 + 3 * np.sin(1.7 * i) + 0.1 * i
    y = x - 0.8 - 1.2 * np.cos(2.3 * i)
    return x, y


def paired_ties():
    """30 integer pairs with zero and tied differences: the normal approximation with tie correction."""
    i = np.arange(30)
    return ((i * 7) % 11).astype(np.float64), ((i * 3) % 5 + 2).astype(np.float64)


def paired_large():
    """60 pairs: above the exact limit."""
    i = np.arange(60, dtype=np.float64)
    return 10 * np.sin(0.37 * i), 10 * np.cos(0.91 * i) - 1.5


def roc_data():
    i = np.arange(40, dtype=np.float64)
    positive = (np.arange(40) % 3 != 0)
    first = positive * 1.0 + np.sin(2.1 * i)
    second = np.floor(4 * (0.6 * positive + np.cos(1.3 * i))) / 4  # tied scores
    return positive, first, second


def tests(x, y):
    t = stats.ttest_rel(x, y)
    return {
        "mean_x": float(np.mean(x)), "sd_x": float(np.std(x, ddof=1)),
        "ttest_statistic": float(t.statistic), "ttest_pvalue": float(t.pvalue),
    }


class Replay(np.random.RandomState):
    """Hands scipy.stats.bootstrap the stored resample indices instead of random ones."""

    def __init__(self, indices):
        super().__init__(0)
        self.indices = indices

    def randint(self, low, high=None, size=None, dtype=int):
        assert low == 0 and tuple(size) == self.indices.shape, (low, high, size)
        return self.indices


def bootstrap(data, indices):
    out = {}
    for method in ("percentile", "BCa"):
        for level in (0.95, 0.9):
            ci = stats.bootstrap((data,), np.mean, n_resamples=indices.shape[0], method=method,
                                 confidence_level=level, random_state=Replay(indices)).confidence_interval
            out[f"{method}_{level}"] = [float(ci.low), float(ci.high)]
    return out


def delong(positive, scores_list):
    """Direct DeLong: psi over every positive/negative pair, structural components, their covariances."""
    v10s, v01s, aucs = [], [], []
    for s in scores_list:
        x, y = s[positive], s[~positive]
        psi = (x[:, None] > y[None, :]) + 0.5 * (x[:, None] == y[None, :])
        v10s.append(psi.mean(axis=1))
        v01s.append(psi.mean(axis=0))
        aucs.append(psi.mean())
    m, n = positive.sum(), (~positive).sum()
    s = np.cov(np.array(v10s)) / m + np.cov(np.array(v01s)) / n
    diff = aucs[0] - aucs[1]
    z = diff / np.sqrt(s[0, 0] + s[1, 1] - 2 * s[0, 1])
    half = stats.norm.ppf(0.975)
    return {
        "auc": [float(a) for a in aucs],
        "auc_sklearn": [float(roc_auc_score(positive, sc)) for sc in scores_list],
        "variance": [float(s[0, 0]), float(s[1, 1])],
        "covariance": float(s[0, 1]),
        "ci95": [[float(max(0, a - half * np.sqrt(v))), float(min(1, a + half * np.sqrt(v)))]
                 for a, v in zip(aucs, (s[0, 0], s[1, 1]))],
        "z": float(z),
        "pvalue": float(2 * stats.norm.sf(abs(z))),
    }


def wilcoxon(x, y, **kw):
    r = stats.wilcoxon(x, y, **kw)
    return [float(r.statistic), float(r.pvalue)]


binomial_cases = [(7, 20, 0.5), (15, 20, 0.5), (10, 20, 0.5), (60, 100, 0.5), (3, 40, 0.3), (30, 40, 0.3),
                  (0, 10, 0.5), (51, 80, 0.5), (412, 800, 0.5)]
indices = np.random.default_rng(2024).integers(0, 20, (999, 20))
positive, first, second = roc_data()
out = {
    "generator": f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "distinct": dict(tests(*paired_distinct()), wilcoxon=wilcoxon(*paired_distinct())),
    "ties": dict(tests(*paired_ties()), wilcoxon=wilcoxon(*paired_ties()),
                 wilcoxon_continuity=wilcoxon(*paired_ties(), correction=True)),
    "large": dict(tests(*paired_large()), wilcoxon=wilcoxon(*paired_large()),
                  wilcoxon_continuity=wilcoxon(*paired_large(), correction=True)),
    "binomial": [{"k": k, "n": n, "p": p, "pvalue": float(stats.binomtest(k, n, p).pvalue)}
                 for k, n, p in binomial_cases],
    "bootstrap": {"indices": [" ".join(map(str, row)) for row in indices], "mean": bootstrap(paired_distinct()[0], indices)},
    "delong": delong(positive, [first, second]),
}
print(json.dumps(out, indent=1))

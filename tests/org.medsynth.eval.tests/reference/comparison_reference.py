#!/usr/bin/python3
"""Reference values for comparing models in MedSynth's evaluation report (org.medsynth.eval.report.ModelComparison):
paired t-test and Wilcoxon signed-rank test between every two of three models, computed with scipy.

The per-case values are closed-form, so ModelComparisonTest rebuilds them exactly: for case i of 15,
  a = 30 + 3 sin(1.3 i),  b = a + 0.4 + 0.5 cos(2.1 i),  c = a + 0.02 sin(0.7 i + 0.3)
Run with Debian's interpreter:  /usr/bin/python3 comparison_reference.py > comparison_reference.json
"""
import json

import numpy as np
import scipy
from scipy import stats

i = np.arange(15)
a = 30 + 3 * np.sin(1.3 * i)
models = {"a": a, "b": a + 0.4 + 0.5 * np.cos(2.1 * i), "c": a + 0.02 * np.sin(0.7 * i + 0.3)}
names = list(models)
pairs = []
for k, first in enumerate(names):
    for second in names[k + 1:]:
        x, y = models[first], models[second]
        t = stats.ttest_rel(x, y)
        w = stats.wilcoxon(x, y)
        pairs.append({"first": first, "second": second, "meanDifference": float(np.mean(x - y)),
                      "t": float(t.statistic), "tPValue": float(t.pvalue),
                      "wilcoxon": float(w.statistic), "wilcoxonPValue": float(w.pvalue)})
print(json.dumps({"scipy": scipy.__version__, "comparisons": pairs}, indent=1))

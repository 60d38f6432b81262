#!/usr/bin/python3
"""Times the FID of pytorch-fid's formula (numpy means and covariances, scipy.linalg.sqrtm of Σx·Σy; the same code
as reference/fid_large_reference.py) and the matrix square root alone on the N×D feature sets FidBenchmark.java
uses (those of fid_large_reference.py), and writes a report comparing them with
the Java run (times, ratio, relative difference of the values).

usage: /usr/bin/python3 fid_benchmark.py N D OUT_DIR JAVA_JSON
"""
import json
import os
import sys
import time

import numpy as np
import scipy
from scipy import linalg


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from fid_large_reference import features, fid  # noqa: E402  (the reference values' features and FID formula)


def main():
    n, d, out_dir, java_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(java_file) as f:
        java = json.load(f)
    x, y = features(0, n, d), features(1, n, d)
    start = time.perf_counter()
    value = fid(x, y)
    seconds = time.perf_counter() - start
    product = np.cov(x, rowvar=False).dot(np.cov(y, rowvar=False))
    start = time.perf_counter()
    linalg.sqrtm(product, disp=False)
    sqrtm_seconds = time.perf_counter() - start
    report = {"n": n, "d": d, "processors": os.cpu_count(), "load_average_1_min_at_end": os.getloadavg()[0],
              "scipy": scipy.__version__, "numpy": np.__version__, "scipy_fid": value,
              "scipy_seconds": seconds, "scipy_sqrtm_seconds": sqrtm_seconds, "java": java,
              "speedup": seconds / java["seconds"],
              "relative_difference": abs(java["fid"] - value) / abs(value)}
    with open(os.path.join(out_dir, "fid-report.json"), "w") as f:
        json.dump(report, f, indent=2)
    lines = [
        "# FID at %d features: org.medsynth.eval against pytorch-fid's formula (scipy)" % d,
        "",
        f"{n} reference and {n} candidate feature vectors of {d} values; {os.cpu_count()} processors (load average "
        f"{report['load_average_1_min_at_end']:.1f} at the end); scipy {scipy.__version__}, numpy {np.__version__}, "
        f"Java {java['java']} with {java['processors']} processor(s).",
        "",
        "| | seconds | FID |",
        "|---|---|---|",
        f"| pytorch-fid formula (np.cov, scipy.linalg.sqrtm(Σx·Σy)) | {seconds:.2f} | {value:.10g} |",
        f"| scipy.linalg.sqrtm(Σx·Σy) alone | {sqrtm_seconds:.2f} | |",
        f"| MedSynth DistributionMetrics.frechetDistance | {java['seconds']:.2f} | {java['fid']:.10g} |",
        "",
        f"Speed-up = scipy time / Java time: {report['speedup']:.2f}×; relative difference of the FIDs "
        f"{report['relative_difference']:.1e}.",
    ]
    with open(os.path.join(out_dir, "fid-report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

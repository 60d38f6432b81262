#!/usr/bin/python3
"""Times scikit-image's structural_similarity (its defaults, and Wang et al.'s Gaussian window) and
peak_signal_noise_ratio on the 512² pairs that
PairedMetricsBenchmark.java uses, and writes a report comparing them with the Java runs (times, ratios, and the
largest difference of the values).

usage: /usr/bin/python3 benchmark.py PAIRS OUT_DIR JAVA_JSON [JAVA_JSON ...]
"""
import json
import os
import platform
import sys
import time

import numpy as np
import scipy
import skimage
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

SIDE = 512


def pair(i):
    """Same formula as PairedMetricsBenchmark.pair(i)."""
    y, x = np.mgrid[0:SIDE, 0:SIDE].astype(np.float64)
    ref = 100 * np.sin(x / (5.0 + i % 7)) * np.cos(y / (7.0 + i % 5)) + 0.5 * x + 20
    cand = ref + 10 * np.sin(x * 12.9898 + y * 78.233 + 0.1 * i)
    return ref, cand


METRICS = ("ssim", "gaussian_ssim", "psnr")
LABELS = {"ssim": "SSIM", "gaussian_ssim": "Gaussian SSIM", "psnr": "PSNR"}


def time_scikit_image(pairs):
    values = {m: [] for m in METRICS}
    seconds = dict.fromkeys(METRICS, 0.0)
    for i in range(pairs):
        ref, cand = pair(i)
        r = float(ref.max() - ref.min())
        calls = {
            "ssim": lambda: structural_similarity(ref, cand, data_range=r),
            "gaussian_ssim": lambda: structural_similarity(ref, cand, data_range=r, gaussian_weights=True, sigma=1.5,
                                                           use_sample_covariance=False),
            "psnr": lambda: peak_signal_noise_ratio(ref, cand, data_range=r),
        }
        for m in METRICS:
            start = time.perf_counter()
            values[m].append(calls[m]())
            seconds[m] += time.perf_counter() - start
    return {m: {"seconds": seconds[m], "values": values[m]} for m in METRICS}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor()


def main():
    pairs, out_dir, java_files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    python = time_scikit_image(pairs)
    rows = []
    for path in java_files:
        with open(path) as f:
            java = json.load(f)
        row = {"java": os.path.basename(path), "java_processors": java["processors"], "java_version": java["java"]}
        for m in METRICS:
            row[m] = {
                "java_seconds": java[m + "_seconds"],
                "speedup": python[m]["seconds"] / java[m + "_seconds"],
                "max_abs_difference": float(np.max(np.abs(np.array(java[m]) - python[m]["values"]))),
            }
        rows.append(row)
    report = {
        "pairs": pairs,
        "side": SIDE,
        "machine": {"cpu": cpu_model(), "processors": os.cpu_count(),
                    "load_average_1_min_at_end": os.getloadavg()[0]},
        "python": {"scikit-image": skimage.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
                   **{m + "_seconds": python[m]["seconds"] for m in METRICS}},
        "runs": rows,
    }
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    lines = [
        "# SSIM and PSNR: org.medsynth.eval against scikit-image",
        "",
        f"{pairs} pairs of {SIDE}×{SIDE} float64 images; SSIM with scikit-image's defaults (7×7 uniform window, "
        "sample covariance), Gaussian SSIM as Wang et al. (σ 1.5, population covariance); data range max−min of the "
        f"reference. {report['machine']['cpu']}, {report['machine']['processors']} processors (load average "
        f"{report['machine']['load_average_1_min_at_end']:.1f} at the end: other work on the machine slows both "
        f"sides); scikit-image {skimage.__version__}, scipy {scipy.__version__}, numpy {np.__version__}.",
        "",
        "| metric | scikit-image s | " + " | ".join(
            f"Java {r['java_processors']} thr. s | speed-up | max \\|Δ\\|" for r in rows) + " |",
        "|---|---|" + "---|---|---|" * len(rows),
    ]
    for m in METRICS:
        lines.append(f"| {LABELS[m]} | {python[m]['seconds']:.3f} | " + " | ".join(
            f"{r[m]['java_seconds']:.3f} | {r[m]['speedup']:.1f}× | {r[m]['max_abs_difference']:.1e}" for r in rows)
            + " |")
    lines.append("")
    lines.append("Speed-up = scikit-image time / Java time, both measured in this run; times exclude building the "
                 "images and the data range. Java runs: " + ", ".join(
                     f"{r['java']} ({r['java_processors']} processor(s))" for r in rows) + ".")
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

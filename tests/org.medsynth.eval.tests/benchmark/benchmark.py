#!/usr/bin/python3
"""Times scikit-image's structural_similarity and peak_signal_noise_ratio on the 512² pairs that
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


def time_scikit_image(pairs):
    ssim, psnr = [], []
    ssim_seconds = psnr_seconds = 0.0
    for i in range(pairs):
        ref, cand = pair(i)
        r = float(ref.max() - ref.min())
        start = time.perf_counter()
        ssim.append(structural_similarity(ref, cand, data_range=r))
        middle = time.perf_counter()
        psnr.append(peak_signal_noise_ratio(ref, cand, data_range=r))
        psnr_seconds += time.perf_counter() - middle
        ssim_seconds += middle - start
    return {"pairs": pairs, "ssim_seconds": ssim_seconds, "psnr_seconds": psnr_seconds, "ssim": ssim, "psnr": psnr}


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
        rows.append({
            "java": os.path.basename(path),
            "java_processors": java["processors"],
            "java_ssim_seconds": java["ssim_seconds"],
            "java_psnr_seconds": java["psnr_seconds"],
            "ssim_speedup": python["ssim_seconds"] / java["ssim_seconds"],
            "psnr_speedup": python["psnr_seconds"] / java["psnr_seconds"],
            "ssim_max_abs_difference": float(np.max(np.abs(np.array(java["ssim"]) - python["ssim"]))),
            "psnr_max_abs_difference": float(np.max(np.abs(np.array(java["psnr"]) - python["psnr"]))),
            "java_version": java["java"],
        })
    report = {
        "pairs": pairs,
        "side": SIDE,
        "machine": {"cpu": cpu_model(), "processors": os.cpu_count(),
                    "load_average_1_min_at_end": os.getloadavg()[0]},
        "python": {"scikit-image": skimage.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
                   "ssim_seconds": python["ssim_seconds"], "psnr_seconds": python["psnr_seconds"]},
        "runs": rows,
    }
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    lines = [
        "# SSIM and PSNR: org.medsynth.eval against scikit-image",
        "",
        f"{pairs} pairs of {SIDE}×{SIDE} float64 images, SSIM with scikit-image's defaults (7×7 uniform window, "
        f"sample covariance), data range max−min of the reference. {report['machine']['cpu']}, "
        f"{report['machine']['processors']} processors (load average {os.getloadavg()[0]:.1f} at the end: other work on "
        f"the machine slows both sides); scikit-image {skimage.__version__}, scipy {scipy.__version__}, "
        f"numpy {np.__version__}; scikit-image takes {python['ssim_seconds']:.3f} s for SSIM and "
        f"{python['psnr_seconds']:.3f} s for PSNR.",
        "",
        "| Java run | threads | SSIM s | SSIM speed-up | max \\|ΔSSIM\\| | PSNR s | PSNR speed-up | max \\|ΔPSNR\\| dB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['java']} | {r['java_processors']} | {r['java_ssim_seconds']:.3f} | "
                     f"{r['ssim_speedup']:.1f}× | {r['ssim_max_abs_difference']:.1e} | {r['java_psnr_seconds']:.3f} | "
                     f"{r['psnr_speedup']:.1f}× | {r['psnr_max_abs_difference']:.1e} |")
    lines.append("")
    lines.append("Speed-up = scikit-image time / Java time, both measured in this run; times exclude building the "
                 "images and the data range.")
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Benchmark half of the peer: loads the series in FOLDER with pydicom + numpy the usual way (read every file,
sort by position along the slice normal, stack, apply the rescale to HU) N times and prints the first and best
seconds and the resident-memory growth of the first load (VmHWM after it minus VmRSS before it)."""
import glob
import os
import sys
import time

import numpy as np
import pydicom


def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def load(folder):
    datasets = [pydicom.dcmread(p) for p in glob.glob(os.path.join(folder, "*.dcm"))]
    iop = np.array(datasets[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    datasets.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float))))
    volume = np.stack([d.pixel_array for d in datasets])
    slope, intercept = float(datasets[0].RescaleSlope), float(datasets[0].RescaleIntercept)
    if slope == 1 and intercept == int(intercept):
        volume += np.int16(intercept)  # integer HU stay int16, as MedSynth keeps them
    else:
        volume = volume * slope + intercept
    return volume


before = status("VmRSS")
start = time.perf_counter()
volume = load(sys.argv[1])
first = time.perf_counter() - start
peak = status("VmHWM")
voxels = volume.size
del volume
best = first
for _ in range(1, int(sys.argv[2])):
    start = time.perf_counter()
    load(sys.argv[1])
    best = min(best, time.perf_counter() - start)
print("first_seconds=%.3f" % first)
print("best_seconds=%.3f" % best)
print("peak_growth_bytes=%d" % ((peak - before) * 1024))
print("voxels=%d" % voxels)

#!/usr/bin/python3
"""Benchmark half of the peer: reads FILE with nibabel into a numpy array with the scaling applied
(np.asanyarray(img.dataobj), which keeps int16 when there is no scaling, as MedSynth does; an uncompressed file comes
back memory-mapped, so it is copied into memory, as MedSynth reads it) N times and prints the first and best seconds
and the resident-memory growth of the first read (VmHWM after it minus VmRSS before it)."""
import sys
import time

import nibabel as nib
import numpy as np


def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def load(path):
    volume = np.asanyarray(nib.load(path).dataobj)
    return np.array(volume) if isinstance(volume, np.memmap) else volume


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

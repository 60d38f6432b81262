#!/usr/bin/python3
"""Benchmark half of the peer: loads the series in FOLDER with pydicom + numpy the usual way (read every file,
sort by position along the slice normal, stack, apply the rescale to HU) N times and prints the first and best
seconds and the resident-memory growth of the first load (VmHWM after it minus VmRSS before it)."""
import glob
import os
import sys

import numpy as np
import pydicom

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "benchmark"))
from load_timing import measure  # noqa: E402


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


measure(load, sys.argv[1], int(sys.argv[2]))

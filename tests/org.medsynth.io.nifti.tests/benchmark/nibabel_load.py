#!/usr/bin/python3
"""Benchmark half of the peer: reads FILE with nibabel into a numpy array with the scaling applied
(np.asanyarray(img.dataobj), which keeps int16 when there is no scaling, as MedSynth does; an uncompressed file comes
back memory-mapped, so it is copied into memory, as MedSynth reads it) N times and prints the first and best seconds
and the resident-memory growth of the first read (VmHWM after it minus VmRSS before it)."""
import os
import sys

import nibabel as nib
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "benchmark"))
from load_timing import measure  # noqa: E402


def load(path):
    volume = np.asanyarray(nib.load(path).dataobj)
    return np.array(volume) if isinstance(volume, np.memmap) else volume


measure(load, sys.argv[1], int(sys.argv[2]))

"""NumPy DRRs of the real head CT of Debian's invesalius-examples (Cranium.inv3: matrix.dat, int16 HU, shape
108 x 256 x 256 = z, y, x, spacing 0.957 x 0.957 x 1.5 mm), independent of the Java code: HU are converted to linear
attenuation by the documented water/cortical-bone model (NIST mass attenuation coefficients interpolated log-log at
the effective energy 0.45 x kVp), then projected by drr_reference.drr (trilinear ray marching). Writes
head_ct_drr_reference.json.
  usage: head_ct_drr_reference.py [path to Cranium.inv3]
"""
import json
import os
import sys
import tarfile

import numpy as np

from drr_reference import HERE, drr

ARCHIVE = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3"
ENERGY = [20, 30, 40, 50, 60, 80, 100, 150]
WATER = [0.8096, 0.3756, 0.2683, 0.2269, 0.2059, 0.1837, 0.1707, 0.1505]
BONE = [4.001, 1.331, 0.6655, 0.4242, 0.3148, 0.2229, 0.1855, 0.1480]
KVP = 80.0


def attenuation_per_mm(hu, kev):
    water = np.exp(np.interp(np.log(kev), np.log(ENERGY), np.log(WATER))) / 10
    bone = np.exp(np.interp(np.log(kev), np.log(ENERGY), np.log(BONE))) * 1.92 / 10
    frac = np.clip(hu / 1900.0, 0, 1)
    return np.where(hu <= 0, np.maximum(0, 1 + hu / 1000.0) * water, (1 - frac) * water + frac * bone)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else ARCHIVE
    with tarfile.open(path) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("matrix.dat"))
        hu = np.frombuffer(tar.extractfile(member).read(), dtype="<i2").reshape(108, 256, 256).astype(np.float64)
    spacing = (0.9570312, 0.9570312, 1.5)
    mu = attenuation_per_mm(hu, 0.45 * KVP).astype(np.float32)
    cases = []
    for angle in (0.0, 90.0):
        img = drr(mu, spacing, True, angle, 48, 40, 6.0, 6.0, 600.0, 1000.0, 1.0)
        cases.append({"angle": angle, "image": img.ravel().tolist()})
    with open(os.path.join(HERE, "head_ct_drr_reference.json"), "w") as f:
        json.dump({"kvp": KVP, "spacing": spacing, "columns": 48, "rows": 40, "du": 6.0, "dv": 6.0, "sod": 600.0,
                   "sdd": 1000.0, "step": 1.0, "cases": cases}, f)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Reference values for the real head CT of Debian's invesalius-examples (Cranium.inv3: a gzipped tar holding the
volume as raw int16 HU, matrix.dat, shape and spacing in main.plist), computed with numpy.

Run with Debian's interpreter:  /usr/bin/python3 cranium_reference.py > cranium_reference.json
"""
import json
import plistlib
import tarfile

import numpy as np

ARCHIVE = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3"

with tarfile.open(ARCHIVE, "r:gz") as tar:
    members = {m.name.split("/")[-1]: m for m in tar.getmembers()}
    main = plistlib.loads(tar.extractfile(members["main.plist"]).read())
    raw = tar.extractfile(members["matrix.dat"]).read()
shape = main["matrix"]["shape"]  # z, y, x
volume = np.frombuffer(raw, dtype="<i2").reshape(shape).astype(np.float64)
print(json.dumps({
    "source": "Debian invesalius-examples Cranium.inv3, numpy " + np.__version__,
    "shape_zyx": shape, "spacing_xyz": main["spacing"],
    "min": float(volume.min()), "max": float(volume.max()), "sum": float(volume.sum()),
    "slice_sums": [float(s) for s in volume.sum(axis=(1, 2))],
    "probe_zyx": [54, 128, 128], "probe_value": float(volume[54, 128, 128]),
}, indent=1))

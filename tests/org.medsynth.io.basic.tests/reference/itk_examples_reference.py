#!/usr/bin/python3
"""Reference values for MetaImage reading: real files from Debian's insighttoolkit5-examples, decoded with numpy
and zlib directly from the header's declarations (element type, byte order, compression, data file).

Run with Debian's interpreter:  /usr/bin/python3 itk_examples_reference.py > itk_examples_reference.json
"""
import json
import os
import zlib

import numpy as np

DATA = "/usr/share/doc/insighttoolkit5-examples/examples/Data"
FILES = ["BrainProtonDensitySliceBorder20DirectionPlus30.mhd", "BrainProtonDensity3Slices.mha",
         "RatLungSlice1.mha", "ResampleImageFilterInput2x3.mha"]
TYPES = {"MET_UCHAR": "u1", "MET_CHAR": "i1", "MET_SHORT": "i2", "MET_USHORT": "u2", "MET_INT": "i4",
         "MET_UINT": "u4", "MET_FLOAT": "f4", "MET_DOUBLE": "f8"}


def read(name):
    path = os.path.join(DATA, name)
    raw = open(path, "rb").read()
    header, pos = {}, 0
    while True:
        end = raw.index(b"\n", pos)
        key, _, value = raw[pos:end].decode("latin-1").partition("=")
        pos = end + 1
        header[key.strip()] = value.strip()
        if key.strip() == "ElementDataFile":
            break
    data = raw[pos:] if header["ElementDataFile"] == "LOCAL" else open(
        os.path.join(DATA, header["ElementDataFile"]), "rb").read()
    if header.get("CompressedData", "False") == "True":
        data = zlib.decompress(data)
    msb = header.get("BinaryDataByteOrderMSB", header.get("ElementByteOrderMSB", "False")) == "True"
    dims = [int(v) for v in header["DimSize"].split()]
    dtype = np.dtype(TYPES[header["ElementType"]]).newbyteorder(">" if msb else "<")
    voxels = np.frombuffer(data, dtype=dtype, count=int(np.prod(dims))).astype(np.float64)
    n = len(dims)
    spacing = [float(v) for v in header.get("ElementSpacing", " ".join(["1"] * n)).split()]
    matrix = [float(v) for v in header.get("TransformMatrix", " ".join(
        "1" if i % (n + 1) == 0 else "0" for i in range(n * n))).split()]
    offset = [float(v) for v in header.get("Offset", " ".join(["0"] * n)).split()]
    flat = voxels.reshape(dims[::-1])  # numpy order: slowest axis first
    probe = [d // 3 for d in dims]
    return {
        "dims": dims, "spacing": spacing, "transform_matrix": matrix, "offset": offset,
        "sum": float(voxels.sum()), "min": float(voxels.min()), "max": float(voxels.max()),
        "probe_index": probe, "probe_value": float(flat[tuple(probe[::-1])]),
    }


print(json.dumps({"source": "Debian insighttoolkit5-examples, numpy " + np.__version__,
                  "files": {f: read(f) for f in FILES}}, indent=2))

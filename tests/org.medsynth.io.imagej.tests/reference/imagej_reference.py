#!/usr/bin/python3
"""Reference TIFF and JPEG files for the ImageJ format tests, written and decoded by independent libraries:
tifffile (plain and ImageJ-style TIFFs with calibration), Pillow with libtiff (LZW-compressed TIFF) and Pillow with
libjpeg (JPEG). For each file the JSON records ("files") shape (x, y[, z][, channels]), the values in x-fastest
order as the independent library decodes them, their sum, and the spacing the file declares.

With a folder argument, the files MedSynth wrote there (the images of WrittenFilesTest) are read back ("written"):
sha256, the values tifffile or Pillow decode, and for TIFFs the ImageJ calibration (spacing from the resolution tags
and the ImageJ description, unit, value unit, value function c0 + c1 * stored, channels) and the Info text; for JPEGs the
comment.

Run with Debian's interpreter (python3-tifffile, python3-pil), in this folder:
  /usr/bin/python3 imagej_reference.py [folder-of-medsynth-written-files] > imagej_reference.json
"""
import hashlib
import json
import os
import sys

import numpy as np
import tifffile
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261205)
entries = {}


def record(name, shape_xyzc, values, spacing=None):
    """Shape in MedSynth's order; values flattened x fastest (numpy's C order of the z, y, x array)."""
    v = np.asarray(values)
    entries[name] = {
        "shape": list(shape_xyzc),
        "values": [float(x) for x in v.ravel(order="C")],
        "sum": float(v.astype(np.float64).sum()),
        "spacing": spacing,
    }


def path(name):
    return os.path.join(HERE, name)


# 8-bit, 16-bit unsigned and signed, 32-bit float single pages: plain TIFF, no calibration (1 pixel = 1 mm)
u8 = rng.integers(0, 256, size=(12, 16), dtype=np.uint8)
tifffile.imwrite(path("tifffile_uint8.tif"), u8)
record("tifffile_uint8.tif", (16, 12), tifffile.imread(path("tifffile_uint8.tif")), [1.0, 1.0])

u16 = rng.integers(0, 65536, size=(12, 16), dtype=np.uint16)
tifffile.imwrite(path("tifffile_uint16.tif"), u16)
record("tifffile_uint16.tif", (16, 12), tifffile.imread(path("tifffile_uint16.tif")), [1.0, 1.0])

i16 = rng.integers(-32768, 32768, size=(12, 16), dtype=np.int16)
tifffile.imwrite(path("tifffile_int16.tif"), i16)
record("tifffile_int16.tif", (16, 12), tifffile.imread(path("tifffile_int16.tif")), [1.0, 1.0])

f32 = (rng.standard_normal((12, 16)) * 1000).astype(np.float32)
tifffile.imwrite(path("tifffile_float32.tif"), f32)
record("tifffile_float32.tif", (16, 12), tifffile.imread(path("tifffile_float32.tif")), [1.0, 1.0])

# multi-page uint16, each page its own directory (not ImageJ's contiguous layout): a volume of 5 slices
pages = rng.integers(0, 4096, size=(5, 12, 16), dtype=np.uint16)
with tifffile.TiffWriter(path("tifffile_pages_uint16.tif")) as tif:
    for page in pages:
        tif.write(page, contiguous=False)
with tifffile.TiffFile(path("tifffile_pages_uint16.tif")) as tif:  # every page, not only the first series
    record("tifffile_pages_uint16.tif", (16, 12, 5), np.stack([p.asarray() for p in tif.pages]), [1.0, 1.0, 1.0])

# ImageJ hyperstack written by tifffile: 4 slices, calibrated 0.5 x 0.25 mm in plane, 2.5 mm between slices
vol = (rng.standard_normal((4, 12, 16)) * 100).astype(np.float32)
tifffile.imwrite(path("tifffile_imagej_volume.tif"), vol, imagej=True, resolution=(1 / 0.5, 1 / 0.25),
                 metadata={"spacing": 2.5, "unit": "mm", "axes": "ZYX"})
record("tifffile_imagej_volume.tif", (16, 12, 4), tifffile.imread(path("tifffile_imagej_volume.tif")),
       [0.5, 0.25, 2.5])

# LZW-compressed 8-bit through Pillow's libtiff, several strips
lzw = (np.arange(40 * 30).reshape(30, 40) % 251).astype(np.uint8)
Image.fromarray(lzw).save(path("pillow_lzw_uint8.tif"), compression="tiff_lzw", tiffinfo={278: 4})
record("pillow_lzw_uint8.tif", (40, 30), np.array(Image.open(path("pillow_lzw_uint8.tif"))), [1.0, 1.0])

# grey JPEG (libjpeg through Pillow), decoded by Pillow
smooth = np.clip(128 + 60 * np.sin(np.arange(32)[None, :] / 5.0) * np.cos(np.arange(24)[:, None] / 4.0)
                 + rng.normal(0, 4, (24, 32)), 0, 255).astype(np.uint8)
Image.fromarray(smooth, mode="L").save(path("pillow_grey.jpg"), quality=90)
record("pillow_grey.jpg", (32, 24), np.array(Image.open(path("pillow_grey.jpg"))), [1.0, 1.0])

# pages of different sizes, which are not one volume (MedSynth refuses the file; no values recorded)
with tifffile.TiffWriter(path("tifffile_mixed_pages.tif")) as tif:
    tif.write(np.zeros((12, 16), dtype=np.uint8), contiguous=False)
    tif.write(np.zeros((6, 8), dtype=np.uint8), contiguous=False)

written = {}
if len(sys.argv) > 1:
    folder = sys.argv[1]
    for name in sorted(os.listdir(folder)):
        file = os.path.join(folder, name)
        with open(file, "rb") as f:
            entry = {"sha256": hashlib.sha256(f.read()).hexdigest()}
        if name.endswith(".tif"):
            with tifffile.TiffFile(file) as tif:
                meta = tif.imagej_metadata
                page = tif.pages[0]
                xres = page.tags["XResolution"].value
                yres = page.tags["YResolution"].value
                spacing = [xres[1] / xres[0], yres[1] / yres[0]]
                if meta.get("slices", 1) > 1:
                    spacing.append(meta["spacing"])
                entry.update({"values": [float(v) for v in tif.asarray().ravel(order="C")],
                              "spacing": spacing, "unit": meta["unit"], "vunit": meta.get("vunit", ""), "c0": meta.get("c0", 0.0),
                              "c1": meta.get("c1", 1.0), "channels": meta.get("channels", 1),
                              "comment": meta.get("Info", "")})
        else:
            with Image.open(file) as im:
                entry.update({"values": [float(v) for v in np.array(im).ravel(order="C")],
                              "comment": im.info.get("comment", b"").decode("utf-8")})
        written[name] = entry

json.dump({"generator": "tifffile " + tifffile.__version__ + ", Pillow " + Image.__version__,
           "files": entries, "written": written}, sys.stdout, indent=1)
sys.stdout.write("\n")

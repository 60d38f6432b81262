"""Reference per-vertebra tilts of a spine phantom label map, by scikit-image.

spine_labels.npy.gz is the label map (uint8, rows x columns, row 0 at the top) that MedSynth's SpinePhantom draws
for seed 7, a double curve of 35 degrees (apex T7) over 25 degrees (apex L2), 256 pixels wide; the Java test checks
that the code still draws exactly this map. For each vertebra label 1..17 (T1..L5) this script takes
skimage.measure.regionprops' orientation (the angle from the row axis to the major axis of the region's inertia
ellipse) and turns it into the tilt MedSynth reports: degrees, counter-clockwise as the image is displayed, 0 for a
level vertebra. It checks that conversion first on drawn rectangles of known tilt. Writes spine_tilts.csv.

Run with the Debian interpreter (numpy, scikit-image 0.19): /usr/bin/python3 spine_tilts.py
"""
import gzip
import math
import os

import numpy as np
from skimage.draw import polygon
from skimage.measure import regionprops

HERE = os.path.dirname(os.path.abspath(__file__))


def tilt_degrees(orientation):
    """MedSynth's tilt from regionprops' orientation: the major axis of a level vertebra lies along the columns."""
    return math.degrees(orientation) - 90.0 if orientation > 0 else math.degrees(orientation) + 90.0


def rectangle(tilt, width=40.0, height=16.0, size=101):
    """A rectangle centred in a size x size image whose long side is tilted counter-clockwise as displayed."""
    t = math.radians(tilt)
    eu = np.array([math.cos(t), -math.sin(t)])  # (x, y-down) of the endplate direction
    ev = np.array([math.sin(t), math.cos(t)])
    c = np.array([size / 2.0, size / 2.0])
    corners = [c + su * width / 2 * eu + sv * height / 2 * ev for su, sv in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    image = np.zeros((size, size), np.uint8)
    rr, cc = polygon([p[1] for p in corners], [p[0] for p in corners], image.shape)
    image[rr, cc] = 1
    return image


for known in (-35.0, -10.0, 0.0, 12.0, 40.0):
    measured = tilt_degrees(regionprops(rectangle(known))[0].orientation)
    assert abs(measured - known) < 0.5, (known, measured)

with gzip.open(os.path.join(HERE, "spine_labels.npy.gz"), "rb") as f:
    labels = np.load(f)
with open(os.path.join(HERE, "spine_tilts.csv"), "w") as out:
    out.write("label,tilt_degrees\n")
    for region in regionprops(labels):
        if 1 <= region.label <= 17:
            out.write("%d,%.6f\n" % (region.label, tilt_degrees(region.orientation)))

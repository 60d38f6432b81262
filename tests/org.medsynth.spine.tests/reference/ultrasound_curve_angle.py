"""Reference ultrasound curve angle (UCA) of a coronal spine ultrasound, by an independent NumPy/SciPy implementation.

spine_ultrasound_band.npy.gz is a coronal ultrasound (uint8, 256 rows x 64 columns, row 0 at the head; echo x 100,
clipped at 255) that MedSynth's SpinePhantom renders for seed 7, a double curve of 35 degrees (apex T7) over 25
degrees (apex L2), 128 pixels wide, cut to its central 64 columns: the band UXDiff trains on. Pixel spacing
310 mm / 128 in both directions.

The measurement, as MedSynth's UltrasoundCurveAngle documents it: a box mean of 30 x 25 mm (windows truncated at the
borders, scipy.ndimage.uniform_filter on the image and on ones), per row the column of the maximum refined to the
centroid of the contiguous peak above 0.85 of it, the longest run of rows whose peak reaches 0.4 of the brightest
less half the box's height at each end, a running median over 30 mm, the slope of a least-squares line (numpy.polyfit)
over 60 mm around every 10 mm sample, and the largest difference of the tangent angles. Writes
ultrasound_curve_angle.csv.

Run with the Debian interpreter (numpy, scipy): /usr/bin/python3 ultrasound_curve_angle.py
"""
import gzip
import io
import math
import os

import numpy as np
from scipy.ndimage import uniform_filter

HERE = os.path.dirname(os.path.abspath(__file__))
SPACING = 310.0 / 128


def half_window(mm):
    return max(1, int(math.floor(mm / SPACING / 2 + 0.5)))


def truncated_box_mean(image, half_rows, half_columns):
    size = (2 * half_rows + 1, 2 * half_columns + 1)
    # zero padding, then divided by the number of real pixels under each window: the mean over the truncated window
    sums = uniform_filter(image, size=size, mode="constant", cval=0.0)
    counts = uniform_filter(np.ones_like(image), size=size, mode="constant", cval=0.0)
    return sums / counts


def uca(image):
    smooth = truncated_box_mean(image.astype(np.float64), half_window(25), half_window(30))
    best = np.argmax(smooth, axis=1)
    peak = smooth[np.arange(smooth.shape[0]), best]
    centre = np.empty(smooth.shape[0])
    for row, column in enumerate(best):
        floor = 0.85 * peak[row]
        left = column
        while left > 0 and smooth[row, left - 1] > floor:
            left -= 1
        right = column
        while right < smooth.shape[1] - 1 and smooth[row, right + 1] > floor:
            right += 1
        weights = smooth[row, left:right + 1] - floor
        centre[row] = np.sum(weights * np.arange(left, right + 1)) / np.sum(weights) * SPACING
    spine = peak >= 0.4 * peak.max()
    runs, start = [], None
    for row, inside in enumerate(list(spine) + [False]):
        if inside and start is None:
            start = row
        elif not inside and start is not None:
            runs.append((row - start, -start, start, row))
            start = None
    _, _, first, last = max(runs)
    spread = half_window(25)
    line = centre[first + spread:last - spread]
    half = half_window(30)
    line = np.array([np.median(line[max(0, j - half):j + half + 1]) for j in range(len(line))])
    half = half_window(60)
    step = max(1, int(math.floor(10 / SPACING + 0.5)))
    angles = []
    for j in range(0, len(line), step):
        rows = np.arange(max(0, j - half), min(len(line), j + half + 1))
        slope = np.polyfit(rows, line[rows], 1)[0]
        angles.append(math.degrees(math.atan(slope / SPACING)))
    angles = np.array(angles)
    return angles.max() - angles.min(), len(angles)


def main():
    with gzip.open(os.path.join(HERE, "spine_ultrasound_band.npy.gz"), "rb") as f:
        image = np.load(io.BytesIO(f.read()))
    assert image.shape == (256, 64) and image.dtype == np.uint8
    angle, samples = uca(image)
    with open(os.path.join(HERE, "ultrasound_curve_angle.csv"), "w") as f:
        f.write("uca_degrees,samples\n%.6f,%d\n" % (angle, samples))
    print("UCA %.4f degrees over %d samples" % (angle, samples))


if __name__ == "__main__":
    main()

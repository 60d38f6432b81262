"""Reference radiograph values of the whole-body phantom's head (WholeBodyPhantomTest).

Independent of the Java code: the head of a body of stature S is, by the documented proportions (k = S / 1700),
a soft-tissue ellipsoid centred 60 + 115 k mm below the field's top (semi-axes 75 k lateral, 112 k vertical, 95 k
deep) holding a cortical skull shell: the region between the ellipsoids (70 k, 106 k, 88 k) and
(70 k - 7, 106 k - 7, 88 k - 7) mm. Along an AP ray an ellipsoid of semi-axes (a, b, c) is crossed over the chord
2 c sqrt(1 - (x/a)^2 - (y/b)^2). -ln(I/I0) = 0.02 * soft chord + 0.04 * (outer - inner skull chord), averaged over
the pixel's 2 x 2 sub-rays at +-1/4 pixel. Field 2000 mm, size 401 pixels: the middle column is the midline.
Writes whole_body_head.csv: stature, size, column, row, value.
"""
import csv
import math
import os

FIELD = 2000.0


def chord(x, y, a, b, c):
    e2 = (x / a) ** 2 + (y / b) ** 2
    return 2 * c * math.sqrt(1 - e2) if e2 < 1 else 0.0


def head(x, y, k):
    dy = y - (60 + 115 * k)
    soft = chord(x, dy, 75 * k, 112 * k, 95 * k)
    skull = chord(x, dy, 70 * k, 106 * k, 88 * k) - chord(x, dy, 70 * k - 7, 106 * k - 7, 88 * k - 7)
    return 0.02 * soft + 0.04 * skull


def pixel(column, row, size, k):
    spacing = FIELD / size
    xc = -FIELD / 2 + (column + 0.5) * spacing
    yc = (row + 0.5) * spacing
    q = spacing / 4
    return sum(head(xc + dx, yc + dy, k) for dx in (-q, q) for dy in (-q, q)) / 4


rows = []
size = 401
for stature in (1700.0, 1850.0):
    k = stature / 1700
    centre_row = int((60 + 115 * k) / (FIELD / size))
    for column, row in ((200, centre_row), (200, centre_row - 15), (190, centre_row + 3)):
        rows.append((stature, size, column, row, pixel(column, row, size, k)))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "whole_body_head.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["stature", "size", "column", "row", "value"])
    for r in rows:
        w.writerow([r[0], r[1], r[2], r[3], "%.9g" % r[4]])

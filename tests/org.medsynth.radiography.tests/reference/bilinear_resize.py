"""Reference values for ViewPairs.resize: PyTorch's bilinear interpolation with align_corners=False.

Writes bilinear_resize.csv: one line per case, 'width,height,outWidth,outHeight' then the resized values (row-major).
The input plane of a case is value(x, y) = sin(0.7 x + 0.3) + 0.25 y^2 - 0.1 x y, row-major, x fastest.
Run with the Debian python (torch 1.13): /usr/bin/python3 bilinear_resize.py
"""
import math

import torch
import torch.nn.functional as F

CASES = [(5, 5, 8, 8), (6, 6, 3, 3), (4, 4, 13, 13), (7, 7, 7, 7)]

with open("bilinear_resize.csv", "w") as out:
    for w, h, ow, oh in CASES:
        plane = torch.tensor([[math.sin(0.7 * x + 0.3) + 0.25 * y * y - 0.1 * x * y for x in range(w)]
                              for y in range(h)], dtype=torch.float64)
        resized = F.interpolate(plane[None, None], size=(oh, ow), mode="bilinear", align_corners=False,
                                antialias=False)[0, 0]
        values = ",".join(repr(float(v)) for v in resized.flatten())
        out.write(f"{w},{h},{ow},{oh},{values}\n")

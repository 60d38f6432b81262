#!/usr/bin/python3
"""Reference for MaSkel's super-resolution baseline and starting image: PyTorch's bicubic upsampling.

Run with Debian's python (torch): /usr/bin/python3 bicubic_upsampling.py  -> bicubic_upsampling.csv
The input is the 8 x 8 image v[j][i] = sin(0.7 i) + cos(1.3 j) + 0.1 i j (row j, column i), a formula the test
evaluates too; the output is F.interpolate(v, scale_factor=4, mode="bicubic", align_corners=False), 32 x 32, one
row per line, in float64.
"""
import math

import torch
import torch.nn.functional as F

SIZE, FACTOR = 8, 4
image = torch.tensor([[math.sin(0.7 * i) + math.cos(1.3 * j) + 0.1 * i * j for i in range(SIZE)]
                      for j in range(SIZE)], dtype=torch.float64)
upsampled = F.interpolate(image[None, None], scale_factor=FACTOR, mode="bicubic", align_corners=False)[0, 0]
with open("bicubic_upsampling.csv", "w") as out:
    for row in upsampled.tolist():
        out.write(",".join(repr(v) for v in row) + "\n")

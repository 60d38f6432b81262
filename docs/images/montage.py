#!/usr/bin/env python3
"""The README pictures: images side by side, each scaled to 8-bit grey by its own min..max and to one height.

usage: montage.py OUT.png [--height H] [--nearest] IMAGE.png ...   (16-bit PNGs as MedSynth writes them are fine)
--nearest scales by nearest neighbour, so that a low-resolution image shows its pixels.
"""
import sys

import numpy as np
from PIL import Image


def grey8(path, height, resample):
    pixels = np.asarray(Image.open(path), dtype=np.float64)
    if pixels.ndim == 3:
        pixels = pixels[..., :3].mean(axis=2)
    low, high = pixels.min(), pixels.max()
    scaled = np.zeros_like(pixels) if high <= low else (pixels - low) / (high - low) * 255
    image = Image.fromarray(scaled.round().astype(np.uint8))
    width = max(1, round(image.width * height / image.height))
    return image.resize((width, height), resample)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, rest = argv[1], argv[2:]
    height = 256
    if rest[0] == "--height":
        height, rest = int(rest[1]), rest[2:]
    resample = Image.LANCZOS
    if rest[0] == "--nearest":
        resample, rest = Image.NEAREST, rest[1:]
    tiles = [grey8(path, height, resample) for path in rest]
    gap = 4
    sheet = Image.new("L", (sum(t.width for t in tiles) + gap * (len(tiles) - 1), height), 255)
    x = 0
    for tile in tiles:
        sheet.paste(tile, (x, 0))
        x += tile.width + gap
    sheet.save(out, optimize=True)


if __name__ == "__main__":
    main(sys.argv)

"""Reference values for Radiographs.blur (CT2X-GAN's scatter glow and unsharp mask): scipy.ndimage.gaussian_filter
with mode="nearest" and truncate=3 on a fixed 24x24 test image, sigma 2 and 3. Run with Debian's python3:
    /usr/bin/python3 ct2x_blur.py  (writes ct2x_blur.csv: sigma, index, value)
"""
import numpy as np
from scipy import ndimage

SIZE = 24
y, x = np.mgrid[0:SIZE, 0:SIZE]
# the same image the Java test builds: a smooth pattern plus a bright square
image = np.sin(0.7 * x) * np.cos(0.45 * y) + 0.05 * x + ((x >= 5) & (x < 11) & (y >= 14) & (y < 20)) * 2.0
with open("ct2x_blur.csv", "w") as out:
    out.write("sigma,index,value\n")
    for sigma in (2.0, 3.0):
        blurred = ndimage.gaussian_filter(image, sigma, mode="nearest", truncate=3.0)
        for index, value in enumerate(blurred.ravel()):
            out.write("%g,%d,%.17g\n" % (sigma, index, value))

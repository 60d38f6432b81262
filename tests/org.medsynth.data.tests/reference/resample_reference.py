#!/usr/bin/python3
"""Reference values for SpatialTransforms.resample and the percentiles of IntensityTransforms.percentileClip.

Run with Debian's python (numpy, scipy): /usr/bin/python3 resample_reference.py  -> resample_reference.json

Convention matched: MedSynth resamples axis a of n pixels at spacing s to round(n*s/t) pixels at spacing t, output
pixel j sampling the input at continuous index j*t/s (origin = centre of the first pixel, kept). That is
scipy.ndimage.map_coordinates(order=1, mode='nearest') evaluated at those coordinates: 'nearest' repeats the edge
pixel, so samples past the last pixel centre take its value, as MedSynth's clamping does. (scipy.ndimage.zoom aligns
the corner pixel centres instead, which does not keep the spacing exact, so it is not used.)
Arrays are stored flat in numpy C order of shape (z, y, x), which is MedSynth's flat order (x fastest); sizes and
spacings are listed x first.
"""
import json

import numpy as np
from scipy import ndimage


def resample(volume, spacing_xyz, target_xyz):
    shape_zyx = volume.shape
    spacing = spacing_xyz[::-1]
    target = target_xyz[::-1]
    out_shape = [max(1, int(np.floor(n * s / t + 0.5))) for n, s, t in zip(shape_zyx, spacing, target)]
    axes = [np.arange(m) * t / s for m, s, t in zip(out_shape, spacing, target)]
    coords = np.meshgrid(*axes, indexing='ij')
    out = ndimage.map_coordinates(volume.astype(np.float64), coords, order=1, mode='nearest')
    return out.astype(np.float32)


def case(name, rng, size_xyz, spacing_xyz, target_xyz):
    volume = (rng.standard_normal(size_xyz[::-1]) * 100).astype(np.float32)
    out = resample(volume, spacing_xyz, target_xyz)
    return {
        'name': name,
        'size': list(size_xyz),
        'spacing': list(spacing_xyz),
        'target': list(target_xyz),
        'input': [float(v) for v in volume.ravel()],
        'expected_size': list(out.shape[::-1]),
        'expected': [float(v) for v in out.ravel()],
    }, volume


def main():
    rng = np.random.RandomState(20261205)
    cases = []
    c3, volume = case('3d anisotropic', rng, (9, 7, 5), (0.8, 1.1, 2.5), (0.5, 1.5, 1.2))
    cases.append(c3)
    c2, _ = case('2d', rng, (11, 6), (0.7, 0.9), (0.3, 2.0))
    cases.append(c2)
    q = [0.0, 0.5, 2.0, 50.0, 99.5, 100.0]
    percentiles = np.percentile(volume.astype(np.float64), q)
    result = {
        'scipy': __import__('scipy').__version__,
        'numpy': np.__version__,
        'cases': cases,
        'percentiles': {'of': '3d anisotropic input', 'q': q, 'values': [float(v) for v in percentiles]},
    }
    with open('resample_reference.json', 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()

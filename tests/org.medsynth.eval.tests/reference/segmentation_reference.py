#!/usr/bin/python3
"""Reference values for MedSynth's segmentation and task metrics, computed with scipy.ndimage and numpy
(Debian python3-scipy, python3-numpy), independently of the Java code.

Conventions (as SegmentationMetrics documents them):
  surface      = mask & ~binary_erosion(mask, face-connected structure, border_value=0)
  distances    = distance_transform_edt(~other_surface, sampling=spacing) sampled on this surface (mm)
  hd95         = np.percentile(union of both directed sets, 95)            (medpy hd95)
  assd         = mean of the two directed mean distances                    (medpy assd)
  nsd(tau)     = boundary voxels of both within tau / all boundary voxels   (MONAI compute_surface_dice)
  lesions      = ndimage.label with generate_binary_structure(ndim, 1 | ndim)
  cobb         = scipy.stats.linregress(reference, candidate); Bland-Altman with ddof=1 and 1.96

The masks and images are closed-form; the Java tests rebuild them exactly (SegmentationReferenceTest). Arrays are
indexed [z, y, x] here and flattened x fastest in Java, so spacing (x, y, z) becomes sampling (z, y, x).
Run with Debian's interpreter:  /usr/bin/python3 segmentation_reference.py > segmentation_reference.json
"""
import json

import numpy as np
import scipy
from scipy import ndimage, stats

SPACING_3D = (0.7, 0.9, 2.5)   # x, y, z in mm
DIMS_3D = (40, 36, 20)         # x, y, z
SPACING_2D = (0.8, 1.3)
DIMS_2D = (50, 40)


def grid(dims):
    """Voxel index arrays x, y(, z) in [z, y, x] layout."""
    return tuple(np.indices(dims[::-1], dtype=np.float64)[::-1])


def ellipsoid(dims, spacing, centre, semi_axes_mm):
    """Voxels whose centre lies in the ellipsoid: sum over axes of ((i - c) * s / a)^2 <= 1."""
    coords = grid(dims)
    total = np.zeros(dims[::-1])
    for i, c, s, a in zip(coords, centre, spacing, semi_axes_mm):
        u = (i - c) * s / a
        total = total + u * u
    return total <= 1


def box(dims, lower, upper):
    coords = grid(dims)
    inside = np.ones(dims[::-1], dtype=bool)
    for i, lo, hi in zip(coords, lower, upper):
        inside &= (i >= lo) & (i < hi)
    return inside


def sampling(spacing):
    return tuple(reversed(spacing))


def surface(mask):
    return mask & ~ndimage.binary_erosion(mask, structure=ndimage.generate_binary_structure(mask.ndim, 1),
                                          border_value=0)


def directed(from_mask, to_mask, spacing):
    return ndimage.distance_transform_edt(~surface(to_mask), sampling=sampling(spacing))[surface(from_mask)]


def segmentation(reference, candidate, spacing):
    r2c = directed(reference, candidate, spacing)
    c2r = directed(candidate, reference, spacing)
    both = np.hstack((r2c, c2r))
    inter = np.logical_and(reference, candidate).sum()
    return {
        "reference_voxels": int(reference.sum()),
        "candidate_voxels": int(candidate.sum()),
        "dice": 2.0 * inter / (reference.sum() + candidate.sum()),
        "iou": inter / np.logical_or(reference, candidate).sum(),
        "reference_surface_voxels": int(r2c.size),
        "candidate_surface_voxels": int(c2r.size),
        "hausdorff": float(both.max()),
        "hd95": float(np.percentile(both, 95)),
        "assd": float((r2c.mean() + c2r.mean()) / 2),
        "nsd_1mm": float(((r2c <= 1.0).sum() + (c2r <= 1.0).sum()) / both.size),
        "nsd_2.5mm": float(((r2c <= 2.5).sum() + (c2r <= 2.5).sum()) / both.size),
    }


def cases():
    d3, s3, d2, s2 = DIMS_3D, SPACING_3D, DIMS_2D, SPACING_2D
    return {
        "ellipsoids_3d": (ellipsoid(d3, s3, (19.5, 17.0, 9.3), (10.0, 9.0, 15.0)),
                          ellipsoid(d3, s3, (20.8, 16.4, 9.7), (11.0, 8.0, 14.0)), s3),
        "boxes_3d": (box(d3, (5, 4, 3), (25, 30, 15)), box(d3, (8, 2, 5), (30, 28, 17)), s3),
        # cut by the image border, where outside voxels count as background
        "border_3d": (ellipsoid(d3, s3, (2.0, 17.0, 1.0), (9.0, 12.0, 10.0)),
                      ellipsoid(d3, s3, (1.0, 18.0, 2.0), (8.0, 11.0, 11.0)), s3),
        # a candidate with a false-positive blob far away: HD95 is pulled up, Dice barely moves
        "ellipses_2d": (ellipsoid(d2, s2, (20.0, 18.5), (12.0, 14.0)),
                        ellipsoid(d2, s2, (21.3, 17.6), (11.0, 15.0)) | ellipsoid(d2, s2, (44.0, 6.0), (2.0, 3.0)), s2),
    }


def edt_pattern():
    """Scattered feature voxels on a 12×10×8 grid: (7x + 3y + 5z) mod 23 == 0."""
    x, y, z = grid((12, 10, 8))
    return (7 * x + 3 * y + 5 * z) % 23 == 0


def lesion_mask_3d():
    d = (30, 30, 12)
    return (box(d, (2, 2, 1), (8, 8, 5))                                     # 144 voxels
            | box(d, (8, 8, 5), (12, 12, 8))                                 # touches the first only at a corner
            | box(d, (20, 20, 10), (21, 21, 11))                             # a single voxel
            | box(d, (14, 2, 2), (16, 3, 3))                                 # two voxels
            | ellipsoid(d, (0.7, 0.9, 2.5), (22.0, 12.0, 6.0), (4.0, 5.0, 6.0))
            | box(d, (27, 25, 0), (29, 27, 1)) | box(d, (26, 27, 0), (27, 29, 1)))   # edge-touching pair


def lesion_mask_2d():
    d = (24, 20)
    return (box(d, (1, 1), (6, 5)) | box(d, (6, 5), (9, 9))                   # corner-touching pair
            | box(d, (15, 2), (16, 3)) | ellipsoid(d, (1.0, 1.0), (16.0, 13.0), (4.0, 5.0)))


def labelling(mask):
    out = {}
    for name, rank in (("face", 1), ("full", mask.ndim)):
        labels, n = ndimage.label(mask, structure=ndimage.generate_binary_structure(mask.ndim, rank))
        out[name] = {"count": int(n), "sizes": [int(s) for s in np.bincount(labels.ravel())[1:]]}
    return out


def cobb_angles():
    i = np.arange(15, dtype=np.float64)
    reference = 10 + 3.7 * i + 5 * np.sin(i)
    candidate = 0.93 * reference + 2.1 + 3 * np.cos(1.7 * i)
    return reference, candidate


def cobb():
    reference, candidate = cobb_angles()
    fit = stats.linregress(reference, candidate)
    difference = candidate - reference
    bias = difference.mean()
    sd = difference.std(ddof=1)
    return {"slope": fit.slope, "slope_angle_degrees": float(np.degrees(np.arctan(fit.slope))),
            "intercept": fit.intercept, "r_squared": fit.rvalue ** 2, "pearson_r": fit.rvalue, "bias": bias,
            "sd_difference": sd, "lower_limit": bias - 1.96 * sd, "upper_limit": bias + 1.96 * sd}


def pet_images():
    """An SUV-like volume on the 3D grid and a candidate scaled by 1.1 with an offset of 0.05."""
    x, y, z = grid(DIMS_3D)
    reference = 2 + np.sin(x / 3.0) * np.cos(y / 4.0) + z / 10.0
    return reference, reference * 1.1 + 0.05


def roi():
    lesion = ellipsoid(DIMS_3D, SPACING_3D, (19.5, 17.0, 9.3), (5.0, 6.0, 8.0))
    background = box(DIMS_3D, (2, 2, 2), (10, 10, 6))
    reference, candidate = pet_images()
    out = {}
    for name, image in (("reference", reference), ("candidate", candidate)):
        bg = image[background]
        out[name] = {"suv_mean": image[lesion].mean(), "suv_max": image[lesion].max(),
                     "cnr": abs(image[lesion].mean() - bg.mean()) / bg.std(ddof=1)}
    return out


result = {"generator": "scipy " + scipy.__version__ + ", numpy " + np.__version__}
for name, (reference, candidate, spacing) in cases().items():
    result[name] = segmentation(reference, candidate, spacing)
features = edt_pattern()
result["edt_12x10x8"] = {
    "spacing": list(SPACING_3D),
    "features": int(features.sum()),
    "distances": ndimage.distance_transform_edt(~features, sampling=sampling(SPACING_3D)).ravel().tolist(),
}
result["lesions_3d"] = labelling(lesion_mask_3d())
result["lesions_2d"] = labelling(lesion_mask_2d())
result["cobb"] = cobb()
result["roi"] = roi()
print(json.dumps(result, indent=1))

"""Independent NumPy DRR and colour-deconvolution references for org.medsynth.physics.

DRR: a seeded test volume (a formula both sides evaluate: two ellipsoids plus a smooth texture, n = 40, 2 mm voxels)
is projected by vectorised trilinear ray marching through a C-arm cone beam and a parallel beam. Conventions: volume
centred on the origin, voxel (i, j, k) at ((i - (n-1)/2) s, ...); gantry angle a: beam direction (sin a, cos a, 0),
detector columns along (cos a, -sin a, 0), rows along (0, 0, -1); cone source at -SOD * direction; rays clipped to the
volume box and sampled at the midpoints of ceil(length / step) equal pieces; values outside the grid are zero.

Stain: scikit-image's rgb2hed on a deterministic 16 x 16 RGB test image.

Writes drr_reference.json and stain_reference.json next to this script.
"""
import json
import os

import numpy as np
from skimage.color import rgb2hed

HERE = os.path.dirname(os.path.abspath(__file__))
N = 40
SPACING = 2.0


def test_volume():
    """Same formula as XRayProjectorTest.testVolume(): float32, x fastest."""
    k, j, i = np.meshgrid(np.arange(N), np.arange(N), np.arange(N), indexing="ij")
    c = (N - 1) / 2
    x, y, z = (i - c) * SPACING, (j - c) * SPACING, (k - c) * SPACING
    v = np.where((x / 30) ** 2 + (y / 22) ** 2 + (z / 34) ** 2 <= 1, 1.0, 0.0)
    v += np.where(((x - 8) / 6) ** 2 + ((y + 5) / 9) ** 2 + ((z - 4) / 7) ** 2 <= 1, 2.0, 0.0)
    v += 0.25 * np.sin(0.3 * i) * np.cos(0.2 * j) * np.sin(0.1 * k + 0.5)
    return v.astype(np.float32)  # shape (z, y, x)


def trilinear(vol, spacing, px, py, pz):
    """vol has shape (nz, ny, nx); spacing is (sx, sy, sz) in mm."""
    nz, ny, nx = vol.shape
    fx = px / spacing[0] + 0.5 * (nx - 1)
    fy = py / spacing[1] + 0.5 * (ny - 1)
    fz = pz / spacing[2] + 0.5 * (nz - 1)
    x0, y0, z0 = np.floor(fx).astype(int), np.floor(fy).astype(int), np.floor(fz).astype(int)
    wx, wy, wz = fx - x0, fy - y0, fz - z0
    padded = np.pad(vol.astype(np.float64), 1)  # zero outside the grid
    out = np.zeros_like(px)
    for dz in (0, 1):
        for dy in (0, 1):
            for dx in (0, 1):
                xi, yi, zi = x0 + dx + 1, y0 + dy + 1, z0 + dz + 1
                ok = (xi >= 0) & (yi >= 0) & (zi >= 0) & (xi < nx + 2) & (yi < ny + 2) & (zi < nz + 2)
                val = np.zeros_like(px)
                val[ok] = padded[zi[ok], yi[ok], xi[ok]]
                w = (wx if dx else 1 - wx) * (wy if dy else 1 - wy) * (wz if dz else 1 - wz)
                out += w * val
    return out


def drr(vol, spacing, cone, angle_deg, nu, nv, du, dv, sod, sdd, step):
    a = np.radians(angle_deg)
    d = np.array([np.sin(a), np.cos(a), 0.0])
    u = np.array([np.cos(a), -np.sin(a), 0.0])
    v = np.array([0.0, 0.0, -1.0])
    cols, rows = np.meshgrid(np.arange(nu), np.arange(nv))
    off_u = (cols - 0.5 * (nu - 1)) * du
    off_v = (rows - 0.5 * (nv - 1)) * dv
    if cone:
        src = -sod * d
        centre = src + sdd * d
        pix = centre + off_u[..., None] * u + off_v[..., None] * v
        origin = np.broadcast_to(src, pix.shape)
        direction = pix - src
        lo, hi = np.zeros(pix.shape[:2]), np.ones(pix.shape[:2])
    else:
        origin = off_u[..., None] * u + off_v[..., None] * v
        direction = np.broadcast_to(d, origin.shape)
        lo, hi = np.full(origin.shape[:2], -np.inf), np.full(origin.shape[:2], np.inf)
    half = 0.5 * np.array(vol.shape[::-1]) * np.array(spacing)
    with np.errstate(divide="ignore", invalid="ignore"):
        for ax in range(3):
            o, dd = origin[..., ax], direction[..., ax]
            t0, t1 = (-half[ax] - o) / dd, (half[ax] - o) / dd
            par = dd == 0
            inside = (o > -half[ax]) & (o < half[ax])
            lo = np.where(par, np.where(inside, lo, np.inf), np.maximum(lo, np.minimum(t0, t1)))
            hi = np.where(par, np.where(inside, hi, -np.inf), np.minimum(hi, np.maximum(t0, t1)))
    length = np.linalg.norm(direction, axis=-1)
    out = np.zeros((nv, nu))
    for r in range(nv):
        for c in range(nu):
            if lo[r, c] >= hi[r, c]:
                continue
            path = (hi[r, c] - lo[r, c]) * length[r, c]
            n = max(1, int(np.ceil(path / step)))
            dt = (hi[r, c] - lo[r, c]) / n
            t = lo[r, c] + (np.arange(n) + 0.5) * dt
            p = origin[r, c] + t[:, None] * direction[r, c]
            out[r, c] = trilinear(vol, spacing, p[:, 0], p[:, 1], p[:, 2]).sum() * dt * length[r, c]
    return out


def main():
    vol = test_volume()
    cases = []
    for cone, angle in ((True, 0.0), (True, 30.0), (False, -60.0)):
        img = drr(vol, (SPACING,) * 3, cone, angle, 24, 20, 4.0, 4.0, 300.0, 500.0, 0.5)
        cases.append({"cone": cone, "angle": angle, "image": img.ravel().tolist()})
    ref = {"n": N, "spacing": SPACING, "columns": 24, "rows": 20, "du": 4.0, "dv": 4.0, "sod": 300.0, "sdd": 500.0,
           "step": 0.5, "cases": cases}
    with open(os.path.join(HERE, "drr_reference.json"), "w") as f:
        json.dump(ref, f)

    yy, xx = np.mgrid[0:16, 0:16]
    rgb = np.stack([40 + 13 * xx + 2 * yy, 60 + 9 * yy + 3 * xx, 200 - 5 * xx - 4 * yy], -1).clip(0, 255)
    hed = rgb2hed(rgb.astype(np.uint8))
    with open(os.path.join(HERE, "stain_reference.json"), "w") as f:
        json.dump({"rgb": rgb.ravel().tolist(), "hed": hed.ravel().tolist()}, f)


if __name__ == "__main__":
    main()

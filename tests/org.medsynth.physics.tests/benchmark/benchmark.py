"""NumPy/PyTorch peer of PhysicsBenchmark.java, timed in the same invocation, and the report.

DRR: torch.nn.functional.grid_sample (trilinear, zeros outside, align_corners=True matches voxel-centre
coordinates) over the same C-arm rays, clipped to the volume box and sampled at the midpoints of a fixed number of
pieces per ray (ceil(longest clipped path / step), to stay vectorised); throughput counts the samples each side
actually takes. Radon/FBP: scikit-image radon/iradon.
MRI: numpy.fft on 8 coils at 320² (SENSE A and Aᴴ, and the bare centred FFT).
Writes report.json and report.md into OUT.
  usage: benchmark.py OUT JAVA_JSON DRR256_F32 [SIZES]
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from skimage.transform import iradon, radon

torch.set_num_threads(2)
SOD, SDD = 1000.0, 1500.0


def volume(n):
    idx = (np.arange(n) - (n - 1) / 2) / n
    z, y, x = np.meshgrid(idx, idx, idx, indexing="ij")
    v = np.where(x * x / 0.16 + y * y / 0.12 + z * z / 0.2 <= 1, 0.02, 0.0)
    v += np.where((x - 0.1) ** 2 + y * y + (z + 0.05) ** 2 <= 0.01, 0.04, 0.0)
    return v.astype(np.float32)


def image2d(n):
    idx = (np.arange(n) - (n - 1) / 2) / n
    y, x = np.meshgrid(idx, idx, indexing="ij")
    return (np.where(x * x / 0.16 + y * y / 0.12 <= 1, 1.0, 0.0)
            + np.where((x - 0.1) ** 2 + y * y <= 0.01, 2.0, 0.0)).astype(np.float32)


def drr(vol_t, n, step=1.0):
    """Cone-beam C-arm at gantry 0: beam +y, columns +x, rows -z, pixels 1.5 mm."""
    du = 1.5
    off = (torch.arange(n, dtype=torch.float32) - 0.5 * (n - 1)) * du
    rows, cols = torch.meshgrid(off, off, indexing="ij")
    src = torch.tensor([0.0, -SOD, 0.0])
    pix = torch.stack([cols, torch.full_like(cols, SDD - SOD), -rows], -1)
    d = pix - src
    half = 0.5 * n
    lo = torch.zeros(n, n)
    hi = torch.ones(n, n)
    for a in range(3):
        o = src[a]
        da = d[..., a]
        safe = torch.where(da == 0, torch.full_like(da, 1e-30), da)
        t0, t1 = (-half - o) / safe, (half - o) / safe
        lo = torch.where(da == 0, lo, torch.maximum(lo, torch.minimum(t0, t1)))
        hi = torch.where(da == 0, hi, torch.minimum(hi, torch.maximum(t0, t1)))
    length = d.norm(dim=-1)
    hit = hi > lo
    samples = int(np.ceil(float(((hi - lo) * length)[hit].max()) / step))
    frac = (torch.arange(samples, dtype=torch.float32) + 0.5) / samples
    out = torch.zeros(n, n)
    chunk = max(1, (1 << 24) // (n * samples))  # rows per grid_sample call, bounded memory
    for r0 in range(0, n, chunk):
        r1 = min(n, r0 + chunk)
        t = lo[r0:r1, :, None] + (hi - lo)[r0:r1, :, None] * frac
        p = src + t[..., None] * d[r0:r1, :, None, :]
        grid = p / (0.5 * (n - 1))  # voxel centre i at (i - (n-1)/2) mm -> [-1, 1]
        vals = F.grid_sample(vol_t, grid[None], mode="bilinear", padding_mode="zeros", align_corners=True)[0, 0]
        dt = (hi - lo)[r0:r1] / samples
        out[r0:r1] = torch.where(hit[r0:r1], vals.sum(-1) * dt * length[r0:r1], torch.zeros(()))
    return out.numpy(), n * n * samples


def best_of(fn, repeats=3, warmups=1):
    for _ in range(warmups):
        fn()
    best = float("inf")
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main():
    out_dir, java_json, drr_f32 = sys.argv[1], sys.argv[2], sys.argv[3]
    sizes = [int(s) for s in sys.argv[4].split(",")] if len(sys.argv) > 4 else [256, 512]
    java = json.load(open(java_json))
    peer = {}
    for n in sizes:
        vol = torch.from_numpy(volume(n))[None, None]
        seconds, (img, samples) = best_of(lambda: drr(vol, n), repeats=2 if n <= 256 else 1)
        peer[f"drr{n}"] = {"seconds": seconds, "ray_samples": samples, "ray_samples_per_s": samples / seconds}
        if n == 256:
            java_img = np.fromfile(drr_f32, dtype="<f4").reshape(n, n)
            peer["drr256_max_abs_difference"] = float(np.abs(java_img - img).max())
            peer["drr256_max"] = float(img.max())
        del vol
    img = image2d(512)
    theta = np.arange(720) * 180.0 / 720
    fwd, sino = best_of(lambda: radon(img, theta=theta, circle=False), repeats=1)
    fbp, _ = best_of(lambda: iradon(sino, theta=theta, filter_name="ramp", circle=False, output_size=512),
                     repeats=1)
    peer["radon512"] = {"forward_seconds": fwd, "fbp_seconds": fbp}
    m, coils = 320, 8
    rng = np.random.default_rng(0)
    maps = rng.standard_normal((coils, m, m)) + 1j * rng.standard_normal((coils, m, m))
    mask = np.zeros((m, m), bool)
    mask[::4] = True
    mask[m // 2 - 12:m // 2 + 12] = True
    x = image2d(m).astype(np.complex128)
    axes = (-2, -1)

    def forward():
        return mask * np.fft.fftshift(np.fft.fft2(np.fft.ifftshift(maps * x, axes=axes), norm="ortho"), axes=axes)

    k = forward()

    def adjoint():
        imgs = np.fft.fftshift(np.fft.ifft2(np.fft.ifftshift(mask * k, axes=axes), norm="ortho"), axes=axes)
        return (np.conj(maps) * imgs).sum(0)

    coil_images = np.fft.fftshift(np.fft.ifft2(np.fft.ifftshift(k, axes=axes), norm="ortho"), axes=axes)

    def centred_fft():
        return np.fft.fftshift(np.fft.fft2(np.fft.ifftshift(coil_images, axes=axes), norm="ortho"), axes=axes)

    # the same 10 warm-up runs and best of 10 as the Java side (which needs them for its JIT)
    peer["sense320"] = {"forward_seconds": best_of(forward, 10, 10)[0],
                        "adjoint_seconds": best_of(adjoint, 10, 10)[0],
                        "fft_seconds": best_of(centred_fft, 10, 10)[0]}

    rows = []
    for n in sizes:
        j, p = java[f"drr{n}"], peer[f"drr{n}"]
        rows.append((f"DRR {n}² from {n}³ (trilinear, ray·samples/s)", j["ray_samples_per_s"], p["ray_samples_per_s"],
                     f"Java/peer {j['ray_samples_per_s'] / p['ray_samples_per_s']:.1f}×; Java at "
                     f"{j['ray_samples_per_s'] / j['limit_samples_per_s']:.2f} of the sampling limit "
                     f"{j['limit_samples_per_s']:.3e}/s; Siddon {j['siddon_seconds']:.2f} s"))
    jr, pr = java["radon512"], peer["radon512"]
    rows.append(("Radon 512², 720 views (s)", jr["forward_seconds"], pr["forward_seconds"],
                 f"peer/Java {pr['forward_seconds'] / jr['forward_seconds']:.1f}×; adjoint {jr['adjoint_seconds']:.2f} s"))
    rows.append(("FBP 512², 720 views (s)", jr["fbp_seconds"], pr["fbp_seconds"],
                 f"peer/Java {pr['fbp_seconds'] / jr['fbp_seconds']:.1f}×"))
    js, ps = java["sense320"], peer["sense320"]
    rows.append(("SENSE 320², 8 coils, A (s)", js["forward_seconds"], ps["forward_seconds"],
                 f"peer/Java {ps['forward_seconds'] / js['forward_seconds']:.2f}×"))
    rows.append(("SENSE 320², 8 coils, Aᴴ (s)", js["adjoint_seconds"], ps["adjoint_seconds"],
                 f"peer/Java {ps['adjoint_seconds'] / js['adjoint_seconds']:.2f}×"))
    rows.append(("centred 2D FFT, 8 × 320², no mask (s)", js["fft_seconds"], ps["fft_seconds"],
                 f"peer/Java {ps['fft_seconds'] / js['fft_seconds']:.2f}×"))
    lines = ["# org.medsynth.physics benchmark", "",
             f"Java on {java['processors']} processors; peer: PyTorch {torch.__version__} grid_sample (2 threads), "
             "scikit-image radon/iradon, NumPy FFT. One invocation, best of repeated runs.", ""]
    if "drr256_max_abs_difference" in peer:
        lines.append(f"256² DRR agreement: max |Java − PyTorch| = {peer['drr256_max_abs_difference']:.3g} "
                     f"(image max {peer['drr256_max']:.3g}; the sides sample different counts per ray).")
        lines.append("")
    lines += ["| workload | Java | peer | ratio |", "|---|---|---|---|"]
    lines += [f"| {a} | {b:.4g} | {c:.4g} | {d} |" for a, b, c, d in rows]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out_dir, "report.json"), "w") as f:
        json.dump({"java": java, "peer": peer}, f, indent=1)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

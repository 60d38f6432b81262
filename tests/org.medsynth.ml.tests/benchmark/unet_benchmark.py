"""The PyTorch side of the U-Net benchmark: the same U-Net (reference/blocks_reference.py), same shapes and steps.

usage: unet_benchmark.py MODE REPEATS THREADS OUT.json   (MODE speed or memory3d)
"""
import json
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import blocks_reference as br  # noqa: E402


def cfg(**overrides):
    return br.base_cfg(**overrides)


def train_step(model, shape):
    x = torch.randn(shape)
    t = torch.full((shape[0],), 500.0)
    noise = torch.randn(shape)
    loss = (model(x, t, {}) - noise).pow(2).mean()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 1e-3 * p.grad
            p.grad.zero_()


def sample_step(model, shape):
    with torch.no_grad():
        model(torch.randn(shape), torch.full((shape[0],), 500.0), {}).numpy()


def timed(repeats, step):
    for _ in range(2):
        step()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
    return sorted(seconds)[len(seconds) // 2]


def main():
    mode, repeats, threads, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    if mode == "speed":
        model = br.UNet(cfg(base=32, mults=[1, 2, 2], res=2, attn=[2], heads=4))
        shape = (8, 1, 64, 64)
        result = {"train_step_s": timed(repeats, lambda: train_step(model, shape)),
                  "sample_step_s": timed(repeats, lambda: sample_step(model, shape))}
    else:
        model = br.UNet(cfg(dims=3, base=16, mults=[1, 2, 2], res=1, attn=[]))
        train_step(model, (1, 1, 64, 64, 64))
        result = {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    with open(out, "w") as f:
        json.dump(result, f)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

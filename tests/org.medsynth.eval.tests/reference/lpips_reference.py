#!/usr/bin/python3
"""Reference values for MedSynth's LPIPS-style perceptual distance (PerceptualDistance, evaluator 'lpips').

Writes tiny_lpips_net.pt, a traced three-stage conv net (a few KB) whose forward returns a tuple of feature maps,
tiny_lpips_lin.npz, per-channel lin weights for its three maps (float32, in output order), and the distance between two
closed-form 2D grey images computed as the official LPIPS code does, without the lin layers (the 'baseline' variant,
lpips=False) and with them as 1x1 convolutions without bias (lpips=True): each layer's features unit-normalised along
the channels with x / (sqrt(sum x^2) + 1e-10) (lpips.normalize_tensor), squared difference, channel sum or lin layer,
spatial mean, sum over layers. Input as the LPIPS convention for images: min-max scaled to [0, 1] (medical intensities have no fixed range),
then to [-1, 1], grey repeated to 3 channels. The images are closed-form in (x, y), so the Java test rebuilds them.

Run with Debian's interpreter, in this folder:  /usr/bin/python3 lpips_reference.py > lpips_reference.json
"""
import json

import numpy as np
import torch


def reference_image():
    y, x = np.mgrid[0:32, 0:40].astype(np.float64)
    return 100 * np.sin(x / 5.0) * np.cos(y / 7.0) + 0.5 * x + 20


def candidate_image():
    y, x = np.mgrid[0:32, 0:40].astype(np.float64)
    return 90 * np.sin(x / 4.5 + 0.3) * np.cos(y / 6.0) + 0.6 * x + 15 + 8 * np.sin(2.1 * x + 1.7 * y)


def lpips_input(grey):
    """(H, W) → (1, 3, H, W) float32 in [-1, 1] after a min-max scaling to [0, 1]."""
    unit = (grey - grey.min()) / (grey.max() - grey.min())
    return torch.from_numpy(2 * unit - 1).float()[None, None].expand(1, 3, -1, -1).contiguous()


class TinyLpipsNet(torch.nn.Module):
    """Three stages at falling resolution, like the VGG/AlexNet trunks LPIPS taps after each ReLU block."""

    def __init__(self):
        super().__init__()
        self.stage1 = torch.nn.Conv2d(3, 4, kernel_size=3, padding=1)
        self.stage2 = torch.nn.Conv2d(4, 6, kernel_size=3, stride=2, padding=1)
        self.stage3 = torch.nn.Conv2d(6, 8, kernel_size=3, stride=2)

    def forward(self, x):
        f1 = torch.relu(self.stage1(x))
        f2 = torch.relu(self.stage2(f1))
        f3 = torch.relu(self.stage3(f2))
        return f1, f2, f3


def normalize_tensor(features, eps=1e-10):
    # lpips.normalize_tensor
    norm = torch.sqrt(torch.sum(features ** 2, dim=1, keepdim=True))
    return features / (norm + eps)


def lin_weights():
    """Layer l, channel c: 0.2 + 0.15 (c + 1) / (l + 1), kept as float32 like LPIPS's lin-layer kernels."""
    return [np.array([0.2 + 0.15 * (c + 1) / (l + 1) for c in range(channels)], dtype=np.float32)
            for l, channels in enumerate([4, 6, 8])]


def lpips(net, a, b, lins=None):
    with torch.no_grad():
        fa, fb = net(a), net(b)
    total = 0.0
    for layer, (x, y) in enumerate(zip(fa, fb)):
        diff = (normalize_tensor(x.double()) - normalize_tensor(y.double())) ** 2
        if lins is None:
            weighted = diff.sum(dim=1, keepdim=True)
        else:
            kernel = torch.from_numpy(lins[layer]).double().reshape(1, -1, 1, 1)
            weighted = torch.nn.functional.conv2d(diff, kernel)
        total += float(weighted.mean(dim=(2, 3)))
    return total, [list(f.shape) for f in fa]


torch.manual_seed(0)
net = TinyLpipsNet().eval()
traced = torch.jit.trace(net, torch.zeros(1, 3, 32, 40))
traced.save("tiny_lpips_net.pt")
reference, candidate = lpips_input(reference_image()), lpips_input(candidate_image())
lins = lin_weights()
np.savez("tiny_lpips_lin.npz", *lins)
distance, shapes = lpips(traced, reference, candidate)
print(json.dumps({
    "generator": "numpy " + np.__version__ + ", torch " + torch.__version__,
    "model": "tiny_lpips_net.pt",
    "lin_weights": "tiny_lpips_lin.npz",
    "feature_shapes": shapes,
    "distance": distance,
    "distance_reversed": lpips(traced, candidate, reference)[0],
    "distance_weighted": lpips(traced, reference, candidate, lins)[0],
}, indent=2))

"""Reference trajectories of MedSynth's training loop parts, from torch.optim and torch.nn.utils.

Run with Debian's python3 (torch 1.13): /usr/bin/python3 training_reference.py
A linear layer (weight 4x3, bias 4) is fitted to fixed data by mean squared error for 5 steps:
  adam:  torch.optim.Adam(lr=0.05), gradients clipped by clip_grad_norm_(max_norm=0.5) before each step, and an
         exponential moving average (decay 0.9) of the parameters updated after each step;
  adamw: torch.optim.AdamW(lr=0.05, weight_decay=0.1), no clipping.
Writes training_weights.npz (the initial weight and bias, under the layer's parameter names) and
training_reference.npz: the data, each run's final parameters, the losses and the global gradient norms before
clipping.
"""
import numpy as np
import torch

torch.manual_seed(0)
weight0 = torch.randn(4, 3)
bias0 = torch.randn(4)
x = torch.randn(5, 3)
y = torch.randn(5, 4) * 2
STEPS = 5
out = {"x": x.numpy(), "y": y.numpy()}


def run(name, optimizer_class, clip, ema_decay, **options):
    layer = torch.nn.Linear(3, 4)
    with torch.no_grad():
        layer.weight.copy_(weight0)
        layer.bias.copy_(bias0)
    optimizer = optimizer_class(layer.parameters(), **options)
    ema = {n: p.detach().clone() for n, p in layer.named_parameters()}
    losses, norms = [], []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = torch.mean((layer(x) - y) ** 2)
        loss.backward()
        losses.append(loss.item())
        if clip:
            norms.append(float(torch.nn.utils.clip_grad_norm_(layer.parameters(), clip)))
        optimizer.step()
        with torch.no_grad():
            for n, p in layer.named_parameters():
                ema[n].mul_(ema_decay).add_(p, alpha=1 - ema_decay)
    out[name + "_weight"] = layer.weight.detach().numpy()
    out[name + "_bias"] = layer.bias.detach().numpy()
    out[name + "_losses"] = np.array(losses, dtype=np.float64)
    if clip:
        out[name + "_norms"] = np.array(norms, dtype=np.float64)
        out[name + "_ema_weight"] = ema["weight"].numpy()
        out[name + "_ema_bias"] = ema["bias"].numpy()


run("adam", torch.optim.Adam, 0.5, 0.9, lr=0.05)
run("adamw", torch.optim.AdamW, None, 0.9, lr=0.05, weight_decay=0.1)
np.savez("training_weights.npz", weight=weight0.numpy(), bias=bias0.numpy())
np.savez("training_reference.npz", **out)
for key in ("adam_losses", "adam_norms", "adamw_losses"):
    print(key, out[key])

"""Resident-memory growth of GradientPenalty's call sequence, replayed in PyTorch (evidence for its Javadoc).

GradientPenalty (DJL 0.32) runs Tensor::backward(create_graph=True) on D(x) for a fresh leaf copy x of the input,
saves and restores the weights' gradients around it in place, then the caller's backward runs on loss + R1 and the
gradients are zeroed in place. This replays that sequence on the PatchGAN shape the memory test uses and prints the
VmRSS growth over the steps, next to: plain steps, torch.autograd.grad (not exposed by DJL 0.32), and resetting
x.grad and/or the weights' .grad to None (not possible through DJL 0.32's JNI).

Run: python3 gradient_penalty_memory.py MODE STEPS, MODE in plain, r1, autograd, xnone, grad_none, both.
"""
import sys

import torch

torch.manual_seed(0)
mode = sys.argv[1]
steps = int(sys.argv[2])
C = 64
D = torch.nn.Sequential(
    torch.nn.Conv2d(1, C, 4, 2, 1), torch.nn.LeakyReLU(0.2),
    torch.nn.Conv2d(C, 2 * C, 4, 2, 1), torch.nn.GroupNorm(2 * C, 2 * C), torch.nn.LeakyReLU(0.2),
    torch.nn.Conv2d(2 * C, 4 * C, 4, 1, 1), torch.nn.GroupNorm(4 * C, 4 * C), torch.nn.LeakyReLU(0.2),
    torch.nn.Conv2d(4 * C, 1, 4, 1, 1))
ps = list(D.parameters())


def rss_kb():
    return int([line for line in open('/proc/self/status') if line.startswith('VmRSS')][0].split()[1])


for step in range(steps + 3):
    if step == 3:
        before = rss_kb()
    real = torch.randn(2, 1, 32, 32)
    fake = torch.randn(2, 1, 32, 32)
    loss = torch.nn.functional.softplus(-D(real)).mean() + torch.nn.functional.softplus(D(fake)).mean()
    if mode == 'autograd':
        x = real.detach().requires_grad_(True)
        out = D(x)
        g, = torch.autograd.grad(out, x, torch.ones_like(out), create_graph=True)
        loss = loss + 5 * g.square().reshape(2, -1).sum(1).mean()
    elif mode != 'plain':
        x = real.detach().requires_grad_(True)
        out = D(x)
        saved = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in ps]
        out.backward(torch.ones_like(out), retain_graph=True, create_graph=True)
        g = x.grad
        x.requires_grad_(False)
        if mode in ('xnone', 'both'):
            x.grad = None
        with torch.no_grad():
            for p, s in zip(ps, saved):
                p.grad.zero_()
                p.grad.add_(s)
        loss = loss + 5 * g.square().reshape(2, -1).sum(1).mean()
    loss.backward()
    with torch.no_grad():
        for p in ps:
            p.grad[...] = 0
    if mode in ('grad_none', 'both'):
        for p in ps:
            p.grad = None
print(mode, steps, 'steps: VmRSS growth', rss_kb() - before, 'kB; one gradient copy',
      sum(p.numel() for p in ps) * 4 // 1024, 'kB')

"""Reference outputs of MedSynth's building blocks, from the same architectures written independently in PyTorch.

Run with Debian's python3 (torch 1.13), under the oneDNN cap of every MedSynth process:
    ONEDNN_MAX_CPU_ISA=SSE41 /usr/bin/python3 blocks_reference.py [GROUP ...]
(all groups when none is named; the groups are the keys of GROUPS, each seeded on its own, so one group is rewritten
without touching the others). For each network NAME it writes NAME_weights.npz (the state_dict, float32, PyTorch
names) and NAME_io.npz (the inputs and the outputs of an eval-mode forward pass). Weights and inputs are reproduced
bit for bit; outputs to about 2e-6 across CPUs and instruction sets (kernel choice). The Java tests import the
weights by name into the MedSynth blocks, run the same inputs and compare the outputs (tolerance 1e-5).
"""
import math
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def standard_groups(channels):
    groups = 32
    while channels % groups:
        groups //= 2
    return groups


def conv(dims, cin, cout, k, stride=1, padding=None):
    padding = k // 2 if padding is None else padding
    return (nn.Conv2d if dims == 2 else nn.Conv3d)(cin, cout, k, stride, padding)


def sinusoidal(values, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
    args = values.float().reshape(-1, 1) * freqs.reshape(1, -1)
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class ScalarEmbedding(nn.Module):
    def __init__(self, sinusoid_dim, dim):
        super().__init__()
        self.sinusoid_dim = sinusoid_dim
        self.linear1 = nn.Linear(sinusoid_dim, dim)
        self.linear2 = nn.Linear(dim, dim)

    def forward(self, v):
        return self.linear2(F.silu(self.linear1(sinusoidal(v, self.sinusoid_dim))))


class MultiHeadAttention(nn.Module):
    def __init__(self, dim, heads, context_dim):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim)
        self.to_k = nn.Linear(context_dim, dim)
        self.to_v = nn.Linear(context_dim, dim)
        self.to_out = nn.Linear(dim, dim)

    def split(self, x):
        n, l, _ = x.shape
        return x.reshape(n, l, self.heads, -1).permute(0, 2, 1, 3)

    def forward(self, tokens, context):
        q, k, v = self.split(self.to_q(tokens)), self.split(self.to_k(context)), self.split(self.to_v(context))
        w = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), dim=-1)
        out = (w @ v).permute(0, 2, 1, 3).reshape(tokens.shape[0], tokens.shape[1], -1)
        return self.to_out(out)


class SpatialAttention(nn.Module):
    def __init__(self, channels, heads, context_dim=0):
        super().__init__()
        self.cross = context_dim > 0
        self.norm = nn.GroupNorm(standard_groups(channels), channels)
        self.attn = MultiHeadAttention(channels, heads, context_dim if self.cross else channels)

    def forward(self, x, context=None):
        tokens = self.norm(x).flatten(2).transpose(1, 2)
        out = self.attn(tokens, context if self.cross else tokens)
        return x + out.transpose(1, 2).reshape(x.shape)


class Spade(nn.Module):
    def __init__(self, dims, channels, label_channels, hidden):
        super().__init__()
        self.shared = conv(dims, label_channels, hidden, 3)
        self.gamma = conv(dims, hidden, channels, 3)
        self.beta = conv(dims, hidden, channels, 3)

    def forward(self, x, labels):
        labels = F.interpolate(labels, size=x.shape[2:], mode="nearest")
        f = F.relu(self.shared(labels))
        return x * (1 + self.gamma(f)) + self.beta(f)


def scale_shift(h, s):
    c = h.shape[1]
    shape = (s.shape[0], c) + (1,) * (h.dim() - 2)
    return h * (1 + s[:, :c].reshape(shape)) + s[:, c:].reshape(shape)


class ResBlock(nn.Module):
    def __init__(self, dims, cin, cout, emb_dim, style_dim=0, label_channels=0):
        super().__init__()
        self.norm1 = nn.GroupNorm(standard_groups(cin), cin)
        self.conv1 = conv(dims, cin, cout, 3)
        self.emb_proj = nn.Linear(emb_dim, 2 * cout) if emb_dim else None
        modulated = style_dim > 0 or label_channels > 0
        self.norm2 = nn.GroupNorm(standard_groups(cout), cout, affine=not modulated)
        self.style = nn.Linear(style_dim, 2 * cout) if style_dim else None
        self.spade = Spade(dims, cout, label_channels, cout) if label_channels else None
        self.conv2 = conv(dims, cout, cout, 3)
        self.skip = conv(dims, cin, cout, 1) if cin != cout else None

    def forward(self, x, emb=None, style=None, labels=None):
        h = self.norm2(self.conv1(F.silu(self.norm1(x))))
        if self.emb_proj is not None:
            h = scale_shift(h, self.emb_proj(F.silu(emb)))
        if self.style is not None:
            h = scale_shift(h, self.style(style))
        if self.spade is not None:
            h = self.spade(h, labels)
        h = self.conv2(F.silu(h))
        return (x if self.skip is None else self.skip(x)) + h


class Stage(nn.Module):
    def __init__(self, cfg, cin, cout, attention):
        super().__init__()
        self.res = ResBlock(cfg["dims"], cin, cout, 4 * cfg["base"], cfg["style"], cfg["labels"])
        self.attn = SpatialAttention(cout, cfg["heads"]) if attention else None
        self.cross = SpatialAttention(cout, cfg["heads"], cfg["context"]) if attention and cfg["context"] else None

    def forward(self, x, emb, cond):
        h = self.res(x, emb, cond.get("style"), cond.get("labels"))
        if self.attn is not None:
            h = self.attn(h)
        if self.cross is not None:
            h = self.cross(h, cond["context"])
        return h


class UNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        dims, base, mults = cfg["dims"], cfg["base"], cfg["mults"]
        self.time_embed = ScalarEmbedding(base, 4 * base)
        self.class_embed = nn.Embedding(cfg["classes"], 4 * base) if cfg["classes"] else None
        self.angle_embed = ScalarEmbedding(base, 4 * base) if cfg["angle"] else None
        self.conv_in = conv(dims, cfg["in"] + cfg["cond"], base, 3)
        skips = [base]
        ch = base
        self.down = nn.ModuleDict()
        for level, m in enumerate(mults):
            stages = nn.ModuleDict()
            for r in range(cfg["res"]):
                stages[str(r)] = Stage(cfg, ch, base * m, level in cfg["attn"])
                ch = base * m
                skips.append(ch)
            if level < len(mults) - 1:
                stages["downsample"] = conv(dims, ch, ch, 3, 2, 1)
                skips.append(ch)
            self.down[str(level)] = stages
        self.mid = nn.ModuleDict({"0": Stage(cfg, ch, ch, True), "1": Stage(cfg, ch, ch, False)})
        self.up = nn.ModuleDict()
        for level in reversed(range(len(mults))):
            stages = nn.ModuleDict()
            for r in range(cfg["res"] + 1):
                stages[str(r)] = Stage(cfg, ch + skips.pop(), base * mults[level], level in cfg["attn"])
                ch = base * mults[level]
            if level > 0:
                stages["upsample"] = conv(dims, ch, ch, 3)
            self.up[str(level)] = stages
        self.norm_out = nn.GroupNorm(standard_groups(ch), ch)
        self.conv_out = conv(dims, ch, cfg["out"], 3)

    def forward(self, x, t, cond):
        cfg = self.cfg
        emb = self.time_embed(t)
        if self.class_embed is not None:
            emb = emb + self.class_embed(cond["classes"])
        if self.angle_embed is not None:
            emb = emb + self.angle_embed(cond["angles"])
        h = self.conv_in(torch.cat([x, cond["image"]], 1) if cfg["cond"] else x)
        skips = [h]
        n = len(cfg["mults"])
        for level in range(n):
            for r in range(cfg["res"]):
                h = self.down[str(level)][str(r)](h, emb, cond)
                skips.append(h)
            if level < n - 1:
                h = self.down[str(level)]["downsample"](h)
                skips.append(h)
        h = self.mid["0"](h, emb, cond)
        h = self.mid["1"](h, emb, cond)
        for level in reversed(range(n)):
            for r in range(cfg["res"] + 1):
                h = self.up[str(level)][str(r)](torch.cat([h, skips.pop()], 1), emb, cond)
            if level > 0:
                h = self.up[str(level)]["upsample"](F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.conv_out(F.silu(self.norm_out(h)))


class PatchLayer(nn.Module):
    def __init__(self, dims, cin, cout, stride, norm):
        super().__init__()
        self.conv = conv(dims, cin, cout, 4, stride, 1)
        self.norm = nn.GroupNorm(cout, cout) if norm else None


class PatchGan(nn.Module):
    def __init__(self, dims, cin, base, layers, scales):
        super().__init__()
        self.dims = dims
        self.scales = nn.ModuleDict()
        for s in range(scales):
            stack = nn.ModuleDict()
            ch = cin
            for n in range(layers + 1):
                out = base * min(2 ** n, 8)
                stack[str(n)] = PatchLayer(dims, ch, out, 2 if n < layers else 1, n > 0)
                ch = out
            stack[str(layers + 1)] = PatchLayer(dims, ch, 1, 1, False)
            self.scales[str(s)] = stack

    def forward(self, x):
        outs = []
        pool = F.avg_pool2d if self.dims == 2 else F.avg_pool3d
        for s, stack in enumerate(self.scales.values()):
            if s > 0:
                x = pool(x, 3, 2, 1, count_include_pad=False)
            h = x
            layers = list(stack.values())
            for i, layer in enumerate(layers):
                h = layer.conv(h)
                if i == len(layers) - 1:
                    break
                if layer.norm is not None:
                    h = layer.norm(h)
                h = F.leaky_relu(h, 0.2)
            outs.append(h)
        return outs


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)


class TransformerBlock(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = MultiHeadAttention(dim, heads, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x):
        n = self.norm1(x)
        h = x + self.attn(n, n)
        return h + self.mlp.fc2(F.gelu(self.mlp.fc1(self.norm2(h))))


class VitEncoder(nn.Module):
    def __init__(self, dims, cin, size, patch, dim, depth, heads, mlp_ratio):
        super().__init__()
        patches = (size // patch) ** dims
        self.patch_embed = conv(dims, cin, dim, patch, patch, 0)
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(1, patches + 1, dim) * 0.02)
        self.blocks = nn.ModuleList([TransformerBlock(dim, heads, dim * mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        tokens = self.patch_embed(x).flatten(2).transpose(1, 2)
        h = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), tokens], 1) + self.pos_embed
        for block in self.blocks:
            h = block(h)
        return self.norm(h)


class VectorQuantizer(nn.Module):
    def __init__(self, codes, dim, beta):
        super().__init__()
        self.beta = beta
        self.codebook = nn.Parameter(torch.rand(codes, dim) * 2 - 1)

    def forward(self, z):
        n, c = z.shape[:2]
        flat = z.flatten(2).transpose(1, 2).reshape(-1, c)
        dist = (flat ** 2).sum(1, keepdim=True) - 2 * flat @ self.codebook.t() + (self.codebook ** 2).sum(1)[None]
        idx = dist.argmin(1)
        q = self.codebook[idx].reshape(n, -1, c).transpose(1, 2).reshape(z.shape)
        loss = ((q - z.detach()) ** 2).mean() + self.beta * ((z - q.detach()) ** 2).mean()
        return z + (q - z).detach(), loss, idx.reshape((n,) + z.shape[2:])


def perturb_norms(model):
    """Norm scales and shifts away from 1 and 0, so that a mix-up of weight and bias shows."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, (nn.GroupNorm, nn.LayerNorm)) and module.weight is not None:
                module.weight.add_(0.2 * torch.randn_like(module.weight))
                module.bias.add_(0.2 * torch.randn_like(module.bias))


def save(name, model, inputs, outputs):
    np.savez(name + "_weights.npz", **{k: v.detach().numpy().astype(np.float32)
                                       for k, v in model.state_dict().items()})
    arrays = {"in_" + k: v.numpy() for k, v in inputs.items()}
    arrays.update({"out_" + k: v.detach().numpy() for k, v in outputs.items()})
    np.savez(name + "_io.npz", **arrays)


def unet_case(name, cfg, size, cond_inputs):
    model = UNet(cfg).eval()
    perturb_norms(model)
    shape = (2, cfg["in"]) + (size,) * cfg["dims"]
    x = torch.randn(shape)
    t = torch.tensor([3.0, 700.0])
    with torch.no_grad():
        y = model(x, t, cond_inputs)
    inputs = {"x": x, "t": t}
    inputs.update(cond_inputs)
    save(name, model, inputs, {"y": y})


def base_cfg(**overrides):
    cfg = dict(dims=2, **{"in": 1}, out=1, base=8, mults=[1, 2], res=1, attn=[1], heads=2, cond=0, classes=0,
               angle=False, context=0, style=0, labels=0)
    cfg.update(overrides)
    return cfg


def unet_patchgan_vit_vq():
    """These four share one random stream: they run together, in this order."""
    torch.manual_seed(0)
    unet_case("unet2d_class", base_cfg(cond=1, classes=3, angle=True), 16,
              {"image": torch.randn(2, 1, 16, 16), "classes": torch.tensor([2, 0]),
               "angles": torch.tensor([0.3, -1.2])})
    unet_case("unet2d_cross", base_cfg(context=6, style=5, labels=3), 16,
              {"context": torch.randn(2, 4, 6), "style": torch.randn(2, 5),
               "labels": F.one_hot(torch.randint(0, 3, (2, 16, 16)), 3).permute(0, 3, 1, 2).float()})
    unet_case("unet3d", base_cfg(dims=3), 8, {})

    gan = PatchGan(2, 1, 4, 2, 2).eval()
    perturb_norms(gan)
    x = torch.randn(2, 1, 32, 32)
    with torch.no_grad():
        outs = gan(x)
    save("patchgan", gan, {"x": x}, {"scale0": outs[0], "scale1": outs[1]})

    vit = VitEncoder(2, 1, 16, 4, 16, 2, 2, 2).eval()
    perturb_norms(vit)
    x = torch.randn(2, 1, 16, 16)
    with torch.no_grad():
        tokens = vit(x)
    save("vit", vit, {"x": x}, {"tokens": tokens})

    vq = VectorQuantizer(16, 4, 0.25)
    z = torch.randn(2, 4, 4, 4, requires_grad=True)
    q, loss, idx = vq(z)
    (q * torch.arange(q.numel(), dtype=torch.float32).reshape(q.shape)).sum().backward()
    save("vq", vq, {"z": z.detach()}, {"quantized": q, "loss": loss, "indices": idx, "grad_z": z.grad})


def norm(channels):
    return nn.GroupNorm(standard_groups(channels), channels)


class BasicBlock(nn.Module):
    def __init__(self, dims, cin, cout, stride):
        super().__init__()
        self.conv1 = conv(dims, cin, cout, 3, stride, 1)
        self.norm1 = norm(cout)
        self.conv2 = conv(dims, cout, cout, 3)
        self.norm2 = norm(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(OrderedDict(conv=conv(dims, cin, cout, 1, stride, 0), norm=norm(cout)))

    def forward(self, x):
        h = F.relu(self.norm1(self.conv1(x)))
        h = self.norm2(self.conv2(h))
        return F.relu(h + (x if self.shortcut is None else self.shortcut(x)))


class ResNetEncoder(nn.Module):
    def __init__(self, dims, cin, widths, blocks, outputs):
        super().__init__()
        self.dims = dims
        self.stem = nn.Sequential(OrderedDict(conv=conv(dims, cin, widths[0], 3), norm=norm(widths[0])))
        self.stages = nn.ModuleList()
        ch = widths[0]
        for s, (width, count) in enumerate(zip(widths, blocks)):
            stage = nn.ModuleList()
            for b in range(count):
                stage.append(BasicBlock(dims, ch, width, 2 if s > 0 and b == 0 else 1))
                ch = width
            self.stages.append(stage)
        self.head = nn.Linear(ch, outputs) if outputs else None

    def forward(self, x):
        h = F.relu(self.stem(x))
        for stage in self.stages:
            for block in stage:
                h = block(h)
        pool = F.adaptive_avg_pool2d if self.dims == 2 else F.adaptive_avg_pool3d
        features = torch.flatten(pool(h, 1), 1)
        return features if self.head is None else self.head(features)


class AeEncoder(nn.Module):
    def __init__(self, dims, cin, z, base, mults, res):
        super().__init__()
        self.conv_in = conv(dims, cin, base, 3)
        self.down = nn.ModuleDict()
        ch = base
        for level, m in enumerate(mults):
            stages = nn.ModuleDict()
            for r in range(res):
                stages[str(r)] = ResBlock(dims, ch, base * m, 0)
                ch = base * m
            if level < len(mults) - 1:
                stages["downsample"] = conv(dims, ch, ch, 3, 2, 1)
            self.down[str(level)] = stages
        self.mid = ResBlock(dims, ch, ch, 0)
        self.norm_out = norm(ch)
        self.conv_out = conv(dims, ch, 2 * z, 3)

    def forward(self, x):
        h = self.conv_in(x)
        for stages in self.down.values():
            for module in stages.values():
                h = module(h)
        return self.conv_out(F.silu(self.norm_out(self.mid(h))))


class AeDecoder(nn.Module):
    def __init__(self, dims, cout, z, base, mults, res):
        super().__init__()
        ch = base * mults[-1]
        self.conv_in = conv(dims, z, ch, 3)
        self.mid = ResBlock(dims, ch, ch, 0)
        self.up = nn.ModuleDict()
        for level in reversed(range(len(mults))):
            stages = nn.ModuleDict()
            for r in range(res + 1):
                stages[str(r)] = ResBlock(dims, ch, base * mults[level], 0)
                ch = base * mults[level]
            if level > 0:
                stages["upsample"] = conv(dims, ch, ch, 3)
            self.up[str(level)] = stages
        self.norm_out = norm(ch)
        self.conv_out = conv(dims, ch, cout, 3)

    def forward(self, z):
        h = self.mid(self.conv_in(z))
        for stages in self.up.values():
            for name, module in stages.items():
                h = module(F.interpolate(h, scale_factor=2, mode="nearest") if name == "upsample" else h)
        return self.conv_out(F.silu(self.norm_out(h)))


class KlAutoencoder(nn.Module):
    """LDM's AutoencoderKL without its attention and 1x1 quant convolutions; DiagonalGaussianDistribution's maths."""

    def __init__(self, dims, cin, z, base, mults, res):
        super().__init__()
        self.encoder = AeEncoder(dims, cin, z, base, mults, res)
        self.decoder = AeDecoder(dims, cin, z, base, mults, res)

    def encode(self, x):
        mean, logvar = torch.chunk(self.encoder(x), 2, dim=1)
        return mean, torch.clamp(logvar, -30.0, 20.0)

    def forward(self, x, noise):
        mean, logvar = self.encode(x)
        z = mean + torch.exp(0.5 * logvar) * noise
        kl = 0.5 * torch.sum(mean ** 2 + torch.exp(logvar) - 1.0 - logvar, dim=list(range(1, mean.dim())))
        return self.decoder(z), mean, logvar, kl


class Perceptron(nn.Module):
    """MedSynth's Mlp: linear layers with an activation and dropout between them (unlike the ViT's fc1/fc2 Mlp)."""

    def __init__(self, cin, widths, activation, dropout):
        super().__init__()
        self.activation = activation
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList()
        for width in widths:
            self.layers.append(nn.Linear(cin, width))
            cin = width

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = self.dropout(self.activation(x))
        return x


def resnet():
    torch.manual_seed(1)
    for name, args, shape in [("resnet2d", (2, 1, [8, 16, 32], [2, 1, 1], 3), (2, 1, 16, 16)),
                              ("resnet3d", (3, 2, [4, 8], [1, 2], 0), (2, 2, 8, 8, 8))]:
        model = ResNetEncoder(*args).eval()
        perturb_norms(model)
        x = torch.randn(shape)
        with torch.no_grad():
            y = model(x)
        save(name, model, {"x": x}, {"y": y})


def klae():
    torch.manual_seed(2)
    for name, args, shape in [("klae2d", (2, 1, 2, 8, [1, 2], 1), (2, 1, 16, 16)),
                              ("klae3d", (3, 1, 2, 4, [1, 2], 1), (1, 1, 8, 8, 8))]:
        model = KlAutoencoder(*args).eval()
        perturb_norms(model)
        with torch.no_grad():
            # the last latent channel's log-variance far below -30, so that the clamp shows
            model.encoder.conv_out.bias[-1] = -40.0
        x = torch.randn(shape)
        noise = torch.randn((shape[0], args[2]) + tuple(s // 2 for s in shape[2:]))
        with torch.no_grad():
            y, mean, logvar, kl = model(x, noise)
        assert (logvar[:, -1] == -30.0).all()
        save(name, model, {"x": x, "noise": noise}, {"y": y, "mean": mean, "logvar": logvar, "kl": kl})


def mlp():
    torch.manual_seed(3)
    for name, activation in [("mlp_gelu", F.gelu), ("mlp_silu", F.silu), ("mlp_relu", F.relu)]:
        model = Perceptron(6, [16, 12, 3], activation, 0.3).eval()
        x = torch.randn(2, 5, 6)
        with torch.no_grad():
            y = model(x)
        save(name, model, {"x": x}, {"y": y})


def lstm():
    torch.manual_seed(4)
    cell = nn.LSTMCell(5, 7)
    x, h, c = torch.randn(3, 4, 5), torch.randn(3, 7), torch.randn(3, 7)
    h0, c0 = h, c
    outputs = []
    with torch.no_grad():
        for t in range(x.shape[1]):
            h, c = cell(x[:, t], (h, c))
            outputs.append(h)
        outputs = torch.stack(outputs, 1)
        # the unrolled cell is PyTorch's one-layer LSTM with the same weights
        sequence = nn.LSTM(5, 7, batch_first=True)
        for key, value in cell.state_dict().items():
            getattr(sequence, key + "_l0").copy_(value)
        expected, (h_last, c_last) = sequence(x, (h0[None], c0[None]))
    assert torch.allclose(outputs, expected, atol=1e-6) and torch.allclose(c, c_last[0], atol=1e-6)
    save("lstm", cell, {"x": x, "h": h0, "c": c0}, {"outputs": outputs, "h": h, "c": c})


GROUPS = OrderedDict([("unet-patchgan-vit-vq", unet_patchgan_vit_vq), ("resnet", resnet), ("klae", klae),
                      ("mlp", mlp), ("lstm", lstm)])


if __name__ == "__main__":
    for group in sys.argv[1:] or GROUPS:
        GROUPS[group]()

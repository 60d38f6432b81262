"""Reference values and input gradients of MedSynth's training losses (org.medsynth.ml.loss), from PyTorch.

Run with Debian's python3 (torch 1.13, scikit-image 0.19): /usr/bin/python3 losses_reference.py
Writes losses_reference.npz (fixed float32 inputs "in_*", float64 loss values "value_*" and gradients "grad_*") and
losses_tinynet_weights.npz (the state_dict of the small random-weight network that serves as feature network and as
discriminator). Every loss is computed in float64 from the float32 inputs; gradients come from torch.autograd, the
gradient penalties' gradients with create_graph=True. SSIM is checked against scikit-image here before it is saved.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from skimage.metrics import structural_similarity

torch.manual_seed(0)
arrays = {}


def leaf(tensor):
    """A float64 copy of the (float32) input that collects gradients."""
    return tensor.double().requires_grad_(True)


def record(name, value, **gradients):
    """Saves a loss value and the gradients of its sum with respect to the named leaves."""
    leaves = list(gradients.values())
    grads = torch.autograd.grad(value.sum(), leaves)
    arrays["value_" + name] = value.detach().numpy()
    for key, grad in zip(gradients, grads):
        arrays["grad_" + name + "_" + key] = grad.numpy()


def inputs(**named):
    for key, tensor in named.items():
        arrays["in_" + key] = tensor.numpy()
    return named


# --- L1 / L2 (weighted mean: sum of w·d over sum of w, weights broadcast to the input shape) ---
r = inputs(pred=torch.randn(2, 3, 8, 8), target=torch.randn(2, 3, 8, 8), weights=torch.rand(2, 1, 8, 8),
           mask=(torch.rand(2, 3, 8, 8) > 0.5).float())


def weighted_mean(d, w):
    w = w.expand_as(d)
    return (w * d).sum() / w.sum()


p = leaf(r["pred"])
t = r["target"].double()
record("l1", (p - t).abs().mean(), pred=p)
record("l2", ((p - t) ** 2).mean(), pred=p)
record("l1_weighted", weighted_mean((p - t).abs(), r["weights"].double()), pred=p)
record("l2_masked", weighted_mean((p - t) ** 2, r["mask"].double()), pred=p)


# --- SSIM: 11-tap Gaussian (sigma 1.5), K1 0.01, K2 0.03, population covariance, mean over 'valid' positions ---
def gaussian_taps():
    x = torch.arange(-5, 6, dtype=torch.float64)
    k = torch.exp(-0.5 * x ** 2 / 1.5 ** 2)
    return k / k.sum()


def ssim(x, y, data_range):
    dims = x.dim() - 2
    channels = x.shape[1]
    conv = F.conv2d if dims == 2 else F.conv3d
    stack = torch.cat([x, y, x * x, y * y, x * y], dim=1)
    taps = gaussian_taps()
    for axis in range(dims):
        shape = [1] * dims
        shape[axis] = 11
        weight = taps.reshape(1, 1, *shape).repeat(5 * channels, *([1] * (dims + 1)))
        stack = conv(stack, weight, groups=5 * channels)
    mx, my, mxx, myy, mxy = stack.split(channels, dim=1)
    vx, vy, cxy = mxx - mx * mx, myy - my * my, mxy - mx * my
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    return ((2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2))).mean()


def skimage_ssim(x, y, data_range):
    values = [structural_similarity(x[n, c].numpy().astype(np.float64), y[n, c].numpy().astype(np.float64),
                                    gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                    data_range=data_range)
              for n in range(x.shape[0]) for c in range(x.shape[1])]
    return float(np.mean(values))


def ssim_case(name, x, y, data_range):
    r = inputs(**{name + "_x": x, name + "_y": y})
    a, b = leaf(r[name + "_x"]), leaf(r[name + "_y"])
    value = ssim(a, b, data_range)
    expected = skimage_ssim(x, y, data_range)
    assert abs(value.item() - expected) < 1e-10, (name, value.item(), expected)
    record(name, 1 - value, x=a, y=b)


image = torch.rand(2, 2, 24, 26)
ssim_case("ssim2d", image, (image + 0.2 * torch.randn_like(image)).clamp(0, 1), 1.0)
volume = 2 * torch.rand(2, 1, 13, 14, 15) - 1
ssim_case("ssim3d", volume, (0.7 * volume + 0.4 * torch.randn_like(volume)).clamp(-1, 1), 2.0)


# --- the small network: features for the perceptual loss, its last map as discriminator logits ---
class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1, 1)
        self.conv2 = nn.Conv2d(4, 8, 3, 2, 1)
        self.conv3 = nn.Conv2d(8, 1, 3, 1, 1)

    def features(self, x):
        h1 = F.leaky_relu(self.conv1(x), 0.2)
        h2 = F.silu(self.conv2(h1))
        return [h1, h2, self.conv3(h2)]

    def forward(self, x):
        return self.features(x)[-1]


net = TinyNet()
with torch.no_grad():
    for parameter in net.parameters():
        parameter.add_(0.1 * torch.randn_like(parameter))
np.savez("losses_tinynet_weights.npz", **{k: v.numpy().astype(np.float32) for k, v in net.state_dict().items()})
net = net.double()

# --- perceptual: per layer, features divided by their channel norm (+1e-10), squared differences summed over
# channels, averaged over batch and positions; layers summed (LPIPS without learned weights) ---
r = inputs(perceptual_x=torch.randn(2, 1, 16, 16), perceptual_y=torch.randn(2, 1, 16, 16))
a, b = leaf(r["perceptual_x"]), leaf(r["perceptual_y"])


def unit(f):
    return f / (f.pow(2).sum(dim=1, keepdim=True).sqrt() + 1e-10)


value = sum(((unit(fa) - unit(fb)) ** 2).sum(dim=1).mean() for fa, fb in zip(net.features(a), net.features(b)))
record("perceptual", value, x=a, y=b)

# --- adversarial losses on logits ---
r = inputs(real_logits=2 * torch.randn(4, 1, 5, 5), fake_logits=2 * torch.randn(4, 1, 5, 5))
real, fake = leaf(r["real_logits"]), leaf(r["fake_logits"])
record("nonsaturating_d", F.softplus(-real).mean() + F.softplus(fake).mean(), real=real, fake=fake)
record("nonsaturating_g", F.softplus(-fake).mean(), fake=fake)
record("hinge_d", F.relu(1 - real).mean() + F.relu(1 + fake).mean(), real=real, fake=fake)
record("hinge_g", -fake.mean(), fake=fake)
record("wasserstein_d", fake.mean() - real.mean(), real=real, fake=fake)
record("wasserstein_g", -fake.mean(), fake=fake)

# --- gradient penalties through the network; their gradients with respect to its weights need double backprop ---
r = inputs(gp_real=torch.randn(3, 1, 12, 12), gp_fake=torch.randn(3, 1, 12, 12), gp_epsilon=torch.rand(3, 1, 1, 1))
real, fake, eps = r["gp_real"].double(), r["gp_fake"].double(), r["gp_epsilon"].double()


def input_gradient(x):
    x = x.detach().requires_grad_(True)
    return torch.autograd.grad(net(x).sum(), x, create_graph=True)[0]


def weight_gradients(name, loss):
    arrays["value_" + name] = loss.detach().numpy()
    named = list(net.named_parameters())
    grads = torch.autograd.grad(loss, [p for _, p in named], allow_unused=True, retain_graph=True)
    for (key, parameter), grad in zip(named, grads):
        # the last bias shifts D's output but not its input gradient: no gradient from a penalty alone
        arrays["grad_" + name + "_" + key] = (torch.zeros_like(parameter) if grad is None else grad).detach().numpy()


g = input_gradient(eps * real + (1 - eps) * fake)
wgan_gp = ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()
weight_gradients("wgan_gp", wgan_gp)
weight_gradients("wgan_gp_total", net(fake).mean() - net(real).mean() + 10 * wgan_gp)
g = input_gradient(real)
r1 = g.flatten(1).pow(2).sum(dim=1).mean()
weight_gradients("r1", r1)
weight_gradients("r1_total", F.softplus(-net(real)).mean() + F.softplus(net(fake)).mean() + 0.5 * r1)

# --- KL(N(mu, exp(logvar)) || N(0, 1)), summed over each sample's elements, averaged over the batch ---
r = inputs(kl_mean=torch.randn(4, 3, 2, 2), kl_logvar=0.5 * torch.randn(4, 3, 2, 2))
mu, logvar = leaf(r["kl_mean"]), leaf(r["kl_logvar"])
record("kl", (-0.5 * (1 + logvar - mu ** 2 - logvar.exp())).flatten(1).sum(dim=1).mean(), mean=mu, logvar=logvar)

# --- cross-entropy and focal loss from logits, class-index targets ---
IGNORE = 255
targets = torch.randint(0, 4, (3, 5, 6))
targets[0, 0, :3] = IGNORE
targets[2, 4, 5] = IGNORE
r = inputs(ce_logits=1.5 * torch.randn(3, 4, 5, 6), ce_targets=targets,
           class_weights=torch.tensor([0.5, 1.0, 2.0, 1.5]), focal_alpha=torch.tensor([0.25, 0.75, 0.5, 1.0]))
logits = leaf(r["ce_logits"])
plain_targets = targets.clone()
plain_targets[plain_targets == IGNORE] = 1
arrays["in_ce_plain_targets"] = plain_targets.numpy()
record("ce", F.cross_entropy(logits, plain_targets), logits=logits)
record("ce_weighted_ignore", F.cross_entropy(logits, targets, weight=r["class_weights"].double(), ignore_index=IGNORE),
       logits=logits)


def focal(logits, targets, gamma, alpha):
    """Mean over non-ignored positions of −alpha[t]·(1 − p_t)^gamma·log p_t."""
    keep = targets != IGNORE
    safe = torch.where(keep, targets, torch.zeros_like(targets))
    log_pt = F.log_softmax(logits, dim=1).gather(1, safe.unsqueeze(1)).squeeze(1)
    weight = torch.ones_like(log_pt) if alpha is None else alpha.double()[safe]
    per_position = -weight * (1 - log_pt.exp()) ** gamma * log_pt
    return per_position[keep].mean()


record("focal", focal(logits, targets, 2.0, r["focal_alpha"]), logits=logits)
record("focal_gamma0", focal(logits, targets, 0.0, None), logits=logits)

# --- soft Dice: per sample and class (2·Σpg + s) / (Σp + Σg + s), loss 1 − dice averaged over samples and classes ---
dice_targets = torch.randint(0, 3, (2, 6, 7))
dice_targets[1][dice_targets[1] == 2] = 0  # class 2 absent from sample 1
r = inputs(dice_logits=torch.randn(2, 3, 6, 7), dice_targets=dice_targets,
           dice_probabilities=torch.softmax(torch.randn(2, 3, 6, 7), dim=1))
SMOOTH = 1e-5


def dice_per_class(probabilities, targets, smooth):
    one_hot = F.one_hot(targets, probabilities.shape[1]).permute(0, 3, 1, 2).double()
    intersection = (probabilities * one_hot).flatten(2).sum(2)
    denominator = (probabilities + one_hot).flatten(2).sum(2)
    return (1 - (2 * intersection + smooth) / (denominator + smooth)).mean(dim=0)


logits = leaf(r["dice_logits"])
record("dice_logits", dice_per_class(torch.softmax(logits, dim=1), dice_targets, SMOOTH).mean(), logits=logits)
record("dice_per_class", dice_per_class(torch.softmax(logits, dim=1), dice_targets, SMOOTH), logits=logits)
probabilities = leaf(r["dice_probabilities"])
record("dice_probabilities", dice_per_class(probabilities, dice_targets, 1.0).mean(), probabilities=probabilities)

np.savez("losses_reference.npz", **arrays)
print("wrote", len(arrays), "arrays")

"""Reference values for MedSynth's diffusion code, computed independently in numpy (float64).

Run with Debian's python3: /usr/bin/python3 diffusion_reference.py  -> diffusion_reference.npz
  schedule_{linear,cosine,scaled_linear}_{betas,alpha_bars}: T = 1000 (DDPM's 1e-4..0.02, cosine s = 0.008 clipped
      at 0.999, latent diffusion's 0.00085..0.012 in sqrt space)
  posterior_{x0,xt,mean}, posterior_variance: q(x_{t-1} | x_t, x_0) of the linear schedule at t = 500
  ddim_start and ddim_{epsilon,x0,v}: deterministic DDIM (eta = 0, 10 steps, linear schedule) from ddim_start with
      the analytic network f(x, t) = 0.5 sin(x) (t + 1) / T, read as an epsilon, x0 or v prediction
  resshift_etas, resshift_posterior (T x 3: coefficient of x_t, of x0, variance): ResShift's schedule (Yue et al.
      2023, eq. 10 with T = 15, kappa = 2, p = 0.3, sqrt(eta_1) = min(0.04 / kappa, 0.04), sqrt(eta_T) = 0.99), written
      in the paper's form sqrt(eta_t) = sqrt(eta_1) b0^beta_t, b0 = exp(log(eta_T / eta_1) / (2 (T - 1)))
  resshift_{x0,y0,noise,xt}: x_t = x0 + eta_t (y0 - x0) + kappa sqrt(eta_t) noise at t = 7 (index 6)
"""
import math

import numpy as np

T = 1000


def linear():
    return np.linspace(1e-4, 0.02, T)


def scaled_linear():
    return np.linspace(math.sqrt(0.00085), math.sqrt(0.012), T) ** 2


def cosine(s=0.008):
    f = lambda t: math.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2
    return np.array([min(1 - f(t + 1) / f(t), 0.999) for t in range(T)])


def network(x, t):
    return 0.5 * np.sin(x) * (t + 1) / T


def ddim(start, prediction, betas, steps=10):
    alpha_bars = np.cumprod(1 - betas)
    taus = [i * T // steps for i in range(steps)]
    x = start
    for i in reversed(range(steps)):
        t = taus[i]
        a = alpha_bars[t]
        a_prev = alpha_bars[taus[i - 1]] if i > 0 else 1.0
        out = network(x, t)
        if prediction == "epsilon":
            eps = out
            x0 = (x - math.sqrt(1 - a) * eps) / math.sqrt(a)
        elif prediction == "x0":
            x0 = out
            eps = (x - math.sqrt(a) * x0) / math.sqrt(1 - a)
        else:
            x0 = math.sqrt(a) * x - math.sqrt(1 - a) * out
            eps = math.sqrt(1 - a) * x + math.sqrt(a) * out
        x = math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps
    return x


def resshift(T=15, kappa=2.0, p=0.3):
    eta_1 = min(0.04 / kappa, 0.04) ** 2
    eta_T = 0.99 ** 2
    b0 = math.exp(math.log(eta_T / eta_1) / (2 * (T - 1)))
    beta = [((t - 1) / (T - 1)) ** p * (T - 1) for t in range(1, T + 1)]
    etas = np.array([(math.sqrt(eta_1) * b0 ** b) ** 2 for b in beta])
    previous = np.concatenate([[0.0], etas[:-1]])
    alpha = etas - previous
    posterior = np.stack([previous / etas, alpha / etas, kappa ** 2 * previous / etas * alpha], axis=1)
    return etas, posterior


def main():
    rng = np.random.default_rng(0)
    out = {}
    for name, betas in [("linear", linear()), ("cosine", cosine()), ("scaled_linear", scaled_linear())]:
        out["schedule_%s_betas" % name] = betas
        out["schedule_%s_alpha_bars" % name] = np.cumprod(1 - betas)
    betas = linear()
    ab = np.cumprod(1 - betas)
    t = 500
    x0 = rng.standard_normal((2, 1, 4, 4))
    xt = rng.standard_normal((2, 1, 4, 4))
    out["posterior_x0"], out["posterior_xt"] = x0.astype(np.float32), xt.astype(np.float32)
    x0, xt = out["posterior_x0"].astype(np.float64), out["posterior_xt"].astype(np.float64)
    out["posterior_mean"] = (betas[t] * math.sqrt(ab[t - 1]) / (1 - ab[t]) * x0
                             + math.sqrt(1 - betas[t]) * (1 - ab[t - 1]) / (1 - ab[t]) * xt)
    out["posterior_variance"] = np.array(betas[t] * (1 - ab[t - 1]) / (1 - ab[t]))
    start = rng.standard_normal((2, 1, 8, 8)).astype(np.float32)
    out["ddim_start"] = start
    for prediction in ["epsilon", "x0", "v"]:
        out["ddim_" + prediction] = ddim(start.astype(np.float64), prediction, betas)
    etas, posterior = resshift()
    out["resshift_etas"], out["resshift_posterior"] = etas, posterior
    for name in ["x0", "y0", "noise"]:
        out["resshift_" + name] = rng.standard_normal((1, 1, 4, 4)).astype(np.float32)
    x0, y0, noise = (out["resshift_" + n].astype(np.float64) for n in ["x0", "y0", "noise"])
    out["resshift_xt"] = x0 + etas[6] * (y0 - x0) + 2.0 * math.sqrt(etas[6]) * noise
    np.savez("diffusion_reference.npz", **out)


if __name__ == "__main__":
    main()

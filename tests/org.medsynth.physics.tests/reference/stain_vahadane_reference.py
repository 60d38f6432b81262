"""Vahadane stain separation by scikit-learn, independent of the Java code: a synthetic H&E image (NumPy, seeded)
made from known stain vectors, its optical densities OD = -ln((I + 1)/240), the tissue pixels (OD > 0.15 in every
channel) factorised by sklearn.decomposition.DictionaryLearning (two atoms, alpha = lambda, positive codes and
atoms: min 0.5 |V - UW|^2 + lambda |U|_1 with unit-bounded atoms, the sparse NMF of Vahadane et al. 2016), and the
concentrations of every pixel by sklearn.decomposition.sparse_encode (positive lasso, alpha = lambda / 10) on those
stains. Writes stain_vahadane_reference.json.
  usage: stain_vahadane_reference.py
"""
import json
import os

import numpy as np
from sklearn.decomposition import DictionaryLearning, sparse_encode

HERE = os.path.dirname(os.path.abspath(__file__))
LAMBDA = 0.1
STAINS = np.array([[0.65, 0.22], [0.70, 0.80], [0.29, 0.56]])


def image(pixels, rng):
    """40 % haematoxylin and 40 % eosin pixels with up to 3 % of the other stain, 10 % mixtures, 10 % background;
    OD noise sigma 0.05, 8-bit rounding."""
    stains = STAINS / np.linalg.norm(STAINS, axis=0)
    u = rng.random(pixels)
    h = 0.5 + rng.random(pixels)
    e = 0.6 + rng.random(pixels)
    e = np.where(u < 0.4, e * 0.03 * rng.random(pixels), e)
    h = np.where((u >= 0.4) & (u < 0.8), h * 0.03 * rng.random(pixels), h)
    background = u > 0.9
    h = np.where(background, 0.02 * rng.random(pixels), h)
    e = np.where(background, 0.02 * rng.random(pixels), e)
    od = np.stack([h, e], 1) @ stains.T + 0.05 * rng.standard_normal((pixels, 3))
    return np.clip(np.rint(240 * np.exp(-od) - 1), 0, 255), stains


def main():
    rgb, stains = image(3000, np.random.default_rng(2016))
    od = -np.log((rgb + 1) / 240)
    tissue = od[(od > 0.15).all(1)]
    learner = DictionaryLearning(n_components=2, alpha=LAMBDA, max_iter=2000, tol=1e-12, fit_algorithm="cd",
                                 transform_algorithm="lasso_cd", positive_code=True, positive_dict=True,
                                 random_state=0)
    learner.fit(tissue)
    atoms = learner.components_ / np.linalg.norm(learner.components_, axis=1, keepdims=True)
    # haematoxylin is the atom with more red optical density
    atoms = atoms[np.argsort(-atoms[:, 0])]
    concentrations = sparse_encode(od, atoms, algorithm="lasso_cd", alpha=LAMBDA / 10, positive=True,
                                   max_iter=10000)
    angles = [float(np.degrees(np.arccos(np.clip(atoms[k] @ stains[:, k], -1, 1)))) for k in range(2)]
    json.dump({"lambda": LAMBDA, "rgb": rgb.astype(int).ravel().tolist(),
               "true_stains": stains.ravel().tolist(), "stains": atoms.T.ravel().tolist(),
               "angle_to_true_degrees": angles, "tissue_pixels": int(len(tissue)),
               "concentrations": np.round(concentrations, 7).ravel().tolist()},
              open(os.path.join(HERE, "stain_vahadane_reference.json"), "w"))
    print("tissue", len(tissue), "stains (columns H, E)", atoms.T.tolist(), "angle to true", angles)


if __name__ == "__main__":
    main()

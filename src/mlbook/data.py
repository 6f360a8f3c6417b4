"""Data for the book: scikit-learn's bundled data sets, splits and small synthetic generators.

Nothing here downloads anything: the bundled data sets ship inside scikit-learn, and the
synthetic ones are generated from a seed.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .validation import as_float_array, check_positive

#: The scikit-learn data sets that ship with the package (no download needed).
BUNDLED = ("iris", "digits", "wine", "breast_cancer", "diabetes")


def load(name: str, *, as_tensor: bool = False, device: Any = None) -> tuple[Any, Any]:
    """Load one of scikit-learn's bundled data sets as ``(X, y)``.

    Parameters
    ----------
    name : {"iris", "digits", "wine", "breast_cancer", "diabetes"}
    as_tensor : bool, default False
        Return torch tensors (``float32`` features; ``int64`` class labels or ``float32``
        regression targets) instead of NumPy arrays.
    device : torch.device or str, optional
        Where to put the tensors (only with ``as_tensor=True``).

    Returns
    -------
    X : ndarray or Tensor of shape (n_samples, n_features)
    y : ndarray or Tensor of shape (n_samples,)
    """
    import sklearn.datasets as skd

    if name not in BUNDLED:
        raise ValueError(f"unknown data set {name!r}; the bundled ones are {', '.join(BUNDLED)}")
    X, y = getattr(skd, f"load_{name}")(return_X_y=True)
    if not as_tensor:
        if device is not None:
            raise ValueError("device is only used with as_tensor=True")
        return X, y
    import torch

    Xt = torch.as_tensor(X, dtype=torch.float32, device=device)
    yt = torch.as_tensor(y, dtype=torch.float32 if name == "diabetes" else torch.int64, device=device)
    return Xt, yt


def train_test_split(X: Any, y: Any, *, test_size: float = 0.25, stratify: bool = False,
                     random_state: int | None = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle and split ``(X, y)`` into ``X_train, X_test, y_train, y_test``.

    With ``stratify=True`` every class keeps (up to rounding) its share in both parts, as
    scikit-learn's ``train_test_split(..., stratify=y)`` does.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} values")
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be a fraction in (0, 1), got {test_size!r}")
    n = X.shape[0]
    n_test = int(np.ceil(test_size * n))
    if n_test < 1 or n_test >= n:
        raise ValueError(f"test_size={test_size} leaves an empty part for {n} samples")
    rng = np.random.default_rng(random_state)
    if not stratify:
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        classes, y_idx = np.unique(y, return_inverse=True)
        if np.bincount(y_idx).min() < 2:
            raise ValueError("stratify=True needs at least 2 samples of every class")
        test_parts = []
        for k in range(len(classes)):
            members = rng.permutation(np.flatnonzero(y_idx == k))
            share = int(round(test_size * len(members)))
            test_parts.append(members[:max(1, min(share, len(members) - 1))])
        test = rng.permutation(np.concatenate(test_parts))
        train = rng.permutation(np.setdiff1d(np.arange(n), test))
    return X[train], X[test], y[train], y[test]


def make_linear(n_samples: int = 100, *, weights: Any = (2.0, -3.4), bias: float = 4.2,
                noise: float = 0.1, random_state: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Samples of ``y = X @ w + b + noise`` with ``X ~ N(0, I)`` and ``noise ~ N(0, noise**2)``."""
    check_positive(n_samples, "n_samples", integer=True)
    check_positive(noise, "noise", strict=False)
    w = as_float_array(weights, "weights", ndim=1)
    rng = np.random.default_rng(random_state)
    X = rng.normal(size=(n_samples, w.size))
    y = X @ w + bias + noise * rng.normal(size=n_samples)
    return X, y


def make_blobs(n_samples: int = 200, *, centers: Any = ((-2.0, 0.0), (2.0, 0.0)), std: float = 1.0,
               random_state: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clusters around ``centers`` (shape (n_classes, n_features)); labels 0..n_classes-1.

    Samples are spread as evenly as possible over the classes.
    """
    check_positive(n_samples, "n_samples", integer=True)
    check_positive(std, "std")
    c = as_float_array(centers, "centers", ndim=2)
    rng = np.random.default_rng(random_state)
    y = np.arange(n_samples) % c.shape[0]
    rng.shuffle(y)
    X = c[y] + std * rng.normal(size=(n_samples, c.shape[1]))
    return X, y


def make_xor(n_samples: int = 200, *, noise: float = 0.2, random_state: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Four clusters at (±1, ±1); label 1 where the signs of the two coordinates differ (XOR)."""
    check_positive(n_samples, "n_samples", integer=True)
    check_positive(noise, "noise", strict=False)
    rng = np.random.default_rng(random_state)
    corners = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=float)
    idx = np.arange(n_samples) % 4
    rng.shuffle(idx)
    X = corners[idx] + noise * rng.normal(size=(n_samples, 2))
    y = (idx >= 2).astype(int)
    return X, y


def make_moons(n_samples: int = 200, *, noise: float = 0.1, random_state: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (a non-linear boundary), as scikit-learn's ``make_moons``."""
    check_positive(n_samples, "n_samples", integer=True)
    check_positive(noise, "noise", strict=False)
    rng = np.random.default_rng(random_state)
    n0 = n_samples // 2
    n1 = n_samples - n0
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n1)
    X = np.vstack([np.c_[np.cos(t0), np.sin(t0)], np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]])
    y = np.r_[np.zeros(n0, dtype=int), np.ones(n1, dtype=int)]
    X = X + noise * rng.normal(size=X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order]


def ring_centers(n_modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """The ``n_modes`` points ``radius · (cos 2πk/n_modes, sin 2πk/n_modes)``, k = 0, …, n_modes − 1."""
    check_positive(n_modes, "n_modes", integer=True)
    check_positive(radius, "radius")
    angles = 2 * np.pi * np.arange(int(n_modes)) / int(n_modes)
    return radius * np.c_[np.cos(angles), np.sin(angles)]


def make_gaussian_ring(n_samples: int = 1000, *, n_modes: int = 8, radius: float = 2.0, std: float = 0.05,
                       random_state: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """A mixture of ``n_modes`` equally likely Gaussians with covariance ``std² I`` on a circle.

    The modes sit at :func:`ring_centers` (angles 2πk/n_modes on a circle of the given radius); the
    standard test of mode collapse for GANs (Metz et al., 2017). Returns the samples (n_samples, 2) and
    the index of the mode each came from. Samples are spread as evenly as possible over the modes.
    """
    check_positive(n_samples, "n_samples", integer=True)
    check_positive(std, "std")
    centers = ring_centers(n_modes, radius)
    rng = np.random.default_rng(random_state)
    y = np.arange(int(n_samples)) % int(n_modes)
    rng.shuffle(y)
    X = centers[y] + std * rng.normal(size=(int(n_samples), 2))
    return X, y


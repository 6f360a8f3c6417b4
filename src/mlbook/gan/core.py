"""The mathematics of GANs in NumPy: the optimal discriminator and the value of the game, the
Wasserstein-1 distance in one dimension, the Fréchet distance between Gaussians (FID's formula),
spectral norms by power iteration, and mode coverage on mixture data (chapter 11).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..validation import as_float_array, check_positive

__all__ = ["optimal_discriminator", "gan_value", "wasserstein_1d", "frechet_distance",
           "frechet_distance_of_samples", "inception_score", "spectral_norm", "mode_coverage"]


def _densities(p_data: Any, p_model: Any) -> tuple[np.ndarray, np.ndarray]:
    p = as_float_array(p_data, "p_data")
    q = as_float_array(p_model, "p_model")
    if p.shape != q.shape:
        raise ValueError(f"p_data and p_model must have the same shape, got {p.shape} and {q.shape}")
    if (p < 0).any() or (q < 0).any():
        raise ValueError("densities and probabilities must be non-negative; p_data or p_model has a negative entry")
    return p, q


def optimal_discriminator(p_data: Any, p_model: Any) -> np.ndarray:
    """The discriminator that maximises the GAN value for a fixed generator (Goodfellow et al., 2014).

    .. math:: D^*(x) = \\frac{p_{\\text{data}}(x)}{p_{\\text{data}}(x) + p_g(x)}.

    For each x, :math:`a \\log D + b \\log(1 - D)` with :math:`a, b \\ge 0` is maximised on
    :math:`[0, 1]` at :math:`D = a/(a + b)`. Where both densities are 0 the point carries no weight in
    the value and any D is optimal; 1/2 is returned there.

    Parameters
    ----------
    p_data, p_model : arrays of the same shape
        Densities (or probabilities) of the data and of the generator at the same points.
    """
    p, q = _densities(p_data, p_model)
    total = p + q
    # region: optimal discriminator
    return np.divide(p, total, out=np.full_like(p, 0.5), where=total > 0)
    # endregion


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x log y with 0 log y = 0 (also for y = 0); x > 0 with y = 0 gives -inf."""
    with np.errstate(divide="ignore"):
        return np.where(x > 0, x * np.log(np.where(x > 0, y, 1.0)), 0.0)


def gan_value(p_data: Any, p_model: Any, discriminator: Any = None) -> float:
    """The value :math:`V(D, G) = \\sum_x p_{\\text{data}}(x) \\log D(x) + p_g(x) \\log(1 - D(x))`.

    For discrete distributions (probability vectors over the same outcomes); for densities on a grid,
    multiply the result by the grid spacing. With ``discriminator=None`` the optimal discriminator is
    used, and then :math:`V = -\\log 4 + 2\\,\\mathrm{JSD}(p_{\\text{data}} \\Vert p_g)` in nats.
    Uses :math:`0 \\log 0 = 0`; a discriminator that gives 0 (or 1) where the data (or the generator)
    has mass makes the value :math:`-\\infty`, which is returned as such.
    """
    p, q = _densities(p_data, p_model)
    if discriminator is None:
        d = optimal_discriminator(p, q)
        one_minus_d = optimal_discriminator(q, p)   # q/(p + q), exact where 1 − D* would round to 0
    else:
        d = as_float_array(discriminator, "discriminator")
        if d.shape != p.shape:
            raise ValueError(f"discriminator must have the shape of p_data, {p.shape}; got {d.shape}")
        if (d < 0).any() or (d > 1).any():
            raise ValueError("discriminator values are probabilities and must lie in [0, 1]")
        one_minus_d = 1.0 - d
    # region: value
    return float(np.sum(_xlogy(p, d)) + np.sum(_xlogy(q, one_minus_d)))
    # endregion


def wasserstein_1d(u: Any, v: Any, u_weights: Any = None, v_weights: Any = None) -> float:
    """The Wasserstein-1 (earth mover's) distance between two distributions on the real line.

    .. math:: W_1(P, Q) = \\int_{-\\infty}^{\\infty} |F_P(x) - F_Q(x)|\\, dx,

    where :math:`F_P, F_Q` are the cumulative distribution functions of the empirical distributions of
    the samples ``u`` and ``v`` (optionally weighted). Between consecutive points of the merged, sorted
    samples both CDFs are constant, so the integral is a finite sum. For equal numbers of unweighted
    samples it equals the mean of :math:`|u_{(i)} - v_{(i)}|` over the sorted samples: the optimal
    transport plan matches them in order. Equal to ``scipy.stats.wasserstein_distance``.
    """
    u = as_float_array(u, "u", ndim=1)
    v = as_float_array(v, "v", ndim=1)
    wu = _weights(u_weights, u.size, "u_weights")
    wv = _weights(v_weights, v.size, "v_weights")
    # region: w1
    x = np.sort(np.concatenate([u, v]))
    ou, ov = np.argsort(u), np.argsort(v)
    cu = np.concatenate([[0.0], np.cumsum(wu[ou])])   # CDF of u after 0, 1, ..., n_u sorted samples
    cv = np.concatenate([[0.0], np.cumsum(wv[ov])])
    Fu = cu[np.searchsorted(u[ou], x[:-1], side="right")]   # F_u on each interval [x_k, x_{k+1})
    Fv = cv[np.searchsorted(v[ov], x[:-1], side="right")]
    return float(np.sum(np.abs(Fu - Fv) * np.diff(x)))
    # endregion


def _weights(w: Any, n: int, name: str) -> np.ndarray:
    if w is None:
        return np.full(n, 1.0 / n)
    w = as_float_array(w, name, ndim=1)
    if w.size != n:
        raise ValueError(f"{name} must have one weight per sample ({n}), got {w.size}")
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError(f"{name} must be non-negative with a positive sum")
    return w / w.sum()


def _sqrtm_psd(a: np.ndarray) -> np.ndarray:
    """The symmetric square root of a symmetric positive semi-definite matrix."""
    vals, vecs = np.linalg.eigh(a)
    return (vecs * np.sqrt(np.clip(vals, 0.0, None))) @ vecs.T


def frechet_distance(mu1: Any, cov1: Any, mu2: Any, cov2: Any) -> float:
    """The squared Fréchet (2-Wasserstein) distance between two Gaussians, the formula of FID.

    .. math:: d^2 = \\lVert \\mu_1 - \\mu_2 \\rVert^2 + \\operatorname{tr}\\big(\\Sigma_1 + \\Sigma_2
              - 2 (\\Sigma_1^{1/2} \\Sigma_2 \\Sigma_1^{1/2})^{1/2}\\big)

    (Dowson & Landau, 1982). The trace term equals :math:`\\operatorname{tr}(\\Sigma_1 + \\Sigma_2 - 2
    (\\Sigma_1 \\Sigma_2)^{1/2})` as FID writes it (Heusel et al., 2017): the two square roots have the
    same eigenvalues. The symmetric form is computed here, with eigendecompositions, so that no complex
    numbers appear. Like FID, it returns the squared distance.

    Parameters
    ----------
    mu1, mu2 : arrays of shape (d,)
    cov1, cov2 : symmetric positive semi-definite arrays of shape (d, d)
    """
    mu1, mu2 = as_float_array(mu1, "mu1", ndim=1), as_float_array(mu2, "mu2", ndim=1)
    c1, c2 = as_float_array(cov1, "cov1", ndim=2), as_float_array(cov2, "cov2", ndim=2)
    d = mu1.size
    if mu2.size != d or c1.shape != (d, d) or c2.shape != (d, d):
        raise ValueError(f"the means must have the same length d and the covariances shape (d, d); got "
                         f"{mu1.shape}, {c1.shape}, {mu2.shape}, {c2.shape}")
    for name, c in (("cov1", c1), ("cov2", c2)):
        scale = max(1.0, np.abs(c).max())
        if not np.allclose(c, c.T, atol=1e-10 * scale):
            raise ValueError(f"{name} must be symmetric")
        if np.linalg.eigvalsh(c).min() < -1e-8 * scale:
            raise ValueError(f"{name} must be positive semi-definite (it has a negative eigenvalue)")
    # region: frechet
    s1 = _sqrtm_psd(c1)
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(s1 @ c2 @ s1), 0.0, None)).sum()  # tr (S1^½ S2 S1^½)^½
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(c1) + np.trace(c2) - 2.0 * cross)
    # endregion


def frechet_distance_of_samples(features_1: Any, features_2: Any) -> float:
    """:func:`frechet_distance` between Gaussians fitted to two sets of features (rows are samples).

    Each set is summarised by its mean and its covariance (``np.cov`` with the unbiased n − 1); with
    Inception features of real and generated images this is FID (Heusel et al., 2017). The estimate
    is biased upwards for finite samples: two samples of the same distribution give a positive value
    that shrinks as the sample size grows.
    """
    F1 = as_float_array(features_1, "features_1", ndim=2)
    F2 = as_float_array(features_2, "features_2", ndim=2)
    if F1.shape[1] != F2.shape[1]:
        raise ValueError(f"the two sets must have the same number of features, got {F1.shape[1]} and {F2.shape[1]}")
    if len(F1) < 2 or len(F2) < 2:
        raise ValueError("each set needs at least 2 samples to estimate a covariance")
    cov = lambda F: np.atleast_2d(np.cov(F, rowvar=False))  # noqa: E731
    return frechet_distance(F1.mean(axis=0), cov(F1), F2.mean(axis=0), cov(F2))


def inception_score(probs: Any) -> float:
    r"""The Inception score :math:`\exp\big(\mathbb{E}_x\, D_{\mathrm{KL}}(p(y \mid x) \Vert p(y))\big)` (Salimans et al., 2016).

    Parameters
    ----------
    probs : array of shape (n_samples, n_classes)
        A classifier's class probabilities for each generated sample (rows sum to 1).

    Notes
    -----
    :math:`p(y) = \frac1n \sum_x p(y \mid x)` is the average prediction. The exponent equals the
    mutual information between the sample and its label, :math:`H(p(y)) - \mathbb{E}_x H(p(y \mid x))`,
    so the score lies between 1 (every sample gets the same prediction, or every prediction is
    uniform) and the number of classes (confident predictions spread evenly over all classes). It
    rewards confidence and class diversity only: it never looks at real data, so it cannot see
    samples that are confident and diverse but unlike the data, nor copies of training images.
    """
    P = as_float_array(probs, "probs", ndim=2)
    if (P < 0).any() or not np.allclose(P.sum(axis=1), 1.0, atol=1e-6):
        raise ValueError("probs must hold one probability vector per row (non-negative, summing to 1)")
    marginal = P.mean(axis=0)
    # region: inception score
    kl = np.sum(_xlogy(P, P), axis=1) - P @ np.log(np.where(marginal > 0, marginal, 1.0))  # KL(p(y|x) ‖ p(y))
    return float(np.exp(kl.mean()))
    # endregion


def spectral_norm(W: Any, n_iter: int = 50, random_state: int | None = 0) -> float:
    """The largest singular value of a matrix, by power iteration (Miyato et al., 2018).

    .. math:: \\mathbf v \\leftarrow \\frac{\\mathbf W^\\top \\mathbf u}{\\lVert \\mathbf W^\\top \\mathbf u \\rVert},
              \\quad \\mathbf u \\leftarrow \\frac{\\mathbf W \\mathbf v}{\\lVert \\mathbf W \\mathbf v \\rVert},
              \\quad \\sigma \\approx \\mathbf u^\\top \\mathbf W \\mathbf v .

    The iteration is power iteration on :math:`\\mathbf W^\\top \\mathbf W`: after k steps the error of
    the vectors shrinks like :math:`(\\sigma_2/\\sigma_1)^{2k}` and that of the estimate
    :math:`\\sigma \\approx \\lVert \\mathbf W \\mathbf v \\rVert`, which is quadratic in the vector's error, like
    :math:`(\\sigma_2/\\sigma_1)^{4k}`, when the random start has a component along the top singular vector
    (which happens with probability 1). A linear layer :math:`x \\mapsto \\mathbf W x` is
    :math:`\\sigma_1`-Lipschitz in the Euclidean norm; dividing by :math:`\\sigma_1` makes it 1-Lipschitz.
    """
    W = as_float_array(W, "W", ndim=2)
    check_positive(n_iter, "n_iter", integer=True)
    if not W.any():
        return 0.0
    rng = np.random.default_rng(random_state)
    u = rng.normal(size=W.shape[0])
    # region: power iteration
    for _ in range(int(n_iter)):
        v = W.T @ u
        v /= np.linalg.norm(v)
        u = W @ v
        u /= np.linalg.norm(u)
    return float(u @ W @ v)
    # endregion


def mode_coverage(samples: Any, centers: Any, radius: float, min_fraction: float = 0.01) -> tuple[int, float]:
    """How many modes of a mixture the samples cover, and the share of samples near some mode.

    A sample is *near* a mode when its distance to the mode's center is at most ``radius``; a mode is
    *covered* when at least ``min_fraction`` of all samples are near it (so that a few stray samples do
    not count as a mode learned).

    Returns
    -------
    modes_covered : int
    fraction_near_a_mode : float
        The share of samples within ``radius`` of their nearest center: a measure of quality, where
        ``modes_covered`` measures diversity.
    """
    X = as_float_array(samples, "samples", ndim=2)
    C = as_float_array(centers, "centers", ndim=2)
    if X.shape[1] != C.shape[1]:
        raise ValueError(f"samples and centers must have the same number of features, got {X.shape[1]} "
                         f"and {C.shape[1]}")
    check_positive(radius, "radius")
    if not 0 <= min_fraction <= 1:
        raise ValueError(f"min_fraction must lie in [0, 1], got {min_fraction}")
    dist = np.linalg.norm(X[:, None, :] - C[None, :, :], axis=-1)   # (n_samples, n_modes)
    nearest = dist.argmin(axis=1)
    near = dist[np.arange(len(X)), nearest] <= radius
    counts = np.bincount(nearest[near], minlength=len(C))
    return int(np.sum(counts >= max(min_fraction * len(X), 1))), float(near.mean())

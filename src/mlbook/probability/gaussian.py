"""The multivariate Gaussian: density, distance, conditionals, fitting and sampling.

Chapter 2, "Expectation, variance and the Gaussian", derives each function; the book's one Gaussian
density is here, and later chapters (anomaly detection, mixtures, generative models) call it.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.linalg import solve_triangular

from ..init import as_generator
from ..validation import as_float_array
from ._common import LOG_2PI, check_count

__all__ = ["gaussian_logpdf", "gaussian_pdf", "mahalanobis", "gaussian_conditional", "fit_gaussian",
           "sample_gaussian"]


def _check_mean_cov(mean: Any, cov: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a mean of shape (d,) and a covariance of shape (d, d); return them and cov's Cholesky factor."""
    mu = as_float_array(mean, "mean", ndim=1)
    S = as_float_array(cov, "cov", ndim=2)
    d = mu.size
    if S.shape != (d, d):
        raise ValueError(f"cov must have shape ({d}, {d}) to match mean of shape ({d},), got {S.shape}")
    scale = float(np.max(np.abs(S)))
    if not np.allclose(S, S.T, rtol=1e-10, atol=1e-12 * scale):
        gap = float(np.max(np.abs(S - S.T)))
        raise ValueError(f"cov must be symmetric, but max |cov - cov.T| = {gap:.3g}; "
                         "symmetrise it with (cov + cov.T) / 2 if the asymmetry is rounding error")
    eig = np.linalg.eigvalsh(S)
    tol = d * np.finfo(np.float64).eps * max(eig[-1], 0.0)
    if eig[0] < -tol:
        raise ValueError(f"cov must be positive definite, but it has the negative eigenvalue {eig[0]:.3g}: it is "
                         "not the covariance of any random vector (check how it was built)")
    if eig[0] <= tol:
        raise ValueError(f"cov is singular, at least up to rounding (smallest eigenvalue {eig[0]:.3g}, largest "
                         f"{eig[-1]:.3g}), and has no density (add a small multiple of the identity, or drop the "
                         "redundant feature)")
    # region: cholesky
    L = np.linalg.cholesky(S)          # S = L L^T, L lower triangular with a positive diagonal
    # endregion
    return mu, S, L


def _whiten(X: Any, mu: np.ndarray, L: np.ndarray) -> np.ndarray:
    """The whitened points L^{-1}(x - mu) of the rows of X, shape (d, n); X validated against mu."""
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != mu.size:
        raise ValueError(f"X has {X.shape[1]} feature(s), but mean has {mu.size}; pass X of shape (n_samples, {mu.size})")
    return solve_triangular(L, (X - mu).T, lower=True)


def gaussian_logpdf(X: Any, mean: Any, cov: Any) -> np.ndarray:
    """Log-density of the multivariate Gaussian :math:`\\mathcal N(\\boldsymbol\\mu, \\Sigma)` at each row of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, d)
    mean : ndarray of shape (d,)
    cov : ndarray of shape (d, d)
        Symmetric positive definite; anything else is refused with a message that says why.

    Returns
    -------
    ndarray of shape (n_samples,)

    Notes
    -----
    With the Cholesky factor :math:`\\Sigma = LL^\\top` and :math:`\\mathbf z = L^{-1}(\\mathbf x - \\boldsymbol\\mu)`,

    .. math::
        \\log p(\\mathbf x) = -\\tfrac12 \\|\\mathbf z\\|^2 - \\textstyle\\sum_i \\log L_{ii} - \\tfrac d2 \\log 2\\pi,

    because :math:`(\\mathbf x-\\boldsymbol\\mu)^\\top\\Sigma^{-1}(\\mathbf x-\\boldsymbol\\mu) = \\|\\mathbf z\\|^2` and
    :math:`\\log\\det\\Sigma = 2\\sum_i \\log L_{ii}`. No inverse and no determinant is formed
    (Chapter 2, "Expectation, variance and the Gaussian").
    """
    mu, _, L = _check_mean_cov(mean, cov)
    d = mu.size
    # region: logpdf
    Z = _whiten(X, mu, L)                             # (d, n): the whitened points L^{-1}(x - mu)
    mahalanobis_sq = np.sum(Z ** 2, axis=0)           # (n,)
    log_det = 2.0 * np.sum(np.log(np.diag(L)))
    return -0.5 * (mahalanobis_sq + log_det + d * LOG_2PI)
    # endregion


def gaussian_pdf(X: Any, mean: Any, cov: Any) -> np.ndarray:
    """Density of :math:`\\mathcal N(\\boldsymbol\\mu, \\Sigma)` at each row of ``X``: ``exp(gaussian_logpdf(...))``.

    Prefer :func:`gaussian_logpdf` for products of many densities (likelihoods), which underflow.
    """
    return np.exp(gaussian_logpdf(X, mean, cov))


def mahalanobis(X: Any, mean: Any, cov: Any) -> np.ndarray:
    """The Mahalanobis distance :math:`\\sqrt{(\\mathbf x - \\boldsymbol\\mu)^\\top\\Sigma^{-1}(\\mathbf x - \\boldsymbol\\mu)}` of each row of ``X``.

    The Euclidean length of the whitened point :math:`L^{-1}(\\mathbf x - \\boldsymbol\\mu)`, with
    :math:`\\Sigma = LL^\\top`; the log-density of :func:`gaussian_logpdf` is :math:`-\\tfrac12` its square
    plus a constant.

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    mu, _, L = _check_mean_cov(mean, cov)
    return np.sqrt(np.sum(_whiten(X, mu, L) ** 2, axis=0))


def gaussian_conditional(mean: Any, cov: Any, given: Any, x_given: Any) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of :math:`\\mathbf x_a \\mid \\mathbf x_b` for :math:`\\mathbf x \\sim \\mathcal N(\\boldsymbol\\mu, \\Sigma)`.

    Parameters
    ----------
    mean : ndarray of shape (d,)
    cov : ndarray of shape (d, d)
    given : sequence of int
        The indices :math:`b` of the observed coordinates; :math:`a` is every other index, in order.
    x_given : ndarray of shape (len(given),)
        The observed values :math:`\\mathbf x_b`.

    Returns
    -------
    mean_a : ndarray of shape (d - len(given),)
    cov_a : ndarray of shape (d - len(given), d - len(given))

    Notes
    -----
    .. math::
        \\boldsymbol\\mu_{a|b} = \\boldsymbol\\mu_a + \\Sigma_{ab}\\Sigma_{bb}^{-1}(\\mathbf x_b - \\boldsymbol\\mu_b), \\qquad
        \\Sigma_{a|b} = \\Sigma_{aa} - \\Sigma_{ab}\\Sigma_{bb}^{-1}\\Sigma_{ba},

    the Schur complement of :math:`\\Sigma_{bb}` (Chapter 2, "Expectation, variance and the Gaussian").
    """
    mu, S, _ = _check_mean_cov(mean, cov)
    d = mu.size
    b = np.asarray(given)
    if b.ndim != 1 or b.size == 0 or b.dtype.kind not in "iu" or len(set(b.tolist())) != b.size \
            or np.any((b < 0) | (b >= d)):
        raise ValueError(f"given must be distinct integer indices in [0, {d}), at least one, got {given!r}")
    if b.size == d:
        raise ValueError("given holds every coordinate: nothing is left to condition")
    xb = as_float_array(x_given, "x_given", ndim=1)
    if xb.size != b.size:
        raise ValueError(f"x_given has {xb.size} value(s) for {b.size} index(es) in given")
    a = np.setdiff1d(np.arange(d), b)
    # region: conditional
    K = np.linalg.solve(S[np.ix_(b, b)], S[np.ix_(b, a)]).T          # Sigma_ab Sigma_bb^{-1}
    mean_a = mu[a] + K @ (xb - mu[b])
    cov_a = S[np.ix_(a, a)] - K @ S[np.ix_(b, a)]                    # the Schur complement
    # endregion
    return mean_a, (cov_a + cov_a.T) / 2


def fit_gaussian(X: Any, *, unbiased: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The mean and covariance of a Gaussian fitted to the rows of ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, d)
    unbiased : bool, default False
        False: the maximum-likelihood covariance, which divides by :math:`n` and is biased low by
        the factor :math:`(n-1)/n`. True: divide by :math:`n-1` (Bessel's correction), which needs
        at least two samples.

    Returns
    -------
    mean : ndarray of shape (d,)
    cov : ndarray of shape (d, d)

    Notes
    -----
    .. math::
        \\hat{\\boldsymbol\\mu} = \\frac1n\\sum_i \\mathbf x_i, \\qquad
        \\hat\\Sigma = \\frac1{n - \\delta}\\sum_i (\\mathbf x_i - \\hat{\\boldsymbol\\mu})(\\mathbf x_i - \\hat{\\boldsymbol\\mu})^\\top,

    with :math:`\\delta = 0` (maximum likelihood) or :math:`\\delta = 1` (unbiased).
    """
    X = as_float_array(X, "X", ndim=2)
    n = X.shape[0]
    if unbiased and n < 2:
        raise ValueError("the unbiased covariance divides by n - 1 and needs at least 2 samples, got 1")
    # region: fit
    mean = X.mean(axis=0)
    centred = X - mean
    cov = centred.T @ centred / (n - 1 if unbiased else n)
    # endregion
    return mean, cov


def sample_gaussian(mean: Any, cov: Any, n: int, *, random_state: Any = None) -> np.ndarray:
    """Draw ``n`` samples of :math:`\\mathcal N(\\boldsymbol\\mu, \\Sigma)` by an affine map of standard normals.

    Returns
    -------
    ndarray of shape (n, d)

    Notes
    -----
    If :math:`\\mathbf z \\sim \\mathcal N(\\mathbf 0, I)` and :math:`\\Sigma = LL^\\top`, then
    :math:`\\mathbf x = \\boldsymbol\\mu + L\\mathbf z` has mean :math:`\\boldsymbol\\mu` and covariance
    :math:`L\\,I\\,L^\\top = \\Sigma`, and is Gaussian because an affine map of a Gaussian is Gaussian.
    A singular (only semidefinite) :math:`\\Sigma` is refused, as by :func:`gaussian_logpdf`.
    """
    mu, _, L = _check_mean_cov(mean, cov)
    n = check_count(n)
    rng = as_generator(random_state)
    # region: affine
    Z = rng.standard_normal((n, mu.size))   # rows z ~ N(0, I)
    return mu + Z @ L.T                      # rows mu + L z ~ N(mu, L L^T)
    # endregion

"""Probability: the multivariate Gaussian, samplers, conjugate updating and the bootstrap.

Chapter 2 derives each function here and checks it against SciPy. The Gaussian density is the
book's only one: later chapters (anomaly detection, mixtures, generative models) call it.

* :func:`gaussian_logpdf`, :func:`gaussian_pdf`: the density of :math:`\\mathcal N(\\boldsymbol\\mu, \\Sigma)`
  through a Cholesky factor, which is also the test that :math:`\\Sigma` is a covariance.
* :func:`fit_gaussian`: the maximum-likelihood (or unbiased) mean and covariance.
* :func:`sample_gaussian`, :func:`box_muller`, :func:`inverse_cdf_sample`: how a computer turns
  uniform numbers into samples of a distribution.
* :func:`beta_bernoulli_posterior`: the conjugate update of a Beta prior by coin flips.
* :func:`bootstrap_distribution`, :func:`bootstrap_ci`: resampling the data to measure the
  uncertainty of a statistic (percentile, basic and BCa intervals).
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.linalg import solve_triangular
from scipy.special import ndtr, ndtri

from .init import as_generator
from .validation import as_float_array, check_positive

__all__ = ["gaussian_logpdf", "gaussian_pdf", "mahalanobis", "gaussian_conditional", "discrete_quantile",
           "sample_means", "fit_gaussian", "sample_gaussian", "box_muller",
           "inverse_cdf_sample", "beta_bernoulli_posterior", "beta_mode", "binomial_ci", "bootstrap_distribution",
           "bootstrap_ci"]

LOG_2PI = float(np.log(2 * np.pi))
_CI_METHODS = ("percentile", "basic", "bca")


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
    if eig[0] <= d * np.finfo(np.float64).eps * max(eig[-1], 0.0):
        raise ValueError(f"cov must be positive definite, but its smallest eigenvalue is {eig[0]:.3g} "
                         f"(largest {eig[-1]:.3g}): it is singular, at least up to rounding, and has no density "
                         "(add a small multiple of the identity, or drop the redundant feature)")
    # region: cholesky
    L = np.linalg.cholesky(S)          # S = L L^T, L lower triangular with a positive diagonal
    # endregion
    return mu, S, L


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
    X = as_float_array(X, "X", ndim=2)
    d = mu.size
    if X.shape[1] != d:
        raise ValueError(f"X has {X.shape[1]} feature(s), but mean has {d}; pass X of shape (n_samples, {d})")
    # region: logpdf
    Z = solve_triangular(L, (X - mu).T, lower=True)   # (d, n): the whitened points L^{-1}(x - mu)
    mahalanobis_sq = np.sum(Z ** 2, axis=0)           # (n,)
    log_det = 2.0 * np.sum(np.log(np.diag(L)))
    return -0.5 * (mahalanobis_sq + log_det + d * LOG_2PI)
    # endregion


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
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != mu.size:
        raise ValueError(f"X has {X.shape[1]} feature(s), but mean has {mu.size}; pass X of shape (n_samples, {mu.size})")
    Z = solve_triangular(L, (X - mu).T, lower=True)
    return np.sqrt(np.sum(Z ** 2, axis=0))


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


def gaussian_pdf(X: Any, mean: Any, cov: Any) -> np.ndarray:
    """Density of :math:`\\mathcal N(\\boldsymbol\\mu, \\Sigma)` at each row of ``X``: ``exp(gaussian_logpdf(...))``.

    Prefer :func:`gaussian_logpdf` for products of many densities (likelihoods), which underflow.
    """
    return np.exp(gaussian_logpdf(X, mean, cov))


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


def _check_n(n: Any, name: str = "n") -> int:
    check_positive(n, name, integer=True)
    return int(n)


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
    """
    mu, _, L = _check_mean_cov(mean, cov)
    n = _check_n(n)
    rng = as_generator(random_state)
    # region: affine
    Z = rng.standard_normal((n, mu.size))   # rows z ~ N(0, I)
    return mu + Z @ L.T                      # rows mu + L z ~ N(mu, L L^T)
    # endregion


def box_muller(n: int, *, random_state: Any = None) -> np.ndarray:
    """Draw ``n`` independent standard normal numbers from uniform ones (Box & Muller, 1958).

    Notes
    -----
    For independent :math:`U_1, U_2 \\sim \\mathrm{U}(0, 1]`, the pair

    .. math::
        Z_1 = \\sqrt{-2\\log U_1}\\,\\cos(2\\pi U_2), \\qquad Z_2 = \\sqrt{-2\\log U_1}\\,\\sin(2\\pi U_2)

    is two independent :math:`\\mathcal N(0, 1)` numbers: in polar coordinates a standard 2-D
    Gaussian has a uniform angle and a squared radius :math:`R^2 \\sim \\mathrm{Exp}(1/2)`.
    """
    n = _check_n(n)
    rng = as_generator(random_state)
    m = (n + 1) // 2
    # region: box-muller
    u1 = 1.0 - rng.random(m)                 # in (0, 1], so log(u1) is finite
    u2 = rng.random(m)
    radius = np.sqrt(-2.0 * np.log(u1))      # R^2 = -2 log U1 ~ Exp(rate 1/2)
    angle = 2.0 * np.pi * u2                 # uniform on [0, 2 pi)
    z = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)])
    # endregion
    return z[:n]


def inverse_cdf_sample(ppf: Callable[[np.ndarray], Any], n: int, *, random_state: Any = None) -> np.ndarray:
    """Draw ``n`` samples of a distribution from its quantile function ``ppf`` (the inverse CDF).

    Parameters
    ----------
    ppf : callable
        The quantile function :math:`F^{-1}(u) = \\inf\\{x : F(x) \\ge u\\}`, applied element-wise to an
        array of numbers in (0, 1), e.g. ``lambda u: -np.log1p(-u) / rate`` for the exponential.
    n : int

    Notes
    -----
    If :math:`U \\sim \\mathrm U(0, 1)` then :math:`P(F^{-1}(U) \\le x) = P(U \\le F(x)) = F(x)`, so
    :math:`F^{-1}(U)` has the distribution function :math:`F`.
    """
    if not callable(ppf):
        raise TypeError(f"ppf must be a callable quantile function, got {type(ppf).__name__}")
    n = _check_n(n)
    rng = as_generator(random_state)
    # region: inverse-cdf
    u = rng.random(n)
    u[u == 0.0] = np.nextafter(0.0, 1.0)     # keep u inside (0, 1): ppf(0) is -inf for unbounded laws
    x = np.asarray(ppf(u), dtype=np.float64)
    # endregion
    if x.shape != (n,):
        raise ValueError(f"ppf must act element-wise and return shape ({n},), got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("ppf returned NaN or infinite values for u in (0, 1); check the quantile function")
    return x


def discrete_quantile(values: Any, probs: Any) -> Callable[[np.ndarray], np.ndarray]:
    """The quantile function :math:`F^{-1}(u) = \\min\\{v_j : F(v_j) \\ge u\\}` of a finite discrete distribution.

    Parameters
    ----------
    values : array-like of shape (k,), strictly increasing
    probs : array-like of shape (k,), non-negative, summing to 1

    Returns
    -------
    callable
        ``ppf(u)`` for an array ``u`` in (0, 1); pass it to :func:`inverse_cdf_sample`.

    Notes
    -----
    Sampling by this function is "searching the cdf": the first value whose cumulative probability
    reaches ``u``, found by binary search in :math:`O(\\log k)`.
    """
    v = as_float_array(values, "values", ndim=1)
    p = as_float_array(probs, "probs", ndim=1)
    if v.shape != p.shape:
        raise ValueError(f"values and probs must have the same length, got {v.size} and {p.size}")
    if np.any(p < 0) or abs(p.sum() - 1.0) > 1e-9:
        raise ValueError(f"probs must be >= 0 and sum to 1, got sum {p.sum():.10g}")
    if np.any(np.diff(v) <= 0):
        raise ValueError("values must be strictly increasing")
    cdf = np.cumsum(p)
    cdf[-1] = 1.0                                   # rounding must not leave u above the last step

    def ppf(u: np.ndarray) -> np.ndarray:
        # region: search-cdf
        return v[np.searchsorted(cdf, u, side="left")]   # the first j with cdf[j] >= u
        # endregion

    return ppf


_MEAN_SOURCES = ("uniform", "exponential", "bernoulli", "chi2", "cauchy")


def sample_means(source: str, n: int, size: int, *, p: float = 0.1, random_state: Any = None,
                 max_draws: int = 4_000_000) -> np.ndarray:
    """Means of ``n`` i.i.d. draws from ``source``, ``size`` of them, drawn from the mean's exact law where known.

    Parameters
    ----------
    source : {"uniform", "exponential", "bernoulli", "chi2", "cauchy"}
        U(0, 1), Exp(1), Bernoulli(p), chi-square with 1 degree of freedom, standard Cauchy.
    n : int
        The number of draws averaged.
    size : int
        The number of means.
    p : float, default 0.1
        The Bernoulli probability.
    max_draws : int, default 4,000,000
        For the uniform, which has no shortcut, at most ``max_draws // n`` means are simulated.

    Notes
    -----
    The mean of :math:`n` i.i.d. draws is :math:`S_n/n` with :math:`S_n` gamma (:math:`\\Gamma(n, 1)` for Exp(1)),
    binomial (:math:`\\mathrm{Bin}(n, p)`) or chi-square (:math:`\\chi^2_n`) distributed, so it is drawn in one
    step. The mean of :math:`n` standard Cauchy draws is again standard Cauchy (Chapter 2, "The law of
    large numbers and the central limit theorem"). The uniform mean is simulated draw by draw.
    """
    if source not in _MEAN_SOURCES:
        raise ValueError(f"source must be one of {_MEAN_SOURCES}, got {source!r}")
    n, size = _check_n(n), _check_n(size, "size")
    if not 0 < p < 1:
        raise ValueError(f"p must be strictly between 0 and 1, got {p!r}")
    rng = as_generator(random_state)
    # region: exact-means
    if source == "exponential":
        return rng.gamma(n, 1.0, size) / n          # the sum of n Exp(1) is Gamma(n, 1)
    if source == "bernoulli":
        return rng.binomial(n, p, size) / n         # the sum of n Bernoulli(p) is Bin(n, p)
    if source == "chi2":
        return rng.chisquare(n, size) / n           # the sum of n chi2(1) is chi2(n)
    if source == "cauchy":
        return rng.standard_cauchy(size)            # the mean of n standard Cauchy is standard Cauchy
    return rng.random((max(1, min(size, max_draws // n)), n)).mean(axis=1)
    # endregion


def beta_bernoulli_posterior(a: float, b: float, x: Any) -> tuple[float, float]:
    """The Beta posterior of a coin's probability of heads after observing the flips ``x``.

    Parameters
    ----------
    a, b : float
        The prior :math:`\\mathrm{Beta}(a, b)`, both > 0 (``a = b = 1`` is uniform).
    x : array-like of 0/1
        The observed flips (1 = heads); may be empty.

    Returns
    -------
    (a_post, b_post) : tuple of float
        :math:`a + k` and :math:`b + n - k`, where :math:`k` is the number of ones among :math:`n` flips.

    Notes
    -----
    The posterior is proportional to the prior times the likelihood,
    :math:`\\theta^{a-1}(1-\\theta)^{b-1}\\cdot\\theta^{k}(1-\\theta)^{n-k}`, which is again a Beta
    density: the Beta family is conjugate to the Bernoulli likelihood.
    """
    check_positive(a, "a")
    check_positive(b, "b")
    x = as_float_array(x, "x", ndim=1, allow_empty=True)
    if not np.all((x == 0) | (x == 1)):
        bad = np.unique(x[(x != 0) & (x != 1)])[:5]
        raise ValueError(f"x must contain only 0 and 1 (the outcomes of Bernoulli trials), got values {bad}")
    k = float(x.sum())
    return float(a) + k, float(b) + x.size - k


def beta_mode(a: float, b: float) -> float:
    """The mode of :math:`\\mathrm{Beta}(a, b)`: the MAP estimate of a coin under a Beta posterior.

    Notes
    -----
    For :math:`a, b > 1` the log-density :math:`(a-1)\\log\\theta + (b-1)\\log(1-\\theta)` is concave
    and its derivative vanishes at :math:`\\theta = (a-1)/(a+b-2)`. Otherwise the maximum is at an
    end: 0 when the density decreases (:math:`a \\le 1 < b`, or :math:`a < 1 = b`), 1 when it
    increases. :math:`\\mathrm{Beta}(1, 1)` (uniform) and :math:`a, b < 1` (unbounded at both ends)
    have no unique mode and are refused.
    """
    check_positive(a, "a")
    check_positive(b, "b")
    if a > 1 and b > 1:
        return (a - 1) / (a + b - 2)
    if (a <= 1 < b) or (a < 1 and b == 1):
        return 0.0
    if (b <= 1 < a) or (b < 1 and a == 1):
        return 1.0
    raise ValueError(f"Beta({a}, {b}) has no unique mode (it is uniform, or unbounded at both ends); "
                     "report the posterior mean instead")


def binomial_ci(k: Any, n: int, *, level: float = 0.95, method: str = "wilson") -> tuple[np.ndarray, np.ndarray]:
    """A confidence interval for a binomial proportion from ``k`` successes in ``n`` trials.

    Parameters
    ----------
    k : int or array-like of int in [0, n]
    n : int > 0
    level : float in (0, 1), default 0.95
    method : {"wilson", "wald"}
        ``"wald"``: :math:`\\hat p \\pm z\\sqrt{\\hat p(1-\\hat p)/n}`, from the normal approximation with
        the variance estimated at :math:`\\hat p` (it collapses to a point at :math:`k = 0` or :math:`n`).
        ``"wilson"`` (Wilson, 1927): every :math:`\\mu` with :math:`|\\hat p - \\mu| \\le z\\sqrt{\\mu(1-\\mu)/n}`,
        the variance taken at the candidate :math:`\\mu`; solving the quadratic gives the endpoints below.

    Returns
    -------
    (low, high) : ndarrays of the shape of ``k``

    Notes
    -----
    With :math:`z = \\Phi^{-1}(\\tfrac12 + \\tfrac{\\text{level}}2)`, the Wilson interval is

    .. math::
        \\frac{\\hat p + \\frac{z^2}{2n} \\pm z\\sqrt{\\frac{\\hat p(1-\\hat p)}{n} + \\frac{z^2}{4n^2}}}{1 + z^2/n}.
    """
    if method not in ("wald", "wilson"):
        raise ValueError(f"method must be 'wald' or 'wilson', got {method!r}")
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) or not 0 < level < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1, got {level!r}")
    n = _check_n(n)
    k = as_float_array(k, "k")
    if np.any((k < 0) | (k > n) | (k != np.round(k))):
        raise ValueError(f"k must hold whole numbers of successes between 0 and n = {n}, got {k}")
    z = float(ndtri(0.5 + level / 2))
    p = k / n
    # region: binomial-ci
    if method == "wald":
        half = z * np.sqrt(p * (1 - p) / n)
        return p - half, p + half
    centre = (p + z ** 2 / (2 * n)) / (1 + z ** 2 / n)
    half = z / (1 + z ** 2 / n) * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2))
    return centre - half, centre + half
    # endregion


def _call_statistic(statistic: Callable[..., Any], samples: np.ndarray) -> np.ndarray:
    """Apply ``statistic`` to each 1-D sample along the last axis: vectorised when it takes ``axis``."""
    try:
        takes_axis = "axis" in inspect.signature(statistic).parameters
    except (TypeError, ValueError):  # some builtins have no signature
        takes_axis = False
    if takes_axis:
        values = np.asarray(statistic(samples, axis=-1), dtype=np.float64)
    else:
        flat = samples.reshape(-1, samples.shape[-1])
        values = np.array([statistic(row) for row in flat], dtype=np.float64).reshape(samples.shape[:-1])
    if values.shape != samples.shape[:-1]:
        raise ValueError(f"statistic must return one number per sample, got shape {values.shape} "
                         f"for samples of shape {samples.shape}")
    return values


def _check_sample(x: Any, statistic: Any, *, batch: bool = False) -> np.ndarray:
    """A sample of shape (n,), or with ``batch`` also (R, n): R data sets; returned as (R, n)."""
    x = as_float_array(x, "x", ndim=(1, 2) if batch else 1)
    if x.shape[-1] < 2:
        raise ValueError(f"the bootstrap needs at least 2 observations, got {x.shape[-1]}")
    if not callable(statistic):
        raise TypeError(f"statistic must be callable (e.g. np.mean), got {type(statistic).__name__}")
    return np.atleast_2d(x)


def _jackknife(x: np.ndarray, statistic: Callable[..., Any]) -> np.ndarray:
    """The statistic on each leave-one-out sample of ``x`` (shape (n,)), shape (n,); built in blocks of rows."""
    n = x.size
    rows = max(1, 2_000_000 // n)                      # keep each block near 2e6 numbers
    out = []
    for start in range(0, n, rows):
        i = np.arange(start, min(start + rows, n))
        keep = np.arange(n - 1)[None, :] + (np.arange(n - 1)[None, :] >= i[:, None])  # skip index i
        out.append(_call_statistic(statistic, x[keep]))
    return np.concatenate(out)


def _resampled_statistics(X: np.ndarray, statistic: Callable[..., Any], B: int,
                          rng: np.random.Generator) -> np.ndarray:
    """Shape (R, B): the statistic on B bootstrap samples of each row of X, in blocks of rows."""
    R, n = X.shape
    rows = max(1, 4_000_000 // (B * n))                # keep each block near 4e6 indices
    out = []
    for start in range(0, R, rows):
        block = X[start:start + rows]
        # region: resample
        idx = rng.integers(0, n, size=(block.shape[0], B, n))     # n indices drawn with replacement
        out.append(_call_statistic(statistic, np.take_along_axis(block[:, None, :], idx, axis=2)))
        # endregion
    return np.concatenate(out)


def _row_quantiles(sorted_rows: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Quantiles ``q`` (shape (R, k), in [0, 1]) of each sorted row, interpolated linearly as NumPy's default."""
    B = sorted_rows.shape[1]
    pos = q * (B - 1)
    lo = np.clip(np.floor(pos).astype(np.int64), 0, B - 1)
    hi = np.minimum(lo + 1, B - 1)
    frac = pos - lo
    lo_v = np.take_along_axis(sorted_rows, lo, axis=1)
    hi_v = np.take_along_axis(sorted_rows, hi, axis=1)
    return lo_v + frac * (hi_v - lo_v)


def bootstrap_distribution(x: Any, statistic: Callable[..., Any], *, n_resamples: int = 9999,
                           random_state: Any = None) -> np.ndarray:
    """The statistic on ``n_resamples`` bootstrap samples of ``x`` (each n draws with replacement).

    Parameters
    ----------
    x : ndarray of shape (n,)
    statistic : callable
        Maps a 1-D sample to a number. If it accepts an ``axis`` argument (``np.mean``, ``np.median``)
        it is called once on all resamples; otherwise once per resample.

    Returns
    -------
    ndarray of shape (n_resamples,)
    """
    X = _check_sample(x, statistic)
    B = _check_n(n_resamples, "n_resamples")
    return _resampled_statistics(X, statistic, B, as_generator(random_state))[0]


def bootstrap_ci(x: Any, statistic: Callable[..., Any], *, n_resamples: int = 9999, level: float = 0.95,
                 method: str = "percentile", random_state: Any = None) -> tuple[Any, Any]:
    """A bootstrap confidence interval for ``statistic(x)`` (Efron & Tibshirani, 1993).

    Parameters
    ----------
    x : ndarray of shape (n,), n >= 2, or of shape (R, n)
        One sample, or R samples (one per row) each with its own interval, as in a simulation of
        the intervals' coverage.
    statistic : callable
        See :func:`bootstrap_distribution`.
    n_resamples : int, default 9999
    level : float in (0, 1), default 0.95
    method : {"percentile", "basic", "bca"}, default "percentile"
        ``"percentile"``: the :math:`\\alpha/2` and :math:`1-\\alpha/2` quantiles of the bootstrap
        statistics :math:`\\hat\\theta^*`. ``"basic"``: those quantiles reflected about
        :math:`\\hat\\theta`, :math:`(2\\hat\\theta - q_{1-\\alpha/2},\\ 2\\hat\\theta - q_{\\alpha/2})`.
        ``"bca"``: bias-corrected and accelerated percentiles (Efron, 1987), second-order accurate.
    random_state : None, int or np.random.Generator

    Returns
    -------
    (low, high) : floats for one sample, or ndarrays of shape (R,) for R samples

    Notes
    -----
    BCa replaces the levels :math:`\\alpha/2, 1-\\alpha/2` by :math:`\\Phi\\big(z_0 + \\frac{z_0 + z}{1 - a(z_0 + z)}\\big)`
    for :math:`z = \\Phi^{-1}(\\alpha/2), \\Phi^{-1}(1-\\alpha/2)`, with the bias correction
    :math:`z_0 = \\Phi^{-1}\\big(\\#\\{\\hat\\theta^*_b < \\hat\\theta\\}/B\\big)` (Efron & Tibshirani's count;
    ``scipy.stats.bootstrap`` counts ties :math:`\\hat\\theta^*_b = \\hat\\theta` as one half, which matters
    only for statistics with ties, such as the median) and the acceleration
    :math:`a = \\sum_i (\\bar\\theta_{(\\cdot)} - \\hat\\theta_{(i)})^3 / \\big(6\\,[\\sum_i (\\bar\\theta_{(\\cdot)} - \\hat\\theta_{(i)})^2]^{3/2}\\big)`
    from the jackknife values :math:`\\hat\\theta_{(i)}` (the statistic without observation i).
    Quantiles are NumPy's default (linear interpolation), as in ``scipy.stats.bootstrap``.
    """
    if method not in _CI_METHODS:
        raise ValueError(f"method must be one of {_CI_METHODS}, got {method!r}")
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) or not 0 < level < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1, got {level!r}")
    one = np.ndim(x) == 1
    X = _check_sample(x, statistic, batch=True)
    B = _check_n(n_resamples, "n_resamples")
    theta_star = np.sort(_resampled_statistics(X, statistic, B, as_generator(random_state)), axis=1)  # (R, B)
    theta_hat = _call_statistic(statistic, X)                                                         # (R,)
    alpha = 1.0 - level
    levels = np.tile([alpha / 2, 1 - alpha / 2], (X.shape[0], 1))                                   # (R, 2)
    if method == "bca":
        # region: bca
        z0 = ndtri(np.mean(theta_star < theta_hat[:, None], axis=1))            # bias correction
        jack = np.stack([_jackknife(row, statistic) for row in X])             # theta_(i): without observation i
        dev = jack.mean(axis=1, keepdims=True) - jack
        with np.errstate(invalid="ignore", divide="ignore"):
            a = np.sum(dev ** 3, axis=1) / (6.0 * np.sum(dev ** 2, axis=1) ** 1.5)   # acceleration
        # endregion
        bad = ~(np.isfinite(z0) & np.isfinite(a))
        if np.any(bad):
            where = "" if one else f" (sample {int(np.argmax(bad))})"
            raise ValueError(f"the BCa interval is undefined here{where}: every bootstrap statistic lies on one "
                             "side of the estimate, or the jackknife values are all equal; use method='percentile'")
        z = ndtri(levels)
        levels = ndtr(z0[:, None] + (z0[:, None] + z) / (1 - a[:, None] * (z0[:, None] + z)))
    q = _row_quantiles(theta_star, levels)                                                            # (R, 2)
    if method == "basic":
        q = 2 * theta_hat[:, None] - q[:, ::-1]
    low, high = q[:, 0], q[:, 1]
    return (float(low[0]), float(high[0])) if one else (low, high)

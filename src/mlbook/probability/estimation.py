"""Estimating a coin's probability: the Beta–Bernoulli update, its mode, and intervals for a proportion.

Chapter 2, "Bayesian estimation and the quality of estimators". The coin's probability of heads is
:math:`\\mu` (the book's notation for a Bernoulli parameter); :math:`k` heads in :math:`n` flips.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import ndtri
from scipy.stats import beta as beta_dist

from ..validation import as_float_array, check_positive
from ._common import check_count, check_level

__all__ = ["beta_bernoulli_posterior", "beta_mode", "binomial_ci"]


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
    :math:`\\mu^{a-1}(1-\\mu)^{b-1}\\cdot\\mu^{k}(1-\\mu)^{n-k}`, which is again a Beta
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

    Parameters
    ----------
    a, b : float > 0

    Returns
    -------
    float in [0, 1]

    Notes
    -----
    For :math:`a, b > 1` the log-density :math:`(a-1)\\log\\mu + (b-1)\\log(1-\\mu)` is concave
    and its derivative vanishes at :math:`\\mu = (a-1)/(a+b-2)`. Otherwise the maximum is at an
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
    """A confidence interval for a binomial proportion :math:`\\mu` from ``k`` successes in ``n`` trials.

    Parameters
    ----------
    k : int or array-like of int in [0, n]
    n : int > 0
    level : float in (0, 1), default 0.95
    method : {"wilson", "wald", "exact"}
        ``"wald"``: :math:`\\hat\\mu \\pm z\\sqrt{\\hat\\mu(1-\\hat\\mu)/n}`, from the normal approximation with
        the variance estimated at :math:`\\hat\\mu = k/n`; it collapses to a point at :math:`k = 0` or
        :math:`n`, and its ends are not clipped to [0, 1]. ``"wilson"`` (Wilson, 1927): every :math:`\\mu`
        with :math:`|\\hat\\mu - \\mu| \\le z\\sqrt{\\mu(1-\\mu)/n}`, the variance taken at the candidate
        :math:`\\mu`. ``"exact"`` (Clopper & Pearson, 1934): inverts the two binomial tail probabilities,
        :math:`(B_{\\alpha/2}(k, n-k+1),\\ B_{1-\\alpha/2}(k+1, n-k))` with :math:`B_q(a, b)` the q-quantile of
        Beta(a, b) (0 and 1 at the ends); its coverage is at least ``level`` for every :math:`\\mu`. Wald and
        Wilson are approximate: their coverage can fall below ``level``.

    Returns
    -------
    (low, high) : ndarrays of the shape of ``k``

    Notes
    -----
    With :math:`z = \\Phi^{-1}(\\tfrac12 + \\tfrac{\\text{level}}2)`, the Wilson interval is

    .. math::
        \\frac{\\hat\\mu + \\frac{z^2}{2n} \\pm z\\sqrt{\\frac{\\hat\\mu(1-\\hat\\mu)}{n} + \\frac{z^2}{4n^2}}}{1 + z^2/n}.
    """
    if method not in ("wald", "wilson", "exact"):
        raise ValueError(f"method must be 'wald', 'wilson' or 'exact', got {method!r}")
    level = check_level(level)
    n = check_count(n)
    k = as_float_array(k, "k")
    bad = (k < 0) | (k > n) | (k != np.round(k))
    if np.any(bad):
        raise ValueError(f"k must hold whole numbers of successes between 0 and n = {n}, got {np.unique(k[bad])[:5]}")
    alpha = 1.0 - level
    z = float(ndtri(1 - alpha / 2))
    mu = k / n
    # region: binomial-ci
    if method == "wald":
        half = z * np.sqrt(mu * (1 - mu) / n)
        return mu - half, mu + half
    if method == "exact":
        with np.errstate(invalid="ignore"):
            low = np.where(k > 0, beta_dist.ppf(alpha / 2, k, n - k + 1), 0.0)
            high = np.where(k < n, beta_dist.ppf(1 - alpha / 2, k + 1, n - k), 1.0)
        return low, high
    centre = (mu + z ** 2 / (2 * n)) / (1 + z ** 2 / n)
    half = z / (1 + z ** 2 / n) * np.sqrt(mu * (1 - mu) / n + z ** 2 / (4 * n ** 2))
    return centre - half, centre + half
    # endregion

"""Sampling: how a computer turns uniform numbers into draws of a distribution.

Chapter 2, "Distributions and sampling" (inverse transform sampling, the Box–Muller transform) and
"The law of large numbers and the central limit theorem" (the exact laws of sample means).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..init import as_generator
from ..validation import as_float_array
from ._common import check_count

__all__ = ["box_muller", "inverse_cdf_sample", "discrete_quantile", "rejection_sample", "sample_means"]


def box_muller(n: int, *, random_state: Any = None) -> np.ndarray:
    """Draw ``n`` independent standard normal numbers from uniform ones (Box & Muller, 1958).

    Returns
    -------
    ndarray of shape (n,)
        The first :math:`\\lceil n/2 \\rceil` values are the cosine halves :math:`Z_1` and the rest the sine
        halves :math:`Z_2` of the same pairs (the last sine dropped when n is odd).

    Notes
    -----
    For independent :math:`U_1, U_2 \\sim \\mathrm{U}(0, 1]`, the pair

    .. math::
        Z_1 = \\sqrt{-2\\log U_1}\\,\\cos(2\\pi U_2), \\qquad Z_2 = \\sqrt{-2\\log U_1}\\,\\sin(2\\pi U_2)

    is two independent :math:`\\mathcal N(0, 1)` numbers: in polar coordinates a standard 2-D
    Gaussian has a uniform angle and a squared radius :math:`R^2 \\sim \\mathrm{Exp}(1/2)`.
    """
    n = check_count(n)
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
    n = check_count(n)
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


def rejection_sample(pdf: Callable[[np.ndarray], Any], propose: Callable[[np.random.Generator, int], Any],
                     proposal_pdf: Callable[[np.ndarray], Any], M: float, n: int, *,
                     random_state: Any = None) -> tuple[np.ndarray, int]:
    """Draw ``n`` samples of the density ``pdf`` by rejection from a proposal g with ``pdf <= M g``.

    Parameters
    ----------
    pdf : callable
        The target density f (it may be unnormalised if M is scaled to match).
    propose : callable
        ``propose(rng, m)`` returns m draws of the proposal g.
    proposal_pdf : callable
        The proposal density g.
    M : float
        A bound with :math:`f(x) \\le M g(x)` everywhere; a violated bound is refused.
    n : int

    Returns
    -------
    samples : ndarray of shape (n,)
    n_proposals : int
        How many proposals were drawn; each is accepted with probability :math:`1/M` for a
        normalised f, so about :math:`nM` are needed.

    Notes
    -----
    Accept a proposal y with probability :math:`f(y)/(M g(y))`. The accepted draws have density
    :math:`g(y) \\cdot f(y)/(M g(y)) / (1/M) = f(y)` (von Neumann, 1951; Chapter 2, "Distributions and sampling").
    """
    if not (callable(pdf) and callable(propose) and callable(proposal_pdf)):
        raise TypeError("pdf, propose and proposal_pdf must be callable")
    if not (np.isfinite(M) and M > 0):
        raise ValueError(f"M must be a positive bound, got {M!r}")
    n = check_count(n)
    rng = as_generator(random_state)
    out, drawn = [], 0
    while sum(map(len, out)) < n:
        m = max(16, int(1.2 * M * (n - sum(map(len, out)))) + 1)
        y = np.asarray(propose(rng, m), dtype=np.float64)
        f, g = np.asarray(pdf(y), dtype=np.float64), np.asarray(proposal_pdf(y), dtype=np.float64)
        if np.any(f > M * g * (1 + 1e-12)):
            raise ValueError(f"pdf exceeds M * proposal_pdf at some proposals (max ratio {np.max(f / (M * g)):.4g}); "
                             "increase M")
        # region: accept
        accept = rng.random(m) * M * g <= f          # accept y with probability f(y) / (M g(y))
        # endregion
        kept = y[accept]
        need = n - sum(map(len, out))
        if len(kept) >= need:                        # count the proposals up to the n-th acceptance
            drawn += int(np.flatnonzero(accept)[need - 1]) + 1
            out.append(kept[:need])
        else:
            drawn += m
            out.append(kept)
    return np.concatenate(out), drawn


_MEAN_SOURCES = ("uniform", "exponential", "gamma", "bernoulli", "chi2", "cauchy")


def sample_means(source: str, n: int, size: int, *, p: float = 0.1, shape: float = 1.0, random_state: Any = None,
                 max_draws: int = 4_000_000) -> np.ndarray:
    """Means of ``n`` i.i.d. draws from ``source``, ``size`` of them, drawn from the mean's exact law where known.

    Parameters
    ----------
    source : {"uniform", "exponential", "gamma", "bernoulli", "chi2", "cauchy"}
        U(0, 1), Exp(1), Gamma(``shape``, 1), Bernoulli(``p``), chi-square with 1 degree of freedom,
        standard Cauchy.
    n : int
        The number of draws averaged.
    size : int
        The number of means.
    p : float, default 0.1
        The Bernoulli probability (used only by ``"bernoulli"``).
    shape : float, default 1.0
        The gamma shape k > 0 (used only by ``"gamma"``); its skewness is :math:`2/\\sqrt k`.
    max_draws : int, default 4,000,000
        For the uniform, which has no shortcut, at most ``max_draws // n`` means are simulated, so
        fewer than ``size`` means may come back.

    Returns
    -------
    ndarray of shape (size,), or shorter for the uniform

    Notes
    -----
    The mean of :math:`n` i.i.d. draws is :math:`S_n/n`, and :math:`S_n` is gamma (:math:`\\Gamma(nk, 1)` for
    Gamma(k, 1), :math:`\\Gamma(n, 1)` for Exp(1)), binomial (:math:`\\mathrm{Bin}(n, p)`) or chi-square
    (:math:`\\chi^2_n`) distributed, so it is drawn in one step. The mean of :math:`n` standard Cauchy draws
    is again standard Cauchy (Chapter 2, "The law of large numbers and the central limit theorem").
    The uniform mean is simulated draw by draw.
    """
    if source not in _MEAN_SOURCES:
        raise ValueError(f"source must be one of {_MEAN_SOURCES}, got {source!r}")
    n, size = check_count(n), check_count(size, "size")
    if source == "bernoulli" and not 0 < p < 1:
        raise ValueError(f"p must be strictly between 0 and 1, got {p!r}")
    if source == "gamma" and not (np.isfinite(shape) and shape > 0):
        raise ValueError(f"shape must be > 0, got {shape!r}")
    rng = as_generator(random_state)
    # region: exact-means
    if source in ("exponential", "gamma"):
        k = 1.0 if source == "exponential" else float(shape)
        return rng.gamma(n * k, 1.0, size) / n      # the sum of n Gamma(k, 1) is Gamma(nk, 1)
    if source == "bernoulli":
        return rng.binomial(n, p, size) / n         # the sum of n Bernoulli(p) is Bin(n, p)
    if source == "chi2":
        return rng.chisquare(n, size) / n           # the sum of n chi2(1) is chi2(n)
    if source == "cauchy":
        return rng.standard_cauchy(size)            # the mean of n standard Cauchy is standard Cauchy
    return rng.random((max(1, min(size, max_draws // n)), n)).mean(axis=1)
    # endregion

"""Gaussians: KL divergence and differential entropy in closed form, and Gaussian fits by KL.

Chapter 3, sections 3 and 4. All results are in **nats** (natural logarithms).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..validation import as_float_array
from ._common import finish

__all__ = ["gaussian_kl", "gaussian_entropy", "fit_gaussian_kl"]


def _check_gaussian_params(means: dict[str, Any], variances: dict[str, Any]) -> dict[str, np.ndarray]:
    """Means (any real) and variances (> 0) as float arrays whose shapes broadcast together."""
    out = {name: as_float_array(a, name) for name, a in {**means, **variances}.items()}
    for name in variances:
        if np.any(out[name] <= 0):
            raise ValueError(f"{name} must be > 0 (a variance, not a standard deviation), got {out[name].min():.3g}")
    try:
        np.broadcast_shapes(*(a.shape for a in out.values()))
    except ValueError:
        raise ValueError(f"the shapes of {', '.join(out)} do not broadcast: "
                         f"{', '.join(str(a.shape) for a in out.values())}") from None
    return out


def gaussian_kl(mu_p: Any, var_p: Any, mu_q: Any, var_q: Any, *, diagonal: bool = False) -> float | np.ndarray:
    """:math:`D_{\\mathrm{KL}}(\\mathcal N(\\mu_p, \\sigma_p^2) \\,\\Vert\\, \\mathcal N(\\mu_q, \\sigma_q^2))` in nats.

    Parameters
    ----------
    mu_p, var_p, mu_q, var_q : float or array-like
        Means and **variances**, broadcast together: one univariate KL per element.
    diagonal : bool, default False
        If True, the last axis holds the coordinates of diagonal Gaussians in d dimensions, and
        the result is the sum over it (the KL of independent coordinates adds up).

    Notes
    -----
    .. math::
        D_{\\mathrm{KL}} = \\tfrac12\\Big[\\log\\frac{\\sigma_q^2}{\\sigma_p^2} + \\frac{\\sigma_p^2 + (\\mu_p - \\mu_q)^2}{\\sigma_q^2} - 1\\Big].
    """
    a = _check_gaussian_params({"mu_p": mu_p, "mu_q": mu_q}, {"var_p": var_p, "var_q": var_q})
    mu_p, var_p, mu_q, var_q = a["mu_p"], a["var_p"], a["mu_q"], a["var_q"]
    # region: gaussian-kl
    kl = 0.5 * (np.log(var_q / var_p) + (var_p + (mu_p - mu_q) ** 2) / var_q - 1.0)
    # endregion
    if diagonal:
        if kl.ndim == 0:
            raise ValueError("diagonal=True needs arrays whose last axis holds the coordinates")
        kl = kl.sum(axis=-1)
    return finish(np.maximum(kl, 0.0))


def gaussian_entropy(var: Any, *, diagonal: bool = False) -> float | np.ndarray:
    """Differential entropy :math:`\\tfrac12 \\log(2\\pi e \\sigma^2)` of a Gaussian, in nats.

    Parameters
    ----------
    var : float or array-like
        The variance; an array gives one entropy per element.
    diagonal : bool, default False
        If True, the last axis holds the diagonal of a diagonal covariance, and the result is the
        sum over it, :math:`\\tfrac12\\log\\det(2\\pi e\\Sigma)`.

    Notes
    -----
    Negative when :math:`\\sigma^2 < 1/(2\\pi e)`: a differential entropy is not a number of bits and
    can be below zero. For a fixed variance the Gaussian has the largest differential entropy.
    """
    v = _check_gaussian_params({}, {"var": var})["var"]
    h = 0.5 * np.log(2 * np.pi * np.e * v)
    if diagonal:
        if h.ndim == 0:
            raise ValueError("diagonal=True needs an array whose last axis holds the variances")
        h = h.sum(axis=-1)
    return finish(h)


_Z = np.linspace(-9.0, 9.0, 601)                         # quadrature nodes in z = (x - mu) / sd
_PHI = np.exp(-0.5 * _Z ** 2) / np.sqrt(2 * np.pi)       # the standard normal density at the nodes
_DZ = _Z[1] - _Z[0]


def _expect_under_gaussian(f: Callable[[np.ndarray], np.ndarray], mu: float, sd: float) -> float:
    """E[f(X)] for X ~ N(mu, sd^2) by the trapezoid rule in z = (x - mu)/sd on [-9, 9] (wide q included)."""
    values = _PHI * f(mu + sd * _Z)
    return float(_DZ * (values.sum() - 0.5 * (values[0] + values[-1])))


def fit_gaussian_kl(logpdf: Callable[[np.ndarray], np.ndarray], direction: str = "forward", *,
                    grid: Any) -> tuple[float, float, float]:
    """The Gaussian :math:`q = \\mathcal N(\\mu, \\sigma^2)` closest to a 1-D density ``p`` in forward or reverse KL.

    Parameters
    ----------
    logpdf : callable
        :math:`\\log p(x)`, element-wise on an array; ``p`` must integrate to 1.
    direction : {"forward", "reverse"}
        ``"forward"`` minimises :math:`D_{\\mathrm{KL}}(p \\,\\Vert\\, q)`: the minimiser matches the mean
        and variance of ``p`` (moment matching), so ``q`` spreads over every mode ("mode covering").
        ``"reverse"`` minimises :math:`D_{\\mathrm{KL}}(q \\,\\Vert\\, p)`, which is large wherever ``q``
        puts mass that ``p`` lacks, so ``q`` settles on one mode ("mode seeking").
    grid : array-like of shape (m,)
        Evenly spaced points that cover the mass of ``p``: the moments of the forward fit are
        integrated on it (trapezoid rule), and the reverse fit starts from the deciles of ``p``.

    Returns
    -------
    (mu, var, kl) : tuple of float
        The fitted mean and variance and the minimised divergence, in nats.

    Notes
    -----
    Forward: :math:`D_{\\mathrm{KL}}(p\\Vert q) = \\text{const} - \\mathbb E_p[\\log q]`, and
    :math:`-\\mathbb E_p[\\log q] = \\tfrac12\\log(2\\pi\\sigma^2) + \\mathbb E_p[(x-\\mu)^2]/(2\\sigma^2)` is
    minimised by :math:`\\mu = \\mathbb E_p[x]`, :math:`\\sigma^2 = \\operatorname{Var}_p(x)`.
    Reverse: :math:`D_{\\mathrm{KL}}(q\\Vert p) = -H(q) - \\mathbb E_q[\\log p]`, with
    :math:`H(q) = \\tfrac12\\log(2\\pi e\\sigma^2)` and the expectation by the trapezoid rule in :math:`z = (x - \\mu)/\\sigma`,
    minimised over :math:`(\\mu, \\log\\sigma)` by BFGS from several starts (it has several local minima);
    of equally good fits (a symmetric p) the one with the larger mean is returned.
    """
    from scipy.integrate import trapezoid
    from scipy.optimize import minimize

    if not callable(logpdf):
        raise TypeError(f"logpdf must be callable, got {type(logpdf).__name__}")
    if direction not in ("forward", "reverse"):
        raise ValueError(f"direction must be 'forward' or 'reverse', got {direction!r}")
    x = as_float_array(grid, "grid", ndim=1)
    if x.size < 3 or np.any(np.diff(x) <= 0):
        raise ValueError("grid must be at least 3 increasing points")
    p = np.exp(np.asarray(logpdf(x), dtype=np.float64))
    mass = float(trapezoid(p, x))
    if not abs(mass - 1.0) < 1e-3:
        raise ValueError(f"p integrates to {mass:.4g} over the grid, not 1: widen the grid or normalise logpdf")

    # region: forward-kl
    mean_p = float(trapezoid(x * p, x))                 # the forward fit matches the moments of p
    var_p = float(trapezoid((x - mean_p) ** 2 * p, x))
    # endregion

    def kl_forward(mu: float, var: float) -> float:           # E_p[log p - log q] on the grid
        logq = -0.5 * (np.log(2 * np.pi * var) + (x - mu) ** 2 / var)
        integrand = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - logq), 0.0)
        return float(trapezoid(integrand, x))

    if direction == "forward":
        return mean_p, var_p, kl_forward(mean_p, var_p)

    # region: reverse-kl
    def kl_reverse(params: np.ndarray) -> float:               # -H(q) - E_q[log p]
        mu, log_sd = params
        sd = np.exp(log_sd)
        return -float(0.5 * np.log(2 * np.pi * np.e * sd ** 2)) - _expect_under_gaussian(logpdf, mu, sd)

    cdf = np.cumsum(p) / p.sum()                                  # start at p's deciles, not the grid's
    spread = float(np.sqrt(var_p)) / 2
    starts = [np.array([x[min(np.searchsorted(cdf, u), x.size - 1)], np.log(spread)]) for u in np.linspace(0.1, 0.9, 9)]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        results = [minimize(kl_reverse, s0, method="BFGS") for s0 in starts]
    # endregion
    results = [r for r in results if np.isfinite(r.fun)]
    if not results:
        raise ValueError("the reverse KL is infinite from every start: q puts mass where p is 0 "
                         "(a bounded support); reverse KL needs log p finite where q lives")
    best = min(r.fun for r in results)
    ties = [r for r in results if r.fun <= best + 1e-9]
    chosen = max(ties, key=lambda r: r.x[0])                    # equally good fits: the right-hand one
    mu, log_sd = chosen.x
    return float(mu), float(np.exp(log_sd) ** 2), float(chosen.fun)

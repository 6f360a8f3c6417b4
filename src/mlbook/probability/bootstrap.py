"""The bootstrap: resampling a sample to measure the uncertainty of a statistic.

Chapter 2, "The bootstrap and confidence intervals", derives the percentile, basic, studentized
(bootstrap-t) and BCa intervals; Efron & Tibshirani (1993) is the reference.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.special import ndtr, ndtri

from ..init import as_generator
from ..validation import as_float_array
from ._common import check_count, check_level

__all__ = ["bootstrap_distribution", "bootstrap_ci"]

_CI_METHODS = ("percentile", "basic", "studentized", "bca")


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


def _check_sample(x: Any, statistic: Any, *, batch: bool) -> np.ndarray:
    """One sample of shape (n,), or with ``batch`` R samples of shape (R, n); returned as (R, n)."""
    x = as_float_array(x, "x")
    if batch and x.ndim != 2:
        raise ValueError(f"with batch=True, x must hold one sample per row, shape (R, n); got shape {x.shape}")
    if not batch and x.ndim != 1:
        raise ValueError(f"x must be one sample of shape (n,), got shape {x.shape}; pass batch=True for R samples "
                         "of shape (R, n), or, to resample pairs (x_i, y_i), bootstrap the row indices")
    if x.shape[-1] < 2:
        raise ValueError(f"the bootstrap needs at least 2 observations, got {x.shape[-1]}")
    if not callable(statistic):
        raise TypeError(f"statistic must be callable (e.g. np.mean), got {type(statistic).__name__}")
    return np.atleast_2d(x)


def _resample(x: np.ndarray, statistic: Callable[..., Any], B: int, rng: np.random.Generator) -> np.ndarray:
    """Shape (B,): the statistic on B bootstrap samples of the 1-D sample x."""
    n = x.size
    out = []
    for start in range(0, B, max(1, 4_000_000 // n)):       # blocks of about 4e6 indices
        b = min(B, start + max(1, 4_000_000 // n)) - start
        # region: resample
        idx = rng.integers(0, n, size=(b, n))      # each row: n indices drawn with replacement
        out.append(_call_statistic(statistic, x[idx]))
        # endregion
    return np.concatenate(out)


def bootstrap_distribution(x: Any, statistic: Callable[..., Any], *, n_resamples: int = 9999,
                           random_state: Any = None) -> np.ndarray:
    """The statistic on ``n_resamples`` bootstrap samples of ``x`` (each n draws with replacement).

    Parameters
    ----------
    x : ndarray of shape (n,), n >= 2
    statistic : callable
        Maps a 1-D sample to a number. If it accepts an ``axis`` argument (``np.mean``, ``np.median``)
        it is called once on a block of resamples; otherwise once per resample.
    n_resamples : int, default 9999
        The number B of bootstrap samples.
    random_state : None, int or np.random.Generator

    Returns
    -------
    ndarray of shape (n_resamples,)
    """
    X = _check_sample(x, statistic, batch=False)
    B = check_count(n_resamples, "n_resamples")
    return _resample(X[0], statistic, B, as_generator(random_state))


def _bca_levels(theta_star: np.ndarray, theta_hat: float, x: np.ndarray, statistic: Callable[..., Any],
                z: np.ndarray) -> np.ndarray:
    """The BCa quantile levels for the normal quantiles ``z`` (Efron, 1987)."""
    # region: bca
    below = np.mean(theta_star < theta_hat) + 0.5 * np.mean(theta_star == theta_hat)   # ties count one half
    z0 = ndtri(below)                                             # bias correction
    jack = _jackknife(x, statistic)                               # theta_(i): without observation i
    dev = jack.mean() - jack
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.sum(dev ** 3) / (6.0 * np.sum(dev ** 2) ** 1.5)   # acceleration
    shifted = z0 + z
    levels = ndtr(z0 + shifted / (1 - a * shifted))
    # endregion
    if not (np.isfinite(z0) and np.isfinite(a)):
        raise ValueError("the BCa interval is undefined here: every bootstrap statistic lies on one side of the "
                         "estimate, or the jackknife values are all equal; use method='percentile'")
    if np.any(1 - a * shifted <= 0):
        raise ValueError(f"the BCa interval is undefined here: the acceleration a = {a:.3g} is too large for "
                         "this level (1 - a (z0 + z) <= 0); use a lower level or another method")
    return levels


def bootstrap_ci(x: Any, statistic: Callable[..., Any], *, n_resamples: int = 9999, level: float = 0.95,
                 method: str = "percentile", std_error: Callable[..., Any] | None = None, batch: bool = False,
                 random_state: Any = None) -> tuple[Any, Any]:
    """A bootstrap confidence interval for ``statistic(x)`` (Efron & Tibshirani, 1993).

    Parameters
    ----------
    x : ndarray of shape (n,), n >= 2; or of shape (R, n) with ``batch=True``
        One sample, or R samples (one per row) each with its own interval, as in a simulation of
        the intervals' coverage.
    statistic : callable
        See :func:`bootstrap_distribution`.
    n_resamples : int, default 9999
    level : float in (0, 1), default 0.95
    method : {"percentile", "basic", "studentized", "bca"}, default "percentile"
        ``"percentile"``: the :math:`\\alpha/2` and :math:`1-\\alpha/2` quantiles :math:`q` of the bootstrap
        statistics :math:`\\hat\\theta^*`. ``"basic"``: those quantiles reflected about :math:`\\hat\\theta`,
        :math:`(2\\hat\\theta - q_{1-\\alpha/2},\\ 2\\hat\\theta - q_{\\alpha/2})`. ``"studentized"`` (bootstrap-t):
        the quantiles :math:`t_\\cdot` of :math:`t^* = (\\hat\\theta^* - \\hat\\theta)/\\widehat{se}^*`, giving
        :math:`(\\hat\\theta - t_{1-\\alpha/2}\\widehat{se},\\ \\hat\\theta - t_{\\alpha/2}\\widehat{se})`; needs ``std_error``.
        ``"bca"``: bias-corrected and accelerated percentiles (Efron, 1987). Studentized and BCa
        intervals have one-sided coverage error :math:`O(1/n)` under smoothness conditions, the
        percentile and basic ones :math:`O(1/\\sqrt n)`; BCa costs n extra evaluations of the statistic.
    std_error : callable, optional
        For ``"studentized"``: the estimated standard error of the statistic from a sample, e.g.
        ``lambda s, axis=-1: s.std(axis=axis, ddof=1) / np.sqrt(s.shape[axis])`` for the mean.
    batch : bool, default False
        Whether ``x`` holds R samples, one per row.
    random_state : None, int or np.random.Generator

    Returns
    -------
    (low, high) : floats for one sample, or ndarrays of shape (R,) with ``batch=True``

    Notes
    -----
    BCa replaces the levels :math:`\\alpha/2, 1-\\alpha/2` by :math:`\\Phi\\big(z_0 + \\frac{z_0 + z}{1 - a(z_0 + z)}\\big)`
    for :math:`z = \\Phi^{-1}(\\alpha/2), \\Phi^{-1}(1-\\alpha/2)`, with the bias correction
    :math:`z_0 = \\Phi^{-1}\\big((\\#\\{\\hat\\theta^*_b < \\hat\\theta\\} + \\tfrac12\\#\\{\\hat\\theta^*_b = \\hat\\theta\\})/B\\big)`
    and the acceleration
    :math:`a = \\sum_i (\\bar\\theta_{(\\cdot)} - \\hat\\theta_{(i)})^3 / \\big(6\\,[\\sum_i (\\bar\\theta_{(\\cdot)} - \\hat\\theta_{(i)})^2]^{3/2}\\big)`
    from the jackknife values :math:`\\hat\\theta_{(i)}` (the statistic without observation i).
    Efron & Tibshirani (1993, eq. 14.14) count only :math:`\\hat\\theta^*_b < \\hat\\theta`, which is the same
    when ties have probability 0; counting ties as one half, as ``scipy.stats.bootstrap`` does, keeps
    the interval for :math:`-x` the mirror image of the interval for :math:`x` when the statistic has
    ties (a median, any statistic of discrete data). Quantiles are NumPy's default (linear
    interpolation), as in ``scipy.stats.bootstrap``.
    """
    if method not in _CI_METHODS:
        raise ValueError(f"method must be one of {_CI_METHODS}, got {method!r}")
    if method == "studentized" and not callable(std_error):
        raise ValueError("method='studentized' needs std_error, a function that estimates the statistic's "
                         "standard error from a sample")
    level = check_level(level)
    X = _check_sample(x, statistic, batch=batch)
    B = check_count(n_resamples, "n_resamples")
    rng = as_generator(random_state)
    alpha = 1.0 - level
    z = ndtri(np.array([alpha / 2, 1 - alpha / 2]))
    lows, highs = [], []
    for row in X:
        theta_hat = float(_call_statistic(statistic, row[None, :])[0])
        if method == "studentized":
            idx = rng.integers(0, row.size, size=(B, row.size))
            resamples = row[idx]
            se_star = _call_statistic(std_error, resamples)
            t_star = (_call_statistic(statistic, resamples) - theta_hat) / se_star
            se = float(_call_statistic(std_error, row[None, :])[0])
            t_lo, t_hi = np.percentile(t_star, [100 * alpha / 2, 100 * (1 - alpha / 2)])
            low, high = theta_hat - t_hi * se, theta_hat - t_lo * se
        else:
            theta_star = _resample(row, statistic, B, rng)
            levels = ndtr(z) if method != "bca" else _bca_levels(theta_star, theta_hat, row, statistic, z)
            q_low, q_high = np.percentile(theta_star, 100 * levels)
            low, high = (q_low, q_high) if method != "basic" else (2 * theta_hat - q_high, 2 * theta_hat - q_low)
        lows.append(float(low))
        highs.append(float(high))
    return (np.array(lows), np.array(highs)) if batch else (lows[0], highs[0])

"""Information theory: entropy, cross-entropy, KL and JS divergence, mutual information, Huffman codes.

Chapter 3 derives each quantity here and checks it against SciPy, scikit-learn and PyTorch.
Discrete distributions are probability vectors along the **last axis** (any leading axes are a
batch); a vector with a negative entry or a sum other than 1 is refused. ``base`` is the base of
the logarithm: 2 gives bits, ``np.e`` gives nats (one bit is :math:`\\log 2 \\approx 0.693` nats).

The convention :math:`0 \\log 0 = 0` (the limit of :math:`p \\log p` as :math:`p \\to 0`) is used
throughout, so an outcome of probability zero contributes nothing. Where the reference
distribution puts mass on an outcome the model gives probability zero (:math:`q = 0 < p`),
cross-entropy and KL divergence are ``inf``: no finite code length describes an outcome
declared impossible.

This module holds the book's one entropy formula: the impurity functions of
:mod:`mlbook.trees.impurity` (Chapter 6) call :func:`entropy_of_counts`.
"""
from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .validation import as_float_array, check_positive

__all__ = ["entropy", "entropy_of_counts", "cross_entropy", "kl_divergence", "js_divergence", "total_variation",
           "conditional_entropy", "mutual_information", "conditional_mutual_information",
           "mutual_information_of_counts", "huffman_code", "prefix_code_from_lengths",
           "is_prefix_free", "encode", "decode", "gaussian_kl", "gaussian_entropy",
           "fit_gaussian_kl"]

SUM_TOL = 1e-8


def _check_base(base: Any) -> float:
    check_positive(base, "base")
    if base == 1:
        raise ValueError("base must not be 1 (log 1 = 0); use 2 for bits or np.e for nats")
    return float(np.log(base))


def _check_distribution(p: Any, name: str) -> np.ndarray:
    """A probability vector (or a batch of them along the last axis): non-negative, summing to 1."""
    p = as_float_array(p, name)
    if p.ndim == 0:
        raise ValueError(f"{name} must be a probability vector (at least 1-D), got a scalar")
    if np.any(p < 0):
        raise ValueError(f"{name} has negative entries (smallest {p.min():.3g}); probabilities are >= 0")
    sums = p.sum(axis=-1)
    if np.any(np.abs(sums - 1.0) > SUM_TOL):
        worst = float(sums.flat[np.argmax(np.abs(sums - 1.0))])
        raise ValueError(f"{name} must sum to 1 along its last axis, but a sum is {worst:.10g}; "
                         f"normalise it first ({name} / {name}.sum(axis=-1, keepdims=True))")
    return p


def _check_pair(p: Any, q: Any) -> tuple[np.ndarray, np.ndarray]:
    p, q = _check_distribution(p, "p"), _check_distribution(q, "q")
    if p.shape[-1] != q.shape[-1]:
        raise ValueError(f"p and q must be distributions over the same outcomes, but p has {p.shape[-1]} "
                         f"and q has {q.shape[-1]}")
    return p, q


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x log y with 0 log y = 0 for every y (including 0), and -inf where y = 0 < x."""
    with np.errstate(divide="ignore"):
        return np.where(x > 0, x * np.log(np.where(x > 0, y, 1.0)), 0.0)


def _finish(values: np.ndarray) -> float | np.ndarray:
    values = values + 0.0                        # -0.0 -> 0.0
    return float(values) if values.ndim == 0 else values


def entropy(p: Any, base: float = 2) -> float | np.ndarray:
    """Shannon entropy :math:`H(p) = -\\sum_x p(x) \\log p(x)` of a probability vector.

    Parameters
    ----------
    p : array-like of shape (..., k)
        Probability vectors along the last axis.
    base : float, default 2
        2 for bits, ``np.e`` for nats.

    Returns
    -------
    float, or ndarray of shape (...) for a batch

    Notes
    -----
    :math:`0 \\le H(p) \\le \\log k`, with 0 for a point mass and :math:`\\log k` for the uniform
    distribution. By Shannon's source-coding theorem the best prefix code has an expected length
    :math:`L` with :math:`H \\le L < H + 1` bits per symbol (Chapter 3, section 1).
    """
    log_base = _check_base(base)
    p = _check_distribution(p, "p")
    # region: entropy
    h = -np.sum(_xlogy(p, p), axis=-1) / log_base
    # endregion
    return _finish(h)


def entropy_of_counts(counts: Any, base: float = 2) -> np.ndarray:
    """Entropy of the class proportions of (possibly weighted) count vectors along the last axis.

    An all-zero count vector (an empty node) has entropy 0. Used by the decision trees of Chapter 6.

    Returns
    -------
    ndarray of shape (...)
    """
    log_base = _check_base(base)
    counts = as_float_array(counts, "counts", allow_empty=True)
    if np.any(counts < 0):
        raise ValueError("counts must be non-negative")
    n = counts.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, counts / np.where(n > 0, n, 1.0), 0.0)
    return -np.sum(_xlogy(p, p), axis=-1) / log_base + 0.0


def cross_entropy(p: Any, q: Any, base: float = 2) -> float | np.ndarray:
    """Cross-entropy :math:`H(p, q) = -\\sum_x p(x) \\log q(x)` of a model ``q`` under the reference ``p``.

    Notes
    -----
    :math:`H(p, q) = H(p) + D_{\\mathrm{KL}}(p \\,\\Vert\\, q) \\ge H(p)`: the expected code length
    when symbols from :math:`p` are coded with a code built for :math:`q`. ``inf`` where
    :math:`q(x) = 0 < p(x)`.
    """
    log_base = _check_base(base)
    p, q = _check_pair(p, q)
    # region: cross-entropy
    h = -np.sum(_xlogy(p, q), axis=-1) / log_base
    # endregion
    return _finish(h)


def kl_divergence(p: Any, q: Any, base: float = 2) -> float | np.ndarray:
    """Kullback–Leibler divergence :math:`D_{\\mathrm{KL}}(p \\,\\Vert\\, q) = \\sum_x p(x) \\log \\frac{p(x)}{q(x)}`.

    Notes
    -----
    :math:`D_{\\mathrm{KL}}(p \\,\\Vert\\, q) \\ge 0` with equality only when :math:`p = q` (Gibbs'
    inequality, from Jensen's inequality for the concave logarithm). It is not symmetric and does
    not satisfy the triangle inequality. ``inf`` where :math:`q(x) = 0 < p(x)`.
    """
    log_base = _check_base(base)
    p, q = _check_pair(p, q)
    # region: kl
    d = np.sum(_xlogy(p, p) - _xlogy(p, q), axis=-1) / log_base
    # endregion
    return _finish(np.maximum(d, 0.0))      # rounding can give -1e-17 for p = q


def js_divergence(p: Any, q: Any, base: float = 2) -> float | np.ndarray:
    """Jensen–Shannon divergence :math:`\\tfrac12 D_{\\mathrm{KL}}(p \\Vert m) + \\tfrac12 D_{\\mathrm{KL}}(q \\Vert m)`, :math:`m = \\tfrac12(p + q)`.

    Notes
    -----
    Symmetric, always finite, and :math:`0 \\le \\mathrm{JSD} \\le \\log 2` (1 bit), with the upper
    bound reached exactly when :math:`p` and :math:`q` have disjoint supports. Its square root is a
    metric (Endres & Schindelin, 2003); ``scipy.spatial.distance.jensenshannon`` returns that root.
    """
    p, q = _check_pair(p, q)
    m = 0.5 * (p + q)
    # region: js
    return _finish(0.5 * np.asarray(kl_divergence(p, m, base)) + 0.5 * np.asarray(kl_divergence(q, m, base)))
    # endregion


def total_variation(p: Any, q: Any) -> float | np.ndarray:
    """Total variation distance :math:`\\mathrm{TV}(p, q) = \\tfrac12 \\sum_x |p(x) - q(x)|`.

    Notes
    -----
    Equals :math:`\\max_A |P(A) - Q(A)|`, the largest difference between the probabilities of one
    event; :math:`0 \\le \\mathrm{TV} \\le 1`, with 1 exactly for disjoint supports. Pinsker's
    inequality: :math:`\\mathrm{TV} \\le \\sqrt{D_{\\mathrm{KL}}(p \\Vert q)/2}` with KL in nats
    (Chapter 3, section 4).
    """
    p, q = _check_pair(p, q)
    # region: total-variation
    tv = 0.5 * np.sum(np.abs(p - q), axis=-1)
    # endregion
    return _finish(tv)


def _check_joint(joint: Any) -> np.ndarray:
    joint = as_float_array(joint, "joint", ndim=2)
    if np.any(joint < 0):
        raise ValueError("joint has negative entries; a joint probability table is >= 0")
    total = joint.sum()
    if abs(total - 1.0) > SUM_TOL:
        raise ValueError(f"joint must sum to 1, but it sums to {total:.10g}; divide a table of counts by its total")
    return joint


def conditional_entropy(joint: Any, base: float = 2) -> float:
    """Conditional entropy :math:`H(Y \\mid X) = -\\sum_{x,y} p(x, y) \\log p(y \\mid x)` from a joint table.

    Parameters
    ----------
    joint : array-like of shape (n_x, n_y)
        The joint probabilities :math:`p(x, y)`, rows indexing :math:`X`, summing to 1.

    Notes
    -----
    Equivalently :math:`\\sum_x p(x) H(Y \\mid X = x)`, the average entropy of the rows after
    normalising each, which is how a decision tree scores a split (Chapter 6).
    """
    log_base = _check_base(base)
    joint = _check_joint(joint)
    # region: conditional
    p_x = joint.sum(axis=1)                                   # the marginal of X
    h = float(p_x @ entropy_of_counts(joint, base=np.e)) / log_base
    # endregion
    return h + 0.0


def mutual_information(joint: Any, base: float = 2) -> float:
    """Mutual information :math:`I(X; Y) = H(Y) - H(Y \\mid X) = \\sum_{x,y} p(x,y) \\log \\frac{p(x,y)}{p(x)p(y)}`.

    Parameters
    ----------
    joint : array-like of shape (n_x, n_y)
        The joint probabilities, summing to 1.

    Notes
    -----
    :math:`I(X; Y) = D_{\\mathrm{KL}}\\big(p(x, y) \\,\\Vert\\, p(x)p(y)\\big) \\ge 0`, with equality
    exactly when :math:`X` and :math:`Y` are independent. It is symmetric in :math:`X` and :math:`Y`.
    """
    log_base = _check_base(base)
    joint = _check_joint(joint)
    # region: mutual-information
    independent = np.outer(joint.sum(axis=1), joint.sum(axis=0))     # p(x) p(y)
    mi = float(np.sum(_xlogy(joint, joint) - _xlogy(joint, independent))) / log_base
    # endregion
    return max(mi, 0.0)


def conditional_mutual_information(joint: Any, base: float = 2) -> float:
    """Conditional mutual information :math:`I(X; Y \\mid Z) = \\sum_z p(z)\\, I(X; Y \\mid Z = z)` from a 3-D table.

    Parameters
    ----------
    joint : array-like of shape (n_x, n_y, n_z)
        The joint probabilities :math:`p(x, y, z)`, summing to 1.

    Notes
    -----
    :math:`I(X; Y \\mid Z) = H(X \\mid Z) - H(X \\mid Y, Z) \\ge 0`, zero exactly when :math:`X` and
    :math:`Y` are conditionally independent given :math:`Z`. The chain rule
    :math:`I(X; Y, Z) = I(X; Z) + I(X; Y \\mid Z)` gives the data-processing inequality (Chapter 3, section 2).
    """
    log_base = _check_base(base)
    joint = as_float_array(joint, "joint", ndim=3)
    if np.any(joint < 0):
        raise ValueError("joint has negative entries; a joint probability table is >= 0")
    if abs(joint.sum() - 1.0) > SUM_TOL:
        raise ValueError(f"joint must sum to 1, but it sums to {joint.sum():.10g}")
    # region: conditional-mutual-information
    p_z = joint.sum(axis=(0, 1))                                            # (n_z,)
    p_xz, p_yz = joint.sum(axis=1), joint.sum(axis=0)                       # (n_x, n_z), (n_y, n_z)
    independent = p_xz[:, None, :] * p_yz[None, :, :] / np.where(p_z > 0, p_z, 1.0)   # p(x|z) p(y|z) p(z)
    cmi = float(np.sum(_xlogy(joint, joint) - _xlogy(joint, independent))) / log_base
    # endregion
    return max(cmi, 0.0)


def mutual_information_of_counts(counts: Any, base: float = 2) -> float | np.ndarray:
    """The plug-in mutual information of contingency tables of counts, batched over leading axes.

    Parameters
    ----------
    counts : array-like of shape (..., n_x, n_y)
        Non-negative counts; each table is normalised by its own total.

    Notes
    -----
    :math:`2n\\hat I` (in nats) is the likelihood-ratio statistic :math:`G` of the test of
    independence; for independent variables :math:`\\mathbb E[\\hat I] \\approx (n_x - 1)(n_y - 1)/(2n)`
    nats (Miller, 1955): the plug-in estimate is biased upwards. Chapter 6's information gain is
    this quantity in bits.
    """
    log_base = _check_base(base)
    counts = as_float_array(counts, "counts")
    if counts.ndim < 2:
        raise ValueError(f"counts must be tables of shape (..., n_x, n_y), got shape {counts.shape}")
    if np.any(counts < 0):
        raise ValueError("counts must be non-negative")
    n = counts.sum(axis=(-2, -1), keepdims=True)
    if np.any(n == 0):
        raise ValueError("every table needs at least one count")
    p = counts / n
    independent = p.sum(axis=-1, keepdims=True) * p.sum(axis=-2, keepdims=True)
    mi = np.sum(_xlogy(p, p) - _xlogy(p, independent), axis=(-2, -1)) / log_base
    return _finish(np.maximum(mi, 0.0))


def huffman_code(probs: Any) -> list[str]:
    """An optimal binary prefix code for the symbols with probabilities ``probs`` (Huffman, 1952).

    Parameters
    ----------
    probs : array-like of shape (k,)
        A probability vector; zero probabilities are allowed (they get the longest codewords).

    Returns
    -------
    list of str
        The codeword of each symbol, in the order of ``probs``; a single symbol gets ``"0"``.
        Ties are broken by symbol order, so the code is deterministic.

    Notes
    -----
    Repeatedly merge the two least probable nodes; each merge adds one bit to every codeword below
    it. The expected length :math:`L = \\sum_i p_i \\ell_i` satisfies :math:`H \\le L < H + 1` bits.
    """
    p = _check_distribution(probs, "probs")
    if p.ndim != 1:
        raise ValueError(f"probs must be one probability vector (1-D), got shape {p.shape}")
    k = p.size
    if k == 1:
        return ["0"]
    codes = [""] * k
    # region: huffman
    # heap entries: (probability, tie-breaker, the symbols under this node)
    heap = [(float(pi), i, [i]) for i, pi in enumerate(p)]
    heapq.heapify(heap)
    counter = k
    while len(heap) > 1:
        p0, _, left = heapq.heappop(heap)      # the two least probable nodes
        p1, _, right = heapq.heappop(heap)
        for i in left:
            codes[i] = "0" + codes[i]
        for i in right:
            codes[i] = "1" + codes[i]
        heapq.heappush(heap, (p0 + p1, counter, left + right))
        counter += 1
    # endregion
    return codes


def prefix_code_from_lengths(lengths: Any) -> list[str]:
    """A binary prefix code with the given codeword lengths: the converse of the Kraft inequality.

    Parameters
    ----------
    lengths : sequence of positive int
        Lengths :math:`\\ell_i` with :math:`\\sum_i 2^{-\\ell_i} \\le 1`; others are refused.

    Returns
    -------
    list of str
        The codeword of each symbol, in the order of ``lengths``.

    Notes
    -----
    Take the lengths in increasing order; codeword :math:`i` is the first :math:`\\ell_i` bits of the
    binary expansion of :math:`F_i = \\sum_{j<i} 2^{-\\ell_j}` (Chapter 3, section 1). The arithmetic
    is exact, in integer units of :math:`2^{-\\max_i \\ell_i}`.
    """
    arr = np.asarray(lengths)
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iu" or np.any(arr < 1):
        raise ValueError(f"lengths must be a non-empty sequence of positive integers, got {lengths!r}")
    lens = [int(v) for v in arr]
    top = max(lens)
    if sum(2 ** (top - v) for v in lens) > 2 ** top:
        raise ValueError(f"lengths {lens} violate the Kraft inequality (sum of 2^-l > 1): no prefix code has them")
    codes, F = [""] * len(lens), 0
    # region: kraft-converse
    for i in sorted(range(len(lens)), key=lambda i: lens[i]):
        codes[i] = format(F >> (top - lens[i]), f"0{lens[i]}b")   # the first l_i bits of F_i
        F += 2 ** (top - lens[i])                                   # F_{i+1} = F_i + 2^-l_i
    # endregion
    return codes


def is_prefix_free(codes: Sequence[str]) -> bool:
    """True when no codeword is a prefix of (or equal to) another."""
    return all(not b.startswith(a) for a, b in itertools.permutations(codes, 2))


def encode(symbols: Sequence[int], codes: Sequence[str]) -> str:
    """The concatenated codewords of ``symbols`` (indices into ``codes``)."""
    try:
        return "".join(codes[s] for s in symbols)
    except (IndexError, TypeError):
        raise ValueError(f"symbols must be integer indices into the {len(codes)} codewords") from None


def decode(bits: str, codes: Sequence[str]) -> list[int]:
    """Decode a prefix code left to right: each codeword is recognised as soon as it is complete.

    Raises ``ValueError`` for a code that is not prefix-free, a character other than 0/1, or bits
    that end inside a codeword.
    """
    if not is_prefix_free(codes):
        raise ValueError("codes must be prefix-free to be decoded left to right")
    lookup, symbols, word = {c: i for i, c in enumerate(codes)}, [], ""
    # region: decode
    for bit in bits:
        if bit not in "01":
            raise ValueError(f"bits must contain only '0' and '1', got {bit!r}")
        word += bit
        if word in lookup:                 # no codeword is a prefix of another: this one is complete
            symbols.append(lookup[word])
            word = ""
    # endregion
    if word:
        raise ValueError(f"the bits end inside a codeword ({word!r} left over)")
    return symbols


def _check_gaussian_params(*arrays: Any, names: tuple[str, ...]) -> list[np.ndarray]:
    out = [as_float_array(a, name) for a, name in zip(arrays, names)]
    for a, name in zip(out, names):
        if name.startswith("var") and np.any(a <= 0):
            raise ValueError(f"{name} must be > 0 (a variance, not a standard deviation), got {a.min():.3g}")
    try:
        np.broadcast_shapes(*(a.shape for a in out))
    except ValueError:
        raise ValueError(f"the shapes of {', '.join(names)} do not broadcast: "
                         f"{', '.join(str(a.shape) for a in out)}") from None
    return out


def gaussian_kl(mu_p: Any, var_p: Any, mu_q: Any, var_q: Any) -> float | np.ndarray:
    """:math:`D_{\\mathrm{KL}}(\\mathcal N(\\mu_p, \\sigma_p^2) \\,\\Vert\\, \\mathcal N(\\mu_q, \\sigma_q^2))` in nats.

    Parameters
    ----------
    mu_p, var_p, mu_q, var_q : float or array-like of shape (..., d)
        Means and **variances**. Scalars: univariate Gaussians. Arrays: diagonal Gaussians in
        ``d`` dimensions (the last axis), whose KL is the sum over the coordinates.

    Notes
    -----
    .. math::
        D_{\\mathrm{KL}} = \\tfrac12\\Big[\\log\\frac{\\sigma_q^2}{\\sigma_p^2} + \\frac{\\sigma_p^2 + (\\mu_p - \\mu_q)^2}{\\sigma_q^2} - 1\\Big].
    """
    mu_p, var_p, mu_q, var_q = _check_gaussian_params(mu_p, var_p, mu_q, var_q,
                                                      names=("mu_p", "var_p", "mu_q", "var_q"))
    # region: gaussian-kl
    kl = 0.5 * (np.log(var_q / var_p) + (var_p + (mu_p - mu_q) ** 2) / var_q - 1.0)
    # endregion
    if kl.ndim > 0:
        kl = kl.sum(axis=-1)
    return _finish(np.maximum(kl, 0.0))


def gaussian_entropy(var: Any) -> float | np.ndarray:
    """Differential entropy :math:`\\tfrac12 \\log(2\\pi e \\sigma^2)` of a Gaussian, in nats.

    Parameters
    ----------
    var : float or array-like of shape (..., d)
        The variance (scalar), or the diagonal of a diagonal covariance (summed over the last axis).

    Notes
    -----
    Negative when :math:`\\sigma^2 < 1/(2\\pi e)`: a differential entropy is not a number of bits and
    can be below zero. For a fixed variance the Gaussian has the largest differential entropy.
    """
    (var,) = _check_gaussian_params(var, names=("var",))
    h = 0.5 * np.log(2 * np.pi * np.e * var)
    if h.ndim > 0:
        h = h.sum(axis=-1)
    return _finish(h)


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
        integrated on it (trapezoid rule), and the reverse fit starts from its deciles.

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
    minimised over :math:`(\\mu, \\log\\sigma)` by BFGS from several starts (it has several local minima).
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

    def kl_forward(mu: float, var: float) -> float:           # E_p[log p - log q] on the grid
        logq = -0.5 * (np.log(2 * np.pi * var) + (x - mu) ** 2 / var)
        integrand = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1.0)) - logq), 0.0)
        return float(trapezoid(integrand, x))

    if direction == "forward":
        # region: forward-kl
        mu = float(trapezoid(x * p, x))
        var = float(trapezoid((x - mu) ** 2 * p, x))
        # endregion
        return mu, var, kl_forward(mu, var)

    # region: reverse-kl
    def kl_reverse(params: np.ndarray) -> float:               # -H(q) - E_q[log p]
        mu, log_sd = params
        sd = np.exp(log_sd)
        return -float(0.5 * np.log(2 * np.pi * np.e * sd ** 2)) - _expect_under_gaussian(logpdf, mu, sd)

    spread = float(x[-1] - x[0]) / 20
    starts = [np.array([m, np.log(spread)]) for m in np.quantile(x, np.linspace(0.1, 0.9, 9))]
    best = min((minimize(kl_reverse, s0, method="BFGS") for s0 in starts), key=lambda r: r.fun)
    # endregion
    mu, sd = best.x
    return float(mu), float(np.exp(sd) ** 2), float(best.fun)

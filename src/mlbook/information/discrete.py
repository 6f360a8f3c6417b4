"""Entropy and divergences of discrete distributions, and the information in a joint table.

Chapter 3 derives each quantity and checks it against SciPy and scikit-learn. Distributions are
probability vectors along the **last axis** (leading axes are a batch); a vector with a negative
entry or a sum other than 1 is refused. ``base`` is the base of the logarithm: the default 2 gives
**bits**, ``np.e`` gives **nats**, which is what SciPy, scikit-learn and PyTorch return.

The convention :math:`0 \\log 0 = 0` is used throughout. Where the reference distribution puts mass
on an outcome the model gives probability zero (:math:`q = 0 < p`), cross-entropy and KL
divergence are ``inf``. This module holds the book's one entropy formula: the impurity functions
of :mod:`mlbook.trees.impurity` (Chapter 6) call :func:`entropy_of_counts`.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import rel_entr

from ..validation import as_float_array
from ._common import check_base, check_distribution, check_joint, check_pair, finish, xlogy

__all__ = ["entropy", "entropy_of_counts", "cross_entropy", "kl_divergence", "js_divergence", "total_variation",
           "conditional_entropy", "mutual_information", "conditional_mutual_information",
           "mutual_information_of_counts", "perplexity"]


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
    float, or ndarray of shape (...) for a batch; in bits by default

    Notes
    -----
    :math:`0 \\le H(p) \\le \\log k`, with 0 for a point mass and :math:`\\log k` for the uniform
    distribution. By Shannon's source-coding theorem the best prefix code has an expected length
    :math:`L` with :math:`H \\le L < H + 1` bits per symbol (Chapter 3, section 1).
    """
    log_base = check_base(base)
    p = check_distribution(p, "p")
    # region: entropy
    # xlogy(p, p) = p log p, with 0 log 0 = 0 (np.where(p > 0, ...))
    h = -np.sum(xlogy(p, p), axis=-1) / log_base
    # endregion
    return finish(h)


def entropy_of_counts(counts: Any, base: float = 2) -> float | np.ndarray:
    """Entropy of the class proportions of (possibly weighted) count vectors along the last axis.

    An all-zero count vector (an empty node) has entropy 0. Used by the decision trees of Chapter 6.

    Returns
    -------
    float, or ndarray of shape (...) for a batch; in bits by default
    """
    log_base = check_base(base)
    counts = as_float_array(counts, "counts", allow_empty=True)
    if np.any(counts < 0):
        raise ValueError("counts must be non-negative")
    n = counts.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, counts / np.where(n > 0, n, 1.0), 0.0)
    return finish(-np.sum(xlogy(p, p), axis=-1) / log_base)


def cross_entropy(p: Any, q: Any, base: float = 2) -> float | np.ndarray:
    """Cross-entropy :math:`H(p, q) = -\\sum_x p(x) \\log q(x)` of a model ``q`` under the reference ``p``.

    Notes
    -----
    :math:`H(p, q) = H(p) + D_{\\mathrm{KL}}(p \\,\\Vert\\, q) \\ge H(p)`: the expected code length
    when symbols from :math:`p` are coded with a code built for :math:`q`. ``inf`` where
    :math:`q(x) = 0 < p(x)`.
    """
    log_base = check_base(base)
    p, q = check_pair(p, q)
    # region: cross-entropy
    h = -np.sum(xlogy(p, q), axis=-1) / log_base
    # endregion
    return finish(h)


def kl_divergence(p: Any, q: Any, base: float = 2) -> float | np.ndarray:
    """Kullback–Leibler divergence :math:`D_{\\mathrm{KL}}(p \\,\\Vert\\, q) = \\sum_x p(x) \\log \\frac{p(x)}{q(x)}`.

    Notes
    -----
    :math:`D_{\\mathrm{KL}}(p \\,\\Vert\\, q) \\ge 0` with equality only when :math:`p = q` (Gibbs'
    inequality, from Jensen's inequality for the concave logarithm). It is not symmetric and does
    not satisfy the triangle inequality. ``inf`` where :math:`q(x) = 0 < p(x)`.
    """
    log_base = check_base(base)
    p, q = check_pair(p, q)
    # region: kl
    d = np.sum(rel_entr(p, q), axis=-1) / log_base     # rel_entr(p, q) = p log(p / q), 0 where p = 0
    # endregion
    return finish(np.maximum(d, 0.0))      # rounding can give -1e-17 for p = q


def js_divergence(p: Any, q: Any, base: float = 2) -> float | np.ndarray:
    """Jensen–Shannon divergence :math:`\\tfrac12 D_{\\mathrm{KL}}(p \\Vert m) + \\tfrac12 D_{\\mathrm{KL}}(q \\Vert m)`, :math:`m = \\tfrac12(p + q)`.

    Notes
    -----
    Symmetric, always finite, and :math:`0 \\le \\mathrm{JSD} \\le \\log 2` (1 bit), with the upper
    bound reached exactly when :math:`p` and :math:`q` have disjoint supports. Its square root is a
    metric (Endres & Schindelin, 2003); ``scipy.spatial.distance.jensenshannon`` returns that root.
    """
    p, q = check_pair(p, q)
    m = 0.5 * (p + q)
    m = np.where((m == 0) & (p + q > 0), p + q, m)  # a subnormal p + q halves to 0; its terms are < 1e-323
    # region: js
    return finish(0.5 * np.asarray(kl_divergence(p, m, base)) + 0.5 * np.asarray(kl_divergence(q, m, base)))
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
    p, q = check_pair(p, q)
    # region: total-variation
    tv = 0.5 * np.sum(np.abs(p - q), axis=-1)
    # endregion
    return finish(tv)


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
    log_base = check_base(base)
    joint = check_joint(joint)
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
    log_base = check_base(base)
    joint = check_joint(joint)
    # region: mutual-information
    independent = np.outer(joint.sum(axis=1), joint.sum(axis=0))     # p(x) p(y)
    mi = float(np.sum(xlogy(joint, joint) - xlogy(joint, independent))) / log_base
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
    log_base = check_base(base)
    joint = check_joint(joint, ndim=3)
    # region: conditional-mutual-information
    p_z = joint.sum(axis=(0, 1))                                            # (n_z,)
    p_xz, p_yz = joint.sum(axis=1), joint.sum(axis=0)                       # (n_x, n_z), (n_y, n_z)
    independent = p_xz[:, None, :] * p_yz[None, :, :] / np.where(p_z > 0, p_z, 1.0)   # p(x|z) p(y|z) p(z)
    cmi = float(np.sum(xlogy(joint, joint) - xlogy(joint, independent))) / log_base
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
    independence. For independent variables :math:`\\mathbb E[\\hat I] \\approx (n_x - 1)(n_y - 1)/(2n)`
    nats (Miller, 1955): the plug-in estimate is biased upwards. In general the bias is about
    :math:`[(m_{XY}-1)-(m_X-1)-(m_Y-1)]/(2n)` nats for :math:`m` values and cells of positive
    probability, negative when few cells are occupied (e.g. :math:`Y = X`). Chapter 6's information gain is
    this quantity in bits.
    """
    log_base = check_base(base)
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
    mi = np.sum(xlogy(p, p) - xlogy(p, independent), axis=(-2, -1)) / log_base
    return finish(np.maximum(mi, 0.0))


def perplexity(probs: Any) -> float:
    """Perplexity :math:`\\exp\\big(-\\frac1n\\sum_i \\log q_i\\big)` of the probabilities a model gave the observed outcomes.

    Parameters
    ----------
    probs : array-like of shape (n,)
        :math:`q_i`, the model's probability of the i-th observed outcome, each in (0, 1].

    Returns
    -------
    float
        The exponential of the cross-entropy in nats (equivalently :math:`2^{H}` with H in bits): the
        number of equally likely choices that would be as surprising. A uniform model over K
        outcomes has perplexity exactly K (Chapter 3, section 5).
    """
    q = as_float_array(probs, "probs", ndim=1)
    if np.any((q <= 0) | (q > 1)):
        raise ValueError("probs must be probabilities in (0, 1]; a zero probability gives infinite perplexity")
    return float(np.exp(-np.mean(np.log(q))))

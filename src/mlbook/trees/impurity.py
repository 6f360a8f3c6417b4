"""Impurity of a node and the quality of a split: entropy, Gini, information gain, gain ratio.

The derivations are in the chapter "Decision trees and ensembles", section 1 (Impurity and
splits). Every function works on class *counts* as well as on label arrays, so the tree's
vectorised split search (``mlbook.trees.tree``) and the worked examples share one formula.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..information.discrete import entropy_of_counts
from ..validation import as_label_array

CRITERIA = ("entropy", "gini", "misclassification")


def impurity_from_counts(counts: Any, criterion: str = "entropy") -> np.ndarray:
    """Impurity of class-count vectors (the last axis holds the classes).

    Parameters
    ----------
    counts : array-like of shape (..., n_classes)
        Non-negative (possibly weighted) class counts; every other axis is a batch axis.
    criterion : {"entropy", "gini", "misclassification"}

    Returns
    -------
    ndarray of shape (...)
        The impurity of each count vector; 0 for an empty one.

    Notes
    -----
    With class proportions :math:`p_k = n_k / n`,

    .. math::
        H = -\\sum_k p_k \\log_2 p_k, \\qquad G = 1 - \\sum_k p_k^2, \\qquad E = 1 - \\max_k p_k.
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    counts = np.asarray(counts, dtype=np.float64)
    n = counts.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, counts / n, 0.0)
    if criterion == "gini":
        return np.where(n[..., 0] > 0, 1.0 - np.sum(p * p, axis=-1), 0.0)
    if criterion == "misclassification":
        return np.where(n[..., 0] > 0, 1.0 - p.max(axis=-1), 0.0)
    return entropy_of_counts(counts, base=2)        # the book's one entropy formula (Chapter 3)


def _counts(y: np.ndarray) -> np.ndarray:
    return np.unique(y, return_counts=True)[1]


def entropy(y: Any) -> float:
    """Shannon entropy of a label array, in bits.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels (any hashable values).

    Notes
    -----
    .. math:: H(Y) = -\\sum_k p_k \\log_2 p_k,

    0 for a pure node and :math:`\\log_2 C` for :math:`C` equally frequent classes.
    """
    return float(impurity_from_counts(_counts(as_label_array(y)), "entropy"))


def gini(y: Any) -> float:
    """Gini impurity of a label array: the chance that two draws with replacement disagree.

    Notes
    -----
    .. math:: G(Y) = 1 - \\sum_k p_k^2 = \\sum_k p_k (1 - p_k),

    at most :math:`1 - 1/C` (all :math:`C` classes equally frequent).
    """
    return float(impurity_from_counts(_counts(as_label_array(y)), "gini"))


def misclassification_error(y: Any) -> float:
    """Fraction of a node's samples that differ from its majority class, :math:`1 - \\max_k p_k`."""
    return float(impurity_from_counts(_counts(as_label_array(y)), "misclassification"))


def _check_pair(feature: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    feature = as_label_array(feature, "feature")
    y = as_label_array(y, "y")
    if feature.shape[0] != y.shape[0]:
        raise ValueError(
            f"feature and y have different lengths: feature has {feature.shape[0]} values, y has {y.shape[0]}"
        )
    return feature, y


def conditional_entropy(feature: Any, y: Any) -> float:
    """:math:`H(Y \\mid A) = \\sum_v \\frac{n_v}{n} H(Y \\mid A = v)` for a categorical feature A."""
    feature, y = _check_pair(feature, y)
    values, inverse = np.unique(feature, return_inverse=True)
    _, y_idx = np.unique(y, return_inverse=True)
    table = np.zeros((values.size, y_idx.max() + 1))
    np.add.at(table, (inverse, y_idx), 1.0)  # contingency table: (feature value, class)
    weights = table.sum(axis=1) / y.size
    return float(weights @ impurity_from_counts(table, "entropy"))


def information_gain(feature: Any, y: Any) -> float:
    """Information gain (ID3) of splitting on a categorical feature, one branch per value.

    Parameters
    ----------
    feature : array-like of shape (n_samples,)
        The feature's value for each sample (strings or numbers, treated as categories).
    y : array-like of shape (n_samples,)
        Class labels.

    Notes
    -----
    .. math:: \\mathrm{IG}(Y, A) = H(Y) - \\sum_v \\frac{n_v}{n} H(Y \\mid A = v) = I(Y; A).
    """
    feature, y = _check_pair(feature, y)
    return entropy(y) - conditional_entropy(feature, y)


def split_information(feature: Any) -> float:
    """Entropy of the partition itself, :math:`-\\sum_v \\frac{n_v}{n} \\log_2 \\frac{n_v}{n}` (C4.5)."""
    return entropy(feature)


def gain_ratio(feature: Any, y: Any) -> float:
    """Gain ratio (C4.5): information gain divided by the split information.

    Notes
    -----
    .. math:: \\mathrm{GR}(Y, A) = \\frac{\\mathrm{IG}(Y, A)}{-\\sum_v \\frac{n_v}{n} \\log_2 \\frac{n_v}{n}}.

    A feature with a single value has split information 0 and no gain; its ratio is defined as 0.
    """
    feature, y = _check_pair(feature, y)
    si = split_information(feature)
    return 0.0 if si == 0.0 else information_gain(feature, y) / si

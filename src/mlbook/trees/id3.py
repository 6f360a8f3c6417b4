"""ID3 (Quinlan, 1986): a multiway tree on categorical features, one branch per value.

The CART-style estimators of :mod:`mlbook.trees.tree` split numbers at thresholds; ID3 splits a node on
the categorical feature of largest information gain and never uses that feature again below it. The
tree is returned as nested dicts, ``{feature: {value: subtree}}`` with class labels at the leaves, so
that it prints as it is drawn in textbooks.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .impurity import information_gain
from ..validation import as_label_array

__all__ = ["id3_tree", "id3_predict"]


def _columns(columns: Mapping[str, Any], n: int | None = None) -> dict[str, np.ndarray]:
    if not isinstance(columns, Mapping) or not columns:
        raise ValueError("columns must be a non-empty mapping {feature name: array of values}")
    out = {name: as_label_array(values, f"columns[{name!r}]") for name, values in columns.items()}
    lengths = {len(v) for v in out.values()} | ({n} if n is not None else set())
    if len(lengths) != 1:
        raise ValueError(f"every column (and y) must have the same length, got lengths {sorted(lengths)}")
    return out


def id3_tree(columns: Mapping[str, Any], y: Any, features: Sequence[str] | None = None) -> Any:
    r"""Grow an ID3 tree: split on the feature of largest information gain, one branch per value.

    .. math:: A^\star = \arg\max_A \Big[H(Y) - \sum_v \tfrac{n_v}{n} H(Y \mid A = v)\Big]

    computed on the samples that reach the node. A node becomes a leaf, labelled with its majority
    class (the smallest label on a tie), when it is pure or no feature left takes two values or more
    among its samples. Features are tried in the order given; on a tie of gains the first wins.
    Quinlan's ID3 has no pruning and no stopping threshold (Li Hang's version adds a minimum gain ε).

    Parameters
    ----------
    columns : mapping {feature name: array-like of shape (n_samples,)}
        Categorical features (strings or numbers, treated as categories).
    y : array-like of shape (n_samples,)
        Class labels.
    features : sequence of str, optional
        The features that may be used, in order; by default every key of ``columns``.

    Returns
    -------
    A class label (a leaf) or ``{feature: {value: subtree}}``.
    """
    y = as_label_array(y, "y")
    cols = _columns(columns, len(y))
    features = list(cols) if features is None else list(features)
    unknown = [f for f in features if f not in cols]
    if unknown:
        raise ValueError(f"unknown features {unknown}; the columns are {list(cols)}")

    # region: id3
    def grow(rows: np.ndarray, candidates: list[str]) -> Any:
        labels, counts = np.unique(y[rows], return_counts=True)
        candidates = [f for f in candidates if len(np.unique(cols[f][rows])) > 1]   # one value: no split
        if len(labels) == 1 or not candidates:
            return labels[np.argmax(counts)].item()            # a leaf: the majority class
        gains = [information_gain(cols[f][rows], y[rows]) for f in candidates]
        best = candidates[int(np.argmax(gains))]              # the first of equal gains
        rest = [f for f in candidates if f != best]
        return {best: {v.item(): grow(rows[cols[best][rows] == v], rest)
                       for v in np.unique(cols[best][rows])}}
    # endregion

    return grow(np.arange(len(y)), features)


def id3_predict(tree: Any, columns: Mapping[str, Any]) -> np.ndarray:
    """Follow each sample down an :func:`id3_tree`; a value the tree never saw at a node is an error."""
    cols = _columns(columns)
    n = len(next(iter(cols.values())))
    out = []
    for i in range(n):
        node = tree
        while isinstance(node, dict):
            (feature, branches), = node.items()
            if feature not in cols:
                raise ValueError(f"the tree splits on {feature!r}, which columns lacks")
            value = cols[feature][i].item()
            if value not in branches:
                raise ValueError(f"sample {i}: {feature} = {value!r} has no branch (seen: {list(branches)})")
            node = branches[value]
        out.append(node)
    return np.array(out)

"""Decision trees (CART-style binary splits) for classification and regression.

Chapter "Decision trees and ensembles": section 1 derives the split criteria, section 2 the
recursive growth, the stopping rules and minimal cost-complexity pruning.

The split search is vectorised: at each node every candidate feature is sorted once, cumulative
class counts (or cumulative sums of y) give the impurity of *all* thresholds at once, and the
best one is picked with ``argmax``. The grown tree is stored in flat arrays (``tree_``), in the
same pre-order as scikit-learn's ``tree_``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from ..validation import as_float_array, check_is_fitted, check_positive, validate_X_y
from ._base import FittedInputMixin, check_int_param
from .impurity import impurity_from_counts
from .structure import Tree

FEATURE_EPS = 1e-7  # values closer than this count as equal (no threshold between them)


def best_split(Xn: np.ndarray, stats: np.ndarray, task: str, criterion: str, min_leaf: int,
               ) -> tuple[int, float, float] | None:
    """Best threshold split of one node over the given columns, scored all at once.

    Parameters
    ----------
    Xn : ndarray of shape (m, q)
        The node's samples, restricted to the candidate features.
    stats : ndarray of shape (m, C) or (m, 3)
        Classification: weighted one-hot labels. Regression: columns (w, w*y, w*y**2), y centred.
    task : {"classification", "regression"}
    criterion : str
        "gini", "entropy" or "gain_ratio" (classification); ignored for regression.
    min_leaf : int
        Minimum number of samples on each side.

    Returns
    -------
    (column, threshold, impurity decrease) or None when no valid split exists. The decrease is
    the node's weighted impurity minus its children's, per unit of the node's weight.
    """
    # region: threshold sweep
    m = Xn.shape[0]
    order = np.argsort(Xn, axis=0, kind="stable")  # sort each feature once: (m, q)
    xs = np.take_along_axis(Xn, order, axis=0)
    cum = np.cumsum(stats[order], axis=0)  # (m, q, C): statistics of rows 0..i of the sorted node
    left, total = cum[:-1], cum[-1]  # a split "after row i" for i = 0..m-2
    right = total - left
    if task == "classification":
        w_l, w_r, w = left.sum(-1), right.sum(-1), total.sum(-1)
        base = "entropy" if criterion == "gain_ratio" else criterion
        children = (w_l * impurity_from_counts(left, base) + w_r * impurity_from_counts(right, base)) / w
        gain = impurity_from_counts(total, base) - children  # (m-1, q)
    else:  # SSE(node) - SSE(left) - SSE(right) = S_L^2/W_L + S_R^2/W_R - S^2/W, divided by W
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = (left[..., 1] ** 2 / left[..., 0] + right[..., 1] ** 2 / right[..., 0]
                    - total[:, 1] ** 2 / total[:, 0]) / total[:, 0]
    valid = xs[1:] > xs[:-1] + FEATURE_EPS  # a threshold between two distinct values only
    n_left = np.arange(1, m)[:, None]
    valid &= (n_left >= min_leaf) & (m - n_left >= min_leaf)
    if not valid.any():
        return None
    score = np.where(valid, gain, -np.inf)
    # endregion
    if criterion == "gain_ratio":  # C4.5: best ratio among splits with at least average gain
        p = n_left / m
        split_info = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
        ok = valid & (gain >= gain[valid].mean() - 1e-12)
        score = np.where(ok, gain / split_info, -np.inf)
    best_i = np.argmax(score, axis=0)  # best threshold of each feature: (q,)
    best_per_feature = score[best_i, np.arange(score.shape[1])]
    j = int(np.argmax(best_per_feature))  # first feature among equals
    i = int(best_i[j])
    threshold = (xs[i, j] + xs[i + 1, j]) / 2.0
    if threshold == xs[i + 1, j]:  # midpoint rounded up: keep the left value on the left
        threshold = xs[i, j]
    return j, float(threshold), float(gain[i, j])


class _BaseTree(FittedInputMixin, BaseEstimator):
    """Growth, pruning and prediction shared by the classifier and the regressor."""

    _task = "classification"
    _fitted_attribute = "tree_"

    def _check_params(self, n_features: int) -> int:
        check_int_param(self.max_depth, "max_depth", allow_none=True)
        check_int_param(self.min_samples_split, "min_samples_split", low=2)
        check_int_param(self.min_samples_leaf, "min_samples_leaf")
        check_positive(self.ccp_alpha, "ccp_alpha", strict=False)
        return resolve_max_features(self.max_features, n_features)

    def grow_tree(self, X: np.ndarray, stats: np.ndarray) -> Tree:
        """Grow the tree recursively from the root (and prune it when ``ccp_alpha > 0``).

        ``fit`` validates its inputs and calls this method; it is public so that the chapter
        can show the recursion (section 2, "Recursive construction and stopping rules").

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Validated inputs.
        stats : ndarray of shape (n_samples, n_classes) or (n_samples, 3)
            Per-sample statistics that :func:`best_split` accumulates. Classification: weighted
            one-hot labels. Regression: columns (w, w*y, w*y**2), y centred.

        Returns
        -------
        Tree
            The fitted tree in flat arrays, nodes in pre-order.
        """
        n, p = X.shape
        k = self._check_params(p)
        rng = np.random.default_rng(self.random_state)
        tree = Tree()
        criterion = getattr(self, "criterion", "squared_error")

        def node_value(s: np.ndarray) -> tuple[np.ndarray, float, float]:
            tot = s.sum(axis=0)
            if self._task == "classification":
                return tot / tot.sum(), float(impurity_from_counts(tot, "entropy" if criterion == "gain_ratio"
                                                                   else criterion)), float(tot.sum())
            mean = tot[1] / tot[0]  # weighted mean and variance of the (centred) targets
            return np.array([mean]), float(max(tot[2] / tot[0] - mean ** 2, 0.0)), float(tot[0])

        # region: recursion
        def grow(idx: np.ndarray, depth: int) -> int:
            value, imp, w = node_value(stats[idx])
            t = tree.add(value, imp, idx.size, w)
            if (imp <= 1e-12 or idx.size < self.min_samples_split or idx.size < 2 * self.min_samples_leaf
                    or (self.max_depth is not None and depth >= self.max_depth)):
                return t  # stopping rules: pure, too small, or deep enough
            Xn = X[idx]
            if k == p:
                split = best_split(Xn, stats[idx], self._task, criterion, self.min_samples_leaf)
                features = np.arange(p)
            else:  # random subset of k features; draw more if all drawn ones are constant here
                features = rng.permutation(p)
                varying = np.ptp(Xn[:, features], axis=0) > FEATURE_EPS
                features = features[np.flatnonzero(varying)[:k]] if varying.any() else features[:k]
                split = best_split(Xn[:, features], stats[idx], self._task, criterion, self.min_samples_leaf)
            if split is None or split[2] <= 1e-12:
                return t
            col, thr, _ = split
            f = int(features[col])
            go_left = Xn[:, f] <= thr
            tree.feature[t], tree.threshold[t] = f, thr
            tree.left[t] = grow(idx[go_left], depth + 1)
            tree.right[t] = grow(idx[~go_left], depth + 1)
            return t
        # endregion

        weight = stats.sum(axis=1) if self._task == "classification" else stats[:, 0]
        grow(np.flatnonzero(weight > 0), 0)  # a sample of weight 0 counts nowhere, as if removed
        tree.freeze()
        if self.ccp_alpha > 0:
            tree = tree.pruned(tree.pruning_sequence(self.ccp_alpha)[2])
        return tree

    def _validated(self, X: Any, y: Any, sample_weight: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        X, y = validate_X_y(self, X, y)
        if sample_weight is None:
            sample_weight = np.ones(X.shape[0])
        sample_weight = as_float_array(sample_weight, "sample_weight", ndim=1)
        if sample_weight.shape[0] != X.shape[0] or np.any(sample_weight < 0) or sample_weight.sum() <= 0:
            raise ValueError(f"sample_weight must hold {X.shape[0]} non-negative values, not all zero "
                             "(a positive sum)")
        return X, y, sample_weight

    def apply(self, X: Any) -> np.ndarray:
        """Index (into ``tree_``'s arrays) of the leaf each sample falls in, shape (n_samples,)."""
        return self.tree_.apply(self._check_X(X))

    def get_depth(self) -> int:
        check_is_fitted(self, "tree_")
        return self.tree_.depth()

    def get_n_leaves(self) -> int:
        check_is_fitted(self, "tree_")
        return self.tree_.n_leaves()

    @property
    def feature_importances_(self) -> np.ndarray:
        """Normalised total weighted impurity decrease per feature, shape (n_features,)."""
        check_is_fitted(self, "tree_")
        return self.tree_.feature_importances(self.n_features_in_)

    def cost_complexity_pruning_path(self, X: Any, y: Any, sample_weight: Any = None) -> dict:
        """Effective alphas and total leaf impurities of the weakest-link pruning sequence.

        Notes
        -----
        Minimising :math:`R_\\alpha(T) = R(T) + \\alpha |T|` over subtrees, node :math:`t` is pruned
        once :math:`\\alpha \\ge g(t) = (R(t) - R(T_t)) / (|T_t| - 1)`.
        """
        full = self.__class__(**{**self.get_params(), "ccp_alpha": 0.0}).fit(X, y, sample_weight)
        alphas, impurities, _ = full.tree_.pruning_sequence()
        return {"ccp_alphas": alphas, "impurities": impurities}


def resolve_max_features(max_features: Any, n_features: int) -> int:
    """Number of features examined per split: None/1.0 all, "sqrt", "log2", an int or a fraction."""
    if max_features is None:
        return n_features
    if max_features == "sqrt":
        return max(1, int(np.sqrt(n_features)))
    if max_features == "log2":
        return max(1, int(np.log2(n_features)))
    if isinstance(max_features, (int, np.integer)) and not isinstance(max_features, bool) \
            and 1 <= max_features <= n_features:
        return int(max_features)
    if isinstance(max_features, (float, np.floating)) and 0.0 < max_features <= 1.0:
        return max(1, int(max_features * n_features))
    raise ValueError(f"max_features must be None, 'sqrt', 'log2', an integer in [1, {n_features}] "
                     f"or a fraction in (0, 1], got {max_features!r}")


class DecisionTreeClassifier(ClassifierMixin, _BaseTree):
    """A classification tree with binary threshold splits.

    Parameters
    ----------
    criterion : {"gini", "entropy", "gain_ratio"}, default "gini"
        Node impurity: Gini (CART), entropy with information gain (ID3), or entropy with the gain
        ratio among splits of at least average gain (C4.5).
    max_depth : int, optional
        Maximum depth (the root has depth 0); None grows until the other rules stop it.
    min_samples_split : int, default 2
        A node with fewer samples becomes a leaf.
    min_samples_leaf : int, default 1
        Each child must keep at least this many samples.
    ccp_alpha : float, default 0.0
        Complexity parameter of minimal cost-complexity pruning.
    max_features : None, "sqrt", "log2", int or float, default None
        Features drawn at random at each node (random forests); None examines all of them.
    random_state : int, optional
        Seed of the feature draws.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    tree_ : Tree
        The fitted tree; ``tree_.value`` holds each node's class proportions (n_nodes, n_classes).
    n_features_in_ : int

    Notes
    -----
    A node of class proportions :math:`p_k` is split where the impurity decrease is largest,

    .. math:: \\Delta = i(t) - \\frac{n_L}{n_t} i(t_L) - \\frac{n_R}{n_t} i(t_R).
    """

    def __init__(self, criterion: str = "gini", max_depth: int | None = None, min_samples_split: int = 2,
                 min_samples_leaf: int = 1, ccp_alpha: float = 0.0, max_features: Any = None,
                 random_state: int | None = None):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.ccp_alpha = ccp_alpha
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "DecisionTreeClassifier":
        """Grow (and, with ``ccp_alpha > 0``, prune) the tree on X (n_samples, n_features) and y."""
        if self.criterion not in ("gini", "entropy", "gain_ratio"):
            raise ValueError(f"criterion must be 'gini', 'entropy' or 'gain_ratio', got {self.criterion!r}")
        X, y, w = self._validated(X, y, sample_weight)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        stats = np.zeros((X.shape[0], self.classes_.size))
        stats[np.arange(X.shape[0]), y_idx] = w  # weighted one-hot labels
        self.n_features_in_ = X.shape[1]
        self.tree_ = self.grow_tree(X, stats)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class proportions of the leaf each sample reaches, shape (n_samples, n_classes)."""
        X = self._check_X(X)
        return self.tree_.value[self.tree_.apply(X)]

    def predict(self, X: Any) -> np.ndarray:
        """Majority class of the leaf each sample reaches, shape (n_samples,)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class DecisionTreeRegressor(RegressorMixin, _BaseTree):
    """A regression tree: squared-error splits, leaf value = mean of the leaf's targets.

    Parameters are those of :class:`DecisionTreeClassifier` without ``criterion``.

    Notes
    -----
    A split is scored by its decrease in the sum of squared errors,

    .. math:: \\sum_{i \\in t} (y_i - \\bar y_t)^2 - \\sum_{i \\in t_L} (y_i - \\bar y_L)^2 - \\sum_{i \\in t_R} (y_i - \\bar y_R)^2.
    """

    _task = "regression"

    def __init__(self, max_depth: int | None = None, min_samples_split: int = 2, min_samples_leaf: int = 1,
                 ccp_alpha: float = 0.0, max_features: Any = None, random_state: int | None = None):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.ccp_alpha = ccp_alpha
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "DecisionTreeRegressor":
        """Grow (and, with ``ccp_alpha > 0``, prune) the tree on X (n_samples, n_features) and y."""
        X, y, w = self._validated(X, y, sample_weight)
        self.y_offset_ = float(np.average(y, weights=w))
        yc = y - self.y_offset_  # centring keeps the cumulative sums of y**2 accurate
        self.n_features_in_ = X.shape[1]
        self.tree_ = self.grow_tree(X, np.column_stack([w, w * yc, w * yc * yc]))
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Mean target of the leaf each sample reaches, shape (n_samples,)."""
        X = self._check_X(X)
        return self.tree_.value[self.tree_.apply(X), 0] + self.y_offset_

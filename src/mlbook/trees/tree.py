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
from sklearn.utils import Bunch

from ..validation import as_float_array, check_is_fitted, check_positive, validate_X_y
from ._base import FittedInputMixin, check_int_param
from .impurity import impurity_from_counts
from .structure import Tree

FEATURE_EPS = 1e-7  # values closer than this count as equal (no threshold between them)
GAIN_TOL = 1e-12  # impurities and impurity decreases below this are rounding noise, i.e. zero


def _class_gains(left: np.ndarray, right: np.ndarray, total: np.ndarray, criterion: str) -> np.ndarray:
    """Impurity decrease of every threshold from cumulative weighted class counts.

    ``left`` and ``right`` have shape (m-1, q, C), ``total`` (q, C); returns (m-1, q).

    .. math:: \\Delta = i(t) - \\frac{w_L}{w_t} i(t_L) - \\frac{w_R}{w_t} i(t_R).
    """
    w_l, w_r, w = left.sum(-1), right.sum(-1), total.sum(-1)
    children = (w_l * impurity_from_counts(left, criterion) + w_r * impurity_from_counts(right, criterion)) / w
    return impurity_from_counts(total, criterion) - children


def _sse_gains(left: np.ndarray, right: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Squared-error decrease of every threshold, per unit of the node's weight.

    ``left``, ``right`` (m-1, q, 3) and ``total`` (q, 3) hold cumulative (w, w y, w y^2). A side
    of zero weight gives NaN here; :func:`best_split` never selects it.

    .. math:: \\frac{1}{W}\\Big(\\frac{S_L^2}{W_L} + \\frac{S_R^2}{W_R} - \\frac{S^2}{W}\\Big),
        \\qquad S = \\sum w_i y_i,\\; W = \\sum w_i.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return (left[..., 1] ** 2 / left[..., 0] + right[..., 1] ** 2 / right[..., 0]
                - total[:, 1] ** 2 / total[:, 0]) / total[:, 0]


def _gain_ratio_scores(gain: np.ndarray, valid: np.ndarray, w_left: np.ndarray, w_node: np.ndarray) -> np.ndarray:
    """Gain ratio of every valid threshold whose gain is at least the average over valid ones.

    The split information is the entropy of the weighted two-way partition,
    :math:`SI = -\\frac{w_L}{w}\\log_2\\frac{w_L}{w} - \\frac{w_R}{w}\\log_2\\frac{w_R}{w}`.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.clip(w_left / w_node, 0.0, 1.0)
        split_info = -(np.where(p > 0, p * np.log2(p), 0.0) + np.where(p < 1, (1 - p) * np.log2(1 - p), 0.0))
        ok = valid & (gain >= gain[valid].mean() - GAIN_TOL) & (split_info > 0)
        return np.where(ok, gain / split_info, -np.inf)


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

    Notes
    -----
    A threshold is admissible when it lies between two distinct values, leaves ``min_leaf``
    samples on each side, and leaves a positive weight on each side (rows of weight 0 alone do
    not make a child). ``"gain_ratio"`` scores admissible thresholds of at least average entropy
    gain by gain / split information (see :class:`DecisionTreeClassifier`).
    """
    if task not in ("classification", "regression"):
        raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")
    # region: threshold sweep
    m = Xn.shape[0]
    order = np.argsort(Xn, axis=0, kind="stable")  # sort each feature once: (m, q)
    xs = np.take_along_axis(Xn, order, axis=0)
    cum = np.cumsum(stats[order], axis=0)  # (m, q, C): statistics of rows 0..i of the sorted node
    left, total = cum[:-1], cum[-1]  # a split "after row i" for i = 0..m-2
    right = total - left
    if task == "classification":
        w_left, w_right, w_node = left.sum(-1), right.sum(-1), total.sum(-1)
        gain = _class_gains(left, right, total, "entropy" if criterion == "gain_ratio" else criterion)
    else:
        w_left, w_right, w_node = left[..., 0], right[..., 0], total[:, 0]
        gain = _sse_gains(left, right, total)
    valid = xs[1:] > xs[:-1] + FEATURE_EPS  # a threshold between two distinct values only
    n_left = np.arange(1, m)[:, None]
    valid &= (n_left >= min_leaf) & (m - n_left >= min_leaf)
    valid &= (w_left > 0) & (w_right > 0)  # each child must carry weight
    if not valid.any():
        return None
    score = np.where(valid, gain, -np.inf)
    # endregion
    if criterion == "gain_ratio":
        score = _gain_ratio_scores(gain, valid, w_left, w_node)
    best_i = np.argmax(score, axis=0)  # best threshold of each feature: (q,)
    best_per_feature = score[best_i, np.arange(score.shape[1])]
    j = int(np.argmax(best_per_feature))  # first feature among equals
    i = int(best_i[j])
    if not np.isfinite(best_per_feature[j]):
        return None
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
        """Grow the tree from the root (and prune it when ``ccp_alpha > 0``).

        ``fit`` validates its inputs and calls this method; it is public so that the chapter
        can show the growth loop (section 2, "Recursive construction and stopping rules").

        The recursion "grow the left child, then the right child" is run with an explicit stack
        of pending nodes instead of Python's call stack, so a tree of any depth can grow (a
        recursive version stops at Python's recursion limit, about 1000 levels). Popping the
        left child before the right one numbers the nodes in pre-order, as the recursion would.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Validated inputs.
        stats : ndarray of shape (n_samples, n_classes) or (n_samples, 3)
            Per-sample statistics that :func:`best_split` accumulates. Classification: weighted
            one-hot labels. Regression: columns (w, w*y, w*y**2); ``fit`` passes y centred and
            adds the offset back to ``value`` afterwards.

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
        weight = stats.sum(axis=1) if self._task == "classification" else stats[:, 0]
        root = np.flatnonzero(weight > 0)  # a sample of weight 0 counts nowhere, as if removed

        # region: recursion
        pending = [(root, 0, -1, "")]  # (sample indices, depth, parent node, "left"/"right")
        while pending:
            idx, depth, parent, side = pending.pop()
            # 1. record the node's prediction and impurity
            value, imp, w = self._node_value(stats[idx], criterion)
            t = tree.add(value, imp, idx.size, w)
            if parent >= 0:
                getattr(tree, side)[parent] = t
            # 2. stopping rules: pure, too small, or deep enough
            if (imp <= GAIN_TOL or idx.size < self.min_samples_split or idx.size < 2 * self.min_samples_leaf
                    or (self.max_depth is not None and depth >= self.max_depth)):
                continue
            # 3. the best split over the candidate features; stop if none decreases the impurity
            Xn = X[idx]
            features = np.arange(p) if k == p else self._candidate_features(Xn, k, rng)
            split = best_split(Xn[:, features], stats[idx], self._task, criterion, self.min_samples_leaf)
            if split is None or split[2] <= GAIN_TOL:
                continue
            col, thr, _ = split
            f = int(features[col])
            go_left = Xn[:, f] <= thr
            tree.feature[t], tree.threshold[t] = f, thr
            # 4. grow both children (the left one first: it is popped first)
            pending.append((idx[~go_left], depth + 1, t, "right"))
            pending.append((idx[go_left], depth + 1, t, "left"))
        # endregion

        tree.freeze()
        if self.ccp_alpha > 0:
            tree = tree.pruned(tree.pruning_sequence(self.ccp_alpha)[2])
        return tree

    def _node_value(self, s: np.ndarray, criterion: str) -> tuple[np.ndarray, float, float]:
        """Prediction, impurity and total weight of a node from its samples' statistics."""
        tot = s.sum(axis=0)
        if self._task == "classification":
            base = "entropy" if criterion == "gain_ratio" else criterion
            return tot / tot.sum(), float(impurity_from_counts(tot, base)), float(tot.sum())
        mean = tot[1] / tot[0]  # weighted mean and variance of the (centred) targets
        return np.array([mean]), float(max(tot[2] / tot[0] - mean ** 2, 0.0)), float(tot[0])

    @staticmethod
    def _candidate_features(Xn: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
        """The first k features, in a random order, that vary within the node (random forests).

        Features are examined in blocks, so ``np.ptp`` runs over the drawn features only; if
        fewer than k vary, all varying ones are returned (none: an empty array, no split).
        """
        order = rng.permutation(Xn.shape[1])
        chosen: list[np.ndarray] = []
        n_chosen, start = 0, 0
        while n_chosen < k and start < order.size:
            block = order[start:start + k - n_chosen]
            varying = block[np.ptp(Xn[:, block], axis=0) > FEATURE_EPS]
            chosen.append(varying)
            n_chosen += varying.size
            start += block.size
        return np.concatenate(chosen) if chosen else order[:0]

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

    def cost_complexity_pruning_path(self, X: Any, y: Any, sample_weight: Any = None) -> Bunch:
        """Effective alphas and total leaf impurities of the weakest-link pruning sequence.

        Returns
        -------
        sklearn.utils.Bunch
            ``ccp_alphas`` and ``impurities``, each of shape (n_steps,), as in scikit-learn;
            both ``path.ccp_alphas`` and ``path["ccp_alphas"]`` work.

        Notes
        -----
        Minimising :math:`R_\\alpha(T) = R(T) + \\alpha |T|` over subtrees, node :math:`t` is pruned
        once :math:`\\alpha \\ge g(t) = (R(t) - R(T_t)) / (|T_t| - 1)`.
        """
        full = self.__class__(**{**self.get_params(), "ccp_alpha": 0.0}).fit(X, y, sample_weight)
        alphas, impurities, _ = full.tree_.pruning_sequence()
        return Bunch(ccp_alphas=alphas, impurities=impurities)


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
        Node impurity: Gini (as in CART); entropy, whose decrease is the information gain; or
        ``"gain_ratio"``: gain ratio applied to binary thresholds, C4.5-inspired. Among the
        thresholds of at least average information gain it picks the one of largest
        gain / split information, the split information being the entropy of the weighted
        two-way partition. C4.5 itself picks each threshold by gain with an MDL correction and
        applies the ratio across attributes (Quinlan 1996); on binary thresholds the ratio
        favours lopsided cuts, so these trees tend to grow deeper. All three criteria make
        binary threshold splits; none of them is ID3, which splits a categorical feature into
        one branch per value.
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

    Attributes
    ----------
    tree_ : Tree
        The fitted tree; ``tree_.value`` (n_nodes, 1) holds each node's weighted mean target.
    y_offset_ : float
        Weighted mean of y. The split search runs on ``y - y_offset_`` (centring keeps the
        cumulative sums of :math:`y^2` accurate); the offset is added back to ``tree_.value``.
    n_features_in_ : int

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
        tree = self.grow_tree(X, np.column_stack([w, w * yc, w * yc * yc]))
        tree.value = tree.value + self.y_offset_  # the real means, not the centred ones
        self.tree_ = tree
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Mean target of the leaf each sample reaches, shape (n_samples,)."""
        X = self._check_X(X)
        return self.tree_.value[self.tree_.apply(X), 0]

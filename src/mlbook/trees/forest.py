"""Bagging and random forests, out-of-bag error and permutation importance.

Chapter "Decision trees and ensembles", section 3: the bootstrap (about 1/e of the samples are
never drawn), averaging B trees to cut variance, feature subsampling at each split, and the two
kinds of feature importance.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import Bunch

from ..validation import check_is_fitted, check_X_y, validate_X_y
from ._base import FittedInputMixin, check_int_param, mean_tree_importances
from .tree import DecisionTreeClassifier, DecisionTreeRegressor


def bootstrap_indices(n_samples: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Draw n indices with replacement; return them and the out-of-bag indices (never drawn).

    Notes
    -----
    A given sample is missed by all n draws with probability :math:`(1 - 1/n)^n \\to e^{-1} \\approx 0.368`.
    """
    drawn = rng.integers(0, n_samples, size=n_samples)
    oob = np.setdiff1d(np.arange(n_samples), drawn)
    return drawn, oob


def _check_forest_params(est: Any) -> None:
    check_int_param(est.n_estimators, "n_estimators")
    if not isinstance(est.bootstrap, bool):
        raise TypeError(f"bootstrap must be True or False, got {est.bootstrap!r}")
    if est.oob_score and not est.bootstrap:
        raise ValueError("oob_score=True needs bootstrap=True (without it no sample is out of bag)")


class _BaseForest(FittedInputMixin, BaseEstimator):
    """Fit ``n_estimators`` trees on bootstrap samples; the subclasses say how to combine them."""

    def _tree(self, seed: int) -> Any:
        raise NotImplementedError

    def fit_bootstrap_trees(self, X: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
        """Fit ``n_estimators`` trees, each on its own bootstrap sample of (X, y).

        ``fit`` validates its inputs, calls this method and then combines the trees; it is public
        so that the chapter can show the bootstrap loop (section 3). A bootstrap sample is
        passed to the tree as integer sample weights: a row drawn three times counts three times.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,)
            Targets, or class indices for the classifier.

        Returns
        -------
        list of ndarray
            The out-of-bag row indices of each tree (empty arrays without ``bootstrap``).
            The trees themselves are stored in ``estimators_``.
        """
        _check_forest_params(self)
        # region: bootstrap
        rng = np.random.default_rng(self.random_state)
        n = X.shape[0]
        self.estimators_, oob_sets = [], []
        for _ in range(self.n_estimators):
            seed = int(rng.integers(2**31 - 1))
            if self.bootstrap:
                drawn, oob = bootstrap_indices(n, rng)
                # a bootstrap sample = the original rows weighted by how often each was drawn
                weight = np.bincount(drawn, minlength=n).astype(float)
            else:
                weight, oob = np.ones(n), np.array([], dtype=int)
            keep = weight > 0
            tree = self._tree(seed).fit(X[keep], y[keep], sample_weight=weight[keep])
            self.estimators_.append(tree)
            oob_sets.append(oob)
        # endregion
        self.n_features_in_ = X.shape[1]
        return oob_sets

    @property
    def feature_importances_(self) -> np.ndarray:
        """Mean over the trees of each tree's normalised impurity decrease, shape (n_features,)."""
        check_is_fitted(self, "estimators_")
        return mean_tree_importances(self.estimators_)


class RandomForestClassifier(ClassifierMixin, _BaseForest):
    """Bagged classification trees with a random subset of features at every split.

    Parameters
    ----------
    n_estimators : int, default 100
        Number of trees B.
    criterion : {"gini", "entropy", "gain_ratio"}, default "gini"
    max_features : "sqrt", "log2", None, int or float, default "sqrt"
        Features examined per split (:math:`\\lfloor\\sqrt p\\rfloor` by default).
    max_depth, min_samples_split, min_samples_leaf :
        Passed to each :class:`DecisionTreeClassifier` (fully grown by default).
    bootstrap : bool, default True
    oob_score : bool, default False
        Also compute the out-of-bag accuracy ``oob_score_``.
    random_state : int, optional

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    classes_ : ndarray of shape (n_classes,)
    oob_score_, oob_decision_function_ : float, ndarray of shape (n_samples, n_classes)
        Only with ``oob_score=True``.

    Notes
    -----
    The forest averages the trees' class proportions, :math:`\\hat p(x) = \\frac1B \\sum_b \\hat p_b(x)`.
    """

    def __init__(self, n_estimators: int = 100, criterion: str = "gini", max_features: Any = "sqrt",
                 max_depth: int | None = None, min_samples_split: int = 2, min_samples_leaf: int = 1,
                 bootstrap: bool = True, oob_score: bool = False, random_state: int | None = None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_features = max_features
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state

    def _tree(self, seed: int) -> DecisionTreeClassifier:
        return DecisionTreeClassifier(criterion=self.criterion, max_depth=self.max_depth,
                                      min_samples_split=self.min_samples_split,
                                      min_samples_leaf=self.min_samples_leaf,
                                      max_features=self.max_features, random_state=seed)

    def fit(self, X: Any, y: Any) -> "RandomForestClassifier":
        """Fit the trees on bootstrap samples of X (n_samples, n_features) and y (n_samples,)."""
        X, y = validate_X_y(self, X, y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        oob_sets = self.fit_bootstrap_trees(X, y_idx)
        for t in self.estimators_:  # trees saw class indices; keep every tree's columns aligned
            full = np.zeros((t.tree_.value.shape[0], self.classes_.size))
            full[:, t.classes_] = t.tree_.value
            t.tree_.value, t.classes_ = full, np.arange(self.classes_.size)
        if self.oob_score:
            votes = np.zeros((X.shape[0], self.classes_.size))
            for t, oob in zip(self.estimators_, oob_sets):
                if oob.size:
                    votes[oob] += t.predict_proba(X[oob])
            seen = votes.sum(axis=1) > 0
            self.oob_decision_function_ = np.divide(votes, votes.sum(axis=1, keepdims=True),
                                                    out=np.full_like(votes, np.nan), where=seen[:, None])
            self.oob_score_ = float(np.mean(np.argmax(votes[seen], axis=1) == y_idx[seen]))
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Mean of the trees' class proportions, shape (n_samples, n_classes)."""
        X = self._check_X(X)
        return np.mean([t.predict_proba(X) for t in self.estimators_], axis=0)

    def predict(self, X: Any) -> np.ndarray:
        """Class of highest mean proportion, shape (n_samples,)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class RandomForestRegressor(RegressorMixin, _BaseForest):
    """Bagged regression trees; the prediction is the mean of the trees' predictions.

    Parameters are those of :class:`RandomForestClassifier` without ``criterion``; ``max_features``
    defaults to 1.0 (all features, i.e. plain bagging), as in scikit-learn.

    Attributes
    ----------
    estimators_ : list of DecisionTreeRegressor
    oob_score_ : float
        Out-of-bag :math:`R^2` (only with ``oob_score=True``).
    oob_prediction_ : ndarray of shape (n_samples,)
    """

    def __init__(self, n_estimators: int = 100, max_features: Any = 1.0, max_depth: int | None = None,
                 min_samples_split: int = 2, min_samples_leaf: int = 1, bootstrap: bool = True,
                 oob_score: bool = False, random_state: int | None = None):
        self.n_estimators = n_estimators
        self.max_features = max_features
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state

    def _tree(self, seed: int) -> DecisionTreeRegressor:
        return DecisionTreeRegressor(max_depth=self.max_depth, min_samples_split=self.min_samples_split,
                                     min_samples_leaf=self.min_samples_leaf, max_features=self.max_features,
                                     random_state=seed)

    def fit(self, X: Any, y: Any) -> "RandomForestRegressor":
        """Fit the trees on bootstrap samples of X (n_samples, n_features) and y (n_samples,)."""
        X, y = validate_X_y(self, X, y)
        oob_sets = self.fit_bootstrap_trees(X, y)
        if self.oob_score:
            total, count = np.zeros(X.shape[0]), np.zeros(X.shape[0])
            for t, oob in zip(self.estimators_, oob_sets):
                if oob.size:
                    total[oob] += t.predict(X[oob])
                    count[oob] += 1
            seen = count > 0
            self.oob_prediction_ = np.divide(total, count, out=np.full(X.shape[0], np.nan), where=seen)
            resid = y[seen] - self.oob_prediction_[seen]
            self.oob_score_ = float(1 - resid @ resid / np.sum((y[seen] - y[seen].mean()) ** 2))
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Mean of the trees' predictions, shape (n_samples,)."""
        X = self._check_X(X)
        return np.mean([t.predict(X) for t in self.estimators_], axis=0)


def permutation_importance(model: Any, X: Any, y: Any, *, n_repeats: int = 5,
                           scoring: Callable[[Any, np.ndarray, np.ndarray], float] | None = None,
                           random_state: int | None = None) -> Bunch:
    """Drop in score when one feature's column is shuffled, breaking its link with y.

    Parameters
    ----------
    model : fitted estimator with ``score(X, y)`` (or pass ``scoring(model, X, y)``)
    X : array-like of shape (n_samples, n_features)
        Preferably held-out data.
    y : array-like of shape (n_samples,)
    n_repeats : int, default 5
        Shuffles per feature.
    random_state : int, optional

    Returns
    -------
    sklearn.utils.Bunch
        ``importances`` of shape (n_features, n_repeats), ``importances_mean`` and
        ``importances_std`` of shape (n_features,), as in ``sklearn.inspection``; both
        ``result.importances_mean`` and ``result["importances_mean"]`` work.

    Notes
    -----
    .. math:: I_j = s(X, y) - \\frac1R \\sum_{r=1}^R s(X^{(j, r)}, y),

    where :math:`X^{(j, r)}` is X with column j permuted by the r-th random permutation.
    """
    X, y = check_X_y(X, y, y_numeric=False)
    check_int_param(n_repeats, "n_repeats")
    score = scoring if scoring is not None else (lambda m, A, b: m.score(A, b))
    rng = np.random.default_rng(random_state)
    base = score(model, X, y)
    out = np.empty((X.shape[1], n_repeats))
    for j in range(X.shape[1]):
        Xp = X.copy()
        for r in range(n_repeats):
            Xp[:, j] = X[rng.permutation(X.shape[0]), j]
            out[j, r] = base - score(model, Xp, y)
    return Bunch(importances=out, importances_mean=out.mean(axis=1), importances_std=out.std(axis=1))

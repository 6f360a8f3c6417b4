"""Splitting data for model selection: k-fold cross-validation and learning curves
(chapter "Linear models", section "Polynomial features, regularisation and model selection")."""
from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from sklearn.base import clone, is_classifier

from .validation import check_positive


class KFold:
    """Split ``n`` samples into ``n_splits`` consecutive folds; each fold is the test part once.

    Parameters
    ----------
    n_splits : int, default 5
        At least 2. The first ``n % n_splits`` folds hold one sample more (as scikit-learn).
    shuffle : bool, default False
        Permute the samples before splitting.
    random_state : int or None
        Seed of the permutation; only meaningful, and only accepted, with ``shuffle=True``.
    """

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state: int | None = None):
        check_positive(n_splits, "n_splits", integer=True)
        if n_splits < 2:
            raise ValueError(f"n_splits must be at least 2, got {n_splits}")
        if random_state is not None and not shuffle:
            raise ValueError("random_state has no effect without shuffle=True: the folds are then "
                             "consecutive blocks. Pass shuffle=True, or drop random_state.")
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return self.n_splits

    def _check_size(self, n: int) -> None:
        if self.n_splits > n:
            raise ValueError(f"cannot make {self.n_splits} folds from {n} samples")

    def _order(self, n: int) -> np.ndarray:
        self._check_size(n)
        return np.random.default_rng(self.random_state).permutation(n) if self.shuffle else np.arange(n)

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train_index, test_index)`` for each fold."""
        n = len(X)
        order = self._order(n)
        sizes = np.full(self.n_splits, n // self.n_splits)
        sizes[: n % self.n_splits] += 1
        start = 0
        for size in sizes:
            test = order[start:start + size]
            train = np.r_[order[:start], order[start + size:]]
            yield train, test
            start += size


class StratifiedKFold(KFold):
    """K-fold in which every fold keeps (up to rounding) the class proportions of y.

    As scikit-learn's, it refuses ``n_splits`` larger than every class, and warns (``UserWarning``)
    when the smallest class has fewer than ``n_splits`` members: some folds then lack that class.
    """

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if y is None:
            raise ValueError("StratifiedKFold.split needs the labels y")
        _, y = _as_arrays(X, y)
        self._check_size(len(y))
        classes, counts = np.unique(y, return_counts=True)
        if np.all(counts < self.n_splits):
            raise ValueError(f"n_splits={self.n_splits} cannot be greater than the number of members in each "
                             f"class: the largest class has {counts.max()}. Use fewer folds")
        if counts.min() < self.n_splits:
            warnings.warn(f"The least populated class in y has only {counts.min()} members, which is less "
                          f"than n_splits={self.n_splits}: some test folds will not contain class "
                          f"{classes[np.argmin(counts)]!r}", UserWarning, stacklevel=2)
        rng = np.random.default_rng(self.random_state)
        fold_of = np.empty(len(y), dtype=np.int64)
        offset = 0
        for c in classes:
            members = np.flatnonzero(y == c)
            if self.shuffle:
                members = rng.permutation(members)
            # deal the class's members round-robin, continuing where the last class stopped
            fold_of[members] = (offset + np.arange(len(members))) % self.n_splits
            offset += len(members)
        for k in range(self.n_splits):
            yield np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)


def _as_arrays(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} values")
    return X, y


def _splits(cv: Any, estimator: Any, X: Any, y: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        cv = StratifiedKFold(int(cv)) if is_classifier(estimator) else KFold(int(cv))
    if hasattr(cv, "split"):
        return list(cv.split(X, y))
    return [(np.asarray(tr), np.asarray(te)) for tr, te in cv]


def cross_val_score(estimator: Any, X: Any, y: Any, *, cv: Any = 5,
                    scoring: Callable[[Any, Any, Any], float] | None = None) -> np.ndarray:
    """Fit a fresh clone of ``estimator`` on each training part and score it on the held-out fold.

    Parameters
    ----------
    estimator : scikit-learn-style estimator
        Cloned (``sklearn.base.clone``) for every fold, so no fold sees another fold's fit.
    cv : int, splitter or iterable of (train, test), default 5
        An int means ``KFold`` (regressors) or ``StratifiedKFold`` (classifiers), unshuffled.
    scoring : callable ``scoring(fitted_estimator, X_test, y_test)``, optional
        Defaults to the estimator's ``score`` (accuracy or R²).

    Returns
    -------
    ndarray of shape (n_splits,)
    """
    X, y = _as_arrays(X, y)
    # region: fold loop
    scores = []
    for train, test in _splits(cv, estimator, X, y):
        model = clone(estimator).fit(X[train], y[train])  # a new, unfitted copy per fold
        scores.append(scoring(model, X[test], y[test]) if scoring else model.score(X[test], y[test]))
    return np.array(scores, dtype=np.float64)
    # endregion


def learning_curve(estimator: Any, X: Any, y: Any, train_sizes: Any, *, cv: Any = 5,
                   scoring: Callable[[Any, Any, Any], float] | None = None, shuffle: bool = False,
                   random_state: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Training and validation scores as the training part grows.

    For every fold, the model is fitted on the first ``m`` samples of the fold's training part,
    for each ``m`` in ``train_sizes``; it is scored on those ``m`` samples and on the held-out fold.

    Parameters
    ----------
    estimator : scikit-learn-style estimator
        Cloned for every fit.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    train_sizes : array-like of int
        Numbers of training samples, each between 1 and the smallest training part.
    cv : int, splitter or iterable of (train, test), default 5
        As in :func:`cross_val_score`.
    scoring : callable ``scoring(fitted_estimator, X, y)``, optional
        Defaults to the estimator's ``score``.
    shuffle : bool, default False
        Permute each fold's training indices before taking the first ``m``, as scikit-learn's
        ``learning_curve(shuffle=True)`` does. Without it the prefixes follow the order of the
        training part, which is biased when the rows are sorted (by time, by class, by x).
    random_state : int or None
        Seed of the permutations; only meaningful, and only accepted, with ``shuffle=True``.

    Returns
    -------
    train_sizes : ndarray of shape (n_sizes,)
    train_scores, val_scores : ndarray of shape (n_sizes, n_splits)
    """
    if random_state is not None and not shuffle:
        raise ValueError("random_state has no effect without shuffle=True: the training prefixes then follow "
                         "the order of each fold. Pass shuffle=True, or drop random_state.")
    X, y = _as_arrays(X, y)
    sizes = np.asarray(train_sizes, dtype=np.int64)
    splits = _splits(cv, estimator, X, y)
    if shuffle:   # one generator for all folds, drawn in fold order (as scikit-learn)
        rng = np.random.default_rng(random_state)
        splits = [(rng.permutation(train), test) for train, test in splits]
    if sizes.min() < 1 or sizes.max() > min(len(tr) for tr, _ in splits):
        raise ValueError(f"train_sizes must lie in [1, {min(len(tr) for tr, _ in splits)}], got {sizes.tolist()}")
    score = scoring or (lambda m, A, b: m.score(A, b))
    tr_scores = np.empty((len(sizes), len(splits)))
    va_scores = np.empty_like(tr_scores)
    for j, (train, test) in enumerate(splits):
        for i, m in enumerate(sizes):
            part = train[:m]
            model = clone(estimator).fit(X[part], y[part])
            tr_scores[i, j] = score(model, X[part], y[part])
            va_scores[i, j] = score(model, X[test], y[test])
    return sizes, tr_scores, va_scores

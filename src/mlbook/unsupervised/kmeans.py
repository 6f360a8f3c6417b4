"""k-means clustering: Lloyd's algorithm and k-means++ seeding (chapter 7, section "k-means").

Lloyd's algorithm alternates two steps that each lower the inertia
:math:`J = \\sum_i \\lVert x_i - \\mu_{c_i} \\rVert^2`: assign every point to its nearest centre
(:func:`assign_to_centres`), then move every centre to the mean of its points
(:func:`update_centres`). :func:`lloyd_steps` yields the state after each half-step, for the
chapter's widget; :class:`KMeans` runs the loop from several seeds and keeps the best. Checked
against scikit-learn's ``KMeans`` in ``tests/test_unsupervised.py``.
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin

from ..init import as_generator
from ..validation import as_float_array, check_positive, validate_X

__all__ = ["KMeans", "squared_distances", "assign_to_centres", "update_centres", "kmeans_plusplus",
           "lloyd_steps"]


def squared_distances(X: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """The squared Euclidean distances :math:`\\lVert x_i - \\mu_j \\rVert^2`, shape (n_samples, n_centres).

    Computed as :math:`\\lVert x\\rVert^2 - 2x^\\top\\mu + \\lVert\\mu\\rVert^2` (one matrix product) and
    clipped at 0 against rounding.
    """
    D2 = -2.0 * (X @ centres.T)                          # (n, k)
    D2 += np.einsum("ij,ij->i", X, X)[:, None]
    D2 += np.einsum("ij,ij->i", centres, centres)[None, :]
    return np.maximum(D2, 0.0)


def assign_to_centres(X: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The assignment step: each point's nearest centre and its squared distance to it.

    Returns
    -------
    labels : ndarray of shape (n_samples,), int
    d2 : ndarray of shape (n_samples,)
        :math:`\\min_j \\lVert x_i - \\mu_j \\rVert^2`; their sum is the inertia.
    """
    # region: assign
    D2 = squared_distances(X, centres)            # (n, k)
    labels = np.argmin(D2, axis=1)                # c_i = argmin_j ||x_i - mu_j||²
    d2 = D2[np.arange(len(X)), labels]
    # endregion
    return labels, d2


def update_centres(X: np.ndarray, labels: np.ndarray, centres: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """The update step: every centre moves to the mean of the points assigned to it.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    labels, d2 : ndarray of shape (n_samples,)
        The output of :func:`assign_to_centres` for ``centres``.
    centres : ndarray of shape (n_clusters, n_features)

    Returns
    -------
    ndarray of shape (n_clusters, n_features)
        A new array.

    Notes
    -----
    An empty cluster (no point assigned) has no mean. Its centre is moved onto the point that
    lies farthest from its own centre (the next empty cluster takes the next farthest point).
    That point's squared distance drops to 0 and no other distance grows, so the inertia still
    does not increase.
    """
    k = len(centres)
    # region: update
    one_hot = labels[:, None] == np.arange(k)           # (n, k)
    counts = one_hot.sum(axis=0)                        # points per cluster
    sums = one_hot.T.astype(np.float64) @ X             # (k, d)
    new = centres.copy()
    filled = counts > 0
    new[filled] = sums[filled] / counts[filled, None]   # mu_j = mean of the points with c_i = j
    # endregion
    empty = np.flatnonzero(~filled)
    if empty.size:
        farthest = np.argsort(-d2, kind="stable")[:empty.size]
        new[empty] = X[farthest]
    return new


def kmeans_plusplus(X: Any, n_clusters: int, *, n_local_trials: int | None = None,
                    random_state: Any = None) -> np.ndarray:
    """k-means++ seeding (Arthur & Vassilvitskii, 2007): spread the first centres out.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_clusters : int
    n_local_trials : int or None, default None
        Candidates drawn for each centre after the first; the one that lowers the inertia of
        the seeding most is kept. 1 is the plain algorithm; None means ``2 + int(ln k)``, the
        "greedy" variant of the paper and scikit-learn's default.
    random_state : int, Generator or None, default None

    Returns
    -------
    ndarray of shape (n_clusters, n_features)
        Rows of X.

    Notes
    -----
    The first centre is a uniformly drawn point; each next one is drawn with probability
    proportional to :math:`D(x)^2`, the squared distance to the nearest centre chosen so far.
    The plain algorithm's expected seeding inertia is within a factor :math:`8(\\ln k + 2)` of the
    optimum. D² sampling favours far outliers (standardised data with rare features has many);
    drawing a few candidates and keeping the best, as the greedy variant does, guards against them.
    """
    X = as_float_array(X, "X", ndim=2)
    check_positive(n_clusters, "n_clusters", integer=True)
    if n_clusters > len(X):
        raise ValueError(f"n_samples={len(X)} should be >= n_clusters={n_clusters}")
    trials = 2 + int(np.log(n_clusters)) if n_local_trials is None else n_local_trials
    check_positive(trials, "n_local_trials", integer=True)
    rng = as_generator(random_state)
    # region: kmeans++
    centres = [X[rng.integers(len(X))]]
    d2 = squared_distances(X, centres[0][None, :])[:, 0]        # D(x)² to the nearest centre so far
    for _ in range(1, n_clusters):
        total = d2.sum()
        p = d2 / total if total > 0 else np.full(len(X), 1.0 / len(X))   # all points on the centres
        candidates = rng.choice(len(X), size=trials, p=p)            # drawn with probability ∝ D(x)²
        d2_new = np.minimum(d2[:, None], squared_distances(X, X[candidates]))   # (n, trials)
        best = int(np.argmin(d2_new.sum(axis=0)))                    # the candidate lowering J most
        centres.append(X[candidates[best]])
        d2 = d2_new[:, best]
    # endregion
    return np.array(centres)


def lloyd_steps(X: Any, centres: Any, n_steps: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Run ``n_steps`` iterations of Lloyd's algorithm, yielding the state after every half-step.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    centres : array-like of shape (n_clusters, n_features)
        The starting centres.
    n_steps : int
        Number of full iterations (assignment then update).

    Yields
    ------
    (labels, centres) : (ndarray of shape (n_samples,), ndarray of shape (n_clusters, n_features))
        ``2 * n_steps`` pairs: after each assignment step (new labels, the centres they were
        assigned to) and after each update step (the same labels, the moved centres). The
        inertia of a pair is ``((X - centres[labels]) ** 2).sum()``; it never increases along
        the sequence. Every yielded array is a fresh copy.
    """
    X = as_float_array(X, "X", ndim=2)
    C = as_float_array(centres, "centres", ndim=2)
    if C.shape[1] != X.shape[1]:
        raise ValueError(f"centres have {C.shape[1]} features, but X has {X.shape[1]}")
    check_positive(n_steps, "n_steps", integer=True)
    for _ in range(n_steps):
        labels, d2 = assign_to_centres(X, C)
        yield labels.copy(), C.copy()
        C = update_centres(X, labels, C, d2)
        yield labels.copy(), C.copy()


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """k-means clustering by Lloyd's algorithm, seeded by k-means++, as ``sklearn.cluster.KMeans``.

    Parameters
    ----------
    n_clusters : int, default 8
        The number k of clusters; at most the number of samples.
    init : {"k-means++", "random"} or array-like of shape (n_clusters, n_features), default "k-means++"
        "k-means++" (:func:`kmeans_plusplus`), "random" (k distinct rows of X drawn uniformly),
        or the starting centres themselves (then one run only, whatever ``n_init``).
    n_init : int, default 10
        Number of runs from different seeds; the run with the lowest inertia is kept.
    max_iter : int, default 300
        The most Lloyd iterations per run.
    tol : float, default 1e-4
        A run stops when the centres move by less than ``tol`` times the mean feature variance of X
        (the sum over centres of the squared shifts), scikit-learn's rule.
    random_state : int, Generator or None, default None

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,)
        The nearest centre of each training point (consistent with ``predict(X)``).
    inertia_ : float
        :math:`\\sum_i \\lVert x_i - \\mu_{c_i} \\rVert^2` on the training data.
    n_iter_ : int
        Number of Lloyd iterations of the kept run.
    n_features_in_ : int

    Notes
    -----
    Lloyd's algorithm (section "k-means") minimises
    :math:`J(c, \\mu) = \\sum_i \\lVert x_i - \\mu_{c_i}\\rVert^2` by coordinate descent: the assignment
    step minimises J over c for fixed :math:`\\mu`, the update step over :math:`\\mu` for fixed c
    (:math:`\\mu_j` = the mean of cluster j). J never increases and takes finitely many values, so
    the algorithm stops, at a local minimum. An empty cluster's centre is moved onto the point
    farthest from its centre (:func:`update_centres`).
    """

    def __init__(self, n_clusters: int = 8, init: str | Any = "k-means++", n_init: int = 10,
                 max_iter: int = 300, tol: float = 1e-4, random_state: int | np.random.Generator | None = None):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _check_params(self, X: np.ndarray) -> None:
        check_positive(self.n_clusters, "n_clusters", integer=True)
        if self.n_clusters > len(X):
            raise ValueError(f"n_samples={len(X)} should be >= n_clusters={self.n_clusters}: k-means "
                             "cannot make more clusters than there are points")
        check_positive(self.n_init, "n_init", integer=True)
        check_positive(self.max_iter, "max_iter", integer=True)
        check_positive(self.tol, "tol", strict=False)
        if isinstance(self.init, str):
            if self.init not in ("k-means++", "random"):
                raise ValueError(f"init must be 'k-means++', 'random' or an array of centres, got {self.init!r}")
        else:
            C = as_float_array(self.init, "init", ndim=2)
            if C.shape != (self.n_clusters, X.shape[1]):
                raise ValueError(f"init has shape {C.shape}, but n_clusters={self.n_clusters} centres with "
                                 f"{X.shape[1]} features, shape {(self.n_clusters, X.shape[1])}, are needed")

    def _initial_centres(self, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        if isinstance(self.init, str) and self.init == "k-means++":
            return kmeans_plusplus(X, self.n_clusters, random_state=rng)
        if isinstance(self.init, str):   # "random"
            return X[rng.choice(len(X), size=self.n_clusters, replace=False)].copy()
        return as_float_array(self.init, "init", ndim=2).copy()

    def _lloyd(self, X: np.ndarray, centres: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, float, int]:
        """One run from ``centres``; returns (centres, labels, inertia, n_iter)."""
        n_iter = 0
        for n_iter in range(1, self.max_iter + 1):
            labels, d2 = assign_to_centres(X, centres)
            new = update_centres(X, labels, centres, d2)
            shift = float(np.sum((new - centres) ** 2))
            centres = new
            if shift <= tol:
                break
        labels, d2 = assign_to_centres(X, centres)    # labels_ consistent with the final centres
        return centres, labels, float(d2.sum()), n_iter

    def fit(self, X: Any, y: Any = None) -> "KMeans":
        """Cluster X of shape (n_samples, n_features); ``y`` is ignored."""
        X = validate_X(self, X, reset=True)
        self._check_params(X)
        rng = as_generator(self.random_state)
        tol = float(self.tol) * float(np.mean(np.var(X, axis=0)))
        n_runs = self.n_init if isinstance(self.init, str) else 1
        best = None
        for _ in range(n_runs):
            run = self._lloyd(X, self._initial_centres(X, rng), tol)
            if best is None or run[2] < best[2]:
                best = run
        self.cluster_centers_, self.labels_, self.inertia_, self.n_iter_ = best
        return self

    def predict(self, X: Any) -> np.ndarray:
        """The index of the nearest centre of each row of X, shape (n_samples,)."""
        X = validate_X(self, X, fitted_attribute="cluster_centers_")
        return assign_to_centres(X, self.cluster_centers_)[0]

    def transform(self, X: Any) -> np.ndarray:
        """The Euclidean distance of each row of X to each centre, shape (n_samples, n_clusters)."""
        X = validate_X(self, X, fitted_attribute="cluster_centers_")
        return np.sqrt(squared_distances(X, self.cluster_centers_))

    def score(self, X: Any, y: Any = None) -> float:
        """Minus the inertia of X: :math:`-\\sum_i \\min_j \\lVert x_i - \\mu_j \\rVert^2` (higher is better)."""
        X = validate_X(self, X, fitted_attribute="cluster_centers_")
        return -float(assign_to_centres(X, self.cluster_centers_)[1].sum())

"""The support vector classifier and the hinge loss (chapter 4, sections "Soft margin" and "SMO").

The soft-margin SVM minimises the primal :math:`\\frac12\\lVert w\\rVert^2 + C\\sum_i \\max(0, 1 - y_i f(x_i))`;
:class:`SVC` solves its dual with :func:`~mlbook.svm.solver.smo` and predicts with the kernel
expansion over the support vectors. It is checked against scikit-learn's ``SVC`` (which runs
libsvm on the same dual) in ``tests/test_svm.py``.
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning

from ..validation import (as_float_array, as_label_array, check_is_fitted, check_positive,
                          encode_classes, validate_X, validate_X_y)
from .kernels import KERNELS, make_kernel
from .solver import smo

__all__ = ["SVC", "hinge_loss"]

_MAX_GRAM = 4000   # up to this many samples the n × n Gram matrix is precomputed (128 MB at most)


def hinge_loss(y: Any, scores: Any) -> float:
    """The mean hinge loss :math:`\\frac1n \\sum_i \\max(0, 1 - y_i s_i)`.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels in {-1, +1}; or any two classes, then mapped as scikit-learn does: the
        smaller (first in sorted order) to -1, the larger to +1 (e.g. 0 → -1, 1 → +1).
    scores : array-like of shape (n_samples,)
        Real-valued scores, e.g. ``decision_function``; positive favours the +1 class.

    Returns
    -------
    float
        Equal to ``sklearn.metrics.hinge_loss(y, scores)`` for binary labels.
    """
    y = as_label_array(y, "y")
    s = as_float_array(scores, "scores", ndim=1)
    if len(y) != len(s):
        raise ValueError(f"y and scores have different lengths: {len(y)} and {len(s)}")
    classes = np.unique(y)
    if set(classes.tolist()) <= {-1, 1}:
        t = y.astype(np.float64)
    elif len(classes) == 2:
        t = np.where(y == classes[1], 1.0, -1.0)
    else:
        raise ValueError(f"hinge_loss needs labels in {{-1, +1}} or exactly two classes, got "
                         f"{len(classes)} class(es): {classes.tolist()[:10]}")
    return float(np.mean(np.maximum(0.0, 1.0 - t * s)))


class SVC(ClassifierMixin, BaseEstimator):
    """Support vector classifier for two classes, fitted by SMO (Platt, 1998).

    Parameters
    ----------
    C : float, default 1.0
        The box bound :math:`0 \\le \\alpha_i \\le C`: the price of a margin violation in the primal.
    kernel : {"linear", "poly", "rbf"} or callable, default "rbf"
        :math:`x^\\top z`, :math:`(\\gamma x^\\top z + c_0)^d`, :math:`\\exp(-\\gamma\\lVert x - z\\rVert^2)`,
        or a function ``kernel(X, Z)`` returning the Gram matrix of shape (len(X), len(Z)).
    gamma : {"scale", "auto"} or float, default "scale"
        The γ of "poly" and "rbf": "scale" is ``1 / (n_features * X.var())`` (1 when X has zero
        variance), "auto" is ``1 / n_features``, as in scikit-learn; or a positive number.
    degree : int, default 3
        The degree d >= 1 of "poly".
    coef0 : float, default 0.0
        The constant :math:`c_0` of "poly".
    tol : float, default 1e-3
        SMO stops when no pair of samples violates the KKT conditions by more than tol.
    max_iter : int, default 100_000
        The most SMO steps; a ``ConvergenceWarning`` is raised when they run out.
    random_state : int, Generator or None, default None
        Seed of the order in which SMO scans the samples, which breaks ties in the working-set
        choice; the solution is the same up to tol for any seed.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The labels; ``classes_[1]`` is the class y = +1 (positive decision function).
    support_ : ndarray of shape (n_SV,)
        Indices (in the training set, increasing) of the support vectors, :math:`\\alpha_i > 0`.
    support_vectors_ : ndarray of shape (n_SV, n_features)
    n_support_ : ndarray of shape (2,)
        Number of support vectors of each class.
    dual_coef_ : ndarray of shape (1, n_SV)
        :math:`\\alpha_i y_i` of the support vectors, as scikit-learn stores it.
    intercept_ : ndarray of shape (1,)
        The bias b.
    coef_ : ndarray of shape (1, n_features)
        :math:`w = \\sum_i \\alpha_i y_i x_i`; only with ``kernel="linear"``.
    gamma_ : float
        The γ used (after resolving "scale" or "auto").
    n_iter_ : int
        Number of SMO steps.
    n_features_in_ : int

    Notes
    -----
    The dual (section "The dual problem"):

    .. math::

        \\max_{\\alpha}\\ \\sum_i \\alpha_i - \\tfrac12 \\sum_{i,j} \\alpha_i \\alpha_j y_i y_j K(x_i, x_j)
        \\quad\\text{s.t.}\\quad 0 \\le \\alpha_i \\le C,\\ \\ \\sum_i \\alpha_i y_i = 0,

    and :math:`f(x) = \\sum_{i \\in SV} \\alpha_i y_i K(x_i, x) + b`. Only binary problems are
    solved; for K > 2 classes wrap the model in ``sklearn.multiclass.OneVsRestClassifier``.
    The Gram matrix is precomputed up to 4000 samples; beyond, its columns are computed as SMO
    asks for them.
    """

    def __init__(self, C: float = 1.0, kernel: str | Callable = "rbf", gamma: str | float = "scale",
                 degree: int = 3, coef0: float = 0.0, tol: float = 1e-3, max_iter: int = 100_000,
                 random_state: int | np.random.Generator | None = None):
        self.C = C
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.tol = tol
        self.max_iter = max_iter
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # two classes only: scikit-learn's checks adapt
        return tags

    def _check_params(self) -> None:
        check_positive(self.C, "C")
        if not (callable(self.kernel) or (isinstance(self.kernel, str) and self.kernel in KERNELS)):
            raise ValueError(f"kernel must be one of {sorted(KERNELS)} or a callable (X, Z) -> Gram "
                             f"matrix, got {self.kernel!r}")
        if isinstance(self.gamma, str):
            if self.gamma not in ("scale", "auto"):
                raise ValueError(f"gamma must be 'scale', 'auto' or a positive number, got {self.gamma!r}")
        else:
            check_positive(self.gamma, "gamma")
        check_positive(self.degree, "degree", integer=True)
        real = isinstance(self.coef0, (int, float, np.integer, np.floating)) and not isinstance(self.coef0, bool)
        if not (real and np.isfinite(self.coef0)):
            raise TypeError(f"coef0 must be a finite number, got {self.coef0!r}")
        check_positive(self.tol, "tol")
        if self.tol >= 2:
            raise ValueError(f"tol must be < 2, got {self.tol!r}: at α = 0 the largest KKT violation is exactly 2, "
                             "so SMO would stop before its first step with no support vector")
        check_positive(self.max_iter, "max_iter", integer=True)

    def _resolve_gamma(self, X: np.ndarray) -> float:
        if self.gamma == "scale":
            var = X.var()
            return 1.0 / (X.shape[1] * var) if var > 0 else 1.0
        if self.gamma == "auto":
            return 1.0 / X.shape[1]
        return float(self.gamma)

    def _kernel_function(self) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        return make_kernel(self.kernel, gamma=self.gamma_, degree=self.degree, coef0=self.coef0)

    def fit(self, X: Any, y: Any) -> "SVC":
        """Fit to X of shape (n_samples, n_features) and two-class labels y of shape (n_samples,)."""
        X, y = validate_X_y(self, X, y)
        self._check_params()
        self.classes_, t = encode_classes(y, type(self).__name__)
        if len(self.classes_) > 2:
            raise ValueError(f"Only binary classification is supported. SVC is binary but y has "
                             f"{len(self.classes_)} classes ({self.classes_.tolist()[:10]}); for one-vs-rest "
                             "wrap it: sklearn.multiclass.OneVsRestClassifier(SVC(...))")
        y_pm = np.where(t == 1, 1.0, -1.0)        # classes_[0] -> -1, classes_[1] -> +1
        n = len(y_pm)
        self.gamma_ = self._resolve_gamma(X)
        K = self._kernel_function()
        # SMO visits the samples in a random order (ties in the working set are broken by it)
        order = np.random.default_rng(self.random_state).permutation(n)
        Xo, yo = X[order], y_pm[order]
        if n <= _MAX_GRAM:
            G = self._gram(K, Xo)
            column, diag = G.__getitem__, np.diag(G).copy()     # G is symmetric: row i = column i
        else:
            def column(i: int) -> np.ndarray:
                return np.asarray(K(Xo, Xo[i:i + 1]), dtype=np.float64)[:, 0]
            diag = np.array([K(Xo[i:i + 1], Xo[i:i + 1])[0, 0] for i in range(n)], dtype=np.float64)
            column = functools.lru_cache(maxsize=256)(column)       # SMO revisits the same samples
        res = smo(column, diag, yo, float(self.C), tol=float(self.tol), max_iter=int(self.max_iter))
        if not res.converged:
            warnings.warn(f"SMO did not converge in max_iter={self.max_iter} steps (largest KKT "
                          f"violation {res.gap:.3g} > tol={self.tol}); increase max_iter or tol",
                          ConvergenceWarning)
        alpha = np.empty(n)
        alpha[order] = res.alpha                  # back to the order of the training set
        self.support_ = np.flatnonzero(alpha > 0)
        self.support_vectors_ = X[self.support_]
        self.dual_coef_ = (alpha * y_pm)[self.support_][None, :]
        self.n_support_ = np.array([np.sum(y_pm[self.support_] < 0), np.sum(y_pm[self.support_] > 0)])
        self.intercept_ = np.array([res.b])
        self.n_iter_ = res.n_iter
        return self

    @staticmethod
    def _gram(K: Callable, X: np.ndarray) -> np.ndarray:
        G = np.asarray(K(X, X), dtype=np.float64)
        if G.shape != (len(X), len(X)):
            raise ValueError(f"the kernel must return a Gram matrix of shape {(len(X), len(X))} for "
                             f"{len(X)} samples, got shape {G.shape}")
        if not np.all(np.isfinite(G)):
            raise ValueError("the kernel returned NaN or infinite values")
        return G

    @property
    def coef_(self) -> np.ndarray:
        """:math:`w = \\sum_i \\alpha_i y_i x_i`, shape (1, n_features); only for ``kernel="linear"``."""
        check_is_fitted(self, "dual_coef_")
        if self.kernel != "linear":
            raise AttributeError(f"coef_ is only available when kernel='linear', not kernel={self.kernel!r}: "
                                 "the weight vector w lives in the kernel's feature space, which is never "
                                 "built; use dual_coef_ and support_vectors_ (f(x) = dual_coef_ @ "
                                 "K(support_vectors_, x) + intercept_)")
        return self.dual_coef_ @ self.support_vectors_

    def decision_function(self, X: Any) -> np.ndarray:
        """The signed score :math:`f(x) = \\sum_{i \\in SV} \\alpha_i y_i K(x_i, x) + b`, shape (n_samples,)."""
        X = validate_X(self, X, fitted_attribute="dual_coef_")
        # region: kernel-trick
        K = self._kernel_function()(X, self.support_vectors_)      # (n_samples, n_SV): no φ(x) anywhere
        f = K @ self.dual_coef_[0] + self.intercept_[0]
        # endregion
        return f

    def predict(self, X: Any) -> np.ndarray:
        """``classes_[1]`` where the decision function is positive, else ``classes_[0]``."""
        return np.where(self.decision_function(X) > 0, self.classes_[1], self.classes_[0])

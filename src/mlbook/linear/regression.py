"""Linear regression, ridge and lasso (chapter "Linear models", sections 1-3).

Every estimator fits ``y ≈ X @ coef_ + intercept_`` and never penalises the intercept.
``LinearRegression`` treats the intercept as one more weight: the closed form folds a column
of ones into X, and gradient descent updates b with its own gradient. ``Ridge`` and ``Lasso``
eliminate it instead: they centre X and y, solve for the slopes, and recover the intercept as
``mean(y) - mean(X) @ coef_``.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning

from ..validation import check_positive, validate_X, validate_X_y

_SOLVERS = ("normal", "gd", "sgd")


class _LinearPredictor(RegressorMixin, BaseEstimator):
    """Shared ``predict`` and ``score`` (R²) of the linear regressors."""

    def predict(self, X: Any) -> np.ndarray:
        """Predict ``X @ coef_ + intercept_``; X of shape (n_samples, n_features) -> (n_samples,)."""
        X = validate_X(self, X, fitted_attribute="coef_")
        return X @ self.coef_ + self.intercept_


def squared_loss(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """The mean squared loss ``(1/2n) ||X w + b - y||²`` (the ½ makes the gradient clean)."""
    r = X @ w + b - y
    return 0.5 * float(r @ r) / len(y)


class LinearRegression(_LinearPredictor):
    """Ordinary least squares, solved in closed form or by (minibatch) gradient descent.

    Parameters
    ----------
    solver : {"normal", "gd", "sgd"}, default "normal"
        ``"normal"`` solves the least-squares problem with the bias column folded into X by
        ``np.linalg.lstsq`` (an SVD: the normal equation's solution, without forming
        ``(XᵀX)⁻¹``). ``"gd"`` runs full-batch gradient descent, ``"sgd"`` minibatch SGD.
    lr : float, default 0.1
        Learning rate η of ``"gd"`` and ``"sgd"``.
    n_epochs : int, default 1000
        Passes over the data (for ``"gd"`` one pass is one update).
    batch_size : int, default 32
        Minibatch size of ``"sgd"`` (sampled without replacement within each epoch).
    tol : float, default 0.0
        ``"gd"`` stops once the gradient norm falls below ``tol`` (0 never stops early).
        ``"sgd"`` accepts only 0: a minibatch gradient keeps its noise under a constant ``lr``
        and does not fall below a tolerance, so a positive ``tol`` is refused rather than ignored.
    random_state : int or None
        Seed of the minibatch shuffling.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Updates made (0 for ``"normal"``).
        A diverging run stops when the loss overflows, with a ``RuntimeWarning``.
    loss_history_ : ndarray of shape (n_epochs_run + 1,)
        ``(1/2n)||Xw + b - y||²`` before training and after every epoch (one value, at the
        solution, for ``"normal"``).

    Notes
    -----
    With :math:`\\tilde X = [X, 1]` the minimiser of :math:`\\|y - \\tilde X \\theta\\|^2` solves
    the normal equation :math:`\\tilde X^\\top \\tilde X \\theta = \\tilde X^\\top y`; the gradient of
    :math:`\\frac{1}{2n}\\|\\tilde X\\theta - y\\|^2` is :math:`\\frac1n \\tilde X^\\top(\\tilde X\\theta - y)`.
    Derivations: section "Linear regression" and "Gradient descent and minibatch SGD".
    """

    def __init__(self, solver: str = "normal", *, lr: float = 0.1, n_epochs: int = 1000,
                 batch_size: int = 32, tol: float = 0.0, random_state: int | None = None):
        self.solver = solver
        self.lr = lr
        self.n_epochs = n_epochs
        self.batch_size = batch_size
        self.tol = tol
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> "LinearRegression":
        """Fit to X of shape (n_samples, n_features) and y of shape (n_samples,); returns self."""
        X, y = validate_X_y(self, X, y)
        if self.solver not in _SOLVERS:
            raise ValueError(f"solver must be one of {_SOLVERS}, got {self.solver!r}")
        n, d = X.shape
        self.n_features_in_ = d
        # region: normal equation
        if self.solver == "normal":
            Xb = np.hstack([X, np.ones((n, 1))])  # fold the bias into X
            theta, *_ = np.linalg.lstsq(Xb, y, rcond=None)
            self.coef_, self.intercept_ = theta[:-1], float(theta[-1])
            self.n_iter_, self.loss_history_ = 0, np.array([squared_loss(X, y, self.coef_, self.intercept_)])
            return self
        # endregion
        check_positive(self.lr, "lr")
        check_positive(self.n_epochs, "n_epochs", integer=True)
        check_positive(self.tol, "tol", strict=False)
        if self.solver == "sgd" and self.tol > 0:
            raise ValueError(f"tol={self.tol!r} applies to solver='gd' only: minibatch SGD runs all n_epochs "
                             "(its gradient estimate stays noisy and need not fall below tol). "
                             "Pass tol=0 with solver='sgd', or use solver='gd'")
        w, b = np.zeros(d), 0.0
        history = [squared_loss(X, y, w, b)]
        # Full-batch descent is minibatch SGD with a single batch of all n rows in their
        # original order, so both solvers share one loop; only "gd" checks tol.
        full_batch = self.solver == "gd"
        if not full_batch:
            check_positive(self.batch_size, "batch_size", integer=True)
        rng = np.random.default_rng(self.random_state)
        with np.errstate(over="ignore", invalid="ignore"):
            # region: descent loop
            bs = n if full_batch else min(self.batch_size, n)
            n_iter, converged = 0, False
            for _ in range(self.n_epochs):
                if not np.isfinite(history[-1]):
                    break
                order = np.arange(n) if full_batch else rng.permutation(n)
                for start in range(0, n, bs):
                    idx = order[start:start + bs]
                    r = X[idx] @ w + b - y[idx]                    # residuals of the batch, (m,)
                    gw, gb = X[idx].T @ r / len(idx), r.mean()     # gradient of (1/2m)||r||²
                    if full_batch and np.sqrt(gw @ gw + gb * gb) < self.tol:
                        converged = True
                        break
                    w, b = w - self.lr * gw, b - self.lr * gb
                    n_iter += 1
                if converged:
                    break
                history.append(squared_loss(X, y, w, b))
            # endregion
        if not (np.all(np.isfinite(w)) and np.isfinite(history[-1])):
            warnings.warn(f"gradient descent diverged with lr={self.lr} (the loss overflowed); "
                          "use a smaller lr or scale the features", RuntimeWarning)
        self.coef_, self.intercept_, self.n_iter_ = w, float(b), n_iter
        self.loss_history_ = np.array(history)
        return self

def _centre(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    x_mean, y_mean = X.mean(axis=0), float(y.mean())
    return X - x_mean, y - y_mean, x_mean, y_mean


class Ridge(_LinearPredictor):
    """Ridge regression: least squares with an L2 penalty on the slopes (not on the intercept).

    Parameters
    ----------
    alpha : float, default 1.0
        Penalty strength α ≥ 0 (the same objective as ``sklearn.linear_model.Ridge(alpha)``).
    solver : {"closed", "gd"}, default "closed"
        ``"closed"`` solves ``(X_cᵀX_c + αI) w = X_cᵀ y_c`` on centred data, as the stacked
        least-squares problem ``[X_c; √α I] w ≈ [y_c; 0]`` (no ``X_cᵀX_c`` is formed);
        ``"gd"`` runs the weight-decay update on the objective divided by 2n.
    lr, n_epochs : float, int
        Learning rate and number of updates (epochs) of ``"gd"``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Updates made (0 for ``"closed"``). A diverging ``"gd"`` run stops when the objective
        overflows, with a ``RuntimeWarning``.
    loss_history_ : ndarray of shape (n_iter_ + 1,)
        The objective divided by 2n, :math:`\\frac{1}{2n}(\\|X_c w - y_c\\|^2 + \\alpha\\|w\\|^2)`,
        before training and after every epoch, as ``LinearRegression.loss_history_``
        (one value, at the solution, for ``"closed"``).

    Notes
    -----
    Objective :math:`\\|y - Xw - b\\|^2 + \\alpha\\|w\\|^2`. Setting its derivative in :math:`b` to zero
    gives :math:`b = \\bar y - \\bar x^\\top w`, which leaves the same problem in :math:`w` on the
    centred data :math:`X_c = X - 1\\bar x^\\top`, :math:`y_c = y - \\bar y 1`. Gradient descent on it
    divided by :math:`2n` is the weight-decay update
    :math:`w \\leftarrow (1 - \\eta\\alpha/n)\\,w - \\frac{\\eta}{n} X_c^\\top(X_c w - y_c)`.
    Derivation: section "Polynomial features, regularisation and model selection".
    """

    def __init__(self, alpha: float = 1.0, *, solver: str = "closed", lr: float = 0.1, n_epochs: int = 1000):
        self.alpha = alpha
        self.solver = solver
        self.lr = lr
        self.n_epochs = n_epochs

    def fit(self, X: Any, y: Any) -> "Ridge":
        """Fit to X of shape (n_samples, n_features) and y of shape (n_samples,); returns self."""
        X, y = validate_X_y(self, X, y)
        check_positive(self.alpha, "alpha", strict=False)
        if self.solver not in ("closed", "gd"):
            raise ValueError(f"solver must be 'closed' or 'gd', got {self.solver!r}")
        n, d = X.shape
        self.n_features_in_ = d
        if self.solver == "gd":
            check_positive(self.lr, "lr")
            check_positive(self.n_epochs, "n_epochs", integer=True)
        with np.errstate(over="ignore", invalid="ignore"):   # a diverging "gd" run is reported below
            # region: solvers
            Xc, yc, x_mean, y_mean = _centre(X, y)
            if self.solver == "closed":
                # (X_cᵀX_c + αI) w = X_cᵀy_c is the normal equation of the stacked least-squares problem
                # [X_c; √α I] w ≈ [y_c; 0]; solving that by lstsq never forms X_cᵀX_c (section 1).
                A = np.vstack([Xc, np.sqrt(self.alpha) * np.eye(d)])
                w = np.linalg.lstsq(A, np.r_[yc, np.zeros(d)], rcond=None)[0]
                history = [self._objective(Xc, yc, w)]
            else:
                w = np.zeros(d)
                decay = 1.0 - self.lr * self.alpha / n
                history = [self._objective(Xc, yc, w)]            # before training ...
                for _ in range(self.n_epochs):
                    if not np.isfinite(history[-1]):
                        break                                     # diverged: the objective overflowed
                    r = Xc @ w - yc
                    w = decay * w - self.lr * Xc.T @ r / n        # weight decay, then the data gradient
                    history.append(self._objective(Xc, yc, w))    # ... and after every epoch
            # endregion
        if not (np.all(np.isfinite(w)) and np.isfinite(history[-1])):
            warnings.warn(f"gradient descent diverged with lr={self.lr} (the objective overflowed); "
                          "use a smaller lr or scale the features", RuntimeWarning)
        self.coef_, self.n_iter_, self.loss_history_ = w, len(history) - 1, np.array(history)
        self.intercept_ = y_mean - float(x_mean @ w)
        return self

    def _objective(self, Xc: np.ndarray, yc: np.ndarray, w: np.ndarray) -> float:
        """``(1/2n)(||X_c w - y_c||² + α||w||²)``, the objective that ``"gd"`` descends."""
        r = Xc @ w - yc
        return 0.5 * float(r @ r + self.alpha * (w @ w)) / len(yc)


def soft_threshold(z: np.ndarray | float, t: float) -> np.ndarray | float:
    """The soft-thresholding operator ``sign(z) * max(|z| - t, 0)`` (the lasso's coordinate step)."""
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


class Lasso(_LinearPredictor):
    """The lasso, ``(1/2n)||y - Xw - b||² + α||w||₁``, by cyclic coordinate descent.

    Parameters
    ----------
    alpha : float, default 1.0
        Penalty strength (the same objective as ``sklearn.linear_model.Lasso(alpha)``).
    max_iter : int, default 1000
        Maximum number of sweeps over the coordinates; a ``ConvergenceWarning`` says when they
        run out.
    tol : float, default 1e-8
        Stop after the first sweep whose duality gap (see Notes) is at most
        ``tol * ||y_c||² / n``: scikit-learn's rule, so ``tol`` means the same for both (its
        default is 1e-4). The gap and the bound scale alike with X and y.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : int
        Sweeps made.
    dual_gap_ : float
        The duality gap at ``coef_``, on the scale of the objective (scikit-learn's ``dual_gap_``).

    Notes
    -----
    With the other coordinates fixed and the partial residual :math:`r_j = y - Xw + x_j w_j`,
    the minimiser over :math:`w_j` is
    :math:`w_j = S(x_j^\\top r_j / n,\\ \\alpha) \\,/\\, (x_j^\\top x_j / n)`, where
    :math:`S(z, t) = \\operatorname{sign}(z)\\max(|z| - t, 0)`.

    On centred data the objective is :math:`P(w) = \\frac{1}{2n}\\|r\\|^2 + \\alpha\\|w\\|_1` with
    :math:`r = y_c - X_c w`. Every :math:`\\nu` with :math:`\\|X_c^\\top \\nu / n\\|_\\infty \\le \\alpha` gives
    the lower bound :math:`D(\\nu) = \\frac1n(\\nu^\\top y_c - \\frac12\\|\\nu\\|^2) \\le P(w^\\star)`; with
    :math:`\\nu = c\\,r`, :math:`c = \\min(1, \\alpha / \\|X_c^\\top r / n\\|_\\infty)`, the gap
    :math:`P(w) - D(\\nu) \\ge P(w) - P(w^\\star)` is zero exactly at the minimiser. For
    :math:`\\alpha = 0` no such :math:`\\nu` exists and the gap is scikit-learn's first-order measure
    :math:`\\|X_c^\\top r\\|^2 / n`.
    Derivation: section "Polynomial features, regularisation and model selection".
    """

    def __init__(self, alpha: float = 1.0, *, max_iter: int = 1000, tol: float = 1e-8):
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: Any, y: Any) -> "Lasso":
        """Fit to X of shape (n_samples, n_features) and y of shape (n_samples,); returns self."""
        X, y = validate_X_y(self, X, y)
        check_positive(self.alpha, "alpha", strict=False)
        check_positive(self.max_iter, "max_iter", integer=True)
        check_positive(self.tol, "tol", strict=False)
        n, d = X.shape
        self.n_features_in_ = d
        Xc, yc, x_mean, y_mean = _centre(X, y)
        col_sq = (Xc ** 2).sum(axis=0) / n          # x_jᵀx_j / n
        w = np.zeros(d)
        r = yc.copy()                               # residual y_c - X_c w
        bound = self.tol * float(yc @ yc) / n       # scikit-learn's: tol times twice the gap of w = 0
        for n_iter in range(1, self.max_iter + 1):
            # region: coordinate sweep
            for j in range(d):
                if col_sq[j] == 0.0:
                    continue                        # a constant column never enters
                rho = Xc[:, j] @ r / n + col_sq[j] * w[j]
                new = soft_threshold(rho, self.alpha) / col_sq[j]
                if new != w[j]:
                    r -= Xc[:, j] * (new - w[j])
                    w[j] = new
            # endregion
            gap = _lasso_duality_gap(Xc, yc, w, self.alpha, r)
            if gap <= bound:
                break
        else:
            warnings.warn(f"Lasso did not converge in max_iter={self.max_iter} sweeps: the duality gap "
                          f"{gap:.3g} exceeds tol * ||y_c||^2 / n = {bound:.3g}. Increase max_iter, "
                          "scale the features, or increase alpha", ConvergenceWarning)
        self.coef_, self.n_iter_, self.dual_gap_ = w, n_iter, float(gap)
        self.intercept_ = y_mean - float(x_mean @ w)
        return self


def _lasso_duality_gap(Xc: np.ndarray, yc: np.ndarray, w: np.ndarray, alpha: float, r: np.ndarray) -> float:
    """The lasso's duality gap at ``w`` on centred data, with ``r = yc - Xc @ w``; see :class:`Lasso`.

    ``P(w) - D(c r)`` with ``c = min(1, α / ||X_cᵀr/n||_∞)``, an upper bound on ``P(w) - P(w*)``;
    for ``alpha = 0`` (no feasible dual point), scikit-learn's first-order measure ``||X_cᵀr||² / n``.
    """
    n = len(yc)
    corr = Xc.T @ r / n                             # X_cᵀr / n: the data gradient, up to sign
    if alpha == 0:
        return n * float(corr @ corr)
    top = float(np.max(np.abs(corr)))
    c = 1.0 if top <= alpha else alpha / top        # scale r into the dual feasible set
    rr = float(r @ r)
    primal = 0.5 * rr / n + alpha * float(np.abs(w).sum())
    dual = (c * float(r @ yc) - 0.5 * c * c * rr) / n
    return primal - dual

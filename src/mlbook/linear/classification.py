"""Logistic and softmax regression (chapter "Linear models", sections 4-5).

Both are linear models of the log-odds, fitted by maximum likelihood: the binary model
by Newton's method (iteratively reweighted least squares), the multiclass one by L-BFGS
with an analytic gradient or by minibatch stochastic gradient descent.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning

from ..validation import check_positive, encode_classes, validate_X, validate_X_y


def sigmoid(z: Any) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))``, evaluated without overflow for any z."""
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])                 # z < 0: exp(z) cannot overflow
    out[~pos] = ez / (1.0 + ez)
    return out


def logsumexp(O: Any, axis: int = -1) -> np.ndarray:
    """``log Σ_k exp(o_k)`` along ``axis``, computed as ``m + log Σ exp(o_k - m)`` with m the max."""
    O = np.asarray(O, dtype=np.float64)
    m = O.max(axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.exp(O - m).sum(axis=axis))


def softmax(O: Any, axis: int = -1) -> np.ndarray:
    """The numerically stable softmax ``exp(o - max o) / Σ exp(o - max o)``.

    In exact arithmetic every output is > 0; in float64 an entry whose logit lies more than about
    745 below the largest underflows to exactly 0 (``softmax([0, -800])`` is ``[1, 0]``), which is
    why losses are computed from the logits with :func:`logsumexp`, never as ``log(softmax(o))``.

    Parameters
    ----------
    O : array-like of shape (..., n_classes)
        Logits.
    """
    O = np.asarray(O, dtype=np.float64)
    E = np.exp(O - O.max(axis=axis, keepdims=True))   # the largest entry becomes exp(0) = 1
    return E / E.sum(axis=axis, keepdims=True)


class _LinearClassifier(ClassifierMixin, BaseEstimator):
    """Shared prediction code: ``decision_function`` is linear, ``predict`` takes the argmax."""

    def _check_X(self, X: Any) -> np.ndarray:
        return validate_X(self, X, fitted_attribute="coef_")

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class for every row of X, shape (n_samples,)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class LogisticRegression(_LinearClassifier):
    """Binary logistic regression fitted by Newton's method (IRLS).

    Parameters
    ----------
    penalty : {"l2", None}, default "l2"
        Penalise ``½||w||²`` (the intercept is never penalised) or nothing. ``None`` is the same
        fit as ``C=np.inf``. scikit-learn deprecated its ``penalty`` parameter in version 1.8 and
        spells the unpenalised model ``LogisticRegression(C=np.inf)``; both spellings work here.
    C : float or np.inf, default 1.0
        Inverse regularisation strength: the objective is ``C Σ logloss + ½||w||²``, the same as
        scikit-learn's ``LogisticRegression(C=C)``. ``C=np.inf`` fits without a penalty.
    max_iter : int, default 100
        Maximum number of Newton steps; a ``ConvergenceWarning`` says when they run out.
    tol : float, default 1e-10
        Stop when the largest gradient entry, divided by ``max(1, C n)`` (``n`` without a
        penalty), falls below ``tol`` ≥ 0.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    coef_ : ndarray of shape (1, n_features)
    intercept_ : ndarray of shape (1,)
    n_iter_ : int
        Newton steps taken.

    Notes
    -----
    With :math:`p_i = \\sigma(w^\\top x_i + b)` the gradient of the log loss is
    :math:`X^\\top(p - y)` and the Hessian :math:`X^\\top S X` with :math:`S = \\operatorname{diag}(p_i(1-p_i))`;
    Newton's step solves :math:`H \\Delta = g`, and a backtracking line search takes the longest of
    :math:`\\theta - s\\Delta`, :math:`s = 1, \\tfrac12, \\tfrac14, \\dots`, that lowers the objective
    :math:`f` by at least :math:`10^{-4} s\\, g^\\top\\Delta` (Armijo). When no :math:`s \\ge 10^{-10}`
    does (rounding, near an optimum that ``tol`` asks too much of), the fit keeps :math:`\\theta`,
    stops and warns. Derivation: section "Logistic regression".
    """

    def __init__(self, penalty: str | None = "l2", *, C: float = 1.0, max_iter: int = 100, tol: float = 1e-10):
        self.penalty = penalty
        self.C = C
        self.max_iter = max_iter
        self.tol = tol

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # binary only (SoftmaxRegression is the multiclass model)
        return tags

    def _objective(self, Xb: np.ndarray, y: np.ndarray, theta: np.ndarray, C: float, lam: float) -> float:
        z = Xb @ theta
        w = theta[:-1]
        return C * float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5 * lam * float(w @ w)

    def fit(self, X: Any, y: Any) -> "LogisticRegression":
        """Fit to X of shape (n_samples, n_features) and labels y of shape (n_samples,); returns self."""
        X, y = validate_X_y(self, X, y)
        if self.penalty not in ("l2", None):
            raise ValueError(f"penalty must be 'l2' or None, got {self.penalty!r}")
        if not (isinstance(self.C, (float, np.floating)) and self.C == np.inf):
            check_positive(self.C, "C")   # a positive number, or np.inf for no penalty
        check_positive(self.max_iter, "max_iter", integer=True)
        check_positive(self.tol, "tol", strict=False)
        self.classes_, t = encode_classes(y, type(self).__name__)
        if len(self.classes_) > 2:
            raise ValueError(f"Only binary classification is supported. LogisticRegression is binary "
                             f"but y has {len(self.classes_)} classes; "
                             "use SoftmaxRegression for more than two")
        t = t.astype(np.float64)
        n, d = X.shape
        self.n_features_in_ = d
        unpenalised = self.penalty is None or self.C == np.inf
        C, lam = (1.0, 0.0) if unpenalised else (float(self.C), 1.0)
        Xb = np.hstack([X, np.ones((n, 1))])        # bias folded into the last column
        reg = np.r_[np.full(d, lam), 0.0]             # the intercept is not penalised
        theta = np.zeros(d + 1)
        f = self._objective(Xb, t, theta, C, lam)
        self.n_iter_, stalled = 0, False
        for it in range(1, self.max_iter + 1):
            # region: newton step
            p = sigmoid(Xb @ theta)
            g = C * Xb.T @ (p - t) + reg * theta
            if np.max(np.abs(g)) / max(1.0, C * n) < self.tol:
                break
            H = C * (Xb.T * (p * (1 - p))) @ Xb + np.diag(reg)
            try:
                step = np.linalg.solve(H, g)
            except np.linalg.LinAlgError:
                step = np.linalg.lstsq(H, g, rcond=None)[0]
            s, accepted = 1.0, False                  # backtracking line search (Armijo)
            while s > 1e-10 and not accepted:
                f_new = self._objective(Xb, t, theta - s * step, C, lam)
                accepted = f_new <= f - 1e-4 * s * float(g @ step)
                if not accepted:
                    s *= 0.5
            if not accepted:                          # no step lowers f: keep θ and stop
                stalled = True
                break
            theta, f = theta - s * step, f_new        # θ and its objective move together
            # endregion
            self.n_iter_ = it
        else:
            warnings.warn(f"Newton's method did not converge in {self.max_iter} steps "
                          "(separable data with penalty=None has no finite optimum); "
                          "increase max_iter or tol, or add a penalty (finite C)", ConvergenceWarning)
        if stalled:
            warnings.warn(f"Newton's method stopped after {self.n_iter_} steps: the line search found no "
                          "step that lowers the objective, yet the largest gradient entry divided by "
                          f"max(1, C n) is {np.max(np.abs(g)) / max(1.0, C * n):.3g} > tol={self.tol}. "
                          "Rounding stops the progress before the tolerance; use a larger tol",
                          ConvergenceWarning)
        self.coef_ = theta[:-1][None, :]
        self.intercept_ = theta[-1:].copy()
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """The log-odds ``X @ w + b`` of the second class, shape (n_samples,)."""
        X = self._check_X(X)
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, 2): columns ordered as ``classes_``.

        The first column is ``σ(-z)`` rather than ``1 - σ(z)``, which rounds to 0 (and loses every
        digit) once ``σ(z)`` rounds to 1, near ``z ≈ 37``.
        """
        z = self.decision_function(X)
        return np.column_stack([sigmoid(-z), sigmoid(z)])


class SoftmaxRegression(_LinearClassifier):
    """Multinomial logistic (softmax) regression.

    Parameters
    ----------
    alpha : float, default 1e-4
        L2 penalty: the objective is ``(1/n) Σ cross-entropy + (α/2)||W||²`` (intercepts not
        penalised). It equals scikit-learn's ``LogisticRegression(C=1/(n α))`` up to the factor n.
    solver : {"lbfgs", "sgd"}, default "lbfgs"
        L-BFGS (scipy.optimize) with the analytic gradient, or minibatch SGD.
    max_iter : int, default 1000
        Iterations of L-BFGS.
    tol : float, default 1e-8
        L-BFGS stops when the largest gradient entry falls below ``tol`` ≥ 0 (``"sgd"`` runs all
        ``n_epochs`` and does not use it). When L-BFGS stops for any other reason than
        convergence (``max_iter`` ran out, or its line search failed), a ``ConvergenceWarning``
        gives SciPy's message.
    lr, n_epochs, batch_size, random_state
        Learning rate, passes over the data, minibatch size and seed of ``"sgd"``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (n_classes, n_features)
    intercept_ : ndarray of shape (n_classes,)
    n_iter_ : int
        L-BFGS iterations, or minibatch updates made by ``"sgd"``.
    loss_history_ : ndarray (``"sgd"`` only): the objective before training and after every epoch.

    Notes
    -----
    With logits :math:`o = Wx + b` and one-hot :math:`y`, the loss of one example is
    :math:`\\log\\sum_k e^{o_k} - y^\\top o`, whose gradient in :math:`o` is
    :math:`\\operatorname{softmax}(o) - y`. Derivation: section "Softmax regression".

    ``fit`` uses as many BLAS threads as the caller allows; on small problems one thread is often
    fastest, which the caller chooses: ``with threadpoolctl.threadpool_limits(1): model.fit(X, y)``.
    """

    def __init__(self, alpha: float = 1e-4, *, solver: str = "lbfgs", max_iter: int = 1000, tol: float = 1e-8,
                 lr: float = 0.5, n_epochs: int = 50, batch_size: int = 64, random_state: int | None = None):
        self.alpha = alpha
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.lr = lr
        self.n_epochs = n_epochs
        self.batch_size = batch_size
        self.random_state = random_state

    def loss_and_gradient(self, W: np.ndarray, b: np.ndarray, X: np.ndarray,
                          Y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        """The training objective J(W, b) on the rows of X and its gradients; what ``fit`` minimises.

        Parameters
        ----------
        W : ndarray of shape (n_classes, n_features)
        b : ndarray of shape (n_classes,)
        X : ndarray of shape (m, n_features)
        Y : ndarray of shape (m, n_classes)
            One-hot labels.

        Returns
        -------
        loss : float
            Mean cross-entropy plus ``alpha / 2 * ||W||_F^2``.
        grad_W : ndarray of shape (n_classes, n_features)
        grad_b : ndarray of shape (n_classes,)
        """
        O = X @ W.T + b                                   # logits, (m, K)
        loss = float(np.mean(logsumexp(O, axis=1) - np.sum(Y * O, axis=1))) + 0.5 * self.alpha * float(np.sum(W * W))
        G = (softmax(O, axis=1) - Y) / len(X)             # d loss / d O, (m, K)
        return loss, G.T @ X + self.alpha * W, G.sum(axis=0)

    def fit(self, X: Any, y: Any) -> "SoftmaxRegression":
        """Fit to X of shape (n_samples, n_features) and labels y of shape (n_samples,); returns self."""
        X, y = validate_X_y(self, X, y)
        check_positive(self.alpha, "alpha", strict=False)
        check_positive(self.tol, "tol", strict=False)
        if self.solver not in ("lbfgs", "sgd"):
            raise ValueError(f"solver must be 'lbfgs' or 'sgd', got {self.solver!r}")
        self.classes_, t = encode_classes(y, type(self).__name__)
        n, d = X.shape
        K = len(self.classes_)
        self.n_features_in_ = d
        Y = np.eye(K)[t]                                  # one-hot labels, (n, K)
        W, b = np.zeros((K, d)), np.zeros(K)
        if self.solver == "lbfgs":
            check_positive(self.max_iter, "max_iter", integer=True)

            def fun(theta: np.ndarray):
                loss, gW, gb = self.loss_and_gradient(theta[:K * d].reshape(K, d), theta[K * d:], X, Y)
                return loss, np.r_[gW.ravel(), gb]

            res = minimize(fun, np.zeros(K * (d + 1)), jac=True, method="L-BFGS-B",
                           options={"maxiter": self.max_iter, "gtol": self.tol, "ftol": 1e-15})
            if not res.success:
                warnings.warn(f"L-BFGS did not converge in {res.nit} iterations (max_iter={self.max_iter}, "
                              f"tol={self.tol}): {res.message}; the largest gradient entry is "
                              f"{np.max(np.abs(res.jac)):.3g}. Increase max_iter, or tol", ConvergenceWarning)
            W, b = res.x[:K * d].reshape(K, d), res.x[K * d:]
            self.n_iter_ = int(res.nit)
        else:
            for name in ("n_epochs", "batch_size"):
                check_positive(getattr(self, name), name, integer=True)
            check_positive(self.lr, "lr")
            rng = np.random.default_rng(self.random_state)
            history, n_updates = [self.loss_and_gradient(W, b, X, Y)[0]], 0
            for _ in range(self.n_epochs):
                order = rng.permutation(n)
                for start in range(0, n, self.batch_size):
                    idx = order[start:start + self.batch_size]
                    _, gW, gb = self.loss_and_gradient(W, b, X[idx], Y[idx])
                    W, b = W - self.lr * gW, b - self.lr * gb
                    n_updates += 1
                history.append(self.loss_and_gradient(W, b, X, Y)[0])
            self.loss_history_, self.n_iter_ = np.array(history), n_updates
        self.coef_, self.intercept_ = W, b
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """The logits ``X @ coef_.T + intercept_``, shape (n_samples, n_classes)."""
        X = self._check_X(X)
        return X @ self.coef_.T + self.intercept_

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities (the softmax of the logits), shape (n_samples, n_classes)."""
        return softmax(self.decision_function(X), axis=1)

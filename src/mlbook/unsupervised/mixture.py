"""Gaussian mixture models fitted by expectation-maximisation (chapter 7, section "Gaussian mixtures").

The E-step computes each point's responsibilities (the posterior probability of each component)
through log-sum-exp; the M-step refits every component by weighted maximum likelihood. The
component densities are the book's one Gaussian density,
:func:`mlbook.probability.gaussian_logpdf`. Checked against scikit-learn's ``GaussianMixture``
in ``tests/test_unsupervised.py``.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.exceptions import ConvergenceWarning

from ..init import as_generator
from ..linear.classification import logsumexp
from ..probability import gaussian_logpdf
from ..validation import check_positive, validate_X
from .kmeans import KMeans

__all__ = ["GaussianMixture"]

_COVARIANCE_TYPES = ("full", "diag")
_INITS = ("kmeans", "random")


class GaussianMixture(DensityMixin, BaseEstimator):
    """A mixture of K Gaussians fitted by EM, as ``sklearn.mixture.GaussianMixture``.

    Parameters
    ----------
    n_components : int, default 1
        The number K of components; at most the number of samples.
    covariance_type : {"full", "diag"}, default "full"
        Each component has its own full covariance matrix, or its own diagonal one.
    max_iter : int, default 100
        The most EM iterations per run.
    tol : float, default 1e-3
        EM stops when the average log-likelihood gains less than tol in one iteration.
    reg_covar : float, default 1e-6
        Added to the diagonal of every covariance, so that a component that collapses onto one
        point (or onto a lower-dimensional set) keeps a finite density. 0 is allowed, then such a
        collapse is reported as an error.
    n_init : int, default 1
        Number of runs from different seeds; the run with the highest final log-likelihood is kept.
    init_params : {"kmeans", "random"}, default "kmeans"
        The first responsibilities: the one-hot labels of a :class:`~mlbook.unsupervised.KMeans`
        run (``n_init=1``), or uniform random numbers normalised per row.
    random_state : int, Generator or None, default None

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
        The mixing proportions :math:`\\pi_k`.
    means_ : ndarray of shape (n_components, n_features)
    covariances_ : ndarray of shape (n_components, n_features, n_features) ("full") or (n_components, n_features) ("diag")
    lower_bound_history_ : ndarray of shape (n_iter_,), or (n_iter_ + 1,) if not converged
        The average log-likelihood :math:`\\frac1n\\sum_i \\log p(x_i)` computed by each E-step of the
        kept run (entry 0: the parameters fitted to the initial responsibilities). Right after an
        E-step EM's lower bound equals the log-likelihood; EM never decreases it.
    lower_bound_ : float
        Its last entry: the average log-likelihood of the fitted parameters, exactly ``score(X)``
        on the training data. (scikit-learn reports the same number but then runs one more M-step,
        so its ``score(X)`` is slightly higher than its ``lower_bound_``.)
    converged_ : bool
    n_iter_ : int
        Number of EM iterations of the kept run; the last converged one stops after its E-step.
    n_features_in_ : int

    Notes
    -----
    With :math:`p(x) = \\sum_k \\pi_k \\mathcal N(x \\mid \\mu_k, \\Sigma_k)`, EM alternates (section
    "Gaussian mixtures")

    .. math::
        r_{ik} = \\frac{\\pi_k \\mathcal N(x_i \\mid \\mu_k, \\Sigma_k)}{p(x_i)}, \\qquad
        N_k = \\sum_i r_{ik}, \\quad \\pi_k = \\frac{N_k}{n}, \\quad \\mu_k = \\frac1{N_k}\\sum_i r_{ik} x_i, \\quad
        \\Sigma_k = \\frac1{N_k}\\sum_i r_{ik}(x_i - \\mu_k)(x_i - \\mu_k)^\\top + \\epsilon I,

    with :math:`\\epsilon` = ``reg_covar`` ("diag" keeps only the diagonal of :math:`\\Sigma_k`). The
    responsibilities are computed in logs, :math:`\\log r_{ik} = \\log \\pi_k + \\log\\mathcal N_{ik} -
    \\operatorname{logsumexp}_k(\\cdot)`, because the densities of distant points underflow. Without
    :math:`\\epsilon` the log-likelihood is unbounded: a component centred on one point with
    :math:`\\Sigma_k \\to 0` sends it to :math:`+\\infty`. (With :math:`\\epsilon > 0` the M-step is exact
    for the slightly modified density :math:`\\sum_k \\pi_k \\mathcal N(x \\mid \\mu_k, \\Sigma_k)
    e^{-\\epsilon \\operatorname{tr}\\Sigma_k^{-1}/2}`, so the log-likelihood itself could in principle dip
    by a hair; the tests bound it on iris, where it never does.)
    """

    def __init__(self, n_components: int = 1, covariance_type: str = "full", max_iter: int = 100,
                 tol: float = 1e-3, reg_covar: float = 1e-6, n_init: int = 1, init_params: str = "kmeans",
                 random_state: int | np.random.Generator | None = None):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.max_iter = max_iter
        self.tol = tol
        self.reg_covar = reg_covar
        self.n_init = n_init
        self.init_params = init_params
        self.random_state = random_state

    def _check_params(self, X: np.ndarray) -> None:
        check_positive(self.n_components, "n_components", integer=True)
        if self.n_components > len(X):
            raise ValueError(f"n_samples={len(X)} should be >= n_components={self.n_components}: "
                             "a mixture cannot have more components than there are points")
        if self.covariance_type not in _COVARIANCE_TYPES:
            raise ValueError(f"covariance_type must be one of {_COVARIANCE_TYPES}, got {self.covariance_type!r}")
        if self.init_params not in _INITS:
            raise ValueError(f"init_params must be one of {_INITS}, got {self.init_params!r}")
        check_positive(self.max_iter, "max_iter", integer=True)
        check_positive(self.n_init, "n_init", integer=True)
        check_positive(self.tol, "tol", strict=False)
        check_positive(self.reg_covar, "reg_covar", strict=False)

    def _covariance(self, k: int) -> np.ndarray:
        """The full (d, d) covariance matrix of component k."""
        C = self.covariances_[k]
        return C if self.covariance_type == "full" else np.diag(C)

    def _log_joint(self, X: np.ndarray) -> np.ndarray:
        """:math:`\\log \\pi_k + \\log \\mathcal N(x_i \\mid \\mu_k, \\Sigma_k)`, shape (n_samples, n_components)."""
        out = np.empty((len(X), len(self.weights_)))
        for k in range(len(self.weights_)):
            try:
                out[:, k] = np.log(self.weights_[k]) + gaussian_logpdf(X, self.means_[k], self._covariance(k))
            except ValueError as exc:
                raise ValueError(f"GaussianMixture: the covariance of component {k} is not positive definite "
                                 f"(the component collapsed onto too few points, or a feature is constant "
                                 f"within it); increase reg_covar (now {self.reg_covar}). Details: {exc}") from None
        return out

    def _e_step(self, X: np.ndarray) -> tuple[float, np.ndarray]:
        """The average log-likelihood and the responsibilities r, shape (n_samples, n_components)."""
        # region: e-step
        log_joint = self._log_joint(X)                  # (n, K): log pi_k + log N(x_i | mu_k, Sigma_k)
        log_px = logsumexp(log_joint, axis=1)           # (n,): log p(x_i), without underflow
        resp = np.exp(log_joint - log_px[:, None])      # r_ik = pi_k N_ik / p(x_i); rows sum to 1
        # endregion
        return float(log_px.mean()), resp

    def _m_step(self, X: np.ndarray, resp: np.ndarray) -> None:
        """Refit weights, means and covariances to the responsibilities (weighted maximum likelihood)."""
        n, d = X.shape
        # region: m-step
        Nk = resp.sum(axis=0) + 10 * np.finfo(np.float64).eps   # (K,): effective counts, never 0
        self.weights_ = Nk / n
        self.means_ = resp.T @ X / Nk[:, None]                   # (K, d)
        covariances = []
        for k in range(len(Nk)):
            diff = X - self.means_[k]                            # (n, d)
            if self.covariance_type == "full":
                S = (resp[:, k, None] * diff).T @ diff / Nk[k]   # weighted scatter, (d, d)
                S = (S + S.T) / 2 + self.reg_covar * np.eye(d)
            else:
                S = resp[:, k] @ diff ** 2 / Nk[k] + self.reg_covar   # its diagonal, (d,)
            covariances.append(S)
        self.covariances_ = np.array(covariances)
        # endregion

    def _initial_resp(self, X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        K = self.n_components
        if self.init_params == "kmeans":
            labels = KMeans(K, n_init=1, random_state=rng).fit(X).labels_
            return (labels[:, None] == np.arange(K)).astype(np.float64)
        resp = rng.uniform(size=(len(X), K))
        return resp / resp.sum(axis=1, keepdims=True)

    def _em(self, X: np.ndarray, resp: np.ndarray) -> tuple[list[float], bool, int]:
        """One EM run from the responsibilities ``resp``; leaves the parameters on self."""
        self._m_step(X, resp)
        history: list[float] = []
        for n_iter in range(1, self.max_iter + 1):
            avg_ll, resp = self._e_step(X)
            history.append(avg_ll)
            if n_iter > 1 and abs(history[-1] - history[-2]) < self.tol:
                return history, True, n_iter
            self._m_step(X, resp)
        history.append(self._e_step(X)[0])       # out of iterations: score the last M-step too
        return history, False, self.max_iter

    def fit(self, X: Any, y: Any = None) -> "GaussianMixture":
        """Fit the mixture to X of shape (n_samples, n_features) by EM; ``y`` is ignored."""
        X = validate_X(self, X, reset=True)
        self._check_params(X)
        rng = as_generator(self.random_state)
        best = None
        for _ in range(self.n_init):
            history, converged, n_iter = self._em(X, self._initial_resp(X, rng))
            if best is None or history[-1] > best[0][-1]:
                best = (history, converged, n_iter, self.weights_, self.means_, self.covariances_)
        history, self.converged_, self.n_iter_, self.weights_, self.means_, self.covariances_ = best
        self.lower_bound_history_ = np.array(history)
        self.lower_bound_ = float(history[-1])
        if not self.converged_:
            warnings.warn(f"EM did not converge in max_iter={self.max_iter} iterations (last gain "
                          f"{history[-1] - history[-2]:.3g} >= tol={self.tol}); increase max_iter or tol",
                          ConvergenceWarning)
        return self

    def score_samples(self, X: Any) -> np.ndarray:
        """The log-density :math:`\\log p(x_i)` of each row of X, shape (n_samples,)."""
        X = validate_X(self, X, fitted_attribute="means_")
        return logsumexp(self._log_joint(X), axis=1)

    def score(self, X: Any, y: Any = None) -> float:
        """The average log-likelihood :math:`\\frac1n \\sum_i \\log p(x_i)`."""
        return float(np.mean(self.score_samples(X)))

    def predict_proba(self, X: Any) -> np.ndarray:
        """The responsibilities :math:`p(k \\mid x_i)`, shape (n_samples, n_components); rows sum to 1."""
        X = validate_X(self, X, fitted_attribute="means_")
        return self._e_step(X)[1]

    def predict(self, X: Any) -> np.ndarray:
        """The most probable component of each row of X, shape (n_samples,)."""
        X = validate_X(self, X, fitted_attribute="means_")
        return np.argmax(self._log_joint(X), axis=1)

    def _n_parameters(self) -> int:
        K, d = self.means_.shape
        per_cov = d * (d + 1) // 2 if self.covariance_type == "full" else d
        return K * per_cov + K * d + K - 1

    def bic(self, X: Any) -> float:
        """The Bayesian information criterion :math:`-2 \\log L + p \\log n` on X (lower is better).

        p counts the free parameters: K - 1 weights, K d means, and K d(d+1)/2 ("full") or K d
        ("diag") covariance entries.
        """
        X = validate_X(self, X, fitted_attribute="means_")
        return -2.0 * float(np.sum(logsumexp(self._log_joint(X), axis=1))) + self._n_parameters() * np.log(len(X))

"""Boosting: AdaBoost (SAMME), gradient boosting, and the second-order (XGBoost-style) split gain.

Chapter "Decision trees and ensembles", section 4 derives AdaBoost from the exponential loss,
gradient boosting as gradient descent in function space, and the regularised leaf weight
:math:`w^* = -G/(H + \\lambda)`.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from ..validation import as_float_array, check_is_fitted, check_positive, validate_X_y
from ..validation import encode_classes
from ._base import FittedInputMixin, check_int_param
from .tree import DecisionTreeClassifier, DecisionTreeRegressor

HESSIAN_FLOOR = 1e-150  # a leaf whose summed hessian is below this gets the value 0 (as scikit-learn)


def _check_boosting_params(est: Any) -> None:
    check_int_param(est.n_estimators, "n_estimators")
    check_positive(est.learning_rate, "learning_rate")
    check_int_param(est.max_depth, "max_depth")


class _BaseBoosting(FittedInputMixin, BaseEstimator):
    @property
    def feature_importances_(self) -> np.ndarray:
        """Impurity importance of each feature, computed as scikit-learn's gradient boosting does.

        Returns
        -------
        ndarray of shape (n_features,)
            Sums to 1 (all zeros when every tree is a single leaf).

        Notes
        -----
        Each tree's *unnormalised* decrease :math:`I_{bj}` (its weighted impurity decreases on
        feature j, divided by the root weight) is averaged over the trees that split at least
        once, and the average is normalised at the end:

        .. math:: \\mathrm{Imp}_j \\propto \\frac1B \\sum_b I_{bj}.

        A late tree fitting small residuals therefore counts for little; normalising each tree
        first (as a random forest does) would give it the same say as the first tree.
        """
        check_is_fitted(self, "estimators_")
        trees = [t for stage in self.estimators_ for t in np.atleast_1d(stage) if t.tree_.node_count > 1]
        if not trees:
            return np.zeros(self.n_features_in_)
        imp = np.mean([t.tree_.feature_importances(self.n_features_in_, normalize=False) for t in trees], axis=0)
        total = imp.sum()
        return imp / total if total > 0 else imp


class AdaBoostClassifier(ClassifierMixin, _BaseBoosting):
    """AdaBoost with shallow trees (stumps by default); SAMME for more than two classes.

    Parameters
    ----------
    n_estimators : int, default 50
    learning_rate : float, default 1.0
        Shrinks every weight :math:`\\alpha_m`.
    max_depth : int, default 1
        Depth of each weak learner (1 = a stump).

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    estimator_weights_ : ndarray of shape (n_stages,)
        :math:`\\alpha_m`.
    estimator_errors_ : ndarray of shape (n_stages,)
        Weighted training error :math:`\\varepsilon_m` of each weak learner.

    Notes
    -----
    With :math:`C` classes and a weighted error :math:`\\varepsilon_m`,

    .. math::
        \\alpha_m = \\tfrac12 \\Big[\\ln\\frac{1-\\varepsilon_m}{\\varepsilon_m} + \\ln (C-1)\\Big], \\qquad
        w_i \\leftarrow w_i \\, e^{\\alpha_m} \\text{ if misclassified}, \\; w_i e^{-\\alpha_m} \\text{ otherwise};

    for :math:`C = 2` this is the classic :math:`\\alpha_m = \\tfrac12\\ln\\frac{1-\\varepsilon_m}{\\varepsilon_m}`.
    (scikit-learn's SAMME weights are twice these; the predictions and probabilities are the same.)

    Boosting stops early in two cases, and learners are then discarded:

    - :math:`\\varepsilon_m \\ge 1 - 1/C` (no better than guessing): this learner is discarded and
      the earlier ones are kept (if it is the first one, ``fit`` raises ``ValueError``);
    - :math:`\\varepsilon_m \\le 0` (perfect on the weighted sample): the *earlier* learners are
      discarded and this one alone is kept, with weight 1. (scikit-learn keeps the earlier ones.)
    """

    def __init__(self, n_estimators: int = 50, learning_rate: float = 1.0, max_depth: int = 1):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth

    def fit(self, X: Any, y: Any) -> "AdaBoostClassifier":
        """Fit weak learners one after another on re-weighted copies of (X, y)."""
        _check_boosting_params(self)
        X, y = validate_X_y(self, X, y)
        self.classes_, y_idx = encode_classes(y, "AdaBoost")
        C = self.classes_.size
        n = X.shape[0]
        # region: rounds
        w = np.full(n, 1.0 / n)  # start from uniform sample weights
        self.estimators_, alphas, errors = [], [], []
        for _ in range(self.n_estimators):
            f = DecisionTreeClassifier(max_depth=self.max_depth).fit(X, y_idx, sample_weight=w)
            miss = f.predict(X) != y_idx
            eps = float(w[miss].sum() / w.sum())
            if eps >= 1.0 - 1.0 / C:  # no better than guessing: stop
                if not self.estimators_:
                    raise ValueError(f"the first weak learner has error {eps:.3f}, no better than chance")
                break
            if eps <= 0.0:  # perfect on the weighted sample: it alone decides
                self.estimators_, alphas, errors = [f], [1.0], [0.0]
                break
            self.estimators_.append(f)
            errors.append(eps)
            alpha = self.learning_rate * 0.5 * (np.log((1.0 - eps) / eps) + np.log(C - 1.0))
            alphas.append(alpha)
            w = w * np.exp(alpha * np.where(miss, 1.0, -1.0))  # up-weight the mistakes
            w /= w.sum()
        # endregion
        self.estimator_weights_ = np.asarray(alphas)
        self.estimator_errors_ = np.asarray(errors)
        self.n_features_in_ = X.shape[1]
        return self

    @property
    def feature_importances_(self) -> np.ndarray:
        """Impurity importances of the weak learners, averaged with weights :math:`\\alpha_m`."""
        check_is_fitted(self, "estimators_")
        imp = sum(a * f.feature_importances_ for f, a in zip(self.estimators_, self.estimator_weights_))
        return imp / self.estimator_weights_.sum()

    def _staged_votes(self, X: Any) -> Iterator[np.ndarray]:
        """Class votes :math:`\\sum_{m \\le M} \\alpha_m [h_m(x) = k]` after each stage, (n_samples, C)."""
        X = self._check_X(X)
        scores = np.zeros((X.shape[0], self.classes_.size))
        for f, a in zip(self.estimators_, self.estimator_weights_):
            scores[np.arange(X.shape[0]), f.predict(X)] += a
            yield scores.copy()

    @staticmethod
    def _as_decision(votes: np.ndarray) -> np.ndarray:
        # scikit-learn's convention: for two classes one score, positive for classes_[1]
        return votes[:, 1] - votes[:, 0] if votes.shape[1] == 2 else votes

    def staged_decision_function(self, X: Any) -> Iterator[np.ndarray]:
        """:meth:`decision_function` after 1, 2, ... weak learners."""
        for votes in self._staged_votes(X):
            yield self._as_decision(votes)

    def decision_function(self, X: Any) -> np.ndarray:
        """Weighted votes per class, shape (n_samples, n_classes).

        For two classes, as in scikit-learn, the single score ``vote(classes_[1]) - vote(classes_[0])``,
        shape (n_samples,), positive where ``classes_[1]`` wins.
        """
        for votes in self._staged_votes(X):
            pass
        return self._as_decision(votes)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities from the normalised votes, as scikit-learn's SAMME (Zhu et al., 2009).

        Returns
        -------
        ndarray of shape (n_samples, n_classes)

        Notes
        -----
        With :math:`v_k(x) = \\sum_m \\alpha_m [h_m(x) = k] / \\sum_m \\alpha_m`, the share of the
        vote for class k, and :math:`f_k = \\frac{C}{C-1} v_k - \\frac{1}{C-1}` (the symmetric
        SAMME scores, summing to 0),

        .. math:: p_k(x) = \\frac{\\exp\\big(f_k(x) / (C-1)\\big)}{\\sum_l \\exp\\big(f_l(x) / (C-1)\\big)}.

        For two classes, :math:`p_1 = \\sigma\\big(2 (v_1 - v_0)\\big)`. The probabilities only rank
        the classes as the vote does: AdaBoost is not calibrated.
        """
        for votes in self._staged_votes(X):
            pass
        C = self.classes_.size
        v = votes / self.estimator_weights_.sum()
        z = C / (C - 1.0) ** 2 * v  # f_k / (C-1), up to a constant that softmax ignores
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def staged_predict(self, X: Any) -> Iterator[np.ndarray]:
        """Predictions after 1, 2, ... weak learners."""
        check_is_fitted(self, "estimators_")
        for votes in self._staged_votes(X):
            yield self.classes_[np.argmax(votes, axis=1)]

    def predict(self, X: Any) -> np.ndarray:
        """Class with the largest weighted vote, shape (n_samples,)."""
        for votes in self._staged_votes(X):
            pass
        return self.classes_[np.argmax(votes, axis=1)]


class GradientBoostingRegressor(RegressorMixin, _BaseBoosting):
    """Gradient boosting with the squared loss: each tree fits the current residuals.

    Parameters
    ----------
    n_estimators : int, default 100
    learning_rate : float, default 0.1
        Shrinkage :math:`\\nu` of every step.
    max_depth : int, default 3
    min_samples_leaf : int, default 1

    Attributes
    ----------
    init_ : float
        :math:`F_0`, the mean of y.
    estimators_ : list of DecisionTreeRegressor
    train_score_ : ndarray of shape (n_estimators,)
        Training mean squared error after each stage.

    Notes
    -----
    .. math:: F_m(x) = F_{m-1}(x) + \\nu\\, h_m(x), \\qquad h_m \\approx -\\partial L/\\partial F = y - F_{m-1}(x).
    """

    def __init__(self, n_estimators: int = 100, learning_rate: float = 0.1, max_depth: int = 3,
                 min_samples_leaf: int = 1):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf

    def fit(self, X: Any, y: Any) -> "GradientBoostingRegressor":
        """Start from the mean, then add ``n_estimators`` shrunken trees fitted to residuals."""
        _check_boosting_params(self)
        X, y = validate_X_y(self, X, y)
        # region: rounds
        self.init_ = float(y.mean())  # the constant minimising the squared loss
        F = np.full(y.shape, self.init_)
        self.estimators_, losses = [], []
        for _ in range(self.n_estimators):
            residual = y - F  # = minus the gradient of (1/2)(y - F)^2
            f = DecisionTreeRegressor(max_depth=self.max_depth,
                                      min_samples_leaf=self.min_samples_leaf).fit(X, residual)
            F = F + self.learning_rate * f.predict(X)
            self.estimators_.append(f)
            losses.append(float(np.mean((y - F) ** 2)))
        # endregion
        self.train_score_ = np.asarray(losses)
        self.n_features_in_ = X.shape[1]
        return self

    def staged_predict(self, X: Any) -> Iterator[np.ndarray]:
        """Predictions :math:`F_1(X), F_2(X), \\dots`, each of shape (n_samples,)."""
        X = self._check_X(X)
        F = np.full(X.shape[0], self.init_)
        for f in self.estimators_:
            F = F + self.learning_rate * f.predict(X)
            yield F

    def predict(self, X: Any) -> np.ndarray:
        """:math:`F_M(X)`, shape (n_samples,)."""
        for F in self.staged_predict(X):
            pass
        return F


class GradientBoostingClassifier(ClassifierMixin, _BaseBoosting):
    """Gradient boosting with the log loss (binary) or the multinomial log loss (C > 2 classes).

    Each stage fits one regression tree per class to the residuals :math:`y_{ik} - p_{ik}` (the
    negative gradient of the log loss in the scores) and replaces every leaf's value by one Newton
    step, :math:`\\gamma = \\sum r / \\sum p(1-p)` (times :math:`(C-1)/C` for :math:`C > 2`).
    As in scikit-learn, the Newton steps are written into the leaves' ``tree_.value``, so
    ``estimators_[m][k].predict(X)`` returns the step :math:`\\gamma` the model adds (before the
    learning rate); internal nodes keep their least-squares means.

    Parameters are those of :class:`GradientBoostingRegressor`.

    Attributes
    ----------
    init_ : ndarray of shape (n_scores,)
        Initial scores: the log-odds (binary) or the log class priors.
    estimators_ : list of ndarray of DecisionTreeRegressor, each of shape (n_scores,)
        Stage m, score k: ``estimators_[m][k]``, whose leaves hold the Newton steps.
    """

    def __init__(self, n_estimators: int = 100, learning_rate: float = 0.1, max_depth: int = 3,
                 min_samples_leaf: int = 1):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf

    @staticmethod
    def _proba(F: np.ndarray) -> np.ndarray:
        if F.shape[1] == 1:  # binary: one score, the log-odds of class 1
            p1 = 1.0 / (1.0 + np.exp(-F[:, 0]))
            return np.column_stack([1 - p1, p1])
        Z = np.exp(F - F.max(axis=1, keepdims=True))  # stable softmax
        return Z / Z.sum(axis=1, keepdims=True)

    def fit(self, X: Any, y: Any) -> "GradientBoostingClassifier":
        """Fit ``n_estimators`` stages of trees to the gradients of the log loss."""
        _check_boosting_params(self)
        X, y = validate_X_y(self, X, y)
        self.classes_, y_idx = encode_classes(y, "gradient boosting")
        C = self.classes_.size
        Y = np.eye(C)[y_idx]  # one-hot targets (n, C)
        prior = Y.mean(axis=0)
        K = 1 if C == 2 else C
        self.init_ = np.array([np.log(prior[1] / prior[0])]) if C == 2 else np.log(prior)
        F = np.tile(self.init_, (X.shape[0], 1))
        targets = Y[:, 1:] if C == 2 else Y
        self.estimators_ = []
        for _ in range(self.n_estimators):
            P = self._proba(F)[:, 1:] if C == 2 else self._proba(F)
            R = targets - P  # negative gradient of the log loss in each score
            stage = []
            for k in range(K):
                f = DecisionTreeRegressor(max_depth=self.max_depth,
                                          min_samples_leaf=self.min_samples_leaf).fit(X, R[:, k])
                leaf = f.tree_.apply(X)
                num = np.bincount(leaf, weights=R[:, k], minlength=f.tree_.node_count)
                den = np.bincount(leaf, weights=np.abs(R[:, k]) * (1 - np.abs(R[:, k])),
                                  minlength=f.tree_.node_count)
                scale = 1.0 if C == 2 else (C - 1.0) / C
                gamma = scale * np.divide(num, den, out=np.zeros_like(num), where=den > HESSIAN_FLOOR)
                is_leaf = f.tree_.left == -1
                f.tree_.value[is_leaf, 0] = gamma[is_leaf]  # the tree now predicts its Newton steps
                F[:, k] += self.learning_rate * gamma[leaf]  # one Newton step per leaf
                stage.append(f)
            self.estimators_.append(np.array(stage, dtype=object))
        self.n_features_in_ = X.shape[1]
        return self

    def staged_decision_function(self, X: Any) -> Iterator[np.ndarray]:
        """Scores after each stage, shape (n_samples, 1) for two classes, else (n_samples, C)."""
        X = self._check_X(X)
        F = np.tile(self.init_, (X.shape[0], 1))
        for stage in self.estimators_:
            for k, f in enumerate(stage):
                F[:, k] += self.learning_rate * f.predict(X)  # the trees' leaves hold the Newton steps
            yield F.copy()

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes)."""
        for F in self.staged_decision_function(X):
            pass
        return self._proba(F)

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class, shape (n_samples,)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


def second_order_leaf_weight(g: Any, h: Any, reg_lambda: float = 1.0) -> float:
    """Optimal weight of a leaf under the second-order objective (XGBoost).

    Parameters
    ----------
    g, h : array-like of shape (n_leaf_samples,)
        First and second derivatives of the loss at the current predictions.
    reg_lambda : float, default 1.0
        L2 penalty :math:`\\lambda` on the leaf weight.

    Notes
    -----
    Minimising :math:`G w + \\tfrac12 (H + \\lambda) w^2` gives :math:`w^* = -G / (H + \\lambda)`.
    """
    g, h = as_float_array(g, "g", ndim=1), as_float_array(h, "h", ndim=1)
    check_positive(reg_lambda, "reg_lambda", strict=False)
    if g.shape != h.shape:
        raise ValueError(f"g and h must have the same shape, got {g.shape} and {h.shape}")
    if h.sum() + reg_lambda <= 0:
        raise ValueError("H + lambda must be > 0 (a convex loss has h >= 0; add reg_lambda > 0)")
    return float(-g.sum() / (h.sum() + reg_lambda))


def second_order_split_gain(g_left: Any, h_left: Any, g_right: Any, h_right: Any,
                            reg_lambda: float = 1.0, gamma: float = 0.0) -> float:
    """Decrease of the regularised second-order objective when a leaf is split in two.

    Notes
    -----
    .. math::
        \\mathrm{Gain} = \\frac12\\Big[\\frac{G_L^2}{H_L + \\lambda} + \\frac{G_R^2}{H_R + \\lambda}
        - \\frac{(G_L + G_R)^2}{H_L + H_R + \\lambda}\\Big] - \\gamma.
    """
    check_positive(gamma, "gamma", strict=False)
    check_positive(reg_lambda, "reg_lambda", strict=False)
    parts = [as_float_array(a, name, ndim=1).sum() for a, name in
             ((g_left, "g_left"), (h_left, "h_left"), (g_right, "g_right"), (h_right, "h_right"))]
    GL, HL, GR, HR = parts
    if min(HL, HR) + reg_lambda <= 0:
        raise ValueError("each side needs H + lambda > 0")

    def score(G: float, H: float) -> float:
        return G * G / (H + reg_lambda)

    return float(0.5 * (score(GL, HL) + score(GR, HR) - score(GL + GR, HL + HR)) - gamma)

"""Rosenblatt's perceptron (1958), with its bias update (chapter 8, section 1)."""
from __future__ import annotations

from typing import Any

import numpy as np

from sklearn.base import BaseEstimator, ClassifierMixin

from ..validation import check_positive, validate_X, validate_X_y


class Perceptron(ClassifierMixin, BaseEstimator):
    """The perceptron learning rule for two classes.

    Parameters
    ----------
    lr : float, default 1.0
        Step size η (the perceptron's decisions do not depend on it when w and b start at 0).
    max_epochs : int, default 100
        Passes over the data; training stops earlier after a pass with no mistake.
    shuffle : bool, default False
        Visit the samples in a new random order in every pass.
    random_state : int or None, default None
        Seed of the local generator used when ``shuffle=True``.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The two labels; ``classes_[1]`` is the positive class (+1).
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_updates_ : int
        Total number of mistakes (= updates).
    errors_per_epoch_ : list of int
    converged_ : bool
        True when the last pass made no mistake (the data are linearly separated).

    Notes
    -----
    With labels ``y ∈ {−1, +1}``, whenever ``y (w·x + b) ≤ 0``:

    .. math:: w \\leftarrow w + \\eta\\, y\\, x, \\qquad b \\leftarrow b + \\eta\\, y.

    Novikoff's bound, with the bias folded into the weights: write x̃ = (x, 1) and w̃ = (w, b).
    If some unit vector u separates the augmented data with margin γ = min_i y_i u·x̃_i > 0 and
    R = max_i ‖x_i‖, then ‖x̃_i‖² ≤ R² + 1 and the number of updates is at most (R² + 1)/γ².
    Written with R̃ = max_i ‖x̃_i‖, the radius of the augmented points, it is the familiar
    R̃²/γ²; the two forms are the same bound.
    """

    def __init__(self, lr: float = 1.0, max_epochs: int = 100, shuffle: bool = False,
                 random_state: int | None = None):
        self.lr = lr
        self.max_epochs = max_epochs
        self.shuffle = shuffle
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # two classes only: scikit-learn's checks adapt
        return tags

    def fit(self, X: Any, y: Any) -> "Perceptron":
        """Run the perceptron rule on ``X`` of shape (n_samples, n_features) and labels ``y``."""
        check_positive(self.lr, "lr")
        check_positive(self.max_epochs, "max_epochs", integer=True)
        X, y = validate_X_y(self, X, y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            k = len(self.classes_)
            raise ValueError(("Only binary classification is supported. " if k > 2 else "")
                             + f"Perceptron needs exactly 2 classes, got {k} class{'' if k == 1 else 'es'}: "
                             f"{self.classes_}")
        s = np.where(y == self.classes_[1], 1.0, -1.0)
        rng = np.random.default_rng(self.random_state)
        w, b = np.zeros(X.shape[1]), 0.0
        self.errors_per_epoch_ = []
        self.n_updates_ = 0
        # region: perceptron rule
        for _ in range(self.max_epochs):
            order = rng.permutation(len(s)) if self.shuffle else range(len(s))
            mistakes = 0
            for i in order:
                if s[i] * (X[i] @ w + b) <= 0:  # wrong side, or on the boundary
                    w += self.lr * s[i] * X[i]
                    b += self.lr * s[i]  # the bias is a weight on a constant input 1
                    mistakes += 1
            self.errors_per_epoch_.append(mistakes)
            self.n_updates_ += mistakes
            if mistakes == 0:
                break
        # endregion
        self.coef_, self.intercept_ = w, b
        self.converged_ = self.errors_per_epoch_[-1] == 0
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Signed score ``X @ coef_ + intercept_``, shape (n_samples,)."""
        X = validate_X(self, X, fitted_attribute="coef_")
        return X @ self.coef_ + self.intercept_

    def predict(self, X: Any) -> np.ndarray:
        """Predicted labels (``classes_[1]`` where the score is positive)."""
        return np.where(self.decision_function(X) > 0, self.classes_[1], self.classes_[0])

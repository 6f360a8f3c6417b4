"""Linear models: least squares, ridge, lasso, logistic and softmax regression.

The chapter "Linear models" derives every estimator here; each is checked against
scikit-learn in ``tests/test_linear.py``.
"""
from .classification import LogisticRegression, SoftmaxRegression, logsumexp, sigmoid, softmax
from .features import MinMaxScaler, PolynomialFeatures, RobustScaler, StandardScaler, polynomial_features
from .regression import Lasso, LinearRegression, Ridge, soft_threshold, squared_loss

__all__ = [
    "LinearRegression", "Ridge", "Lasso", "LogisticRegression", "SoftmaxRegression",
    "sigmoid", "softmax", "logsumexp", "soft_threshold", "squared_loss",
    "polynomial_features", "PolynomialFeatures", "MinMaxScaler", "StandardScaler", "RobustScaler",
]

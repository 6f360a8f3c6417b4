"""Checks and pieces shared by the trees, the forests and the boosted ensembles.

Each helper here is written once and used by ``tree.py``, ``forest.py`` and ``boosting.py``:
the integer hyper-parameter check, the input check of a fitted estimator, the class encoding
of the boosting classifiers and the averaged impurity importance of a forest.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..validation import check_positive, validate_X


def check_int_param(value: Any, name: str, low: int = 1, *, allow_none: bool = False) -> None:
    """Refuse a hyper-parameter that is not an integer ``>= low`` (or None, when allowed).

    A value of the wrong type raises ``TypeError``, an integer below ``low`` ``ValueError``.
    """
    if allow_none and value is None:
        return
    check_positive(value, name, integer=True)  # an integer >= 1
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")


def mean_tree_importances(trees: Iterable[Any]) -> np.ndarray:
    """Mean of the trees' normalised impurity importances, renormalised to sum to 1.

    This is how scikit-learn's random forests combine their trees. Gradient boosting averages
    the *unnormalised* importances instead (see ``_BaseBoosting.feature_importances_``).
    """
    imp = np.mean([t.feature_importances_ for t in trees], axis=0)
    total = imp.sum()
    return imp / total if total > 0 else imp


class FittedInputMixin:
    """``_check_X``: the input check every fitted estimator of the package runs before predicting.

    It raises scikit-learn's ``NotFittedError`` before ``fit``, and refuses an X whose number of
    columns differs from ``n_features_in_`` (see :func:`mlbook.validation.validate_X`).

    ``_fitted_attribute`` names the attribute that ``fit`` sets (``tree_`` for a tree,
    ``estimators_`` for an ensemble).
    """

    _fitted_attribute = "estimators_"

    def _check_X(self, X: Any) -> np.ndarray:
        return validate_X(self, X, fitted_attribute=self._fitted_attribute)

"""Input checks shared by every estimator and function of the package.

Each check raises a ``ValueError`` or ``TypeError`` whose message says what was wrong,
what came, and how to fix it, so that bad input never turns into a NaN or a silent
wrong answer further down.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def as_float_array(x: Any, name: str = "X", *, ndim: int | tuple[int, ...] | None = None,
                   allow_empty: bool = False) -> np.ndarray:
    """Convert ``x`` to a float64 array, refusing non-numeric, NaN/inf and wrongly shaped input.

    Parameters
    ----------
    x : array-like
    name : str
        The argument's name, used in error messages.
    ndim : int or tuple of int, optional
        The allowed number(s) of dimensions.
    allow_empty : bool, default False
        Whether an array with no elements is accepted.
    """
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # torch tensors
        x = x.detach().cpu().numpy()
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric, got values that cannot be converted to float: {exc}") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            hint = " (reshape a single feature with X.reshape(-1, 1))" if 2 in allowed and arr.ndim == 1 else ""
            raise ValueError(f"{name} must be {want}, got an array of shape {arr.shape}{hint}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); at least one value is needed")
    if not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); remove or impute them first")
    return arr


def as_label_array(y: Any, name: str = "y") -> np.ndarray:
    """Validate class labels (or any 1-D targets kept as they are): 1-D, not empty, no NaN.

    Labels may be of any type (ints, strings ...); they are not converted to float.
    """
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty; at least one label is needed")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def encode_classes(y: np.ndarray, who: str, min_classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Sorted class labels and each sample's class index (0..K-1); refuse fewer than ``min_classes``.

    ``who`` names the model in the error message, e.g. ``"LogisticRegression"``.
    """
    classes, y_idx = np.unique(y, return_inverse=True)
    if classes.size < min_classes:
        raise ValueError(
            f"{who} needs at least {min_classes} classes in y, got {classes.size} ({classes.tolist()}); "
            "a classifier cannot be fitted to a single class"
        )
    return classes, y_idx


def check_X_y(X: Any, y: Any, *, y_numeric: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Validate a design matrix of shape (n_samples, n_features) and targets of shape (n_samples,).

    With ``y_numeric=False`` the labels may be any hashable values (strings, ints); they are
    returned as a 1-D array without conversion to float.
    """
    X = as_float_array(X, "X", ndim=2)
    if y_numeric:
        y = as_float_array(y, "y", ndim=1)
    else:
        y = as_label_array(y, "y")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y have different numbers of samples: X has {X.shape[0]} rows, y has {y.shape[0]} values"
        )
    return X, y


def check_n_features(X: np.ndarray, n_features_in: int, estimator: object) -> None:
    """Refuse an X whose number of columns differs from the one the estimator was fitted with."""
    if X.shape[1] != n_features_in:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(estimator).__name__} was fitted with {n_features_in}"
        )


def check_is_fitted(estimator: object, attribute: str) -> None:
    """Raise if ``fit`` has not been called (the fitted attribute ``attribute`` is missing)."""
    if not hasattr(estimator, attribute):
        raise RuntimeError(
            f"this {type(estimator).__name__} is not fitted yet; call fit(X, y) before using it"
        )


def check_positive(value: Any, name: str, *, strict: bool = True, integer: bool = False) -> None:
    """Refuse a hyper-parameter that is not a (strictly) positive number (or integer)."""
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds):
        kind = "an integer" if integer else "a number"
        raise TypeError(f"{name} must be {kind}, got {value!r}")
    if not np.isfinite(value) or (value <= 0 if strict else value < 0):
        bound = "> 0" if strict else ">= 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}")

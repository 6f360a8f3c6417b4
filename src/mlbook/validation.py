"""Input checks shared by every estimator and function of the package.

Each check raises a ``ValueError`` or ``TypeError`` whose message says what was wrong,
what came, and how to fix it, so that bad input never turns into a NaN or a silent
wrong answer further down.

The estimators follow scikit-learn's conventions (``sklearn.utils.estimator_checks`` passes on
all of them): :func:`validate_X_y` and :func:`validate_X` are the checks of ``fit`` and of the
methods of a fitted estimator. They run the package's own checks (with its messages, which also
contain the phrases scikit-learn's checks look for) and then scikit-learn's ``validate_data``
for the bookkeeping: ``n_features_in_`` and, for a DataFrame, ``feature_names_in_``. An
estimator used before ``fit`` raises scikit-learn's ``NotFittedError``.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

# scikit-learn and SciPy are imported where they are used, not here: every module of the package
# imports this one, and a notebook that never fits an estimator should not pay for loading them.

__all__ = ["DivergenceError", "NotFittedError", "as_float_array", "as_label_array", "encode_classes", "check_X_y",
           "check_n_features", "check_is_fitted", "check_positive", "validate_X", "validate_X_y"]


class DivergenceError(FloatingPointError, ValueError):
    """Training diverged: a gradient, an activation or a loss is no longer a finite number.

    Raised by :mod:`mlbook.optim`'s optimisers on a non-finite gradient and by
    :class:`mlbook.nn.MLP` on a non-finite activation or loss, so that a training loop can tell
    divergence (``except DivergenceError``) from a bug in its input, which raises a plain
    ``ValueError`` or ``TypeError``. It subclasses ``ValueError`` as well, for code that caught
    the earlier error.
    """


def _is_sparse(x: Any) -> bool:
    """Whether ``x`` is a SciPy sparse matrix or array (without importing SciPy when it is not loaded)."""
    import sys

    sparse = sys.modules.get("scipy.sparse")
    return sparse is not None and sparse.issparse(x)


def __getattr__(name: str) -> Any:
    if name == "NotFittedError":  # scikit-learn's, re-exported; loaded on first use
        from sklearn.exceptions import NotFittedError

        return NotFittedError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    if _is_sparse(x):
        raise TypeError(f"{name} is a sparse matrix, but sparse input is not supported here; "
                        f"pass a dense array ({name}.toarray())")
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # torch tensors
        x = x.detach().cpu().numpy()
    try:
        arr = np.asarray(x)
        is_complex = arr.dtype.kind == "c"
        if not is_complex:
            arr = arr.astype(np.float64, copy=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric, got values that cannot be converted to float: {exc}") from None
    if is_complex:  # a float conversion would silently drop the imaginary part
        raise ValueError(f"Complex data not supported: {name} has complex values; "
                         "pass the real part (x.real) or the modulus (abs(x)) explicitly")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            hint = (f". Reshape your data: {name}.reshape(-1, 1) if it holds a single feature, "
                    f"{name}.reshape(1, -1) if it holds a single sample") if 2 in allowed and arr.ndim == 1 else ""
            raise ValueError(f"{name} must be {want}, got an array of shape {arr.shape}{hint}")
    if not allow_empty and arr.size == 0:
        if arr.ndim == 2:  # scikit-learn's wording, which its checks look for
            what = "sample(s)" if arr.shape[0] == 0 else "feature(s)"
            raise ValueError(f"{name} is empty: found array with 0 {what} (shape={arr.shape}) "
                             "while a minimum of 1 is required.")
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
        got = f"{classes.size} class" + ("" if classes.size == 1 else "es")
        raise ValueError(
            f"{who} needs at least {min_classes} classes in y, got {got} ({classes.tolist()}); "
            "a classifier cannot be fitted to a single class"
        )
    return classes, y_idx


def check_X_y(X: Any, y: Any, *, y_numeric: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Validate a design matrix of shape (n_samples, n_features) and targets of shape (n_samples,).

    With ``y_numeric=False`` the labels may be any hashable values (strings, ints); they are
    returned as a 1-D array without conversion to float. A column vector y of shape
    (n_samples, 1) is flattened, with a ``DataConversionWarning`` (as scikit-learn does).
    """
    X = as_float_array(X, "X", ndim=2)
    if y is None:
        raise ValueError("this estimator requires y to be passed, but the target y is None")
    if not hasattr(y, "detach"):  # torch tensors are converted (from any device) below
        y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        from sklearn.exceptions import DataConversionWarning

        warnings.warn("A column-vector y was passed when a 1d array was expected: y of shape "
                      f"{tuple(y.shape)} is flattened to shape ({y.shape[0]},)", DataConversionWarning,
                      stacklevel=3)
        y = y.reshape(-1)
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
            f"X has {X.shape[1]} features, but {type(estimator).__name__} is expecting {n_features_in} "
            f"features as input: it was fitted with {n_features_in}"
        )


def check_is_fitted(estimator: object, attribute: str | None = None) -> None:
    """Raise scikit-learn's ``NotFittedError`` if ``fit`` has not been called.

    ``attribute`` names the attribute ``fit`` sets; without it, scikit-learn's rule applies
    (some attribute ending in ``_``). ``NotFittedError`` is both a ``ValueError`` and an
    ``AttributeError``.
    """
    from sklearn.utils.validation import check_is_fitted as _sk_check_is_fitted

    _sk_check_is_fitted(estimator, attribute,
                        msg="this %(name)s is not fitted yet; call fit(X, y) before using it")


def validate_X_y(estimator: Any, X: Any, y: Any, *, y_numeric: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The input check of ``fit``: :func:`check_X_y`, then set ``n_features_in_`` (and ``feature_names_in_``).

    For a classifier (``sklearn.base.is_classifier``) y holds labels, which must be classes rather
    than a continuous target (scikit-learn's ``check_classification_targets``); otherwise y is
    converted to float, unless ``y_numeric=False``.
    """
    from sklearn.base import is_classifier
    from sklearn.utils.multiclass import check_classification_targets

    classifier = is_classifier(estimator)
    if y_numeric is None:
        y_numeric = not classifier
    X_in = X
    X, y = check_X_y(X, y, y_numeric=y_numeric)
    if classifier:
        check_classification_targets(y)
    _record_features(estimator, X_in, X, reset=True)
    return X, y


def validate_X(estimator: Any, X: Any, *, reset: bool = False, fitted_attribute: str | None = None) -> np.ndarray:
    """The input check of a fitted estimator's methods (``predict``, ``transform`` ...).

    Raises ``NotFittedError`` before ``fit`` (the attribute ``fitted_attribute`` is missing), then
    checks X as :func:`as_float_array` does and refuses a number of columns other than
    ``n_features_in_`` (or feature names other than those seen in ``fit``). With ``reset=True``
    (a transformer's ``fit``) it records ``n_features_in_`` instead.
    """
    if not reset:
        check_is_fitted(estimator, fitted_attribute)
    X_in = X
    X = as_float_array(X, "X", ndim=2)
    if not reset:
        check_n_features(X, estimator.n_features_in_, estimator)
    _record_features(estimator, X_in, X, reset=reset)
    return X


def _record_features(estimator: Any, X_in: Any, X: np.ndarray, *, reset: bool) -> None:
    # scikit-learn's validate_data on the already checked X: n_features_in_, and feature_names_in_
    # when X came as a DataFrame (only then is the original object needed).
    from sklearn.utils.validation import validate_data

    validate_data(estimator, X_in if hasattr(X_in, "columns") else X, reset=reset, skip_check_array=True)


def check_positive(value: Any, name: str, *, strict: bool = True, integer: bool = False) -> None:
    """Refuse a hyper-parameter that is not a (strictly) positive number (or integer)."""
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds):
        kind = "an integer" if integer else "a number"
        raise TypeError(f"{name} must be {kind}, got {value!r}")
    if not np.isfinite(value) or (value <= 0 if strict else value < 0):
        bound = "> 0" if strict else ">= 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}")

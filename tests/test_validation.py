"""mlbook.validation: the checks behind every public function's clear errors."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from mlbook import validation as v


def test_as_float_array_accepts_lists_and_tensors():
    np.testing.assert_array_equal(v.as_float_array([[1, 2]], ndim=2), [[1.0, 2.0]])
    np.testing.assert_array_equal(v.as_float_array(torch.tensor([1.0, 2.0]), ndim=1), [1.0, 2.0])


@pytest.mark.parametrize("bad, err, match", [
    ([1.0, np.nan], ValueError, "NaN"), ([np.inf], ValueError, "NaN or infinite"),
    (["a", "b"], TypeError, "numeric"), ([], ValueError, "empty"),
])
def test_as_float_array_refuses(bad, err, match):
    with pytest.raises(err, match=match):
        v.as_float_array(bad)


def test_as_float_array_checks_dimensions_and_hints_reshape():
    with pytest.raises(ValueError, match="reshape"):
        v.as_float_array([1.0, 2.0], "X", ndim=2)


def test_check_X_y():
    X, y = v.check_X_y([[1, 2], [3, 4]], [0, 1])
    assert X.shape == (2, 2) and y.dtype == np.float64
    with pytest.raises(ValueError, match="different numbers of samples"):
        v.check_X_y([[1, 2], [3, 4]], [0, 1, 2])
    _, labels = v.check_X_y([[1.0], [2.0]], ["cat", "dog"], y_numeric=False)
    assert labels.tolist() == ["cat", "dog"]


def test_check_n_features_and_fitted():
    class Model(BaseEstimator):
        def fit(self, X, y):
            return self

    with pytest.raises(ValueError, match="X has 3 features, but Model is expecting 4 features as input: "
                                         "it was fitted with 4"):
        v.check_n_features(np.zeros((2, 3)), 4, Model())
    with pytest.raises(NotFittedError, match="this Model is not fitted yet; call fit"):
        v.check_is_fitted(Model(), "coef_")
    assert issubclass(NotFittedError, ValueError)  # scikit-learn's error, also a ValueError


@pytest.mark.parametrize("value, kwargs, err", [
    (0, {}, ValueError), (-1.0, {"strict": False}, ValueError), (np.nan, {}, ValueError),
    (1.5, {"integer": True}, TypeError), (True, {}, TypeError), ("1", {}, TypeError),
])
def test_check_positive_refuses(value, kwargs, err):
    with pytest.raises(err):
        v.check_positive(value, "alpha", **kwargs)


def test_check_positive_accepts():
    v.check_positive(0.0, "alpha", strict=False)
    v.check_positive(3, "n", integer=True)


def test_as_label_array_keeps_label_types_and_refuses_bad_shapes():
    assert v.as_label_array(["a", "b"]).tolist() == ["a", "b"]
    with pytest.raises(ValueError, match="1-D"):
        v.as_label_array([[0, 1]])
    with pytest.raises(ValueError, match="empty"):
        v.as_label_array([])
    with pytest.raises(ValueError, match="NaN"):
        v.as_label_array([0.0, np.nan])


def test_encode_classes_sorts_and_refuses_one_class():
    classes, idx = v.encode_classes(np.array(["dog", "cat", "dog"]), "Model")
    assert classes.tolist() == ["cat", "dog"] and idx.tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match="Model needs at least 2 classes"):
        v.encode_classes(np.array([3, 3]), "Model")


def test_importing_the_package_does_not_load_scikit_learn_or_scipy():
    """Start-up time: notebooks that never fit an estimator do not pay for scikit-learn and SciPy."""
    import subprocess
    import sys

    code = ("import sys, mlbook, mlbook.data, mlbook.check, mlbook.attention, mlbook.gan, mlbook.calculus; "
            "print('sklearn' in sys.modules, 'scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"], out
    from mlbook.validation import NotFittedError
    from sklearn.exceptions import NotFittedError as sk
    assert NotFittedError is sk

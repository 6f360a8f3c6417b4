"""mlbook.data against scikit-learn's loaders and splitter, and the synthetic generators."""
from __future__ import annotations

import numpy as np
import pytest
import sklearn.datasets as skd
import torch

from mlbook import data


@pytest.mark.parametrize("name", data.BUNDLED)
def test_load_returns_sklearns_arrays(name):
    X, y = data.load(name)
    Xs, ys = getattr(skd, f"load_{name}")(return_X_y=True)
    np.testing.assert_array_equal(X, Xs)
    np.testing.assert_array_equal(y, ys)


@pytest.mark.parametrize("name", data.BUNDLED)
def test_load_as_tensor(name):
    X, y = data.load(name, as_tensor=True)
    assert X.dtype == torch.float32 and X.ndim == 2
    assert y.dtype == (torch.float32 if name == "diabetes" else torch.int64)
    assert X.shape[0] == y.shape[0]


def test_load_refuses_unknown_names_and_stray_device():
    with pytest.raises(ValueError, match="bundled ones"):
        data.load("mnist")
    with pytest.raises(ValueError, match="as_tensor"):
        data.load("iris", device="cpu")


@pytest.mark.parametrize("test_size", [0.2, 0.25, 0.5])
@pytest.mark.parametrize("seed", [0, 7])
def test_split_partitions_the_data(test_size, seed):
    X, y = data.load("iris")
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_size=test_size, random_state=seed)
    assert len(Xtr) + len(Xte) == len(X)
    assert len(Xte) == int(np.ceil(test_size * len(X)))
    together = np.vstack([Xtr, Xte])
    assert sorted(map(tuple, together)) == sorted(map(tuple, X))


@pytest.mark.parametrize("name", ["iris", "digits", "breast_cancer", "wine"])
def test_stratified_split_keeps_class_shares(name):
    X, y = data.load(name)
    _, _, ytr, yte = data.train_test_split(X, y, test_size=0.25, stratify=True, random_state=0)
    share = np.bincount(y) / len(y)
    np.testing.assert_allclose(np.bincount(yte, minlength=len(share)) / len(yte), share, atol=0.02)
    np.testing.assert_allclose(np.bincount(ytr, minlength=len(share)) / len(ytr), share, atol=0.02)


def test_split_is_deterministic():
    X, y = data.load("wine")
    a = data.train_test_split(X, y, random_state=3)
    b = data.train_test_split(X, y, random_state=3)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


@pytest.mark.parametrize("kwargs, match", [({"test_size": 0.0}, "fraction"), ({"test_size": 1.5}, "fraction")])
def test_split_refuses_bad_sizes(kwargs, match):
    X, y = data.load("iris")
    with pytest.raises(ValueError, match=match):
        data.train_test_split(X, y, **kwargs)


def test_split_refuses_mismatched_lengths_and_singleton_classes():
    with pytest.raises(ValueError, match="rows"):
        data.train_test_split(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="at least 2"):
        data.train_test_split(np.zeros((5, 2)), np.array([0, 0, 0, 0, 1]), stratify=True)


def test_make_linear_recovers_its_weights_by_least_squares():
    X, y = data.make_linear(2000, weights=[2.0, -3.4], bias=4.2, noise=0.01, random_state=0)
    A = np.c_[X, np.ones(len(X))]
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    np.testing.assert_allclose(coef, [2.0, -3.4, 4.2], atol=2e-3)


@pytest.mark.parametrize("maker", [data.make_blobs, data.make_xor, data.make_moons])
@pytest.mark.parametrize("n", [10, 101])
def test_classification_generators(maker, n):
    X, y = maker(n, random_state=1)
    assert X.shape == (n, 2) and y.shape == (n,)
    X2, y2 = maker(n, random_state=1)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert set(np.unique(y)) == {0, 1}


def test_xor_labels_follow_the_signs():
    X, y = data.make_xor(400, noise=0.05, random_state=0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))


def test_moons_match_sklearn_without_noise():
    X, y = data.make_moons(100, noise=0.0, random_state=0)
    Xs, ys = skd.make_moons(100, noise=0.0, shuffle=False)
    ours = sorted(map(tuple, np.round(np.c_[X, y], 10)))
    theirs = sorted(map(tuple, np.round(np.c_[Xs, ys], 10)))
    np.testing.assert_allclose(ours, theirs, atol=1e-10)


@pytest.mark.parametrize("call", [
    lambda: data.make_linear(0), lambda: data.make_linear(10, noise=-1.0),
    lambda: data.make_blobs(10, std=0.0), lambda: data.make_xor(-5), lambda: data.make_moons(2.5),
    lambda: data.make_linear(10, weights=[[1.0]]), lambda: data.make_linear(10, weights=[np.nan]),
])
def test_generators_refuse_bad_arguments(call):
    with pytest.raises((ValueError, TypeError)):
        call()

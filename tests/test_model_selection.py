"""mlbook.model_selection against sklearn.model_selection."""
import numpy as np
import pytest
import sklearn.linear_model as sk
import sklearn.model_selection as skms

from mlbook.linear import LogisticRegression, Ridge
from mlbook.model_selection import KFold, StratifiedKFold, cross_val_score, learning_curve


@pytest.mark.parametrize("n,k", [(10, 2), (11, 3), (100, 5), (7, 7)])
def test_kfold_matches_sklearn_unshuffled(n, k):
    ours = list(KFold(k).split(np.zeros((n, 1))))
    ref = list(skms.KFold(k).split(np.zeros((n, 1))))
    assert len(ours) == len(ref) == k
    for (a, b), (c, d) in zip(ours, ref):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


@pytest.mark.parametrize("seed", [0, 1])
def test_kfold_shuffled_is_a_partition_and_reproducible(seed):
    X = np.zeros((23, 2))
    folds = list(KFold(4, shuffle=True, random_state=seed).split(X))
    tests = np.concatenate([te for _, te in folds])
    np.testing.assert_array_equal(np.sort(tests), np.arange(23))
    for tr, te in folds:
        assert len(np.intersect1d(tr, te)) == 0 and len(tr) + len(te) == 23
    again = list(KFold(4, shuffle=True, random_state=seed).split(X))
    for (a, b), (c, d) in zip(folds, again):
        np.testing.assert_array_equal(b, d)
    assert not np.array_equal(folds[0][1], np.arange(6))


def test_kfold_refuses_random_state_without_shuffle_and_bad_sizes():
    with pytest.raises(ValueError, match="shuffle=True"):
        KFold(5, random_state=0)
    with pytest.raises(ValueError, match="at least 2"):
        KFold(1)
    with pytest.raises(TypeError, match="integer"):
        KFold(2.5)
    with pytest.raises(ValueError, match="folds from 3 samples"):
        list(KFold(5).split(np.zeros(3)))
    with pytest.raises(ValueError, match="folds from 3 samples"):
        list(StratifiedKFold(5).split(np.zeros(3), [0, 1, 0]))


def test_stratified_kfold_keeps_proportions():
    y = np.r_[np.zeros(80), np.ones(20)]
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(100), y):
        assert len(te) == 20 and y[te].sum() == 4
    with pytest.raises(ValueError, match="labels"):
        list(StratifiedKFold(3).split(np.zeros(10)))


def test_cross_val_score_matches_sklearn():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = X @ [1.0, -2.0, 0.5] + rng.normal(size=60)
    folds = list(KFold(5, shuffle=True, random_state=0).split(X))
    ours = cross_val_score(Ridge(1.0), X, y, cv=KFold(5, shuffle=True, random_state=0))
    ref = skms.cross_val_score(sk.Ridge(alpha=1.0), X, y, cv=folds)
    np.testing.assert_allclose(ours, ref, rtol=1e-10)
    np.testing.assert_allclose(cross_val_score(Ridge(1.0), X, y, cv=5),
                               skms.cross_val_score(sk.Ridge(alpha=1.0), X, y, cv=skms.KFold(5)), rtol=1e-10)


def test_cross_val_score_clones_and_accepts_scoring():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 2))
    y = (X[:, 0] + 0.5 * rng.normal(size=80) > 0).astype(int)
    est = LogisticRegression()
    scores = cross_val_score(est, X, y, cv=4, scoring=lambda m, A, b: float(np.mean(m.predict(A) == b)))
    assert scores.shape == (4,) and not hasattr(est, "coef_")   # the original stays unfitted
    np.testing.assert_allclose(scores, cross_val_score(est, X, y, cv=4))
    with pytest.raises(ValueError, match="rows"):
        cross_val_score(est, X, y[:-1])


def test_learning_curve_shapes_and_trend():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(120, 5))
    y = X @ rng.normal(size=5) + 0.5 * rng.normal(size=120)
    sizes, tr, va = learning_curve(Ridge(1e-3), X, y, [8, 30, 90], cv=4)
    assert tr.shape == va.shape == (3, 4)
    assert va[-1].mean() > va[0].mean()
    with pytest.raises(ValueError, match="train_sizes"):
        learning_curve(Ridge(), X, y, [500], cv=4)
    with pytest.raises(ValueError, match="rows"):
        learning_curve(Ridge(), X, y[:-1], [8, 30], cv=4)

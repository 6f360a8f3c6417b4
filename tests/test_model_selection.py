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


def test_stratified_kfold_warns_about_a_class_smaller_than_n_splits_as_sklearn():
    y = np.r_[np.zeros(10), np.ones(3)]
    X = np.zeros((13, 1))
    with pytest.warns(UserWarning, match="least populated class in y has only 3 members"):
        ours = list(StratifiedKFold(5).split(X, y))
    with pytest.warns(UserWarning, match="least populated class in y has only 3 members"):
        list(skms.StratifiedKFold(5).split(X, y))
    assert len(ours) == 5 and sorted(np.concatenate([te for _, te in ours]).tolist()) == list(range(13))


def test_stratified_kfold_refuses_when_every_class_is_smaller_than_n_splits():
    y = np.array([0, 0, 1, 1, 2, 2])
    X = np.zeros((6, 1))
    with pytest.raises(ValueError, match="cannot be greater than the number of members in each class"):
        list(StratifiedKFold(3).split(X, y))
    with pytest.raises(ValueError, match="cannot be greater than the number of members in each class"):
        list(skms.StratifiedKFold(3).split(X, y))


def test_learning_curve_matches_sklearn_on_the_same_folds():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(90, 4))
    y = X @ rng.normal(size=4) + 0.3 * rng.normal(size=90)
    folds = list(KFold(3, shuffle=True, random_state=1).split(X))
    sizes = [10, 25, 60]
    _, tr, va = learning_curve(Ridge(0.5), X, y, sizes, cv=folds)
    ref_sizes, ref_tr, ref_va = skms.learning_curve(sk.Ridge(alpha=0.5), X, y, train_sizes=sizes, cv=folds)
    np.testing.assert_array_equal(ref_sizes, sizes)
    np.testing.assert_allclose(tr, ref_tr, rtol=1e-10)
    np.testing.assert_allclose(va, ref_va, rtol=1e-10)


def test_learning_curve_shuffle_draws_the_prefixes_at_random():
    # rows sorted by x; the "score" on the training prefix is the mean x of its rows
    X = np.arange(100.0)[:, None]
    y = X[:, 0].copy()
    cv, sizes = KFold(4), [10, 40]
    mean_x = lambda m, A, b: float(A[:, 0].mean())
    _, tr0, _ = learning_curve(Ridge(), X, y, sizes, cv=cv, scoring=mean_x)
    _, tr1, _ = learning_curve(Ridge(), X, y, sizes, cv=cv, scoring=mean_x, shuffle=True, random_state=0)
    _, tr2, _ = learning_curve(Ridge(), X, y, sizes, cv=cv, scoring=mean_x, shuffle=True, random_state=0)
    np.testing.assert_array_equal(tr1, tr2)                       # reproducible
    for j, (train, _) in enumerate(cv.split(X)):
        assert tr0[0, j] == X[train[:10], 0].mean()               # unshuffled: the first 10 rows of the part
    rng = np.random.default_rng(0)                                # shuffled: one generator, in fold order
    for j, (train, _) in enumerate(cv.split(X)):
        perm = rng.permutation(train)
        np.testing.assert_allclose(tr1[:, j], [X[perm[:m], 0].mean() for m in sizes], rtol=1e-15)
    assert not np.array_equal(tr0, tr1)
    with pytest.raises(ValueError, match="shuffle=True"):
        learning_curve(Ridge(), X, y, sizes, cv=cv, random_state=0)

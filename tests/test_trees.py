"""mlbook.trees against scikit-learn: impurities, trees, pruning path, forests, boosting."""
import numpy as np
import pytest
import sklearn.ensemble as ske
import sklearn.inspection as ski
import sklearn.tree as skt
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine

import mlbook.trees as T


def continuous_data(seed, n=300, p=5, task="classification"):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))  # continuous: no ties
    if task == "classification":
        y = (X[:, 0] + np.sin(2 * X[:, 1]) + 0.3 * rng.normal(size=n) > 0).astype(int)
    else:
        y = X[:, 0] ** 2 + np.sin(2 * X[:, 1]) + 0.1 * rng.normal(size=n)
    return X, y


# ---- impurity ---------------------------------------------------------------------------
def test_worked_example_information_gain():
    y = np.array([1] * 5 + [0] * 5)
    a = np.array(["l"] * 4 + ["r"] + ["l"] + ["r"] * 4)  # children (4:1) and (1:4)
    assert T.entropy(y) == pytest.approx(1.0)
    assert T.entropy([1, 1, 1, 1, 0]) == pytest.approx(0.7219280948873623, abs=1e-12)
    assert T.information_gain(a, y) == pytest.approx(1 - 0.7219280948873623, abs=1e-12)
    assert T.gain_ratio(a, y) == pytest.approx((1 - 0.7219280948873623) / 1.0, abs=1e-12)


@pytest.mark.parametrize("C", [2, 3, 5, 10])
def test_gini_and_entropy_maxima(C):
    y = np.arange(C).repeat(3)
    assert T.gini(y) == pytest.approx(1 - 1 / C, abs=1e-12)
    assert T.entropy(y) == pytest.approx(np.log2(C), abs=1e-12)
    assert T.misclassification_error(y) == pytest.approx(1 - 1 / C, abs=1e-12)
    assert T.gini([4] * 7) == 0.0 and T.entropy(["a"] * 7) == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_information_gain_is_mutual_information(seed):
    from sklearn.metrics import mutual_info_score
    rng = np.random.default_rng(seed)
    a, y = rng.integers(0, 4, 200), rng.integers(0, 3, 200)
    assert T.information_gain(a, y) == pytest.approx(mutual_info_score(a, y) / np.log(2), abs=1e-10)
    assert T.gain_ratio(a, y) == pytest.approx(T.information_gain(a, y) / T.entropy(a), abs=1e-12)


def test_impurity_from_counts_batched():
    counts = np.array([[[5, 5], [10, 0]], [[3, 1], [0, 0]]])
    np.testing.assert_allclose(T.impurity_from_counts(counts, "gini"), [[0.5, 0.0], [0.375, 0.0]], atol=1e-12)
    with pytest.raises(ValueError, match="criterion"):
        T.impurity_from_counts(counts, "bogus")


@pytest.mark.parametrize("bad", [np.array([]), np.array([[1, 2]]), np.array([1.0, np.nan])])
def test_impurity_refuses_bad_labels(bad):
    with pytest.raises(ValueError):
        T.entropy(bad)


def test_information_gain_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="different lengths"):
        T.information_gain([1, 2, 3], [0, 1])


# ---- single trees -----------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_tree_equals_sklearn_without_ties(seed, criterion):
    X, y = continuous_data(seed)
    Xt, _ = continuous_data(seed + 100)
    ours = T.DecisionTreeClassifier(criterion=criterion, max_depth=3, min_samples_leaf=8).fit(X, y)
    ref = skt.DecisionTreeClassifier(criterion=criterion, max_depth=3, min_samples_leaf=8, random_state=0).fit(X, y)
    assert ours.tree_.feature[0] == ref.tree_.feature[0]
    assert ours.tree_.threshold[0] == pytest.approx(ref.tree_.threshold[0], abs=1e-6)  # sklearn: float32
    np.testing.assert_array_equal(ours.predict(Xt), ref.predict(Xt))


@pytest.mark.parametrize("seed", [0, 1])
def test_fully_grown_gini_tree(seed):
    X, y = continuous_data(seed, n=200)
    Xt, _ = continuous_data(seed + 100, n=200)
    ours = T.DecisionTreeClassifier().fit(X, y)
    ref = skt.DecisionTreeClassifier(random_state=0).fit(X, y)
    assert ours.tree_.feature[0] == ref.tree_.feature[0]
    assert ours.tree_.threshold[0] == pytest.approx(ref.tree_.threshold[0], abs=1e-6)
    np.testing.assert_array_equal(ours.predict(X), y)  # a fully grown tree fits its training set
    # deep down, equally good splits (ties) may be broken differently: the trees agree almost everywhere
    assert np.mean(ours.predict(Xt) == ref.predict(Xt)) > 0.9
    assert abs(ours.get_n_leaves() - ref.get_n_leaves()) <= 0.1 * ref.get_n_leaves()


def naive_best_gain(X, y, criterion, min_leaf):
    """Every feature, every midpoint, one at a time: the best impurity decrease."""
    best = -np.inf
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        for thr in (values[:-1] + values[1:]) / 2:
            left = X[:, j] <= thr
            if min(left.sum(), (~left).sum()) < min_leaf:
                continue
            imp = T.gini if criterion == "gini" else T.entropy
            gain = imp(y) - left.mean() * imp(y[left]) - (1 - left.mean()) * imp(y[~left])
            best = max(best, gain)
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("min_leaf", [1, 5])
def test_vectorised_split_equals_naive_loop(seed, criterion, min_leaf):
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(40, 3)), 1)  # rounded: ties in x are handled too
    y = rng.integers(0, 3, 40)
    stats = np.eye(3)[y]
    col, thr, gain = T.best_split(X, stats, "classification", criterion, min_leaf)
    assert gain == pytest.approx(naive_best_gain(X, y, criterion, min_leaf), abs=1e-12)
    left = X[:, col] <= thr
    imp = T.gini if criterion == "gini" else T.entropy
    assert gain == pytest.approx(imp(y) - left.mean() * imp(y[left]) - (1 - left.mean()) * imp(y[~left]), abs=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("depth", [1, 3, None])
def test_regression_tree_equals_sklearn(seed, depth):
    X, y = continuous_data(seed, task="regression")
    Xt, _ = continuous_data(seed + 50, task="regression")
    ours = T.DecisionTreeRegressor(max_depth=depth, min_samples_leaf=8).fit(X, y)
    ref = skt.DecisionTreeRegressor(max_depth=depth, min_samples_leaf=8, random_state=0).fit(X, y)
    np.testing.assert_allclose(ours.predict(Xt), ref.predict(Xt), atol=1e-9)
    assert ours.get_n_leaves() == ref.get_n_leaves()


def test_leaf_values_are_means_and_min_samples_leaf():
    X, y = continuous_data(0, task="regression")
    m = T.DecisionTreeRegressor(max_depth=3, min_samples_leaf=20).fit(X, y)
    leaf = m.apply(X)
    for t in np.unique(leaf):
        assert (leaf == t).sum() >= 20
        assert m.predict(X[leaf == t][:1])[0] == pytest.approx(y[leaf == t].mean(), abs=1e-10)


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_cost_complexity_path_matches_sklearn(task):
    X, y = load_breast_cancer(return_X_y=True) if task == "classification" else continuous_data(3, task="regression")
    ours = T.DecisionTreeClassifier() if task == "classification" else T.DecisionTreeRegressor(min_samples_leaf=5)
    ref = skt.DecisionTreeClassifier(random_state=0) if task == "classification" else \
        skt.DecisionTreeRegressor(min_samples_leaf=5, random_state=0)
    p, q = ours.cost_complexity_pruning_path(X, y), ref.cost_complexity_pruning_path(X, y)
    np.testing.assert_allclose(p["ccp_alphas"], q.ccp_alphas, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(p["impurities"], q.impurities, rtol=1e-6, atol=1e-10)
    k = len(q.ccp_alphas) // 2
    alpha = (q.ccp_alphas[k] + q.ccp_alphas[k + 1]) / 2  # between two steps of the path
    a = clone(ours).set_params(ccp_alpha=alpha).fit(X, y)
    b = clone(ref).set_params(ccp_alpha=alpha).fit(X, y)
    assert a.get_n_leaves() == b.get_n_leaves()


def test_gain_ratio_tree_and_sample_weight():
    X, y = continuous_data(1)
    m = T.DecisionTreeClassifier(criterion="gain_ratio", max_depth=5).fit(X, y)
    assert m.score(X, y) > 0.85
    # integer weights = repeated rows
    w = np.random.default_rng(0).integers(1, 4, size=len(y))
    a = T.DecisionTreeClassifier(max_depth=3).fit(X, y, sample_weight=w)
    b = T.DecisionTreeClassifier(max_depth=3).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-12)


def test_string_labels():
    X, y = continuous_data(0)
    labels = np.array(["no", "yes"])[y]
    m = T.DecisionTreeClassifier(max_depth=2).fit(X, labels)
    assert set(m.predict(X)) <= {"no", "yes"}


@pytest.mark.parametrize("params, err", [
    (dict(max_depth=0), ValueError), (dict(max_depth=2.5), TypeError), (dict(max_depth=True), TypeError),
    (dict(min_samples_split=1), ValueError), (dict(min_samples_leaf=0), ValueError),
    (dict(ccp_alpha=-1.0), ValueError), (dict(ccp_alpha=np.inf), ValueError), (dict(ccp_alpha="0"), TypeError),
    (dict(criterion="log"), ValueError), (dict(max_features="all"), ValueError), (dict(max_features=0.0), ValueError)])
def test_tree_refuses_bad_hyper_parameters(params, err):
    X, y = continuous_data(0)
    with pytest.raises(err, match=next(iter(params))):
        T.DecisionTreeClassifier(**params).fit(X, y)


@pytest.mark.parametrize("Est, params, err", [
    (T.RandomForestClassifier, dict(n_estimators=0), ValueError),
    (T.RandomForestClassifier, dict(n_estimators=2.0), TypeError),
    (T.GradientBoostingRegressor, dict(n_estimators=0), ValueError),
    (T.GradientBoostingClassifier, dict(max_depth=1.5), TypeError),
    (T.AdaBoostClassifier, dict(learning_rate=-0.1), ValueError)])
def test_ensembles_refuse_bad_hyper_parameters(Est, params, err):
    X, y = continuous_data(0, n=60)
    with pytest.raises(err, match=next(iter(params))):
        Est(**params).fit(X, y)


def test_boosting_classifiers_refuse_a_single_class():
    X, _ = continuous_data(0, n=30)
    for Est in (T.AdaBoostClassifier, T.GradientBoostingClassifier):
        with pytest.raises(ValueError, match="single class"):
            Est(n_estimators=2).fit(X, np.zeros(30, dtype=int))


@pytest.mark.parametrize("Est", [T.DecisionTreeClassifier, T.DecisionTreeRegressor, T.RandomForestClassifier,
                                 T.RandomForestRegressor, T.AdaBoostClassifier, T.GradientBoostingRegressor,
                                 T.GradientBoostingClassifier])
def test_bad_input_refused(Est):
    X, y = continuous_data(0, n=60)
    est = Est(n_estimators=3) if "n_estimators" in Est().get_params() else Est()
    with pytest.raises(NotFittedError, match="not fitted"):
        est.predict(X)
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clone(est).fit(Xn, y)
    with pytest.raises(ValueError, match="different numbers of samples"):
        clone(est).fit(X, y[:-1])
    est.fit(X, y)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :3])


# ---- ensembles ----------------------------------------------------------------------------
def test_bootstrap_leaves_out_about_one_over_e():
    rng = np.random.default_rng(0)
    frac = np.mean([T.bootstrap_indices(1000, rng)[1].size / 1000 for _ in range(200)])
    assert frac == pytest.approx((1 - 1 / 1000) ** 1000, abs=0.005)


@pytest.mark.parametrize("name", ["breast_cancer", "wine"])
def test_random_forest_classifier_close_to_sklearn(name):
    X, y = (load_breast_cancer if name == "breast_cancer" else load_wine)(return_X_y=True)
    ours = T.RandomForestClassifier(30, oob_score=True, random_state=0).fit(X, y)
    ref = ske.RandomForestClassifier(30, oob_score=True, random_state=0).fit(X, y)
    assert abs(ours.oob_score_ - ref.oob_score_) < 0.05
    assert ours.feature_importances_.sum() == pytest.approx(1.0)
    assert np.argmax(ours.feature_importances_) in np.argsort(ref.feature_importances_)[-5:]
    np.testing.assert_allclose(ours.predict_proba(X).sum(axis=1), 1.0)


def test_random_forest_regressor_and_determinism():
    X, y = load_diabetes(return_X_y=True)
    a = T.RandomForestRegressor(20, random_state=1, oob_score=True).fit(X, y)
    b = T.RandomForestRegressor(20, random_state=1, oob_score=True).fit(X, y)
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    ref = ske.RandomForestRegressor(20, random_state=1, oob_score=True).fit(X, y)
    assert abs(a.oob_score_ - ref.oob_score_) < 0.08
    with pytest.raises(ValueError, match="bootstrap"):
        T.RandomForestRegressor(5, bootstrap=False, oob_score=True).fit(X, y)
    with pytest.raises(ValueError, match="n_estimators"):
        T.RandomForestRegressor(0).fit(X, y)


def test_permutation_importance_matches_sklearn_definition():
    X, y = continuous_data(0, n=200)
    m = T.DecisionTreeClassifier(max_depth=4).fit(X, y)
    ours = T.permutation_importance(m, X, y, n_repeats=20, random_state=0)
    ref = ski.permutation_importance(m, X, y, n_repeats=20, random_state=0)
    np.testing.assert_allclose(ours["importances_mean"], ref.importances_mean, atol=0.03)
    assert set(np.argsort(ours["importances_mean"])[-2:]) == {0, 1}
    with pytest.raises(ValueError, match="n_repeats"):
        T.permutation_importance(m, X, y, n_repeats=0)


def test_adaboost_matches_sklearn():
    X, y = load_breast_cancer(return_X_y=True)
    ours = T.AdaBoostClassifier(n_estimators=20).fit(X, y)
    ref = ske.AdaBoostClassifier(n_estimators=20, random_state=0).fit(X, y)
    # the first stump and its error are the same; sklearn's SAMME weight is 2 alpha for two classes
    assert ours.estimator_errors_[0] == pytest.approx(ref.estimator_errors_[0], abs=1e-9)
    assert 2 * ours.estimator_weights_[0] == pytest.approx(ref.estimator_weights_[0], rel=1e-9)
    assert abs(ours.score(X, y) - ref.score(X, y)) < 0.02
    eps = ours.estimator_errors_[0]
    assert ours.estimator_weights_[0] == pytest.approx(0.5 * np.log((1 - eps) / eps))
    np.testing.assert_allclose(ours.feature_importances_.sum(), 1.0)
    assert np.argmax(ours.feature_importances_) == np.argmax(ref.feature_importances_)


def test_adaboost_multiclass_and_staging():
    X, y = load_wine(return_X_y=True)
    m = T.AdaBoostClassifier(n_estimators=30).fit(X, y)
    staged = list(m.staged_predict(X))
    np.testing.assert_array_equal(staged[-1], m.predict(X))
    assert m.score(X, y) > 0.9
    with pytest.raises(ValueError, match="learning_rate"):
        T.AdaBoostClassifier(learning_rate=0).fit(X, y)


def test_gradient_boosting_worked_example():
    X = np.array([[1.0], [2.0], [3.0]])
    y = np.array([5.0, 7.0, 9.0])
    m = T.GradientBoostingRegressor(n_estimators=1, learning_rate=1.0, max_depth=2).fit(X, y)
    assert m.init_ == 7.0
    np.testing.assert_allclose(m.estimators_[0].predict(X), [-2.0, 0.0, 2.0])  # the residuals
    np.testing.assert_allclose(m.predict(X), y)


@pytest.mark.parametrize("seed", [0, 1])
def test_gradient_boosting_regressor_equals_sklearn(seed):
    X, y = continuous_data(seed, task="regression")
    ours = T.GradientBoostingRegressor(n_estimators=30, max_depth=2).fit(X, y)
    ref = ske.GradientBoostingRegressor(n_estimators=30, max_depth=2, random_state=0).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), atol=1e-6)
    np.testing.assert_allclose(ours.train_score_, ref.train_score_, rtol=1e-6)


@pytest.mark.parametrize("name", ["binary", "wine"])
def test_gradient_boosting_classifier_close_to_sklearn(name):
    X, y = continuous_data(2) if name == "binary" else load_wine(return_X_y=True)
    ours = T.GradientBoostingClassifier(n_estimators=20, max_depth=2).fit(X, y)
    ref = ske.GradientBoostingClassifier(n_estimators=20, max_depth=2, random_state=0).fit(X, y)
    diff = np.abs(ours.predict_proba(X) - ref.predict_proba(X)).max()
    assert diff < (1e-6 if name == "binary" else 0.2)
    assert abs(ours.score(X, y) - ref.score(X, y)) < 0.03


def test_second_order_formulas():
    rng = np.random.default_rng(0)
    y, F = rng.normal(size=10), np.zeros(10)
    g, h = F - y, np.ones(10)  # squared loss: g = F - y, h = 1
    assert T.second_order_leaf_weight(g, h, reg_lambda=0.0) == pytest.approx(y.mean())
    assert T.second_order_leaf_weight(g, h, reg_lambda=2.0) == pytest.approx(y.sum() / 12)
    L, R = slice(0, 4), slice(4, 10)
    sse = lambda v: np.sum((v - v.mean()) ** 2)
    gain = T.second_order_split_gain(g[L], h[L], g[R], h[R], reg_lambda=0.0)
    assert gain == pytest.approx(0.5 * (sse(y) - sse(y[L]) - sse(y[R])))
    with pytest.raises(ValueError):
        T.second_order_split_gain(g[L], h[L], g[R], h[R], gamma=-1.0)
    with pytest.raises(ValueError, match="same shape"):
        T.second_order_leaf_weight(g, h[:3])


# ---- smaller pieces of the API -------------------------------------------------------------
def test_conditional_entropy_and_split_information():
    a = np.array(["x", "x", "y", "y"])
    y = np.array([0, 1, 0, 0])
    assert T.conditional_entropy(a, y) == pytest.approx(0.5)  # (1/2) * H(1/2) + (1/2) * 0
    assert T.split_information(a) == pytest.approx(1.0)
    assert T.gain_ratio(np.zeros(4), y) == 0.0  # one value: no split, ratio defined as 0


def test_apply_depth_and_staged_predictions():
    X, y = continuous_data(0, task="regression")
    tree = T.DecisionTreeRegressor(max_depth=3).fit(X, y)
    assert tree.get_depth() == 3 and tree.get_n_leaves() <= 8
    assert np.all(tree.tree_.left[tree.apply(X)] == -1)  # every sample lands in a leaf
    gb = T.GradientBoostingRegressor(n_estimators=10).fit(X, y)
    staged = list(gb.staged_predict(X))
    assert len(staged) == 10
    np.testing.assert_allclose(staged[-1], gb.predict(X))
    mse = [np.mean((F - y) ** 2) for F in staged]
    np.testing.assert_allclose(mse, gb.train_score_, rtol=1e-12)
    assert np.all(np.diff(mse) <= 1e-12)  # the training loss never rises


def test_regressor_oob_prediction_shape():
    X, y = continuous_data(1, n=150, task="regression")
    f = T.RandomForestRegressor(25, oob_score=True, random_state=0).fit(X, y)
    assert f.oob_prediction_.shape == (150,) and 0.3 < f.oob_score_ <= 1.0


def test_plot_helpers_draw():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    X, y = continuous_data(0, p=2)
    clf = T.DecisionTreeClassifier(max_depth=2).fit(X, y)
    ax = T.plot_tree(clf, feature_names=["a", "b"])
    assert len(ax.texts) == clf.tree_.node_count
    ax = T.plot_decision_regions(clf, X, y, resolution=20)
    assert ax.get_xlabel() == "$x_1$"
    T.plot_tree(T.DecisionTreeRegressor(max_depth=2).fit(X, X[:, 0]))
    with pytest.raises(ValueError, match="shape"):
        T.plot_decision_regions(clf, np.c_[X, X], y)
    plt.close("all")


def test_public_grow_tree_is_what_fit_uses():
    X, y = continuous_data(3)
    fitted = T.DecisionTreeClassifier(max_depth=4).fit(X, y)
    grown = T.DecisionTreeClassifier(max_depth=4).grow_tree(X, np.eye(2)[y])
    for name in ("left", "right", "feature", "threshold", "value", "impurity", "n_samples"):
        np.testing.assert_array_equal(getattr(grown, name), getattr(fitted.tree_, name))
    ref = skt.DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y)
    np.testing.assert_array_equal(grown.feature, ref.tree_.feature.clip(-1))


def test_public_fit_bootstrap_trees_returns_out_of_bag_rows():
    X, y = continuous_data(4, n=200)
    forest = T.RandomForestClassifier(10, random_state=0)
    oob_sets = forest.fit_bootstrap_trees(X, y)
    assert len(oob_sets) == len(forest.estimators_) == 10
    for tree, oob in zip(forest.estimators_, oob_sets):
        assert tree.tree_.n_samples[0] == 200 - oob.size  # the tree saw every drawn row, once each
        assert 0.25 < oob.size / 200 < 0.5
    no_bootstrap = T.RandomForestClassifier(3, bootstrap=False, random_state=0)
    assert all(o.size == 0 for o in no_bootstrap.fit_bootstrap_trees(X, y))


# ---- review fixes (chapter 6 review, section 7) ----------------------------------------------
def test_zero_weight_rows_never_make_a_child():
    """7.1: a split is admissible only if both sides carry positive weight."""
    X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    y, w = np.array([10.0, 0.0, 0.0, 5.0, 5.0]), np.array([0.0, 1.0, 1.0, 1.0, 1.0])
    pred = T.DecisionTreeRegressor().fit(X, y, sample_weight=w).predict(X)
    assert np.all(np.isfinite(pred))
    np.testing.assert_allclose(pred[1:], y[1:])
    yc = y - np.average(y, weights=w)  # the statistics grow_tree hands to best_split
    col, thr, gain = T.best_split(X, np.column_stack([w, w * yc, w * yc * yc]), "regression", "gini", 1)
    assert np.isfinite(gain) and thr == 3.5  # not the split isolating the zero-weight row (gain 0/0)
    assert gain == pytest.approx(np.var(y[1:]))  # the SSE decrease per unit weight: all of it
    # classification: the weighted node is pure, so every cut gains 0; the first one (x <= 1.5)
    # would put only the zero-weight row on the left, an empty child
    stats = np.eye(2)[[0, 1, 1, 1, 1]] * w[:, None]
    col, thr, gain = T.best_split(X, stats, "classification", "gini", 1)
    assert thr == 2.5 and gain == 0.0
    assert T.DecisionTreeClassifier().fit(X, [0, 1, 1, 1, 1], sample_weight=w).get_n_leaves() == 1


def test_deep_tree_has_no_recursion_limit():
    """7.2: labels alternating along one feature; scikit-learn builds the tree at depth n - 1."""
    n = 2400
    X, y = np.arange(n, dtype=float)[:, None], np.arange(n) % 2
    ours = T.DecisionTreeClassifier().fit(X, y)
    ref = skt.DecisionTreeClassifier(random_state=0).fit(X, y)
    assert ours.get_depth() == ref.get_depth() == n - 1
    assert ours.get_n_leaves() == ref.get_n_leaves() == n
    np.testing.assert_array_equal(ours.predict(X), y)
    pruned = T.DecisionTreeClassifier(ccp_alpha=1e-9).fit(X, y)  # the pruning copy walks it too
    assert pruned.get_depth() == n - 1
    t = ours.tree_
    assert max(t.depth(t.left[0]), t.depth(t.right[0])) == n - 2  # depth of a subtree


def test_plot_tree_draws_a_deep_tree():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    n = 1100  # depth 1099: deeper than Python's default recursion limit of 1000
    X, y = np.arange(n, dtype=float)[:, None], np.arange(n) % 2
    m = T.DecisionTreeClassifier().fit(X, y)
    ax = T.plot_tree(m)
    assert len(ax.texts) == m.tree_.node_count and ax.get_ylim()[0] == pytest.approx(-(n - 1) - 0.6)
    plt.close("all")


def test_gain_ratio_uses_weighted_split_information():
    """7.3: integer weights act as repeated rows for the gain ratio as well."""
    X, y = continuous_data(1, n=120)
    w = np.random.default_rng(3).integers(1, 5, size=len(y))
    a = T.DecisionTreeClassifier(criterion="gain_ratio", max_depth=4).fit(X, y, sample_weight=w)
    b = T.DecisionTreeClassifier(criterion="gain_ratio", max_depth=4).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_array_equal(a.tree_.feature, b.tree_.feature)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-12)
    # by hand: x = 1..4, y = (0, 0, 1, 1), weights (3, 1, 1, 1); the cut 2|3 is pure
    Xs, ys, ws = np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([0, 0, 1, 1]), np.array([3.0, 1, 1, 1])
    gains, ratios = [], []
    for i in (1, 2, 3):  # cut after the i-th row
        wl, wr = ws[:i].sum(), ws[i:].sum()
        child = lambda s: T.impurity_from_counts(np.bincount(ys[s], weights=ws[s], minlength=2))
        g = T.impurity_from_counts(np.bincount(ys, weights=ws)) - (wl * child(slice(0, i)) + wr * child(slice(i, 4))) / 6
        p = wl / 6
        gains.append(g)
        ratios.append(g / -(p * np.log2(p) + (1 - p) * np.log2(1 - p)))
    gains, ratios = np.array(gains), np.where(np.array(gains) >= np.mean(gains), ratios, -np.inf)
    col, thr, gain = T.best_split(Xs, np.eye(2)[ys] * ws[:, None], "classification", "gain_ratio", 1)
    assert thr == [1.5, 2.5, 3.5][int(np.argmax(ratios))] == 2.5 and gain == pytest.approx(gains[1])


@pytest.mark.parametrize("kind", ["regressor", "classifier"])
def test_gradient_boosting_importances_equal_sklearn(kind):
    """7.4: compared with sklearn.ensemble directly, on data where both grow the same trees
    (continuous features, no ties; the test checks that every tree splits alike first)."""
    X, y = continuous_data(0, task="regression" if kind == "regressor" else "classification")
    Ours, Ref = ((T.GradientBoostingRegressor, ske.GradientBoostingRegressor) if kind == "regressor"
                 else (T.GradientBoostingClassifier, ske.GradientBoostingClassifier))
    ours = Ours(n_estimators=15, max_depth=2).fit(X, y)
    ref = Ref(n_estimators=15, max_depth=2, random_state=0).fit(X, y)
    for a, b in zip(ours.estimators_, ref.estimators_):
        a, b = np.atleast_1d(a)[0].tree_, b[0].tree_
        np.testing.assert_array_equal(a.feature, b.feature.clip(-1))
        np.testing.assert_allclose(a.threshold[a.feature >= 0], b.threshold[b.feature >= 0], rtol=1e-6)
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, rtol=1e-6, atol=1e-9)
    # not the mean of the per-tree normalised importances (the old rule)
    per_tree = np.mean([t.feature_importances_ for t in ours.estimators_ for t in np.atleast_1d(t)], axis=0)
    assert np.abs(per_tree / per_tree.sum() - ours.feature_importances_).max() > 1e-3


def test_gradient_boosting_single_node_trees_are_skipped():
    X = np.arange(8.0)[:, None]
    gb = T.GradientBoostingRegressor(n_estimators=3, max_depth=1).fit(X, np.zeros(8))
    np.testing.assert_array_equal(gb.feature_importances_, [0.0])  # every tree is one leaf


@pytest.mark.parametrize("name", ["binary", "wine"])
def test_gradient_boosting_classifier_trees_hold_the_newton_values(name):
    """7.5: estimators_[m][k].predict gives the values the model adds."""
    X, y = continuous_data(2) if name == "binary" else load_wine(return_X_y=True)
    gbc = T.GradientBoostingClassifier(n_estimators=5, max_depth=2, learning_rate=0.3).fit(X, y)
    F = np.tile(gbc.init_, (len(X), 1))
    for m, stage in enumerate(gbc.estimators_):
        for k, h in enumerate(stage):
            F[:, k] += 0.3 * h.predict(X)
    np.testing.assert_allclose(gbc._proba(F), gbc.predict_proba(X), rtol=1e-12)
    if name == "binary":  # the same trees as scikit-learn's, which writes the Newton values too
        ref = ske.GradientBoostingClassifier(n_estimators=5, max_depth=2, learning_rate=0.3, random_state=0).fit(X, y)
        for m in range(5):
            np.testing.assert_allclose(gbc.estimators_[m][0].predict(X), ref.estimators_[m, 0].predict(X), rtol=1e-7)


@pytest.mark.parametrize("depth", [2, None])
def test_regression_tree_value_holds_the_real_means(depth):
    """7.6: tree_.value holds the real means, as scikit-learn's tree_.value."""
    X, y = continuous_data(5, task="regression")
    y = y + 100.0  # a large offset
    ours = T.DecisionTreeRegressor(max_depth=depth, min_samples_leaf=5).fit(X, y)
    ref = skt.DecisionTreeRegressor(max_depth=depth, min_samples_leaf=5, random_state=0).fit(X, y)
    np.testing.assert_allclose(ours.tree_.value[:, 0], ref.tree_.value[:, 0, 0], rtol=1e-10)
    np.testing.assert_allclose(ours.tree_.value[ours.apply(X), 0], ours.predict(X), rtol=0)
    assert ours.tree_.value[0, 0] == pytest.approx(y.mean())


def test_pruning_path_and_permutation_importance_are_bunches():
    """7.7: attribute access, as scikit-learn, and key access, as the notebooks use."""
    from sklearn.utils import Bunch
    X, y = continuous_data(0, n=150)
    path = T.DecisionTreeClassifier().cost_complexity_pruning_path(X, y)
    assert isinstance(path, Bunch) and path.ccp_alphas is path["ccp_alphas"] and path.impurities is path["impurities"]
    m = T.DecisionTreeClassifier(max_depth=3).fit(X, y)
    perm = T.permutation_importance(m, X, y, n_repeats=3, random_state=0)
    assert isinstance(perm, Bunch) and perm.importances.shape == (5, 3)
    assert perm.importances_mean is perm["importances_mean"] and perm.importances_std is perm["importances_std"]


@pytest.mark.parametrize("n_estimators", [1, 3, 6])
def test_adaboost_predict_proba_equals_sklearn(n_estimators):
    """7.7: the stumps and errors agree with scikit-learn's SAMME for the first rounds here."""
    X, y = load_breast_cancer(return_X_y=True)
    ours = T.AdaBoostClassifier(n_estimators=n_estimators).fit(X, y)
    ref = ske.AdaBoostClassifier(n_estimators=n_estimators, random_state=0).fit(X, y)
    np.testing.assert_allclose(ours.estimator_errors_, ref.estimator_errors_, rtol=1e-8)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-8, atol=1e-12)
    np.testing.assert_array_equal(ours.classes_[ours.predict_proba(X).argmax(axis=1)], ours.predict(X))


def test_adaboost_predict_proba_multiclass_formula_and_soft_voting():
    from sklearn.ensemble import VotingClassifier
    X, y = load_wine(return_X_y=True)
    m = T.AdaBoostClassifier(n_estimators=10).fit(X, y)
    C = 3
    votes = np.zeros((len(X), C))
    for h, a in zip(m.estimators_, m.estimator_weights_):
        votes[np.arange(len(X)), h.predict(X)] += a
    f = (C * votes / m.estimator_weights_.sum() - 1) / (C - 1)  # symmetric SAMME scores
    p = np.exp(f / (C - 1))
    np.testing.assert_allclose(m.predict_proba(X), p / p.sum(axis=1, keepdims=True), rtol=1e-12)
    ref = ske.AdaBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    if np.allclose(ref.estimator_errors_, m.estimator_errors_, rtol=1e-8):  # the same learners
        np.testing.assert_allclose(m.predict_proba(X), ref.predict_proba(X), rtol=1e-8)
    soft = VotingClassifier([("ada", T.AdaBoostClassifier(n_estimators=10)),
                             ("tree", T.DecisionTreeClassifier(max_depth=3))], voting="soft").fit(X, y)
    assert soft.predict_proba(X).shape == (len(X), 3) and soft.score(X, y) > 0.9


def test_best_split_keeps_its_positional_call_and_refuses_a_bad_task():
    """7.8: the notebooks call best_split(Xs, np.eye(2)[y], "classification", "gini", 1)."""
    X, y = continuous_data(0, n=80)
    col, thr, gain = T.best_split(X, np.eye(2)[y], "classification", "gini", 1)
    assert 0 <= col < 5 and gain > 0
    with pytest.raises(ValueError, match="task"):
        T.best_split(X, np.eye(2)[y], "classify", "gini", 1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_candidate_features_are_the_first_k_varying_ones(seed):
    """7.8: np.ptp runs over the drawn features only, and the draw is the old one."""
    from mlbook.trees.tree import FEATURE_EPS, _BaseTree
    rng = np.random.default_rng(seed)
    Xn = rng.normal(size=(30, 12))
    Xn[:, rng.choice(12, 6, replace=False)] = 1.0  # six constant columns
    for k in (1, 3, 6, 8):
        got = _BaseTree._candidate_features(Xn, k, np.random.default_rng(seed + 10))
        order = np.random.default_rng(seed + 10).permutation(12)
        varying = order[np.ptp(Xn[:, order], axis=0) > FEATURE_EPS]
        np.testing.assert_array_equal(got, varying[:k])
    m = T.DecisionTreeClassifier(max_features=3, random_state=0).fit(Xn, (Xn[:, 0] > 0).astype(int))
    assert m.score(Xn, (Xn[:, 0] > 0).astype(int)) == 1.0


def _play_tennis():
    outlook = "sunny sunny overcast rain rain rain overcast sunny sunny rain sunny overcast overcast rain".split()
    temperature = "hot hot hot mild cool cool cool mild cool mild mild mild hot mild".split()
    humidity = "high high high high normal normal normal high normal normal normal high normal high".split()
    wind = "weak strong weak weak weak strong strong weak weak weak strong strong weak strong".split()
    play = "no no yes yes yes no yes no yes yes yes yes yes no".split()
    return {"outlook": outlook, "temperature": temperature, "humidity": humidity, "wind": wind}, play


def test_id3_grows_quinlans_play_tennis_tree_and_predicts_it():
    columns, play = _play_tennis()
    tree = T.id3_tree(columns, play)
    assert tree == {"outlook": {"overcast": "yes", "rain": {"wind": {"strong": "no", "weak": "yes"}},
                                "sunny": {"humidity": {"high": "no", "normal": "yes"}}}}  # Quinlan (1986), Fig. 2
    np.testing.assert_array_equal(T.id3_predict(tree, columns), play)
    # with outlook withheld, the root is humidity, the next best gain (0.152 bits)
    assert next(iter(T.id3_tree(columns, play, ["temperature", "humidity", "wind"]))) == "humidity"
    assert T.id3_tree({"a": [1, 2, 3]}, [0, 0, 0]) == 0          # a pure node is a leaf
    assert T.id3_tree({"a": [1, 1, 1, 1]}, [0, 1, 1, 0]) == 0     # no useful feature left: majority, tie -> smallest


def test_id3_refuses_bad_input():
    columns, play = _play_tennis()
    with pytest.raises(ValueError, match="same length"):
        T.id3_tree(columns, play[:-1])
    with pytest.raises(ValueError, match="unknown features"):
        T.id3_tree(columns, play, ["colour"])
    with pytest.raises(ValueError, match="no branch"):
        T.id3_predict(T.id3_tree(columns, play), {**columns, "outlook": ["fog"] * 14})
    with pytest.raises(ValueError, match="mapping"):
        T.id3_tree([1, 2], [0, 1])

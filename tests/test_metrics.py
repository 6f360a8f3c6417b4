"""mlbook.metrics against sklearn.metrics."""
import numpy as np
import pytest
import sklearn.metrics as skm

from mlbook import metrics as M


def labels(n, seed, k=2):
    rng = np.random.default_rng(seed)
    return rng.integers(0, k, n), rng.integers(0, k, n)


@pytest.mark.parametrize("n,k,seed", [(10, 2, 0), (100, 3, 1), (57, 5, 2)])
def test_confusion_matrix_and_accuracy(n, k, seed):
    t, p = labels(n, seed, k)
    np.testing.assert_array_equal(M.confusion_matrix(t, p), skm.confusion_matrix(t, p))
    np.testing.assert_array_equal(M.confusion_matrix(t, p, labels=[2, 0, 1]),
                                  skm.confusion_matrix(t, p, labels=[2, 0, 1]))
    assert M.accuracy_score(t, p) == pytest.approx(skm.accuracy_score(t, p), abs=1e-15)


def test_confusion_matrix_string_labels():
    t, p = ["cat", "dog", "dog", "cat"], ["dog", "dog", "cat", "cat"]
    np.testing.assert_array_equal(M.confusion_matrix(t, p), skm.confusion_matrix(t, p))


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("pos_label", [0, 1])
def test_precision_recall_f1(seed, pos_label):
    t, p = labels(40, seed)
    ours = M.precision_recall_f1(t, p, pos_label=pos_label)
    ref = skm.precision_recall_fscore_support(t, p, average="binary", pos_label=pos_label, zero_division=0)[:3]
    np.testing.assert_allclose(ours, ref, atol=1e-15)
    assert isinstance(ours, tuple) and len(ours) == 3


def test_precision_with_no_positive_prediction_is_zero():
    assert M.precision_recall_f1([1, 0, 1], [0, 0, 0]) == (0.0, 0.0, 0.0)


def scores(n, seed, ties=False):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    s = y + rng.normal(size=n)
    return y, (np.round(s, 1) if ties else s)


@pytest.mark.parametrize("n,seed,ties", [(20, 0, False), (300, 1, False), (300, 2, True)])
def test_roc_curve_and_auc(n, seed, ties):
    y, s = scores(n, seed, ties)
    fpr, tpr, thr = M.roc_curve(y, s)
    rfpr, rtpr, rthr = skm.roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(fpr, rfpr, atol=1e-15)
    np.testing.assert_allclose(tpr, rtpr, atol=1e-15)
    np.testing.assert_allclose(thr, rthr)
    assert M.auc(fpr, tpr) == pytest.approx(skm.roc_auc_score(y, s), abs=1e-12)


@pytest.mark.parametrize("n,seed,ties", [(20, 0, False), (300, 1, False), (300, 2, True)])
def test_precision_recall_curve_and_average_precision(n, seed, ties):
    y, s = scores(n, seed, ties)
    p, r, thr = M.precision_recall_curve(y, s)
    rp, rr, rthr = skm.precision_recall_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(p, rp, atol=1e-15)
    np.testing.assert_allclose(r, rr, atol=1e-15)
    np.testing.assert_allclose(thr, rthr)
    assert M.average_precision(y, s) == pytest.approx(skm.average_precision_score(y, s), abs=1e-12)


def test_auc_direction_and_refusals():
    x, y = np.array([0, 0.5, 1.0]), np.array([0, 1.0, 1.0])
    assert M.auc(x, y) == pytest.approx(skm.auc(x, y)) == pytest.approx(M.auc(x[::-1], y[::-1]))
    with pytest.raises(ValueError, match="neither increasing nor decreasing"):
        M.auc([0, 1, 0.5], [0, 1, 1])
    with pytest.raises(ValueError, match="at least 2"):
        M.auc([0.0], [1.0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_regression_errors(seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=50)
    y[0] = 0.0                                      # MAPE's epsilon guard is exercised
    yhat = y + rng.normal(scale=0.3, size=50)
    for ours, ref in [(M.mean_squared_error, skm.mean_squared_error),
                      (M.root_mean_squared_error, skm.root_mean_squared_error),
                      (M.mean_absolute_error, skm.mean_absolute_error),
                      (M.mean_absolute_percentage_error, skm.mean_absolute_percentage_error),
                      (M.r2_score, skm.r2_score)]:
        assert ours(y, yhat) == pytest.approx(ref(y, yhat), rel=1e-12), ours.__name__


@pytest.mark.parametrize("fn", [M.mean_squared_error, M.root_mean_squared_error, M.mean_absolute_error,
                                M.mean_absolute_percentage_error, M.confusion_matrix, M.precision_recall_f1,
                                M.accuracy_score])
def test_bad_input_is_refused(fn):
    with pytest.raises(ValueError, match="must match"):
        fn([1, 0, 1], [1, 0])
    with pytest.raises(ValueError, match="NaN"):
        fn([1.0, np.nan, 0.0], [1.0, 0.0, 0.0])


def test_curves_refuse_bad_input():
    with pytest.raises(ValueError, match="both classes"):
        M.roc_curve([1, 1, 1], [0.2, 0.5, 0.9])
    with pytest.raises(ValueError, match="equal length"):
        M.precision_recall_curve([0, 1, 1], [0.2, 0.5])
    with pytest.raises(ValueError, match="1-D"):
        M.roc_curve([[0, 1]], [0.2, 0.5])
    with pytest.raises(ValueError, match="NaN"):
        M.roc_curve([0.0, np.nan, 1.0], [0.2, 0.5, 0.7])
    with pytest.raises(TypeError, match="numeric"):
        M.roc_curve([0, 1], ["a", "b"])
    with pytest.raises(TypeError, match="numeric"):
        M.mean_squared_error(["a", "b"], [1, 2])
    with pytest.raises(ValueError, match="binary"):
        M.precision_recall_f1([0, 1, 2], [0, 1, 2])


def test_counts_at_thresholds_match_brute_force_counting():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 60)
    s = np.round(rng.normal(size=60), 1)                      # rounded: ties between scores
    fps, tps, thr = M.counts_at_thresholds(y, s)
    assert np.all(np.diff(thr) < 0) and len(thr) == len(np.unique(s))
    for f, t, th in zip(fps, tps, thr):
        flagged = s >= th
        assert t == np.sum(flagged & (y == 1)) and f == np.sum(flagged & (y == 0))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_best_f1_threshold_is_the_best_of_sklearns_f1_over_all_thresholds(seed):
    from sklearn.metrics import f1_score
    rng = np.random.default_rng(seed)
    y = (rng.random(120) < 0.2).astype(int)
    scores = np.round(rng.normal(size=120) + 1.5 * y, 1)          # ties included
    t, f1 = M.best_f1_threshold(y, scores)
    brute = {s: f1_score(y, scores >= s) for s in np.unique(scores)}
    best = max(brute.values())
    np.testing.assert_allclose(f1, best, rtol=1e-12)
    np.testing.assert_allclose(brute[t], best, rtol=1e-12)


def test_best_f1_threshold_refuses_one_class():
    with pytest.raises(ValueError, match="both classes"):
        M.best_f1_threshold([0, 0, 0], [0.1, 0.2, 0.3])


def test_log_loss_and_brier_score_match_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    p = rng.uniform(0.01, 0.99, 200)
    assert abs(M.log_loss(y, p) - skm.log_loss(y, p)) < 1e-12
    assert abs(M.brier_score(y, p) - skm.brier_score_loss(y, p)) < 1e-12
    labels = np.where(y == 1, "spam", "ham")                      # string labels, positive = the larger
    assert abs(M.log_loss(labels, p) - skm.log_loss(y, p)) < 1e-12
    assert abs(M.brier_score(labels, 1 - p, pos_label="ham") - skm.brier_score_loss(1 - y, 1 - p)) < 1e-12


def test_log_loss_edge_cases_and_bad_input():
    assert M.log_loss([1, 0], [1.0, 0.0]) == 0.0                 # 0 log 0 = 0
    assert M.log_loss([1, 0], [0.0, 0.0]) == np.inf              # a sure mistake costs infinity
    assert M.log_loss([1, 1], [0.5, 0.5]) == pytest.approx(np.log(2))
    assert M.brier_score([0, 0], [0.5, 1.0]) == pytest.approx(0.625)
    with pytest.raises(ValueError, match="probabilities"):
        M.log_loss([0, 1], [-0.2, 1.3])
    with pytest.raises(ValueError, match="must match"):
        M.brier_score([0, 1, 1], [0.2, 0.3])
    with pytest.raises(ValueError, match="binary"):
        M.log_loss([0, 1, 2], [0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="pos_label"):
        M.log_loss(["a", "a"], [0.2, 0.3])
    with pytest.raises(ValueError, match="NaN"):
        M.brier_score([0, 1], [np.nan, 0.3])

"""mlbook.linear against scikit-learn: least squares, ridge, lasso, logistic and softmax regression."""
import numpy as np
import pytest
import sklearn.linear_model as sk
import sklearn.preprocessing as skp
from scipy.special import expit, logsumexp as sp_logsumexp, softmax as sp_softmax
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from mlbook.linear import (Lasso, LinearRegression, LogisticRegression, MinMaxScaler, PolynomialFeatures,
                           Ridge, RobustScaler,
                           SoftmaxRegression, StandardScaler, logsumexp, polynomial_features, sigmoid, softmax)


def regression_data(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d) + rng.normal(size=d)
    y = X @ rng.normal(size=d) + 1.5 + 0.3 * rng.normal(size=n)
    return X, y


def classification_data(n, d, seed, k=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    logits = X @ rng.normal(size=(d, k)) + 0.5 * rng.normal(size=k)
    y = np.array([rng.choice(k, p=p) for p in sp_softmax(logits, axis=1)])
    return X, y


@pytest.mark.parametrize("n,d,seed", [(30, 1, 0), (100, 5, 1), (60, 12, 2)])
def test_linear_regression_normal_matches_sklearn(n, d, seed):
    X, y = regression_data(n, d, seed)
    ours, ref = LinearRegression().fit(X, y), sk.LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), atol=1e-9)
    np.testing.assert_allclose(ours.score(X, y), ref.score(X, y), atol=1e-12)


def test_linear_regression_gd_and_sgd_reach_least_squares():
    X, y = regression_data(200, 3, 3)
    X = StandardScaler().fit_transform(X)
    exact = LinearRegression().fit(X, y)
    gd = LinearRegression(solver="gd", lr=0.5, n_epochs=2000, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(gd.coef_, exact.coef_, atol=1e-9)
    assert gd.n_iter_ < 2000                      # stopped on the gradient norm
    assert np.all(np.diff(gd.loss_history_) <= 1e-15)   # GD with a small step never increases the loss
    sgd = LinearRegression(solver="sgd", lr=0.05, n_epochs=200, batch_size=20, random_state=0).fit(X, y)
    np.testing.assert_allclose(sgd.coef_, exact.coef_, atol=0.05)
    assert sgd.n_iter_ == 200 * 10 and sgd.loss_history_.shape == (201,)


@pytest.mark.parametrize("n,d,seed", [(40, 2, 0), (90, 4, 1)])
def test_sgd_with_one_full_batch_is_gradient_descent(n, d, seed):
    # "gd" and "sgd" share one loop: a single batch of all n rows gives the same steps in any order
    X, y = regression_data(n, d, seed)
    gd = LinearRegression(solver="gd", lr=0.05, n_epochs=200).fit(X, y)
    sgd = LinearRegression(solver="sgd", lr=0.05, n_epochs=200, batch_size=n, random_state=seed).fit(X, y)
    assert gd.n_iter_ == sgd.n_iter_ == 200
    np.testing.assert_allclose(sgd.coef_, gd.coef_, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(sgd.loss_history_, gd.loss_history_, rtol=1e-9)


def test_gd_stops_at_tolerance_without_recording_the_unmade_step():
    X, y = regression_data(50, 3, 2)
    m = LinearRegression(solver="gd", lr=0.1, n_epochs=100000, tol=1e-6).fit(X, y)
    assert 0 < m.n_iter_ < 100000 and len(m.loss_history_) == m.n_iter_ + 1


def test_sgd_is_reproducible_with_random_state():
    X, y = regression_data(50, 2, 4)
    a = LinearRegression(solver="sgd", lr=0.01, n_epochs=5, batch_size=7, random_state=3).fit(X, y)
    b = LinearRegression(solver="sgd", lr=0.01, n_epochs=5, batch_size=7, random_state=3).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_gd_divergence_is_reported():
    X, y = regression_data(50, 2, 5)
    with pytest.warns(RuntimeWarning, match="diverged"):
        m = LinearRegression(solver="gd", lr=100.0, n_epochs=500).fit(X * 100, y)
    assert not np.isfinite(m.loss_history_[-1]) and len(m.loss_history_) < 501


@pytest.mark.parametrize("alpha", [0.0, 0.1, 1.0, 10.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_ridge_matches_sklearn(alpha, seed):
    X, y = regression_data(40, 6, seed)
    ours, ref = Ridge(alpha).fit(X, y), sk.Ridge(alpha=alpha).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8, atol=1e-10)


def test_ridge_at_zero_is_least_squares_and_gd_matches_closed_form():
    X, y = regression_data(80, 4, 6)
    np.testing.assert_allclose(Ridge(0.0).fit(X, y).coef_, LinearRegression().fit(X, y).coef_, atol=1e-10)
    Xs = StandardScaler().fit_transform(X)
    closed = Ridge(5.0).fit(Xs, y)
    gd = Ridge(5.0, solver="gd", lr=0.5, n_epochs=3000).fit(Xs, y)
    np.testing.assert_allclose(gd.coef_, closed.coef_, atol=1e-9)
    np.testing.assert_allclose(gd.intercept_, closed.intercept_, atol=1e-9)


@pytest.mark.parametrize("alpha", [0.01, 0.1, 0.5])
@pytest.mark.parametrize("seed", [0, 1])
def test_lasso_matches_sklearn(alpha, seed):
    X, y = regression_data(60, 8, seed)
    ours = Lasso(alpha, tol=1e-12, max_iter=10000).fit(X, y)
    ref = sk.Lasso(alpha=alpha, tol=1e-12, max_iter=100000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-7)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-7)


def test_lasso_large_alpha_zeroes_everything():
    X, y = regression_data(30, 4, 2)
    m = Lasso(1e6).fit(X, y)
    np.testing.assert_array_equal(m.coef_, 0.0)
    np.testing.assert_allclose(m.intercept_, y.mean())


@pytest.mark.parametrize("C", [0.01, 1.0, 100.0])
@pytest.mark.parametrize("n,d,seed", [(80, 2, 0), (200, 6, 1)])
def test_logistic_regression_matches_sklearn(C, n, d, seed):
    X, y = classification_data(n, d, seed)
    ours = LogisticRegression(C=C).fit(X, y)
    ref = sk.LogisticRegression(C=C, tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_logistic_regression_unpenalised_and_string_labels():
    X, y = classification_data(300, 3, 7)
    labels = np.array(["no", "yes"])[y]
    ours = LogisticRegression(penalty=None).fit(X, labels)
    ref = sk.LogisticRegression(C=np.inf, tol=1e-12, max_iter=10000).fit(X, labels)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4)
    assert list(ours.classes_) == ["no", "yes"]
    assert set(ours.predict(X)) <= {"no", "yes"}


def test_logistic_gradient_matches_finite_differences():
    X, y = classification_data(50, 3, 8)
    m = LogisticRegression(C=2.0)
    Xb = np.hstack([X, np.ones((50, 1))])
    theta = np.array([0.3, -0.2, 0.1, 0.05])
    p = sigmoid(Xb @ theta)
    grad = 2.0 * Xb.T @ (p - y) + np.r_[theta[:-1], 0.0]
    eps = 1e-6
    num = [(m._objective(Xb, y, theta + eps * e, 2.0, 1.0) - m._objective(Xb, y, theta - eps * e, 2.0, 1.0)) / (2 * eps)
           for e in np.eye(4)]
    np.testing.assert_allclose(grad, num, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("alpha", [1e-3, 1e-1])
def test_softmax_regression_matches_sklearn_multinomial(alpha):
    X, y = classification_data(150, 4, 9, k=3)
    ours = SoftmaxRegression(alpha=alpha, tol=1e-10).fit(X, y)
    ref = sk.LogisticRegression(C=1 / (len(X) * alpha), tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-5)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)


def test_softmax_sgd_gets_close_to_lbfgs():
    X, y = classification_data(300, 3, 10, k=3)
    exact = SoftmaxRegression(alpha=1e-2).fit(X, y)
    sgd = SoftmaxRegression(alpha=1e-2, solver="sgd", lr=0.5, n_epochs=100, batch_size=300, random_state=0).fit(X, y)
    np.testing.assert_allclose(sgd.predict_proba(X), exact.predict_proba(X), atol=0.02)
    assert sgd.loss_history_[-1] < sgd.loss_history_[0]


def test_softmax_gradient_matches_finite_differences():
    X, y = classification_data(40, 3, 11, k=4)
    m = SoftmaxRegression(alpha=0.3)
    Y = np.eye(4)[y]
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(4, 3)), rng.normal(size=4)
    _, gW, gb = m.loss_and_gradient(W, b, X, Y)
    eps = 1e-6
    for (i, j) in [(0, 0), (2, 1), (3, 2)]:
        E = np.zeros_like(W)
        E[i, j] = eps
        num = (m.loss_and_gradient(W + E, b, X, Y)[0] - m.loss_and_gradient(W - E, b, X, Y)[0]) / (2 * eps)
        np.testing.assert_allclose(gW[i, j], num, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 7)])
def test_softmax_logsumexp_sigmoid_match_scipy(shape):
    Z = np.random.default_rng(0).normal(scale=50, size=shape)
    np.testing.assert_allclose(softmax(Z), sp_softmax(Z, axis=-1), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(logsumexp(Z), sp_logsumexp(Z, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(sigmoid(Z), expit(Z), rtol=1e-12)


def test_softmax_is_stable_and_shift_invariant():
    o = np.array([1000.0, 1001.0, 1002.0])
    p = softmax(o)
    assert np.all(np.isfinite(p)) and np.all(p > 0)
    np.testing.assert_allclose(p, softmax(o - 1000), rtol=1e-14)
    np.testing.assert_allclose(sigmoid(np.array([-800.0, 800.0])), [0.0, 1.0], atol=1e-300)


@pytest.mark.parametrize("cls,ref", [(MinMaxScaler, skp.MinMaxScaler), (StandardScaler, skp.StandardScaler),
                                     (RobustScaler, skp.RobustScaler)])
def test_scalers_match_sklearn(cls, ref):
    X, _ = regression_data(50, 3, 12)
    X[0, 0] = 100.0                                # an outlier
    np.testing.assert_allclose(cls().fit_transform(X), ref().fit_transform(X), rtol=1e-12, atol=1e-12)
    s = cls().fit(X)
    np.testing.assert_allclose(s.inverse_transform(s.transform(X)), X, atol=1e-12)


@pytest.mark.parametrize("kwargs", [{}, {"with_mean": False}, {"with_std": False}])
def test_standard_scaler_attributes_match_sklearn(kwargs):
    X, _ = regression_data(40, 3, 16)
    X[:, 2] = 7.0                                  # a constant column: scale 1, as scikit-learn
    ours, ref = StandardScaler(**kwargs).fit(X), skp.StandardScaler(**kwargs).fit(X)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-12)
    for name in ("var_", "scale_"):
        a, b = getattr(ours, name), getattr(ref, name)
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-12, atol=1e-12)
    assert ours.n_samples_seen_ == ref.n_samples_seen_


@pytest.mark.parametrize("feature_range", [(0, 1), (-1, 2)])
def test_minmax_scaler_attributes_match_sklearn(feature_range):
    X, _ = regression_data(40, 3, 17)
    X[:, 1] = -2.0                                 # a constant column
    ours, ref = MinMaxScaler(feature_range).fit(X), skp.MinMaxScaler(feature_range=feature_range).fit(X)
    for name in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.transform(X), X * ours.scale_ + ours.min_, atol=1e-12)  # scale_ is the factor
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X, atol=1e-12)


def test_robust_scaler_attributes_match_sklearn():
    X, _ = regression_data(40, 3, 18)
    ours, ref = RobustScaler().fit(X), skp.RobustScaler().fit(X)
    np.testing.assert_allclose(ours.center_, ref.center_, rtol=1e-12)
    np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=1e-12)


@pytest.mark.parametrize("kwargs", [dict(degree=2), dict(degree=3, include_bias=False),
                                    dict(degree=3, interaction_only=True), dict(degree=(2, 3)),
                                    dict(degree=(0, 2), include_bias=False), dict(degree=1)])
def test_polynomial_features_class_matches_sklearn(kwargs):
    X = np.random.default_rng(19).normal(size=(12, 3))
    ours, ref = PolynomialFeatures(**kwargs).fit(X), skp.PolynomialFeatures(**kwargs).fit(X)
    np.testing.assert_array_equal(ours.powers_, ref.powers_)
    assert ours.n_output_features_ == ref.n_output_features_
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-12, atol=1e-14)
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    assert ours.get_feature_names_out(["a", "b", "c"]).tolist() == ref.get_feature_names_out(["a", "b", "c"]).tolist()


def test_polynomial_features_class_equals_the_function_on_one_feature():
    x = np.linspace(-1.5, 2.0, 11)
    P = PolynomialFeatures(15, include_bias=False).fit_transform(x[:, None])
    np.testing.assert_array_equal(P, polynomial_features(x, 15))   # bit for bit: same powers


def test_polynomial_features_refuses_bad_degrees():
    X = np.ones((3, 2))
    with pytest.raises(ValueError, match="degree"):
        PolynomialFeatures(-1).fit(X)
    with pytest.raises(ValueError, match="min_degree <= max_degree"):
        PolynomialFeatures((3, 2)).fit(X)
    with pytest.raises(TypeError, match="degree"):
        PolynomialFeatures(2.5).fit(X)


def test_polynomial_features_match_sklearn():
    x = np.linspace(-1, 2, 7)
    ref = skp.PolynomialFeatures(4, include_bias=False).fit_transform(x[:, None])
    np.testing.assert_allclose(polynomial_features(x, 4), ref)


@pytest.mark.parametrize("est", [LinearRegression(), Ridge(1.0), Lasso(0.1), LogisticRegression(),
                                 SoftmaxRegression()])
def test_clone_and_get_params(est):
    c = clone(est)
    assert c.get_params() == est.get_params() and c is not est


@pytest.mark.parametrize("est", [LinearRegression(), Ridge(1.0), Lasso(0.1), LogisticRegression(),
                                 SoftmaxRegression()])
def test_bad_input_is_refused(est):
    X, y = classification_data(20, 2, 13)
    with pytest.raises(ValueError, match="different numbers of samples"):
        est.fit(X, y[:-1])
    Xn = X.copy()
    Xn[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        est.fit(Xn, y)
    with pytest.raises(TypeError, match="numeric"):
        est.fit([["a", "b"]] * 20, y)
    with pytest.raises(NotFittedError, match="not fitted"):
        clone(est).predict(X)
    fitted = clone(est).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        fitted.predict(X[:, :1])


@pytest.mark.parametrize("est", [LogisticRegression(), SoftmaxRegression()])
def test_one_class_is_refused(est):
    X, _ = classification_data(20, 2, 14)
    with pytest.raises(ValueError, match="at least 2 classes"):
        est.fit(X, np.zeros(20))


def test_bad_hyper_parameters_are_refused():
    X, y = regression_data(20, 2, 15)
    with pytest.raises(ValueError, match="solver"):
        LinearRegression(solver="qr").fit(X, y)
    with pytest.raises(ValueError, match="alpha"):
        Ridge(-1.0).fit(X, y)
    with pytest.raises(ValueError, match="penalty"):
        LogisticRegression(penalty="l1").fit(X, y > 0)
    with pytest.raises(ValueError, match="SoftmaxRegression"):
        LogisticRegression().fit(X, np.arange(20) % 3)


# --- convergence handling, warnings and hyper-parameter checks ---------------------------------------------

class _UphillLogistic(LogisticRegression):
    """Every move away from θ = 0 raises this objective (an L1 term the Newton direction ignores)."""

    def _objective(self, Xb, y, theta, C, lam):
        return super()._objective(Xb, y, theta, C, lam) + 1e6 * float(np.abs(theta).sum())


def test_line_search_never_accepts_a_step_that_does_not_decrease_the_objective():
    # the backtracking loop runs down to its step floor; the fit must keep θ (and its objective), say so,
    # and stop, instead of taking the halved step with the previous trial's objective
    X, y = classification_data(60, 2, 20)
    with pytest.warns(ConvergenceWarning, match="line search"):
        m = _UphillLogistic(max_iter=5).fit(X, y)
    assert m.n_iter_ == 0
    np.testing.assert_array_equal(m.coef_, 0.0)
    np.testing.assert_array_equal(m.intercept_, 0.0)


def test_logistic_max_iter_gives_a_convergence_warning():
    Xsep, ysep = np.array([[-2.0], [-1.0], [1.0], [2.0]]), np.array([0, 0, 1, 1])
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        m = LogisticRegression(penalty=None, max_iter=5, tol=1e-12).fit(Xsep, ysep)
    assert m.n_iter_ == 5


def test_logistic_predict_proba_keeps_the_small_probability_of_class_0():
    # 1 - p loses every digit once p rounds to 1; sigmoid(-z) keeps them
    X, y = classification_data(80, 2, 21)
    m = LogisticRegression(C=10.0).fit(X, y)
    Xfar = np.r_[X, 40 * X]
    z = m.decision_function(Xfar)
    assert np.max(np.abs(z)) > 40
    P = m.predict_proba(Xfar)
    np.testing.assert_allclose(P[:, 0], expit(-z), rtol=1e-12, atol=0)
    np.testing.assert_allclose(P[:, 1], expit(z), rtol=1e-12, atol=0)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-15)


def test_logistic_C_inf_is_the_unpenalised_fit_as_in_sklearn():
    X, y = classification_data(300, 3, 7)
    free = LogisticRegression(penalty=None).fit(X, y)
    for m in (LogisticRegression(C=np.inf), LogisticRegression(penalty=None, C=np.inf)):
        m.fit(X, y)
        np.testing.assert_array_equal(m.coef_, free.coef_)
        np.testing.assert_array_equal(m.intercept_, free.intercept_)
    ref = sk.LogisticRegression(C=np.inf, tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(free.coef_, ref.coef_, atol=1e-4)
    np.testing.assert_allclose(free.intercept_, ref.intercept_, atol=1e-4)


def test_ridge_gd_history_before_training_and_after_every_epoch():
    X, y = regression_data(60, 3, 22)
    X = StandardScaler().fit_transform(X)
    n, alpha = len(y), 2.0
    m = Ridge(alpha, solver="gd", lr=0.2, n_epochs=50).fit(X, y)
    assert m.n_iter_ == 50 and m.loss_history_.shape == (51,)   # as LinearRegression: n_epochs + 1 values
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    np.testing.assert_allclose(m.loss_history_[0], 0.5 * yc @ yc / n, rtol=1e-14)
    r = Xc @ m.coef_ - yc
    np.testing.assert_allclose(m.loss_history_[-1], 0.5 * (r @ r + alpha * m.coef_ @ m.coef_) / n, rtol=1e-12)
    assert np.all(np.diff(m.loss_history_) <= 1e-15)
    closed = Ridge(alpha).fit(X, y)
    assert closed.n_iter_ == 0 and closed.loss_history_.shape == (1,)


def test_ridge_gd_divergence_is_reported():
    X, y = regression_data(50, 2, 5)
    with pytest.warns(RuntimeWarning, match="diverged"):
        m = Ridge(1.0, solver="gd", lr=100.0, n_epochs=500).fit(X * 100, y)
    assert not np.isfinite(m.loss_history_[-1]) and len(m.loss_history_) < 501
    assert m.n_iter_ == len(m.loss_history_) - 1


def test_lasso_stopping_rule_is_scale_free_like_sklearn():
    # the duality gap, relative to ||y_c||²/n, does not change when y and alpha are scaled together
    # (by a power of 2, so that every iterate scales exactly); an absolute step size would
    X, y = regression_data(60, 8, 23)
    a = Lasso(0.05, tol=1e-6).fit(X, y)
    b = Lasso(0.05 * 1024, tol=1e-6).fit(X, 1024 * y)
    assert a.n_iter_ == b.n_iter_
    np.testing.assert_array_equal(b.coef_, 1024 * a.coef_)
    yc = y - y.mean()
    assert 0 <= a.dual_gap_ <= 1e-6 * (yc @ yc) / len(y)
    ref = sk.Lasso(alpha=0.05, tol=1e-6).fit(X, y)
    assert ref.dual_gap_ <= 1e-6 * (yc @ yc) / len(y)       # the same criterion, the same scale


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("alpha,max_iter", [(0.05, 3), (0.05, 1000), (3.0, 3)])
def test_lasso_dual_gap_is_the_primal_minus_the_dual(alpha, max_iter):
    X, y = regression_data(40, 5, 24)
    m = Lasso(alpha, tol=1e-4, max_iter=max_iter).fit(X, y)
    n = len(y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    r = yc - Xc @ m.coef_
    primal = 0.5 * r @ r / n + alpha * np.abs(m.coef_).sum()
    c = min(1.0, alpha / np.max(np.abs(Xc.T @ r / n)))
    nu = c * r                                      # a feasible dual point: ||X_cᵀν/n||_∞ <= alpha
    dual = (nu @ yc - 0.5 * nu @ nu) / n
    np.testing.assert_allclose(m.dual_gap_, primal - dual, rtol=1e-8, atol=1e-12)
    ref = sk.Lasso(alpha=alpha).fit(X, y)           # a gap bounds the distance to the optimum
    assert 0 <= primal - (0.5 * np.sum((y - ref.predict(X)) ** 2) / n + alpha * np.abs(ref.coef_).sum()) + 1e-12
    assert primal - dual >= -1e-12


def test_lasso_at_alpha_zero_uses_the_gradient_as_its_gap():
    # no dual point exists without a penalty: the gap is scikit-learn's first-order measure ||X_cᵀr||²/n
    X, y = regression_data(40, 5, 24)
    m = Lasso(0.0, tol=1e-18, max_iter=5000).fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    g = Xc.T @ (yc - Xc @ m.coef_)
    np.testing.assert_allclose(m.dual_gap_, g @ g / len(y), rtol=1e-6)
    assert m.dual_gap_ <= 1e-18 * (yc @ yc) / len(y)
    np.testing.assert_allclose(m.coef_, LinearRegression().fit(X, y).coef_, rtol=1e-8)


def test_lasso_warns_when_max_iter_runs_out():
    X, y = regression_data(60, 8, 25)
    X[:, 1] = X[:, 0] + 1e-3 * X[:, 1]              # two nearly equal columns: slow coordinate descent
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        m = Lasso(1e-3, max_iter=3).fit(X, y)
    assert m.n_iter_ == 3


def test_softmax_lbfgs_failure_is_reported():
    X, y = classification_data(150, 4, 9, k=3)
    with pytest.warns(ConvergenceWarning, match="L-BFGS"):
        m = SoftmaxRegression(alpha=1e-3, max_iter=2).fit(X, y)
    assert m.n_iter_ == 2


def test_softmax_sgd_sets_n_iter_to_the_updates_made():
    X, y = classification_data(100, 3, 26, k=3)
    m = SoftmaxRegression(solver="sgd", n_epochs=7, batch_size=30, random_state=0).fit(X, y)
    assert m.n_iter_ == 7 * 4 and m.loss_history_.shape == (8,)


def test_softmax_fit_leaves_the_thread_pools_to_the_caller():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    if not any(i["user_api"] == "blas" for i in threadpoolctl.threadpool_info()):
        pytest.skip("no BLAS thread pool to observe")
    seen = []

    class Spy(SoftmaxRegression):
        def loss_and_gradient(self, W, b, X, Y):
            seen.append({i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"})
            return super().loss_and_gradient(W, b, X, Y)

    X, y = classification_data(60, 3, 27, k=3)
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        # what the caller set; a BLAS loaded by another library (torch's) may not take the limit
        expected = {i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"}
        Spy().fit(X, y)
    assert 2 in expected and seen and all(s == expected for s in seen)


def test_sgd_refuses_a_tolerance_it_would_ignore():
    X, y = regression_data(40, 2, 28)
    with pytest.raises(ValueError, match="tol"):
        LinearRegression(solver="sgd", tol=1e-3).fit(X, y)
    LinearRegression(solver="sgd", tol=0.0, n_epochs=2).fit(X, y)   # the default is fine


@pytest.mark.parametrize("est", [Lasso(0.1), LogisticRegression(), SoftmaxRegression(),
                                 LinearRegression(solver="gd")])
def test_tol_is_validated(est):
    X, y = classification_data(30, 2, 29)
    with pytest.raises(ValueError, match="tol must be >= 0"):
        clone(est).set_params(tol=-1e-3).fit(X, y)
    with pytest.raises(TypeError, match="tol must be a number"):
        clone(est).set_params(tol="small").fit(X, y)
    with pytest.raises(ValueError, match="tol must be >= 0"):
        clone(est).set_params(tol=np.nan).fit(X, y)

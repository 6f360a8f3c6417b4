"""mlbook.svm against scikit-learn: kernels, hinge loss, SMO and the SVC (chapter 4, issue 13)."""
import time

import numpy as np
import pytest
import sklearn.metrics as skm
import sklearn.metrics.pairwise as skp
import sklearn.svm as sks
from sklearn.datasets import load_breast_cancer, make_moons
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler

import mlbook.svm as S
import mlbook.svm.classifier as svm_classifier
from mlbook.source import source_text
from mlbook.svm.solver import two_variable_step

SEEDS = [0, 1, 2]


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def separable(seed, n=80, d=2, margin=0.3):
    """Two classes split by a random hyperplane, points closer than ``margin`` to it removed."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=d)
    X = rng.normal(size=(n, d))
    m = X @ w / np.linalg.norm(w)
    keep = np.abs(m) > margin
    return X[keep], (m[keep] > 0).astype(int)


def noisy(seed, n=120, d=3):
    """Overlapping classes (not separable): margin errors and α = C appear."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 0] + 0.5 * X[:, 1] ** 2 + 0.7 * rng.normal(size=n) > 0.5).astype(int)
    return X, y


def alphas(model, n):
    """The dual variables α (all n of them) of a fitted SVC."""
    a = np.zeros(n)
    a[model.support_] = np.abs(model.dual_coef_[0])
    return a


def signed(model, y):
    return np.where(y == model.classes_[1], 1.0, -1.0)


# ---- kernels ----------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", [(7, 2), (30, 5)])
def test_kernels_equal_sklearn_pairwise(seed, shape):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=shape), rng.normal(size=(11, shape[1]))
    np.testing.assert_allclose(S.linear_kernel(X, Y), skp.linear_kernel(X, Y), rtol=0, atol=1e-12)
    np.testing.assert_allclose(S.linear_kernel(X), skp.linear_kernel(X), rtol=0, atol=1e-12)
    for gamma in (None, 0.3, 2.0):
        np.testing.assert_allclose(S.rbf_kernel(X, Y, gamma=gamma), skp.rbf_kernel(X, Y, gamma=gamma),
                                   rtol=0, atol=1e-12)
        np.testing.assert_allclose(S.rbf_kernel(X, gamma=gamma), skp.rbf_kernel(X, gamma=gamma),
                                   rtol=0, atol=1e-12)
        for degree, coef0 in [(1, 0.0), (2, 1.0), (3, 0.5)]:
            np.testing.assert_allclose(S.polynomial_kernel(X, Y, degree, gamma, coef0),
                                       skp.polynomial_kernel(X, Y, degree=degree, gamma=gamma, coef0=coef0),
                                       rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("gamma, c0", [(1.0, 1.0), (0.5, 2.0), (2.0, 0.0)])
def test_polynomial_kernel_is_the_inner_product_of_the_degree_2_feature_map(seed, gamma, c0):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(6, 2)), rng.normal(size=(4, 2))

    def phi(A):  # (γ x·z + c0)² expanded: 6 coordinates for 2 features
        a, b = np.sqrt(gamma) * A[:, 0], np.sqrt(gamma) * A[:, 1]
        r2 = np.sqrt(2.0)
        return np.column_stack([a ** 2, b ** 2, r2 * a * b, np.sqrt(2 * c0) * a, np.sqrt(2 * c0) * b,
                                np.full(len(A), c0)])

    np.testing.assert_allclose(S.polynomial_kernel(X, Y, degree=2, gamma=gamma, coef0=c0), phi(X) @ phi(Y).T,
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kernel", [S.linear_kernel, lambda A: S.polynomial_kernel(A, degree=3),
                                    lambda A: S.polynomial_kernel(A, degree=2, coef0=0.0),
                                    S.rbf_kernel, lambda A: S.rbf_kernel(A, gamma=10.0)],
                         ids=["linear", "poly3", "poly2-homogeneous", "rbf", "rbf-narrow"])
def test_gram_matrices_are_positive_semidefinite(seed, kernel):
    X = np.random.default_rng(seed).normal(size=(40, 3))
    G = kernel(X)
    np.testing.assert_allclose(G, G.T, rtol=0, atol=1e-12)
    assert np.linalg.eigvalsh(G).min() >= -1e-10


def test_kernels_refuse_bad_input():
    X = np.ones((3, 2))
    with pytest.raises(ValueError, match="same number of features"):
        S.linear_kernel(X, np.ones((3, 4)))
    with pytest.raises(ValueError, match="gamma must be > 0"):
        S.rbf_kernel(X, gamma=0.0)
    with pytest.raises(ValueError, match="degree must be > 0"):
        S.polynomial_kernel(X, degree=0)
    with pytest.raises(ValueError, match="NaN"):
        S.rbf_kernel(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="kernel must be one of"):
        S.make_kernel("sigmoid")


# ---- hinge loss -------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("labels", [(-1, 1), (0, 1), ("no", "yes"), (3, 7)])
def test_hinge_loss_equals_sklearn(seed, labels):
    rng = np.random.default_rng(seed)
    y = np.array(labels)[rng.integers(0, 2, size=50)]
    s = 2 * rng.normal(size=50)
    assert S.hinge_loss(y, s) == pytest.approx(skm.hinge_loss(y, s), abs=1e-12)


def test_hinge_loss_values_and_bad_input():
    assert S.hinge_loss([1, -1, 1], [2.0, -0.5, 0.0]) == pytest.approx((0 + 0.5 + 1) / 3)
    assert S.hinge_loss([1, 1], [3.0, 0.5]) == pytest.approx(0.25)   # one class, already ±1
    with pytest.raises(ValueError, match="exactly two classes"):
        S.hinge_loss([0, 1, 2], [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="different lengths"):
        S.hinge_loss([1, -1], [0.0])


# ---- SVC against scikit-learn -----------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS + [3, 4])
@pytest.mark.parametrize("d", [2, 5])
@pytest.mark.parametrize("C", [1e3, 1e5])
def test_linear_separable_same_support_vectors_coef_and_intercept_as_sklearn(seed, d, C):
    X, y = separable(seed, d=d)
    ours = S.SVC(kernel="linear", C=C, tol=1e-6, random_state=0).fit(X, y)
    ref = sks.SVC(kernel="linear", C=C, tol=1e-6).fit(X, y)
    np.testing.assert_array_equal(ours.support_, np.sort(ref.support_))
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=0, atol=1e-3)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-3)
    # hard margin: every support vector lies on the margin, y f(x) = 1
    np.testing.assert_allclose(signed(ours, y[ours.support_]) * ours.decision_function(X[ours.support_]), 1.0,
                               atol=1e-5)


@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
@pytest.mark.parametrize("kernel", ["rbf", "poly", "linear"])
def test_breast_cancer_agrees_with_sklearn_and_keeps_the_constraints(cancer, kernel, C):
    X, y = cancer
    ours = S.SVC(kernel=kernel, C=C, random_state=0).fit(X, y)
    ref = sks.SVC(kernel=kernel, C=C).fit(X, y)
    assert np.mean(ours.predict(X) == ref.predict(X)) >= 0.99
    a = alphas(ours, len(y))
    assert a.min() >= 0 and a.max() <= C
    assert abs(np.sum(a * signed(ours, y))) <= 1e-8
    assert abs(ours.dual_coef_.sum()) <= 1e-8
    # both solve the same dual to tol: the objectives agree closely
    K = S.make_kernel(kernel, gamma=ours.gamma_, degree=3, coef0=0.0)(X, X)
    a_ref = np.zeros(len(y))
    a_ref[ref.support_] = np.abs(ref.dual_coef_[0])
    ys = signed(ours, y)
    w_ours, w_ref = S.dual_objective(a, ys, K), S.dual_objective(a_ref, ys, K)
    assert w_ours == pytest.approx(w_ref, rel=1e-3)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=0.05 * max(1.0, C))


def test_breast_cancer_rbf_fit_time(cancer):
    X, y = cancer
    S.SVC().fit(X[:50], y[:50])   # warm-up (imports, BLAS)
    t0 = time.perf_counter()
    ours = S.SVC(kernel="rbf", random_state=0).fit(X, y)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = sks.SVC(kernel="rbf").fit(X, y)
    t_ref = time.perf_counter() - t0
    print(f"\nSMO {t_ours:.4f} s ({ours.n_iter_} steps), libsvm {t_ref:.4f} s, ratio {t_ours / t_ref:.1f}")
    assert np.mean(ours.predict(X) == ref.predict(X)) >= 0.99
    assert t_ours < 10.0


@pytest.mark.parametrize("gamma", ["scale", "auto", 0.05])
def test_gamma_is_resolved_as_sklearn(cancer, gamma):
    X, y = cancer
    X = X * 3.0   # a variance other than 1
    ours = S.SVC(gamma=gamma, random_state=0).fit(X, y)
    ref = sks.SVC(gamma=gamma).fit(X, y)
    assert ours.gamma_ == pytest.approx(ref._gamma, rel=1e-12)
    assert np.mean(ours.predict(X) == ref.predict(X)) >= 0.99


# ---- the solution -----------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("C", [0.1, 1.0, 100.0])
@pytest.mark.parametrize("kernel", ["linear", "poly", "rbf"])
@pytest.mark.parametrize("tol", [1e-3, 1e-5])
def test_kkt_conditions_hold_to_tol(seed, C, kernel, tol):
    X, y = noisy(seed)
    m = S.SVC(kernel=kernel, C=C, tol=tol, degree=2, coef0=1.0, random_state=seed).fit(X, y)
    a, yf = alphas(m, len(y)), signed(m, y) * m.decision_function(X)
    slack = 1e-9 * max(1.0, C)   # decision_function re-sums in another order than SMO's cache
    assert np.all(yf[a == 0] >= 1 - tol - slack)
    free = (a > 0) & (a < C)
    assert np.all(np.abs(yf[free] - 1) <= tol + slack)
    assert np.all(yf[a == C] <= 1 + tol + slack)
    assert abs(np.sum(a * signed(m, y))) <= 1e-8 * max(1.0, C)
    assert a.min() >= 0 and a.max() <= C


@pytest.mark.parametrize("seed", SEEDS)
def test_strong_duality_primal_equals_dual_for_the_linear_kernel(seed):
    X, y = noisy(seed)
    C = 1.0
    m = S.SVC(kernel="linear", C=C, tol=1e-7, random_state=0).fit(X, y)
    ys = signed(m, y)
    w = m.coef_[0]
    primal = 0.5 * w @ w + C * len(y) * S.hinge_loss(ys, m.decision_function(X))
    dual = S.dual_objective(alphas(m, len(y)), ys, S.linear_kernel(X))
    assert primal == pytest.approx(dual, rel=1e-5)
    np.testing.assert_allclose(w, (alphas(m, len(y)) * ys) @ X, atol=1e-12)   # w = Σ α_i y_i x_i


@pytest.mark.parametrize("seed", SEEDS)
def test_determinism_with_random_state(seed):
    X, y = noisy(seed)
    a = S.SVC(C=3.0, random_state=seed).fit(X, y)
    b = S.SVC(C=3.0, random_state=seed).fit(X, y)
    np.testing.assert_array_equal(a.dual_coef_, b.dual_coef_)
    np.testing.assert_array_equal(a.support_, b.support_)
    assert a.intercept_[0] == b.intercept_[0] and a.n_iter_ == b.n_iter_
    # another seed visits the samples in another order; the solution is the same up to tol
    c = S.SVC(C=3.0, tol=1e-6, random_state=seed + 100).fit(X, y)
    d = S.SVC(C=3.0, tol=1e-6, random_state=seed).fit(X, y)
    np.testing.assert_allclose(c.decision_function(X), d.decision_function(X), atol=1e-4)


def test_column_on_demand_gives_the_precomputed_solution(cancer, monkeypatch):
    X, y = cancer
    full = S.SVC(random_state=0).fit(X, y)
    monkeypatch.setattr(svm_classifier, "_MAX_GRAM", 100)   # force the path for large n
    lazy = S.SVC(random_state=0).fit(X, y)
    np.testing.assert_array_equal(full.support_, lazy.support_)
    np.testing.assert_allclose(full.dual_coef_, lazy.dual_coef_, atol=1e-9)
    assert full.intercept_[0] == pytest.approx(lazy.intercept_[0], abs=1e-9)


def test_callable_kernel_equals_the_named_one():
    X, y = noisy(0)
    named = S.SVC(kernel="rbf", gamma=0.5, random_state=0).fit(X, y)
    func = S.SVC(kernel=lambda A, B: S.rbf_kernel(A, B, gamma=0.5), random_state=0).fit(X, y)
    np.testing.assert_allclose(named.decision_function(X), func.decision_function(X), atol=1e-10)


def test_duplicate_points_with_opposite_labels_eta_zero():
    # x_0 = x_1 with opposite labels: η = 0 for that pair, which SMO takes to an end of [L, H]
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [-1.0, -1.0], [2.0, 0.5], [-2.0, -0.3]])
    y = np.array([1, 0, 1, 0, 1, 0])
    for kernel in ("linear", "rbf"):
        m = S.SVC(kernel=kernel, C=1.0, random_state=0).fit(X, y)
        ref = sks.SVC(kernel=kernel, C=1.0).fit(X, y)
        a = alphas(m, len(y))
        assert a.max() <= 1.0 and abs(np.sum(a * signed(m, y))) <= 1e-12
        np.testing.assert_allclose(m.decision_function(X), ref.decision_function(X), atol=1e-2)


def test_labels_of_any_type_and_attributes():
    X, y = noisy(1)
    names = np.array(["cat", "dog"])[y]
    m = S.SVC(kernel="linear", random_state=0).fit(X, names)
    assert list(m.classes_) == ["cat", "dog"]
    assert set(m.predict(X)) <= {"cat", "dog"}
    n_sv = len(m.support_)
    assert m.dual_coef_.shape == (1, n_sv) and m.support_vectors_.shape == (n_sv, 3)
    assert m.intercept_.shape == (1,) and m.coef_.shape == (1, 3) and m.n_support_.sum() == n_sv
    assert np.all(np.diff(m.support_) > 0)
    assert m.score(X, names) > 0.8
    # dual_coef_ holds α_i y_i: negative for classes_[0], positive for classes_[1]
    assert np.all((m.dual_coef_[0] > 0) == (names[m.support_] == "dog"))


def test_one_vs_rest_wraps_it_for_three_classes():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(loc=c, size=(30, 2)) for c in ([0, 0], [4, 0], [0, 4])])
    y = np.repeat([0, 1, 2], 30)
    assert OneVsRestClassifier(S.SVC(random_state=0)).fit(X, y).score(X, y) > 0.9


# ---- bad input --------------------------------------------------------------------------
@pytest.mark.parametrize("params, error, match", [
    ({"C": 0.0}, ValueError, "C must be > 0"),
    ({"C": -1.0}, ValueError, "C must be > 0"),
    ({"kernel": "sigmoid"}, ValueError, "kernel must be one of"),
    ({"gamma": 0.0}, ValueError, "gamma must be > 0"),
    ({"gamma": -2.0}, ValueError, "gamma must be > 0"),
    ({"gamma": "large"}, ValueError, "gamma must be 'scale', 'auto' or a positive number"),
    ({"degree": 0}, ValueError, "degree must be > 0"),
    ({"degree": 2.5}, TypeError, "degree must be an integer"),
    ({"coef0": np.nan}, TypeError, "coef0 must be a finite number"),
    ({"tol": 0.0}, ValueError, "tol must be > 0"),
    ({"max_iter": 0}, ValueError, "max_iter must be > 0"),
])
def test_bad_parameters_are_refused(params, error, match):
    X, y = noisy(0)
    with pytest.raises(error, match=match):
        S.SVC(**params).fit(X, y)


def test_bad_data_are_refused():
    X, y = noisy(0)
    with pytest.raises(ValueError, match="Only binary classification is supported.*OneVsRestClassifier"):
        S.SVC().fit(X, np.arange(len(y)) % 3)
    with pytest.raises(ValueError, match="single class"):
        S.SVC().fit(X, np.zeros(len(y)))
    Xn = X.copy()
    Xn[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        S.SVC().fit(Xn, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        S.SVC().fit(X, X[:, 0])     # a continuous target
    with pytest.raises(ValueError, match="shape"):
        S.SVC(kernel=lambda A, B: A @ A.T[:, :2]).fit(X, y)


def test_predict_before_fit_and_wrong_number_of_features():
    X, y = noisy(0)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        S.SVC().predict(X)
    with pytest.raises(NotFittedError):
        S.SVC(kernel="linear").coef_
    m = S.SVC().fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but SVC is expecting 3"):
        m.predict(X[:, :2])


@pytest.mark.parametrize("kernel", ["rbf", "poly", lambda A, B: A @ B.T])
def test_coef_only_for_the_linear_kernel(kernel):
    X, y = noisy(0)
    m = S.SVC(kernel=kernel, random_state=0).fit(X, y)
    with pytest.raises(AttributeError, match="coef_ is only available when kernel='linear'"):
        m.coef_
    assert not hasattr(m, "coef_")


def test_convergence_warning_when_max_iter_runs_out(cancer):
    X, y = cancer
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        m = S.SVC(max_iter=5).fit(X, y)
    assert m.n_iter_ == 5


# ---- what the chapter shows -------------------------------------------------------------
@pytest.mark.parametrize("obj, names", [
    (S.smo, ["working-set", "bias", "error-cache"]),
    (two_variable_step, ["clip", "two-variable-step"]),
    (S.SVC.decision_function, ["kernel-trick"]),
    (S.rbf_kernel, ["rbf"]),
])
def test_regions_shown_by_the_chapter_exist(obj, names):
    for name in names:
        assert source_text(obj, name).strip()


def test_the_callback_traces_a_nondecreasing_dual_objective():
    from mlbook.svm import dual_objective, rbf_kernel, smo
    X, y01 = make_moons(n_samples=120, noise=0.25, random_state=0)
    y = np.where(y01 == 1, 1.0, -1.0)
    K = rbf_kernel(X, gamma=1.0)
    values = []
    res = smo(lambda i: K[i], np.diag(K).copy(), y, 1.0, tol=1e-3,
              callback=lambda step, alpha, b: values.append(dual_objective(alpha, y, K)))
    assert len(values) == res.n_iter and res.converged
    assert np.all(np.diff(values) >= -1e-12 * abs(values[-1]))


def test_smo_refuses_bad_labels_and_parameters():
    from mlbook.svm import smo
    K = np.eye(4)
    col, diag = (lambda i: K[i]), np.ones(4)
    with pytest.raises(ValueError, match="labels -1 and \\+1"):
        smo(col, diag, np.array([0.0, 1.0, 0.0, 1.0]), 1.0)
    with pytest.raises(ValueError, match="both present"):
        smo(col, diag, np.ones(4), 1.0)
    with pytest.raises(ValueError, match="C must be > 0"):
        smo(col, diag, np.array([-1.0, 1.0, -1.0, 1.0]), -1.0)
    with pytest.raises(ValueError, match="tol must be < 2"):
        smo(col, diag, np.array([-1.0, 1.0, -1.0, 1.0]), 1.0, tol=3.0)
    with pytest.raises(ValueError, match="tol must be < 2"):
        S.SVC(tol=3).fit(np.array([[0.0], [1.0]]), [0, 1])


def test_two_variable_step_maximises_w_on_the_segment():
    from mlbook.svm import two_variable_step
    rng = np.random.default_rng(0)
    for _ in range(200):
        k11, k22 = rng.uniform(0.5, 2, size=2)
        k12 = rng.uniform(-1, 1) * np.sqrt(k11 * k22) * 0.9
        y1, y2 = rng.choice([-1.0, 1.0], size=2)
        C = 1.0
        a1, a2 = rng.uniform(0, C, size=2)
        E1, E2 = rng.normal(size=2)
        s = y1 * y2
        L, H = (max(0, a2 - a1), min(C, C + a2 - a1)) if s < 0 else (max(0, a1 + a2 - C), min(C, a1 + a2))
        t = np.linspace(L, H, 20001)
        eta = k11 + k22 - 2 * k12
        gain = y2 * (E1 - E2) * (t - a2) - 0.5 * eta * (t - a2) ** 2     # W along the segment, up to a constant
        _, a2_new = two_variable_step(a1, a2, y1, y2, E1, E2, k11, k12, k22, C)
        assert abs(a2_new - t[np.argmax(gain)]) <= (H - L) / 20000 + 1e-12


def test_smo_converges_on_tiny_kernel_scales():
    X, y = make_moons(n_samples=80, noise=0.2, random_state=1)
    ref = sks.SVC(kernel="linear", C=1.0, tol=1e-6).fit(X, y)
    small = S.SVC(kernel="linear", C=1e14, tol=1e-6, random_state=0).fit(X * 1e-7, y)   # same problem, rescaled
    assert np.mean(small.predict(X * 1e-7) == ref.predict(X)) >= 0.99

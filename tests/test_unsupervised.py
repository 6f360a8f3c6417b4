"""mlbook.unsupervised against scikit-learn and SciPy: PCA, k-means, Gaussian mixtures, anomaly detection.

Measured on this machine (scikit-learn 1.9, float64), recorded where a test asserts a bound:

* PCA on digits: explained variances equal scikit-learn's to ~5e-12 relative (the 61 non-zero ones).
* KMeans on standardised digits, k = 10, n_init = 10: inertia 0.002 %-0.4 % above scikit-learn's
  over random_state 0..4 (both use greedy k-means++).
* k-means++ vs "random" on standardised digits, over 100 seeds: the seeding alone has a 9 % lower
  inertia (105,640 vs 116,168) and Lloyd needs fewer iterations (22.7 vs 25.0), but the converged
  inertias differ by only 0.3 % (70,647 ± 88 vs 70,835 ± 115, mean ± standard error): not
  significant. On well-separated blobs the converged advantage is large, and that is what is tested.
* GaussianMixture on iris with 3 components, n_init = 3: average log-likelihood within 2e-4 of
  scikit-learn's ("full" and "diag").
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st
from sklearn import cluster, decomposition, mixture
from sklearn.datasets import load_digits, load_iris, make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.metrics import f1_score, pairwise_distances

from mlbook.unsupervised import (PCA, GaussianAnomalyDetector, GaussianMixture, KMeans, assign_to_centres,
                                 kmeans_plusplus, lloyd_steps, update_centres)


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    return load_digits().data.astype(np.float64)


@pytest.fixture(scope="module")
def digits_std(digits) -> np.ndarray:
    sd = digits.std(axis=0)
    return (digits - digits.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


@pytest.fixture(scope="module")
def iris() -> np.ndarray:
    return load_iris().data.astype(np.float64)


def _inertia(X, labels, centres) -> float:
    return float(np.sum((X - centres[labels]) ** 2))


# ---------------------------------------------------------------- PCA

@pytest.mark.parametrize("n_components", [None, 10, 0.9, 0.5])
def test_pca_matches_sklearn_on_digits(digits, n_components):
    ours = PCA(n_components).fit(digits)
    ref = decomposition.PCA(n_components, svd_solver="full").fit(digits)
    assert ours.n_components_ == ref.n_components_
    var, ref_var = ours.explained_variance_, ref.explained_variance_
    nonzero = ref_var > 1e-8 * ref_var[0]      # digits has 3 constant pixels: 3 eigenvalues are 0
    np.testing.assert_allclose(var[nonzero], ref_var[nonzero], rtol=1e-8)
    np.testing.assert_allclose(var[~nonzero], ref_var[~nonzero], atol=1e-10 * ref_var[0])
    np.testing.assert_allclose(ours.explained_variance_ratio_[nonzero], ref.explained_variance_ratio_[nonzero],
                               rtol=1e-8)
    np.testing.assert_allclose(ours.singular_values_[nonzero], ref.singular_values_[nonzero], rtol=1e-8)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-12)
    # components equal up to sign (the directions of the zero eigenvalues are arbitrary)
    C, R = ours.components_[nonzero], ref.components_[nonzero]
    signs = np.sign(np.sum(C * R, axis=1))
    np.testing.assert_allclose(C * signs[:, None], R, atol=1e-8)
    np.testing.assert_allclose(np.abs(ours.transform(digits)[:, nonzero]), np.abs(ref.transform(digits)[:, nonzero]),
                               atol=1e-7)


def test_pca_sign_convention_largest_entry_positive(digits):
    V = PCA().fit(digits).components_
    largest = V[np.arange(len(V)), np.argmax(np.abs(V), axis=1)]
    assert np.all(largest > 0)
    np.testing.assert_allclose(V @ V.T, np.eye(len(V)), atol=1e-10)


@pytest.mark.parametrize("whiten", [False, True])
def test_pca_round_trip_with_all_components(digits, whiten):
    pca = PCA(whiten=whiten).fit(digits)
    np.testing.assert_allclose(pca.inverse_transform(pca.transform(digits)), digits, atol=1e-9)
    np.testing.assert_allclose(pca.fit_transform(digits), pca.transform(digits), atol=1e-12)


@pytest.mark.parametrize("k", [1, 5, 20, 40])
def test_pca_reconstruction_error_is_the_sum_of_the_discarded_eigenvalues(digits, k):
    n = len(digits)
    pca = PCA(k).fit(digits)
    error = np.sum((digits - pca.inverse_transform(pca.transform(digits))) ** 2)
    all_eigenvalues = PCA().fit(digits).explained_variance_
    np.testing.assert_allclose(error, (n - 1) * all_eigenvalues[k:].sum(), rtol=1e-9)


def test_pca_whitening_gives_unit_variance(digits):
    Z = PCA(20, whiten=True).fit_transform(digits)
    np.testing.assert_allclose(Z.var(axis=0, ddof=1), 1.0, rtol=1e-10)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.eye(20), atol=1e-10)


@pytest.mark.parametrize("ratio", [0.5, 0.8, 0.95])
def test_pca_float_n_components_is_the_smallest_k_reaching_the_ratio(digits, ratio):
    pca = PCA(ratio).fit(digits)
    cum = np.cumsum(PCA().fit(digits).explained_variance_ratio_)
    k = pca.n_components_
    assert cum[k - 1] >= ratio and (k == 1 or cum[k - 2] < ratio)


# ---------------------------------------------------------------- k-means

@pytest.mark.parametrize("seed", [0, 1])
def test_kmeans_inertia_within_one_percent_of_sklearn_on_digits(digits_std, seed):
    ours = KMeans(10, n_init=10, random_state=seed).fit(digits_std)
    ref = cluster.KMeans(10, n_init=10, random_state=seed).fit(digits_std)
    assert abs(ours.inertia_ / ref.inertia_ - 1) < 0.01     # measured: 0.4 % and 0.4 % above
    np.testing.assert_allclose(ours.inertia_, _inertia(digits_std, ours.labels_, ours.cluster_centers_), rtol=1e-10)
    np.testing.assert_array_equal(ours.labels_, ours.predict(digits_std))
    np.testing.assert_allclose(ours.score(digits_std), -ours.inertia_, rtol=1e-10)


@pytest.mark.parametrize("init", ["k-means++", "random"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_lloyd_half_step_does_not_increase_the_inertia(digits_std, init, seed):
    rng = np.random.default_rng(seed)
    C0 = (kmeans_plusplus(digits_std, 10, random_state=rng) if init == "k-means++"
          else digits_std[rng.choice(len(digits_std), 10, replace=False)])
    steps = list(lloyd_steps(digits_std, C0, 30))
    assert len(steps) == 60
    J = np.array([_inertia(digits_std, labels, C) for labels, C in steps])
    assert np.all(np.diff(J) <= 1e-12 * J[:-1])
    # an update half-step changes only the centres, an assignment half-step only the labels
    for (l1, _), (l2, _) in zip(steps[0::2], steps[1::2]):
        np.testing.assert_array_equal(l1, l2)
    for (_, c1), (_, c2) in zip(steps[1::2], steps[2::2]):
        np.testing.assert_array_equal(c1, c2)


def test_kmeans_predict_is_the_nearest_centre_and_transform_the_distances(digits_std):
    km = KMeans(10, n_init=2, random_state=0).fit(digits_std[:1000])
    new = digits_std[1000:]
    D = pairwise_distances(new, km.cluster_centers_)
    np.testing.assert_array_equal(km.predict(new), np.argmin(D, axis=1))
    np.testing.assert_allclose(km.transform(new), D, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(km.score(new), -np.sum(D.min(axis=1) ** 2), rtol=1e-10)


def test_kmeans_plusplus_seeding_beats_random_seeding_on_digits(digits_std):
    seeds = range(20)
    pp = [assign_to_centres(digits_std, kmeans_plusplus(digits_std, 10, random_state=s))[1].sum() for s in seeds]
    rnd = [assign_to_centres(digits_std, digits_std[np.random.default_rng(s).choice(1797, 10, replace=False)])[1].sum()
           for s in seeds]
    assert np.mean(pp) < 0.95 * np.mean(rnd)     # measured over 100 seeds: 105,640 vs 116,168


def test_kmeans_plusplus_beats_random_init_after_lloyd_on_separated_blobs():
    X, _ = make_blobs(600, centers=12, cluster_std=0.5, center_box=(-20, 20), random_state=3)
    pp = [KMeans(12, n_init=1, random_state=s).fit(X).inertia_ for s in range(15)]
    rnd = [KMeans(12, n_init=1, init="random", random_state=s).fit(X).inertia_ for s in range(15)]
    assert np.mean(pp) < 0.8 * np.mean(rnd)


def test_empty_cluster_moves_to_the_farthest_point():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [10.0, 10.0], [11.0, 10.0]])
    C = np.array([[0.0, 0.0], [10.0, 10.0], [100.0, 100.0]])       # the third centre gets no point
    labels, d2 = assign_to_centres(X, C)
    new = update_centres(X, labels, C, d2)
    np.testing.assert_array_equal(new[2], X[np.argmax(d2)])
    labels2, d2_new = assign_to_centres(X, new)
    assert d2_new.sum() <= d2.sum() and len(np.unique(labels2)) == 3


def test_kmeans_with_given_centres_runs_once_from_them(digits_std):
    C0 = digits_std[:10].copy()
    km = KMeans(10, init=C0, n_init=10).fit(digits_std)
    last = list(lloyd_steps(digits_std, C0, km.n_iter_))[-1][1]
    np.testing.assert_allclose(km.cluster_centers_, last, rtol=1e-12)


# ---------------------------------------------------------------- Gaussian mixtures

@pytest.mark.parametrize("covariance_type", ["full", "diag"])
def test_gaussian_mixture_log_likelihood_matches_sklearn_on_iris(iris, covariance_type):
    ours = GaussianMixture(3, covariance_type=covariance_type, n_init=3, random_state=0).fit(iris)
    ref = mixture.GaussianMixture(3, covariance_type=covariance_type, n_init=3, random_state=0).fit(iris)
    assert abs(ours.score(iris) - ref.score(iris)) < 0.02           # measured: < 2e-4
    assert ours.covariances_.shape == ref.covariances_.shape
    assert ours._n_parameters() == ref._n_parameters()
    n = len(iris)
    np.testing.assert_allclose(ours.bic(iris), -2 * n * ours.score(iris) + ours._n_parameters() * np.log(n),
                               rtol=1e-12)
    np.testing.assert_allclose(ours.bic(iris), ref.bic(iris), rtol=1e-3)
    # the same parameters in scikit-learn's model give the same density
    ref.weights_, ref.means_, ref.covariances_ = ours.weights_, ours.means_, ours.covariances_
    ref.precisions_cholesky_ = mixture._gaussian_mixture._compute_precision_cholesky(
        ours.covariances_, covariance_type)
    np.testing.assert_allclose(ours.score_samples(iris), ref.score_samples(iris), rtol=1e-10)
    np.testing.assert_allclose(ours.predict_proba(iris), ref.predict_proba(iris), atol=1e-10)


@pytest.mark.parametrize("covariance_type", ["full", "diag"])
@pytest.mark.parametrize("init_params", ["kmeans", "random"])
@pytest.mark.parametrize("seed", [0, 1])
def test_em_never_decreases_the_log_likelihood(iris, covariance_type, init_params, seed):
    gm = GaussianMixture(3, covariance_type=covariance_type, init_params=init_params, tol=1e-8, max_iter=300,
                         random_state=seed).fit(iris)
    h = gm.lower_bound_history_
    assert len(h) == gm.n_iter_ and gm.converged_
    assert np.all(np.diff(h) >= -1e-10 * np.abs(h[:-1]))
    np.testing.assert_allclose(gm.lower_bound_, gm.score(iris), rtol=1e-12)


def test_gaussian_mixture_probabilities_and_density(iris):
    gm = GaussianMixture(3, random_state=0).fit(iris)
    P = gm.predict_proba(iris)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(gm.predict(iris), np.argmax(P, axis=1))
    density = sum(w * st.multivariate_normal(m, C).pdf(iris)
                  for w, m, C in zip(gm.weights_, gm.means_, gm.covariances_))
    np.testing.assert_allclose(gm.score_samples(iris), np.log(density), rtol=1e-10)
    np.testing.assert_allclose(gm.weights_.sum(), 1.0, rtol=1e-12)


def test_reg_covar_prevents_the_collapse_onto_one_point():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(50, 2)), [[30.0, 30.0]]])      # one isolated point: its own component
    with pytest.raises(ValueError, match="increase reg_covar"):
        GaussianMixture(2, reg_covar=0.0, random_state=0).fit(X)
    gm = GaussianMixture(2, reg_covar=1e-6, random_state=0).fit(X)
    alone = int(np.argmin(gm.weights_))
    np.testing.assert_allclose(gm.covariances_[alone], 1e-6 * np.eye(2), rtol=1e-6, atol=1e-15)
    assert np.all(np.isfinite(gm.score_samples(X)))


# ---------------------------------------------------------------- anomaly detection

def _anomaly_data(seed=0):
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, 0.8, 0.0], [0.8, 1.0, 0.3], [0.0, 0.3, 2.0]])
    normal = rng.multivariate_normal([1.0, -2.0, 0.5], cov, size=400)
    X_val = np.vstack([rng.multivariate_normal([1.0, -2.0, 0.5], cov, size=200),
                       rng.normal([1.0, -2.0, 0.5], 3.0, size=(20, 3))])
    y_val = np.r_[np.zeros(200, int), np.ones(20, int)]
    return normal, X_val, y_val


@pytest.mark.parametrize("multivariate", [False, True])
def test_anomaly_log_density_matches_scipy(multivariate):
    X, X_val, _ = _anomaly_data()
    det = GaussianAnomalyDetector(multivariate=multivariate).fit(X)
    mu, sd = X.mean(axis=0), X.std(axis=0)          # maximum likelihood: ddof = 0
    if multivariate:
        expected = st.multivariate_normal(mu, np.cov(X, rowvar=False, ddof=0)).logpdf(X_val)
    else:
        expected = st.norm.logpdf(X_val, mu, sd).sum(axis=1)
    np.testing.assert_allclose(det.score_samples(X_val), expected, rtol=1e-10)


@pytest.mark.parametrize("multivariate", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_choose_epsilon_f1_equals_sklearn_f1_of_its_predictions(multivariate, seed):
    X, X_val, y_val = _anomaly_data(seed)
    det = GaussianAnomalyDetector(multivariate=multivariate).fit(X).choose_epsilon(X_val, y_val)
    flagged = det.predict(X_val) == -1
    assert det.validation_f1_ == pytest.approx(f1_score(y_val, flagged.astype(int)), rel=1e-12)
    # no threshold on the validation log-densities does better
    log_p = det.score_samples(X_val)
    best = max(f1_score(y_val, (log_p <= c).astype(int)) for c in np.unique(log_p))
    assert det.validation_f1_ == pytest.approx(best, rel=1e-12)
    np.testing.assert_allclose(det.decision_function(X_val), log_p - np.log(det.epsilon_), rtol=1e-12, atol=1e-12)


def test_anomaly_predict_needs_a_threshold_and_follows_the_outlier_convention():
    X, X_val, _ = _anomaly_data()
    det = GaussianAnomalyDetector().fit(X)
    with pytest.raises(NotFittedError, match="no threshold: epsilon=None"):
        det.predict(X_val)
    det = GaussianAnomalyDetector(epsilon=1e-3).fit(X)
    pred = det.predict(X_val)
    assert set(np.unique(pred).tolist()) == {-1, 1}
    np.testing.assert_array_equal(pred == -1, det.score_samples(X_val) < np.log(1e-3))


# ---------------------------------------------------------------- bad inputs

X_SMALL = np.random.default_rng(0).normal(size=(10, 4))
ALL = [KMeans(2, n_init=1), PCA(2), GaussianMixture(2), GaussianAnomalyDetector(epsilon=0.01)]


@pytest.mark.parametrize("model, X, error, match", [
    (KMeans(n_clusters=11), X_SMALL, ValueError, "n_samples=10 should be >= n_clusters=11"),
    (KMeans(n_clusters=0), X_SMALL, ValueError, "n_clusters must be > 0"),
    (KMeans(init="furthest"), X_SMALL, ValueError, r"init must be 'k-means\+\+', 'random' or an array"),
    (KMeans(2, init=np.zeros((3, 4))), X_SMALL, ValueError, r"init has shape \(3, 4\)"),
    (PCA(0), X_SMALL, ValueError, r"n_components=0 must be between 1 and min\(n_samples, n_features\)=4"),
    (PCA(5), X_SMALL, ValueError, "n_components=5 must be between 1"),
    (PCA(1.5), X_SMALL, ValueError, r"must lie in \(0, 1\)"),
    (PCA("mle"), X_SMALL, TypeError, "n_components must be None, an int or a float"),
    (PCA(), X_SMALL[:1], ValueError, "at least 2 samples"),
    (GaussianMixture(covariance_type="spherical"), X_SMALL, ValueError, "covariance_type must be one of"),
    (GaussianMixture(n_components=11), X_SMALL, ValueError, "n_samples=10 should be >= n_components=11"),
    (GaussianMixture(reg_covar=-1.0), X_SMALL, ValueError, "reg_covar must be >= 0"),
    (GaussianMixture(init_params="k-means++"), X_SMALL, ValueError, "init_params must be one of"),
    (GaussianAnomalyDetector(epsilon=0.0), X_SMALL, ValueError, "epsilon must be > 0"),
    (GaussianAnomalyDetector(), np.c_[X_SMALL, np.ones(10)], ValueError, "has no density"),
])
def test_bad_parameters_are_refused(model, X, error, match):
    with pytest.raises(error, match=match):
        model.fit(X)


@pytest.mark.parametrize("model", ALL, ids=lambda m: type(m).__name__)
def test_nan_before_fit_and_wrong_width_are_refused(model):
    bad = X_SMALL.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.fit(bad)
    method = model.transform if isinstance(model, PCA) else model.predict
    with pytest.raises(NotFittedError, match="is not fitted yet"):
        method(X_SMALL)
    model.fit(X_SMALL)
    with pytest.raises(ValueError, match="X has 3 features, but .* is expecting 4"):
        method(X_SMALL[:, :3])


def test_other_bad_inputs():
    with pytest.raises(ValueError, match="centres have 3 features, but X has 4"):
        next(lloyd_steps(X_SMALL, np.zeros((2, 3)), 1))
    pca = PCA(2).fit(X_SMALL)
    with pytest.raises(ValueError, match="Z has 3 columns, but this PCA has n_components_=2"):
        pca.inverse_transform(np.zeros((1, 3)))
    det = GaussianAnomalyDetector().fit(X_SMALL)
    with pytest.raises(ValueError, match=r"y_val must hold 1 \(anomaly\) and 0 \(normal\)"):
        det.choose_epsilon(X_SMALL, np.r_[-np.ones(5), np.ones(5)])

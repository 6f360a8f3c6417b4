"""mlbook.probability against SciPy and NumPy, and the bad inputs it refuses."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st
from scipy.integrate import trapezoid

from mlbook import probability as P


def random_spd(d: int, seed: int) -> np.ndarray:
    A = np.random.default_rng(seed).normal(size=(d, d))
    return A @ A.T + 0.5 * np.eye(d)


# --- the Gaussian density -----------------------------------------------------------------------

@pytest.mark.parametrize("d", [1, 2, 5])
@pytest.mark.parametrize("seed", [0, 1])
def test_gaussian_logpdf_equals_scipy(d, seed):
    rng = np.random.default_rng(seed)
    mean, cov = rng.normal(size=d), random_spd(d, seed + 10)
    X = rng.normal(size=(40, d)) * 3
    ref = st.multivariate_normal(mean, cov).logpdf(X)
    np.testing.assert_allclose(P.gaussian_logpdf(X, mean, cov), np.atleast_1d(ref), rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(P.gaussian_pdf(X, mean, cov), np.exp(np.atleast_1d(ref)), rtol=1e-11)


def test_gaussian_logpdf_is_exact_in_the_far_tail_where_the_pdf_underflows():
    X = np.array([[40.0, -40.0]])
    logp = P.gaussian_logpdf(X, np.zeros(2), np.eye(2))
    np.testing.assert_allclose(logp, st.multivariate_normal(np.zeros(2), np.eye(2)).logpdf(X), rtol=1e-13)
    assert P.gaussian_pdf(X, np.zeros(2), np.eye(2))[0] == 0.0   # exp underflows: why the log is the API


@pytest.mark.parametrize("cov, message", [
    ([[1.0, 0.5], [0.4, 1.0]], "symmetric"),
    ([[1.0, 2.0], [2.0, 1.0]], "negative eigenvalue"),
    ([[1.0, 1.0], [1.0, 1.0]], "singular"),
    ([[1.0, 0.0, 0.0]] * 3, r"shape \(2, 2\)"),
    ([[np.nan, 0.0], [0.0, 1.0]], "NaN"),
])
def test_gaussian_logpdf_refuses_a_bad_covariance(cov, message):
    with pytest.raises(ValueError, match=message):
        P.gaussian_logpdf(np.zeros((3, 2)), np.zeros(2), cov)


def test_gaussian_logpdf_refuses_bad_points():
    with pytest.raises(ValueError, match="X has 3 feature"):
        P.gaussian_logpdf(np.zeros((4, 3)), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="2-D"):
        P.gaussian_logpdf(np.zeros(2), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="1-D"):
        P.gaussian_logpdf(np.zeros((4, 2)), np.zeros((1, 2)), np.eye(2))


@pytest.mark.parametrize("unbiased", [False, True])
def test_fit_gaussian_equals_numpy(unbiased):
    X = np.random.default_rng(3).normal(size=(30, 4)) @ random_spd(4, 3)
    mean, cov = P.fit_gaussian(X, unbiased=unbiased)
    np.testing.assert_allclose(mean, X.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(cov, np.cov(X, rowvar=False, bias=not unbiased), rtol=1e-12, atol=1e-13)


def test_fit_gaussian_variance_is_scipys_norm_fit_for_one_feature():
    x = np.random.default_rng(4).normal(2.0, 3.0, size=50)
    mean, cov = P.fit_gaussian(x[:, None])
    loc, scale = st.norm.fit(x)
    np.testing.assert_allclose([mean[0], cov[0, 0]], [loc, scale ** 2], rtol=1e-10)


def test_fit_gaussian_refuses_one_sample_when_unbiased():
    assert P.fit_gaussian(np.ones((1, 2)))[1].shape == (2, 2)
    with pytest.raises(ValueError, match="at least 2 samples"):
        P.fit_gaussian(np.ones((1, 2)), unbiased=True)


# --- samplers -------------------------------------------------------------------------------------

def test_sample_gaussian_has_the_requested_moments_and_law():
    mean, cov = np.array([1.0, -2.0, 0.5]), random_spd(3, 7)
    X = P.sample_gaussian(mean, cov, 200_000, random_state=0)
    assert X.shape == (200_000, 3)
    np.testing.assert_allclose(X.mean(axis=0), mean, atol=5 * np.sqrt(np.diag(cov).max() / 2e5))
    np.testing.assert_allclose(np.cov(X, rowvar=False), cov, rtol=0.02, atol=0.02)
    # a 1-D projection a^T x is N(a^T mu, a^T Sigma a)
    a = np.array([0.3, -1.0, 2.0])
    proj = X[:20_000] @ a
    assert st.kstest(proj, st.norm(a @ mean, np.sqrt(a @ cov @ a)).cdf).pvalue > 0.01


def test_samplers_are_reproducible_and_accept_a_generator():
    np.testing.assert_array_equal(P.box_muller(7, random_state=3), P.box_muller(7, random_state=3))
    g = np.random.default_rng(5)
    a = P.sample_gaussian([0.0], [[1.0]], 4, random_state=g)
    b = P.sample_gaussian([0.0], [[1.0]], 4, random_state=g)
    assert not np.array_equal(a, b)          # the generator advanced
    with pytest.raises(TypeError, match="random_state"):
        P.box_muller(3, random_state="seed")


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [1, 2, 9, 10_001])
def test_box_muller_is_standard_normal(seed, n):
    z = P.box_muller(n, random_state=seed)
    assert z.shape == (n,)
    if n > 1000:
        assert st.kstest(z, "norm").pvalue > 0.01
        assert abs(z.mean()) < 5 / np.sqrt(n) and abs(z.var() - 1) < 5 * np.sqrt(2 / n)


def test_box_muller_pairs_are_uncorrelated():
    z = P.box_muller(200_000, random_state=0)
    z1, z2 = z[:100_000], z[100_000:]        # cos and sin halves of the same pairs
    assert abs(np.corrcoef(z1, z2)[0, 1]) < 5 / np.sqrt(100_000)
    assert abs(np.corrcoef(z1 ** 2, z2 ** 2)[0, 1]) < 5 / np.sqrt(100_000)   # not just uncorrelated


@pytest.mark.parametrize("dist", [st.expon(scale=0.5), st.norm(1, 2), st.beta(2, 5), st.cauchy()])
def test_inverse_cdf_sample_follows_the_distribution(dist):
    x = P.inverse_cdf_sample(dist.ppf, 5000, random_state=1)
    assert st.kstest(x, dist.cdf).pvalue > 0.01


def test_inverse_cdf_sample_refuses_bad_quantile_functions():
    with pytest.raises(TypeError, match="callable"):
        P.inverse_cdf_sample(3.0, 10)
    with pytest.raises(ValueError, match="element-wise"):
        P.inverse_cdf_sample(lambda u: u.sum(), 10)
    with pytest.raises(ValueError, match="NaN or infinite"):
        P.inverse_cdf_sample(lambda u: np.where(u > 0.5, np.inf, u), 10, random_state=0)
    with pytest.raises(ValueError, match="n must be > 0"):
        P.inverse_cdf_sample(st.norm.ppf, 0)
    with pytest.raises(TypeError, match="integer"):
        P.inverse_cdf_sample(st.norm.ppf, 2.5)


# --- conjugate updating ---------------------------------------------------------------------------

def test_beta_bernoulli_posterior_matches_a_grid_posterior():
    x = np.array([1, 0, 1, 1, 1, 0, 1])
    a_post, b_post = P.beta_bernoulli_posterior(2.0, 3.0, x)
    assert (a_post, b_post) == (7.0, 5.0)
    theta = np.linspace(1e-6, 1 - 1e-6, 20001)
    unnorm = st.beta(2, 3).pdf(theta) * theta ** x.sum() * (1 - theta) ** (x.size - x.sum())
    grid = unnorm / trapezoid(unnorm, theta)
    np.testing.assert_allclose(grid, st.beta(a_post, b_post).pdf(theta), atol=1e-6)


def test_beta_bernoulli_sequential_equals_batch_and_accepts_no_data():
    x = np.random.default_rng(0).integers(0, 2, size=50)
    a, b = 1.0, 1.0
    for xi in x:
        a, b = P.beta_bernoulli_posterior(a, b, [xi])
    assert (a, b) == P.beta_bernoulli_posterior(1.0, 1.0, x)
    assert P.beta_bernoulli_posterior(0.5, 0.5, []) == (0.5, 0.5)


@pytest.mark.parametrize("a, b, x, err, message", [
    (1.0, 1.0, [0, 2], ValueError, "only 0 and 1"),
    (1.0, 1.0, [0.5], ValueError, "only 0 and 1"),
    (0.0, 1.0, [1], ValueError, "a must be > 0"),
    (1.0, -1.0, [1], ValueError, "b must be > 0"),
    (1.0, 1.0, [[1, 0]], ValueError, "1-D"),
])
def test_beta_bernoulli_posterior_refuses_bad_input(a, b, x, err, message):
    with pytest.raises(err, match=message):
        P.beta_bernoulli_posterior(a, b, x)


# --- the bootstrap --------------------------------------------------------------------------------

def test_bootstrap_distribution_resamples_with_replacement():
    x = np.arange(10.0)
    stats = P.bootstrap_distribution(x, np.min, n_resamples=20_000, random_state=0)
    # P(min > 0) = P(observation 0 never drawn) = (1 - 1/n)^n
    np.testing.assert_allclose(np.mean(stats > 0), 0.9 ** 10, atol=4 * np.sqrt(0.35 * 0.65 / 20_000))


def test_vectorised_and_looped_statistics_give_the_same_resamples():
    x = np.random.default_rng(1).exponential(size=25)
    a = P.bootstrap_distribution(x, np.mean, n_resamples=300, random_state=4)
    b = P.bootstrap_distribution(x, lambda s: float(np.mean(s)), n_resamples=300, random_state=4)
    np.testing.assert_allclose(a, b, rtol=1e-12)


SCIPY_HAS_BOOTSTRAP_RESULT = "bootstrap_result" in __import__("inspect").signature(st.bootstrap).parameters


@pytest.mark.skipif(not SCIPY_HAS_BOOTSTRAP_RESULT, reason="scipy.stats.bootstrap takes bootstrap_result from 1.11")
@pytest.mark.parametrize("method, scipy_method", [("percentile", "percentile"), ("basic", "basic"), ("bca", "BCa")])
@pytest.mark.parametrize("statistic", [np.mean, np.median])
def test_bootstrap_ci_equals_scipy_on_the_same_resamples(method, scipy_method, statistic):
    from types import SimpleNamespace
    x = np.random.default_rng(2).exponential(size=31)       # odd n: the median has ties in the resamples
    theta = P.bootstrap_distribution(x, statistic, n_resamples=5000, random_state=0)
    ours = P.bootstrap_ci(x, statistic, n_resamples=5000, method=method, random_state=0)
    ref = st.bootstrap((x,), statistic, method=scipy_method, n_resamples=0,
                       bootstrap_result=SimpleNamespace(bootstrap_distribution=theta)).confidence_interval
    np.testing.assert_allclose(ours, (ref.low, ref.high), rtol=1e-12)


@pytest.mark.parametrize("method", ["percentile", "basic", "bca"])
def test_bootstrap_ci_agrees_with_scipy_on_its_own_resamples_to_monte_carlo_precision(method):
    x = np.random.default_rng(2).exponential(size=60)
    ours = P.bootstrap_ci(x, np.mean, n_resamples=20_000, method=method, random_state=0)
    ref = st.bootstrap((x,), np.mean, method={"bca": "BCa"}.get(method, method), n_resamples=20_000,
                       random_state=0).confidence_interval
    np.testing.assert_allclose(ours, (ref.low, ref.high), atol=0.06 * (ref.high - ref.low))


@pytest.mark.parametrize("method", ["percentile", "basic", "bca"])
def test_bootstrap_ci_is_equivariant_under_negation_even_with_ties(method):
    x = np.random.default_rng(8).normal(size=21)
    lo, hi = P.bootstrap_ci(x, np.median, n_resamples=3000, method=method, random_state=1)
    lo_neg, hi_neg = P.bootstrap_ci(-x, np.median, n_resamples=3000, method=method, random_state=1)
    np.testing.assert_allclose([lo, hi], [-hi_neg, -lo_neg], rtol=1e-12)
    P.bootstrap_ci(x, np.min, method="bca", n_resamples=500, random_state=0)   # defined, as for np.max
    P.bootstrap_ci(x, np.max, method="bca", n_resamples=500, random_state=0)


def test_studentized_interval_equals_a_direct_computation_and_the_t_interval_for_large_gaussian_samples():
    se = lambda s, axis=-1: s.std(axis=axis, ddof=1) / np.sqrt(s.shape[axis])
    x = np.random.default_rng(4).exponential(size=25)
    lo, hi = P.bootstrap_ci(x, np.mean, n_resamples=4000, method="studentized", std_error=se, random_state=3)
    rng = np.random.default_rng(3)
    t = []
    for _ in range(4000):
        s = x[rng.integers(0, x.size, size=x.size)]
        t.append((s.mean() - x.mean()) / (s.std(ddof=1) / np.sqrt(x.size)))
    q_lo, q_hi = np.percentile(t, [2.5, 97.5])
    se_x = x.std(ddof=1) / np.sqrt(x.size)
    np.testing.assert_allclose([lo, hi], [x.mean() - q_hi * se_x, x.mean() - q_lo * se_x], rtol=1e-10)
    y = np.random.default_rng(5).normal(size=400)
    lo, hi = P.bootstrap_ci(y, np.mean, n_resamples=4000, method="studentized", std_error=se, random_state=0)
    ref = st.ttest_1samp(y, 0.0).confidence_interval()
    np.testing.assert_allclose([lo, hi], [ref.low, ref.high], atol=0.1 * (ref.high - ref.low))
    with pytest.raises(ValueError, match="needs std_error"):
        P.bootstrap_ci(y, np.mean, method="studentized")


def test_bca_uses_the_jackknife_in_blocks_for_large_samples():
    x = np.random.default_rng(5).lognormal(size=3000)       # 3000 leave-one-out rows: several blocks
    ours = P.bootstrap_ci(x, np.mean, n_resamples=4000, method="bca", random_state=0)
    ref = st.bootstrap((x,), np.mean, method="BCa", n_resamples=4000, random_state=0).confidence_interval
    np.testing.assert_allclose(ours, (ref.low, ref.high), atol=0.06 * (ref.high - ref.low))


def test_bootstrap_percentile_interval_of_the_mean_is_near_the_normal_interval():
    x = np.random.default_rng(6).normal(5.0, 2.0, size=400)
    low, high = P.bootstrap_ci(x, np.mean, level=0.9, random_state=1)
    se = x.std() / np.sqrt(x.size)
    np.testing.assert_allclose([low, high], x.mean() + np.array([-1, 1]) * st.norm.ppf(0.95) * se, atol=0.1 * se * 3.3)


@pytest.mark.parametrize("kwargs, err, message", [
    (dict(level=1.0), ValueError, "strictly between 0 and 1"),
    (dict(level=0), ValueError, "strictly between 0 and 1"),
    (dict(method="jackknife"), ValueError, "method must be one of"),
    (dict(n_resamples=0), ValueError, "n_resamples must be > 0"),
])
def test_bootstrap_ci_refuses_bad_options(kwargs, err, message):
    with pytest.raises(err, match=message):
        P.bootstrap_ci(np.arange(5.0), np.mean, **kwargs)


def test_bootstrap_refuses_bad_data_and_statistics():
    with pytest.raises(ValueError, match="at least 2 observations"):
        P.bootstrap_ci([1.0], np.mean)
    with pytest.raises(ValueError, match="NaN"):
        P.bootstrap_ci([1.0, np.nan, 2.0], np.mean)
    with pytest.raises(TypeError, match="callable"):
        P.bootstrap_ci([1.0, 2.0], "mean")
    with pytest.raises(ValueError, match="one number per sample"):
        P.bootstrap_ci([1.0, 2.0, 3.0], lambda s, axis: s)
    with pytest.raises(ValueError, match="batch=True"):
        P.bootstrap_ci(np.ones((50, 2)), np.mean)
    with pytest.raises(ValueError, match=r"shape \(R, n\)"):
        P.bootstrap_ci(np.ones(5), np.mean, batch=True)
    with pytest.raises(ValueError, match="BCa interval is undefined"):
        P.bootstrap_ci(np.ones(10), np.mean, method="bca")
    with pytest.raises(ValueError, match="not 95"):
        P.bootstrap_ci(np.arange(5.0), np.mean, level=95)


# --- point and interval estimates of a proportion -------------------------------------------------

@pytest.mark.parametrize("a, b", [(2.0, 2.0), (5.0, 19.0), (1.5, 30.0), (40.0, 1.2)])
def test_beta_mode_is_the_maximiser_of_the_density(a, b):
    from scipy.optimize import minimize_scalar
    res = minimize_scalar(lambda t: -st.beta(a, b).logpdf(t), bounds=(1e-9, 1 - 1e-9), method="bounded",
                          options={"xatol": 1e-10})
    np.testing.assert_allclose(P.beta_mode(a, b), res.x, atol=1e-7)


def test_beta_mode_at_the_ends_and_the_refused_cases():
    assert P.beta_mode(1.0, 3.0) == 0.0 and P.beta_mode(0.5, 1.0) == 0.0
    assert P.beta_mode(3.0, 1.0) == 1.0 and P.beta_mode(1.0, 0.5) == 1.0
    for a, b in [(1.0, 1.0), (0.5, 0.5)]:
        with pytest.raises(ValueError, match="no unique mode"):
            P.beta_mode(a, b)


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_wilson_interval_equals_scipy(level):
    n = 37
    ks = np.arange(n + 1)
    low, high = P.binomial_ci(ks, n, level=level)
    ref = np.array([st.binomtest(int(k), n).proportion_ci(confidence_level=level, method="wilson") for k in ks])
    np.testing.assert_allclose(np.column_stack([low, high]), ref, rtol=1e-10, atol=1e-12)


def test_wald_interval_is_the_normal_approximation_and_collapses_at_zero():
    low, high = P.binomial_ci(12, 40, method="wald")
    half = st.norm.ppf(0.975) * np.sqrt(0.3 * 0.7 / 40)
    np.testing.assert_allclose([low, high], [0.3 - half, 0.3 + half], rtol=1e-12)
    assert P.binomial_ci(0, 40, method="wald") == (0.0, 0.0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(k=5, n=4), "between 0 and n"),
    (dict(k=1.5, n=4), "whole numbers"),
    (dict(k=-1, n=4), "between 0 and n"),
    (dict(k=1, n=0), "n must be > 0"),
    (dict(k=1, n=4, level=95), "strictly between"),
    (dict(k=1, n=4, method="score"), "method must be"),
])
def test_binomial_ci_refuses_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        P.binomial_ci(**kwargs)


# --- distances, conditionals, discrete quantiles, exact means, batches -----------------------------

def test_mahalanobis_equals_scipy():
    from scipy.spatial.distance import mahalanobis as sp_mahalanobis
    mean, cov = np.array([1.0, -1.0, 0.0]), random_spd(3, 2)
    X = np.random.default_rng(0).normal(size=(20, 3))
    ref = [sp_mahalanobis(x, mean, np.linalg.inv(cov)) for x in X]
    np.testing.assert_allclose(P.mahalanobis(X, mean, cov), ref, rtol=1e-11)
    # the log-density is -1/2 its square plus a constant
    lp = P.gaussian_logpdf(X, mean, cov)
    np.testing.assert_allclose(lp + 0.5 * P.mahalanobis(X, mean, cov) ** 2, np.full(20, lp[0] + 0.5 * ref[0] ** 2), rtol=1e-12)


def test_gaussian_conditional_matches_regression_on_samples_and_the_two_variable_formula():
    rho, s1, s2 = 0.8, 1.5, 0.5
    cov = np.array([[s1 ** 2, rho * s1 * s2], [rho * s1 * s2, s2 ** 2]])
    m, c = P.gaussian_conditional([1.0, 2.0], cov, [1], [2.5])
    np.testing.assert_allclose(m, [1.0 + rho * s1 / s2 * 0.5], rtol=1e-13)
    np.testing.assert_allclose(c, [[s1 ** 2 * (1 - rho ** 2)]], rtol=1e-13)
    # 4-D: the regression of x_a on x_b over many samples recovers Sigma_ab Sigma_bb^-1 and the Schur complement
    mean, S = np.array([0.0, 1.0, -1.0, 2.0]), random_spd(4, 9)
    X = P.sample_gaussian(mean, S, 400_000, random_state=1)
    b, a = [1, 3], [0, 2]
    Xb = np.column_stack([np.ones(len(X)), X[:, b]])
    coef, *_ = np.linalg.lstsq(Xb, X[:, a], rcond=None)
    resid_cov = np.cov(X[:, a] - Xb @ coef, rowvar=False)
    xb = np.array([0.3, 1.7])
    m, c = P.gaussian_conditional(mean, S, b, xb)
    np.testing.assert_allclose(m, coef[0] + xb @ coef[1:], atol=0.02)
    np.testing.assert_allclose(c, resid_cov, rtol=0.02, atol=0.01)


@pytest.mark.parametrize("given, x_given, message", [
    ([0, 1], [1.0, 2.0], "nothing is left"),
    ([2], [1.0], r"in \[0, 2\)"),
    ([0, 0], [1.0, 1.0], "distinct"),
    ([0.5], [1.0], "integer"),
    ([0], [1.0, 2.0], "1 index"),
])
def test_gaussian_conditional_refuses_bad_indices(given, x_given, message):
    with pytest.raises(ValueError, match=message):
        P.gaussian_conditional([0.0, 0.0], np.eye(2), given, x_given)


def test_a_covariance_singular_up_to_rounding_is_refused():
    X = np.random.default_rng(0).normal(size=(50, 2))
    X = np.column_stack([X, X.sum(axis=1)])            # the third feature is the sum of the others
    cov = np.cov(X, rowvar=False)
    with pytest.raises(ValueError, match="singular"):
        P.gaussian_logpdf(X, X.mean(axis=0), cov)


def test_discrete_quantile_equals_scipy_rv_discrete():
    values, probs = np.array([1.0, 2.0, 5.0, 7.0]), np.array([0.1, 0.4, 0.3, 0.2])
    u = np.random.default_rng(0).random(1000)
    ref = st.rv_discrete(values=(values, probs)).ppf(u)
    np.testing.assert_array_equal(P.discrete_quantile(values, probs)(u), ref)
    x = P.inverse_cdf_sample(P.discrete_quantile(values, probs), 40_000, random_state=1)
    counts = np.array([(x == v).sum() for v in values])
    assert st.chisquare(counts, probs * x.size).pvalue > 0.01


@pytest.mark.parametrize("values, probs, message", [
    ([1, 2], [0.5, 0.6], "sum to 1"),
    ([1, 2], [1.0], "same length"),
    ([2, 1], [0.5, 0.5], "increasing"),
])
def test_discrete_quantile_refuses_bad_input(values, probs, message):
    with pytest.raises(ValueError, match=message):
        P.discrete_quantile(values, probs)


@pytest.mark.parametrize("source, direct", [
    ("exponential", lambda rng, n, m: rng.exponential(size=(m, n)).mean(axis=1)),
    ("bernoulli", lambda rng, n, m: (rng.random((m, n)) < 0.1).mean(axis=1)),
    ("chi2", lambda rng, n, m: (rng.standard_normal((m, n)) ** 2).mean(axis=1)),
    ("cauchy", lambda rng, n, m: rng.standard_cauchy((m, n)).mean(axis=1)),
    ("uniform", lambda rng, n, m: rng.random((m, n)).mean(axis=1)),
])
def test_sample_means_has_the_law_of_simulated_means(source, direct):
    n, m = 12, 4000
    exact = P.sample_means(source, n, m, random_state=0)
    simulated = direct(np.random.default_rng(1), n, m)
    if source == "bernoulli":      # discrete: compare the counts of each value
        vals = np.arange(n + 1) / n
        c1, c2 = [np.array([(np.isclose(v, x)).sum() for x in vals]) for v in (exact, simulated)]
        keep = (c1 + c2) > 10
        assert st.chi2_contingency(np.vstack([c1[keep], c2[keep]]))[1] > 0.01
    else:
        assert st.ks_2samp(exact, simulated).pvalue > 0.01


def test_sample_means_refuses_bad_input_and_caps_the_uniform_work():
    assert P.sample_means("uniform", 1000, 10_000, max_draws=100_000).shape == (100,)
    with pytest.raises(ValueError, match="source must be"):
        P.sample_means("lognormal", 3, 10)
    with pytest.raises(ValueError, match="p must be"):
        P.sample_means("bernoulli", 3, 10, p=1.0)


@pytest.mark.parametrize("method", ["percentile", "basic", "bca"])
def test_bootstrap_ci_on_a_batch_equals_one_sample_at_a_time(method):
    X = np.random.default_rng(3).exponential(size=(7, 15))
    low, high = P.bootstrap_ci(X, np.mean, n_resamples=500, method=method, batch=True,
                               random_state=np.random.default_rng(0))
    g = np.random.default_rng(0)
    one = np.array([P.bootstrap_ci(x, np.mean, n_resamples=500, method=method, random_state=g) for x in X])
    np.testing.assert_allclose(np.column_stack([low, high]), one, rtol=1e-12)
    # and the interpolated quantiles are numpy's
    theta = P.bootstrap_distribution(X[0], np.mean, n_resamples=500, random_state=5)
    lo, hi = P.bootstrap_ci(X[0], np.mean, n_resamples=500, random_state=5)
    np.testing.assert_allclose([lo, hi], np.percentile(theta, [2.5, 97.5]), rtol=1e-13)


def test_clopper_pearson_equals_scipy_and_covers_at_least_the_level():
    n = 20
    ks = np.arange(n + 1)
    low, high = P.binomial_ci(ks, n, method="exact")
    ref = np.array([st.binomtest(int(k), n).proportion_ci(method="exact") for k in ks])
    np.testing.assert_allclose(np.column_stack([low, high]), ref, rtol=1e-9, atol=1e-12)
    mus = np.linspace(0.001, 0.999, 999)
    inside = (low[None, :] <= mus[:, None]) & (mus[:, None] <= high[None, :])
    coverage = (st.binom.pmf(ks[None, :], n, mus[:, None]) * inside).sum(axis=1)
    assert coverage.min() >= 0.95


def test_sample_means_gamma_shape_and_its_errors():
    m = P.sample_means("gamma", 10, 20_000, shape=0.5, random_state=0)
    assert st.kstest(m, st.gamma(5.0, scale=0.1).cdf).pvalue > 0.01
    with pytest.raises(ValueError, match="shape must be > 0"):
        P.sample_means("gamma", 3, 10, shape=0.0)


def test_rejection_sampling_draws_the_target_and_needs_about_m_proposals_each():
    f = st.beta(2, 5).pdf
    M = 30 * 0.2 * 0.8 ** 4                      # the maximum of the Beta(2, 5) density, at 0.2
    x, drawn = P.rejection_sample(f, lambda rng, m: rng.random(m), lambda y: np.ones_like(y), M, 20_000,
                                  random_state=1)
    assert x.shape == (20_000,) and st.kstest(x, st.beta(2, 5).cdf).pvalue > 0.01
    rate = 20_000 / drawn
    assert abs(rate - 1 / M) < 4 * np.sqrt((1 / M) * (1 - 1 / M) / drawn)
    with pytest.raises(ValueError, match="increase M"):
        P.rejection_sample(f, lambda rng, m: rng.random(m), lambda y: np.ones_like(y), 1.0, 100, random_state=0)

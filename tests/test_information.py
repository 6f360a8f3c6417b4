"""mlbook.information against SciPy, scikit-learn and PyTorch, and the bad inputs it refuses."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st
import torch
from scipy.spatial.distance import jensenshannon
from sklearn.metrics import mutual_info_score

from mlbook import information as I
from mlbook.trees import impurity


def random_distribution(k: int, seed: int, zeros: int = 0) -> np.ndarray:
    p = np.random.default_rng(seed).dirichlet(np.ones(k))
    p[:zeros] = 0.0
    return p / p.sum()


@pytest.mark.parametrize("base", [2, np.e, 10])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_entropy_cross_entropy_and_kl_equal_scipy(base, seed):
    p, q = random_distribution(6, seed, zeros=1), random_distribution(6, seed + 100)
    np.testing.assert_allclose(I.entropy(p, base), st.entropy(p, base=base), rtol=1e-12)
    np.testing.assert_allclose(I.kl_divergence(p, q, base), st.entropy(p, q, base=base), rtol=1e-12)
    # H(p, q) = H(p) + KL(p || q)
    np.testing.assert_allclose(I.cross_entropy(p, q, base), st.entropy(p, base=base) + st.entropy(p, q, base=base),
                               rtol=1e-12)


def test_batches_along_the_last_axis():
    P = np.stack([random_distribution(4, s) for s in range(5)])
    Q = np.stack([random_distribution(4, s + 9) for s in range(5)])
    np.testing.assert_allclose(I.entropy(P), st.entropy(P, base=2, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(I.kl_divergence(P, Q), st.entropy(P, Q, base=2, axis=-1), rtol=1e-12)
    assert I.entropy(P).shape == (5,)


def test_entropy_bounds_and_the_fair_coin():
    assert I.entropy([0.5, 0.5]) == 1.0
    np.testing.assert_allclose(I.entropy([0.5, 0.5], base=np.e), np.log(2), rtol=1e-15)
    assert I.entropy([0.0, 1.0, 0.0]) == 0.0
    np.testing.assert_allclose(I.entropy(np.full(8, 1 / 8)), 3.0, rtol=1e-15)


def test_kl_is_infinite_where_q_is_zero_and_p_is_not_and_zero_for_equal_distributions():
    assert I.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert I.cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert I.kl_divergence([1.0, 0.0], [0.5, 0.5]) == 1.0          # p = 0 terms contribute nothing
    p = random_distribution(5, 3)
    assert I.kl_divergence(p, p) == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_js_divergence_is_the_square_of_scipys_jensenshannon(seed):
    p, q = random_distribution(7, seed, zeros=2), random_distribution(7, seed + 50)
    np.testing.assert_allclose(I.js_divergence(p, q), jensenshannon(p, q, base=2) ** 2, rtol=1e-10)
    np.testing.assert_allclose(I.js_divergence(p, q, np.e), jensenshannon(p, q) ** 2, rtol=1e-10)
    assert I.js_divergence(p, q) == pytest.approx(I.js_divergence(q, p), rel=1e-14)


def test_js_divergence_of_disjoint_supports_is_one_bit():
    assert I.js_divergence([0.5, 0.5, 0, 0], [0, 0, 0.2, 0.8]) == pytest.approx(1.0, rel=1e-15)


def test_mutual_information_and_conditional_entropy_equal_sklearn():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 4, size=2000)
    y = (x + rng.integers(0, 2, size=2000)) % 3
    table = np.zeros((4, 3))
    np.add.at(table, (x, y), 1.0)
    joint = table / table.sum()
    np.testing.assert_allclose(I.mutual_information(joint, base=np.e), mutual_info_score(x, y), rtol=1e-12)
    np.testing.assert_allclose(I.mutual_information(joint), mutual_info_score(x, y) / np.log(2), rtol=1e-12)
    # H(Y | X) = H(X, Y) - H(X), and chapter 6's conditional entropy of y given the feature x
    h_xy, h_x = I.entropy(joint.ravel()), I.entropy(joint.sum(axis=1))
    np.testing.assert_allclose(I.conditional_entropy(joint), h_xy - h_x, rtol=1e-12)
    np.testing.assert_allclose(I.conditional_entropy(joint), impurity.conditional_entropy(x, y), rtol=1e-12)
    np.testing.assert_allclose(I.mutual_information(joint), impurity.information_gain(x, y), rtol=1e-12)


def test_mutual_information_is_zero_for_independent_variables_and_symmetric():
    joint = np.outer([0.2, 0.3, 0.5], [0.6, 0.4])
    assert I.mutual_information(joint) == pytest.approx(0.0, abs=1e-15)
    J = np.random.default_rng(4).dirichlet(np.ones(12)).reshape(3, 4)
    assert I.mutual_information(J) == pytest.approx(I.mutual_information(J.T), rel=1e-13)


def test_the_trees_use_this_entropy():
    counts = np.array([[3.0, 1.0, 0.0], [0.0, 0.0, 0.0], [2.0, 2.0, 4.0]])
    np.testing.assert_allclose(impurity.impurity_from_counts(counts, "entropy"), I.entropy_of_counts(counts))
    np.testing.assert_allclose(I.entropy_of_counts(counts), [st.entropy([3, 1, 0], base=2), 0.0, 1.5], rtol=1e-13)


def is_prefix_free(codes: list[str]) -> bool:
    return not any(a != b and b.startswith(a) for a in codes for b in codes) and len(set(codes)) == len(codes)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("k", [2, 3, 5, 26])
def test_huffman_codes_are_prefix_free_and_within_one_bit_of_the_entropy(seed, k):
    p = random_distribution(k, seed)
    codes = I.huffman_code(p)
    assert is_prefix_free(codes) and set("".join(codes)) <= {"0", "1"}
    L = float(p @ [len(c) for c in codes])
    H = I.entropy(p)
    assert H - 1e-12 <= L < H + 1
    # Kraft: a full binary tree, so sum 2^-l = 1
    assert sum(2.0 ** -len(c) for c in codes) == pytest.approx(1.0, rel=1e-15)


def test_huffman_meets_the_entropy_for_dyadic_probabilities():
    codes = I.huffman_code([0.5, 0.25, 0.125, 0.125])
    assert [len(c) for c in codes] == [1, 2, 3, 3]
    assert I.huffman_code([1.0]) == ["0"]


@pytest.mark.parametrize("seed", [0, 1])
def test_gaussian_kl_and_entropy_equal_torch(seed):
    rng = np.random.default_rng(seed)
    mu_p, mu_q = rng.normal(size=3), rng.normal(size=3)
    var_p, var_q = rng.uniform(0.1, 3, size=3), rng.uniform(0.1, 3, size=3)
    P = torch.distributions.Normal(torch.tensor(mu_p), torch.tensor(np.sqrt(var_p)))
    Q = torch.distributions.Normal(torch.tensor(mu_q), torch.tensor(np.sqrt(var_q)))
    ref = torch.distributions.kl_divergence(P, Q).numpy()
    np.testing.assert_allclose(I.gaussian_kl(mu_p[0], var_p[0], mu_q[0], var_q[0]), ref[0], rtol=1e-12)
    np.testing.assert_allclose(I.gaussian_kl(mu_p, var_p, mu_q, var_q), ref, rtol=1e-12)          # element-wise
    np.testing.assert_allclose(I.gaussian_kl(mu_p, var_p, mu_q, var_q, diagonal=True), ref.sum(), rtol=1e-12)
    np.testing.assert_allclose(I.gaussian_entropy(var_p, diagonal=True), P.entropy().numpy().sum(), rtol=1e-12)
    np.testing.assert_allclose(I.gaussian_entropy(var_p), P.entropy().numpy(), rtol=1e-12)
    np.testing.assert_allclose(I.gaussian_entropy(var_p[0]), st.norm(0, np.sqrt(var_p[0])).entropy(), rtol=1e-12)


def test_differential_entropy_can_be_negative():
    assert I.gaussian_entropy(0.01) < 0
    assert I.gaussian_entropy(1 / (2 * np.pi * np.e)) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("call, message", [
    (lambda: I.entropy([0.5, 0.6]), "sum to 1"),
    (lambda: I.entropy([1.2, -0.2]), "negative"),
    (lambda: I.entropy(0.5), "at least 1-D"),
    (lambda: I.entropy([0.5, 0.5], base=1), "must not be 1"),
    (lambda: I.entropy([0.5, 0.5], base=-2), "base must be > 0"),
    (lambda: I.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5]), "same outcomes"),
    (lambda: I.cross_entropy([0.5, np.nan], [0.5, 0.5]), "NaN"),
    (lambda: I.mutual_information([[0.2, 0.2], [0.2, 0.2]]), "sum to 1"),
    (lambda: I.mutual_information([0.5, 0.5]), "2-D"),
    (lambda: I.conditional_entropy([[0.6, -0.1], [0.5, 0.0]]), "negative"),
    (lambda: I.huffman_code([[0.5, 0.5]]), "1-D"),
    (lambda: I.gaussian_kl(0.0, 0.0, 0.0, 1.0), "var_p must be > 0"),
    (lambda: I.gaussian_kl([0.0, 1.0], [1.0, 1.0], [0.0, 0.0, 0.0], 1.0), "do not broadcast"),
    (lambda: I.gaussian_entropy(-1.0), "var must be > 0"),
    (lambda: I.entropy_of_counts([1.0, -1.0]), "non-negative"),
])
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def mixture_logpdf(d: float):
    from scipy.special import logsumexp
    return lambda x: logsumexp([st.norm(-d / 2, 1).logpdf(x), st.norm(d / 2, 1).logpdf(x)], axis=0, b=0.5)


@pytest.mark.parametrize("d", [0.0, 2.0, 6.0])
def test_forward_kl_fit_matches_the_moments_of_the_mixture(d):
    mu, var, kl = I.fit_gaussian_kl(mixture_logpdf(d), "forward", grid=np.linspace(-15, 15, 3001))
    np.testing.assert_allclose([mu, var], [0.0, 1.0 + d ** 2 / 4], atol=1e-8)   # Var = 1 + (d/2)^2
    assert kl >= 0


def test_reverse_kl_fit_seeks_one_mode_when_the_modes_are_far_apart():
    grid = np.linspace(-15, 15, 3001)
    mu, var, kl = I.fit_gaussian_kl(mixture_logpdf(8.0), "reverse", grid=grid)
    np.testing.assert_allclose([abs(mu), var], [4.0, 1.0], atol=5e-3)   # the other mode pulls a little
    np.testing.assert_allclose(kl, np.log(2), atol=5e-3)         # one of two equal modes: KL = log 2
    # it beats the moment-matched Gaussian in its own divergence, computed independently by quadrature
    from scipy.integrate import quad
    p = lambda x: np.exp(mixture_logpdf(8.0)(np.array([x])))[0]
    q_fwd = st.norm(0, np.sqrt(17.0))
    reverse_of_forward = quad(lambda x: q_fwd.pdf(x) * (q_fwd.logpdf(x) - np.log(p(x))), -40, 40, limit=200)[0]
    assert kl < reverse_of_forward


def test_fit_gaussian_kl_refuses_bad_input():
    grid = np.linspace(-5, 5, 101)
    with pytest.raises(ValueError, match="direction"):
        I.fit_gaussian_kl(st.norm.logpdf, "both", grid=grid)
    with pytest.raises(ValueError, match="integrates to"):
        I.fit_gaussian_kl(st.norm(0, 10).logpdf, grid=grid)
    with pytest.raises(ValueError, match="increasing"):
        I.fit_gaussian_kl(st.norm.logpdf, grid=grid[::-1])
    with pytest.raises(TypeError, match="callable"):
        I.fit_gaussian_kl(None, grid=grid)


@pytest.mark.parametrize("lengths", [[3, 1, 3, 2], [2, 2, 2, 2], [1, 2, 3, 4, 5, 5], [4, 4, 4]])
def test_prefix_code_from_lengths_has_those_lengths_and_is_prefix_free(lengths):
    codes = I.prefix_code_from_lengths(lengths)
    assert [len(c) for c in codes] == lengths and I.is_prefix_free(codes)
    assert I.prefix_code_from_lengths([3, 1, 3, 2]) == ["110", "0", "111", "10"]


def test_prefix_code_from_lengths_refuses_lengths_beyond_kraft():
    with pytest.raises(ValueError, match="Kraft"):
        I.prefix_code_from_lengths([1, 1, 2])
    with pytest.raises(ValueError, match="positive whole numbers"):
        I.prefix_code_from_lengths([0, 1])
    with pytest.raises(ValueError, match="positive whole numbers"):
        I.prefix_code_from_lengths([1.5, 2])
    assert I.prefix_code_from_lengths(np.ceil([0.5, 1.2, 1.7])) == ["0", "10", "11"]   # np.ceil gives floats


def test_encode_decode_round_trip_and_errors():
    p = random_distribution(9, 4)
    codes = I.huffman_code(p)
    msg = list(np.random.default_rng(0).choice(9, size=500, p=p))
    bits = I.encode(msg, codes)
    assert I.decode(bits, codes) == msg
    assert not I.is_prefix_free(["0", "01", "11"])
    with pytest.raises(ValueError, match="prefix-free"):
        I.decode("0011", ["0", "01", "11"])
    with pytest.raises(ValueError, match="inside a codeword"):
        I.decode(bits + max(codes, key=len)[:-1], codes)
    with pytest.raises(ValueError, match="only '0' and '1'"):
        I.decode("0a", ["0", "1"])
    with pytest.raises(ValueError, match="integer indices"):
        I.encode([9], codes)
    with pytest.raises(ValueError, match="integer indices"):
        I.encode([-1], codes)
    assert I.expected_code_length(p, codes) == pytest.approx(sum(pi * len(c) for pi, c in zip(p, codes)))


def test_total_variation_is_half_the_l1_distance_and_the_largest_event_gap():
    from itertools import chain, combinations
    from scipy.spatial.distance import cityblock
    p, q = random_distribution(5, 1), random_distribution(5, 2)
    assert I.total_variation(p, q) == pytest.approx(cityblock(p, q) / 2, rel=1e-14)
    events = chain.from_iterable(combinations(range(5), r) for r in range(6))
    gap = max(abs(p[list(A)].sum() - q[list(A)].sum()) for A in events)
    assert I.total_variation(p, q) == pytest.approx(gap, rel=1e-12)
    assert I.total_variation([1, 0], [0, 1]) == 1.0
    assert I.total_variation(p, q) <= np.sqrt(I.kl_divergence(p, q, np.e) / 2)     # Pinsker


def test_conditional_mutual_information_from_entropies_and_the_xor_example():
    J = np.random.default_rng(7).dirichlet(np.ones(24)).reshape(2, 3, 4)
    H = lambda t: st.entropy(t.ravel(), base=2)
    # I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)
    ref = H(J.sum(axis=1)) + H(J.sum(axis=0)) - H(J) - H(J.sum(axis=(0, 1)))
    np.testing.assert_allclose(I.conditional_mutual_information(J), ref, rtol=1e-12)
    xor = np.zeros((2, 2, 2))
    for x in (0, 1):
        for y in (0, 1):
            xor[x, y, x ^ y] = 0.25
    assert I.mutual_information(xor.sum(axis=2)) == pytest.approx(0.0, abs=1e-15)
    assert I.conditional_mutual_information(xor) == pytest.approx(1.0, rel=1e-14)
    with pytest.raises(ValueError, match="3-D"):
        I.conditional_mutual_information(np.eye(2) / 2)


def test_mutual_information_of_counts_is_the_g_statistic_and_batches():
    rng = np.random.default_rng(0)
    tables = rng.integers(0, 30, size=(5, 3, 4)).astype(float)
    mi = I.mutual_information_of_counts(tables, base=np.e)
    for t, m in zip(tables, mi):
        g = st.chi2_contingency(t, correction=False, lambda_="log-likelihood")[0]
        np.testing.assert_allclose(2 * t.sum() * m, g, rtol=1e-10)
        np.testing.assert_allclose(m * 1 / np.log(2), I.mutual_information(t / t.sum()), rtol=1e-12)
    with pytest.raises(ValueError, match="at least one count"):
        I.mutual_information_of_counts(np.zeros((2, 2)))


def test_float32_probabilities_from_a_softmax_are_accepted():
    logits = torch.randn(4, 10, generator=torch.Generator().manual_seed(0))
    q = torch.softmax(logits, dim=-1)                       # float32: sums miss 1 by ~1e-7
    p = np.full(10, 0.1)
    ref = st.entropy(np.broadcast_to(p, (4, 10)), q.double().numpy(), base=2, axis=-1)
    np.testing.assert_allclose(I.kl_divergence(p, q.numpy()), ref, rtol=1e-5)
    np.testing.assert_allclose(I.entropy(q), st.entropy(q.double().numpy(), base=2, axis=-1), rtol=1e-5)
    with pytest.raises(ValueError, match="sum to 1"):
        I.entropy(np.array([0.5, 0.5001]))                  # float64: no such slack


def test_kl_divergence_is_accurate_for_nearby_distributions():
    from scipy.special import rel_entr
    p = np.array([0.5, 0.5])
    q = p + np.array([1e-9, -1e-9])
    np.testing.assert_allclose(I.kl_divergence(p, q, np.e), rel_entr(p, q).sum(), rtol=1e-6)


def best_length_by_search(p):
    """The smallest expected length over all codeword lengths that satisfy Kraft (small alphabets)."""
    from itertools import product
    k = len(p)
    best = np.inf
    for lengths in product(range(1, k), repeat=k):
        if sum(2.0 ** -np.array(lengths)) <= 1:
            best = min(best, float(np.dot(p, lengths)))
    return best


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_huffman_is_optimal_against_exhaustive_search(seed, k):
    p = random_distribution(k, seed)
    assert I.expected_code_length(p, I.huffman_code(p)) == pytest.approx(best_length_by_search(p), rel=1e-12)


def test_perplexity_of_a_uniform_model_is_the_number_of_outcomes():
    assert I.perplexity(np.full(50, 0.1)) == pytest.approx(10.0, rel=1e-14)
    q = np.random.default_rng(0).uniform(0.05, 1, size=30)
    assert I.perplexity(q) == pytest.approx(st.gmean(1 / q), rel=1e-12)
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        I.perplexity([0.5, 0.0])


def test_gaussian_diagonal_needs_an_axis_and_reverse_fit_refuses_bounded_support():
    with pytest.raises(ValueError, match="last axis"):
        I.gaussian_kl(0.0, 1.0, 0.0, 2.0, diagonal=True)
    grid = np.linspace(-2, 2, 400_001)              # fine enough that the uniform integrates to 1
    uniform_logpdf = lambda x: np.where(np.abs(x) <= 1, np.log(0.5), -np.inf)
    with pytest.raises(ValueError, match="infinite from every start"):
        I.fit_gaussian_kl(uniform_logpdf, "reverse", grid=grid)


def test_reverse_fit_of_a_symmetric_mixture_picks_the_right_hand_mode():
    mu, var, kl = I.fit_gaussian_kl(mixture_logpdf(8.0), "reverse", grid=np.linspace(-15, 15, 3001))
    assert mu > 0


def test_js_divergence_with_subnormal_probabilities_is_finite():
    p = np.array([1.0 - 5e-324, 5e-324, 0.0])
    q = np.array([0.5, 0.0, 0.5])
    from mlbook.information import js_divergence
    d = js_divergence(p, q, base=np.e)
    assert np.isfinite(d)
    assert d == pytest.approx(js_divergence([1.0, 0.0, 0.0], [0.5, 0.0, 0.5], base=np.e), rel=1e-12)

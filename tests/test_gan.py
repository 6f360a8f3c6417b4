"""mlbook.gan against closed forms, SciPy and PyTorch; bad input refused."""
import numpy as np
import pytest
import scipy.stats
import torch

import mlbook
from mlbook import gan
from mlbook.data import make_gaussian_ring, ring_centers
from mlbook.information import js_divergence


@pytest.mark.parametrize("seed", range(5))
def test_value_at_the_optimal_discriminator_is_minus_log4_plus_twice_the_jsd(seed):
    rng = np.random.default_rng(seed)
    p, q = rng.dirichlet(np.ones(12)), rng.dirichlet(np.ones(12))
    q[:3] = 0                                     # parts of the support the generator misses
    q /= q.sum()
    v = gan.gan_value(p, q)
    assert v == pytest.approx(-np.log(4) + 2 * js_divergence(p, q, base=np.e), abs=1e-12)
    d_star = gan.optimal_discriminator(p, q)
    for _ in range(20):                           # no other discriminator does better
        d = np.clip(d_star + 0.1 * rng.normal(size=12), 1e-6, 1 - 1e-6)
        assert gan.gan_value(p, q, d) <= v + 1e-12


def test_value_at_the_optimal_discriminator_survives_far_apart_tails():
    assert gan.gan_value([1.0, 0.0], [1e-20, 1.0]) == pytest.approx(-1e-20 * np.log(1e20), rel=0.05)   # was -inf
    x = np.linspace(-9, 9, 2001)
    p, q = scipy.stats.norm.pdf(x), scipy.stats.norm.pdf(x, 6, 1)
    P, Q = p / p.sum(), q / q.sum()                # where q/p < 1e-16, 1 - D* would round to 0
    v = gan.gan_value(P, Q)
    assert np.isfinite(v)
    assert v == pytest.approx(-np.log(4) + 2 * js_divergence(P, Q, base=np.e), abs=1e-12)


def test_optimal_discriminator_on_densities_and_the_global_optimum():
    x = np.linspace(-8, 8, 4001)
    p, q = scipy.stats.norm.pdf(x, 0, 1), scipy.stats.norm.pdf(x, 1, 2)
    d = gan.optimal_discriminator(p, q)
    np.testing.assert_allclose(d, p / (p + q))
    assert gan.gan_value(p, p) == pytest.approx(-np.log(4) * p.sum())   # p_g = p_data: D* = 1/2
    np.testing.assert_array_equal(gan.optimal_discriminator([0.0, 1.0], [0.0, 0.0]), [0.5, 1.0])


@pytest.mark.parametrize("seed", range(4))
def test_wasserstein_1d_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    u, v = rng.normal(size=50), rng.standard_t(3, size=70) + 0.5
    wu, wv = rng.random(50), rng.random(70)
    assert gan.wasserstein_1d(u, v) == pytest.approx(scipy.stats.wasserstein_distance(u, v), rel=1e-12)
    assert gan.wasserstein_1d(u, v, wu, wv) == pytest.approx(
        scipy.stats.wasserstein_distance(u, v, wu, wv), rel=1e-12)
    w = rng.normal(size=50)                       # equal sizes: the mean gap between sorted samples
    assert gan.wasserstein_1d(u, w) == pytest.approx(np.mean(np.abs(np.sort(u) - np.sort(w))), rel=1e-12)


def test_frechet_distance_closed_forms():
    assert gan.frechet_distance([0.0], [[1.0]], [3.0], [[4.0]]) == pytest.approx(9 + (1 - 2) ** 2)
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(4, 4)), rng.normal(size=(4, 4))
    c1, c2 = A @ A.T + np.eye(4), B @ B.T
    m1, m2 = rng.normal(size=4), rng.normal(size=4)
    import scipy.linalg
    ref = np.sum((m1 - m2) ** 2) + np.trace(c1 + c2 - 2 * scipy.linalg.sqrtm(c1 @ c2).real)
    assert gan.frechet_distance(m1, c1, m2, c2) == pytest.approx(ref, rel=1e-9)
    assert gan.frechet_distance(m1, c1, m1, c1) == pytest.approx(0, abs=1e-9)
    s = np.diag([1.0, 4.0])                       # commuting covariances: sum of (√a - √b)²
    assert gan.frechet_distance([0, 0], s, [0, 0], np.diag([9.0, 1.0])) == pytest.approx(4 + 1)


def test_inception_score_bounds_and_entropy_form():
    from mlbook.information import entropy
    assert gan.inception_score(np.eye(10)) == pytest.approx(10.0)          # confident and balanced
    assert gan.inception_score(np.full((5, 4), 0.25)) == pytest.approx(1.0)  # uniform predictions
    assert gan.inception_score(np.tile(np.eye(3)[1], (6, 1))) == pytest.approx(1.0)   # one class only
    P = np.random.default_rng(0).dirichlet(np.ones(6) * 0.3, size=200)
    mi = entropy(P.mean(axis=0), base=np.e) - np.mean([entropy(p, base=np.e) for p in P])
    assert gan.inception_score(P) == pytest.approx(np.exp(mi), rel=1e-10)


def test_frechet_distance_of_samples_uses_mean_and_covariance():
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(400, 3)), rng.normal(1.0, 2.0, size=(300, 3))
    ref = gan.frechet_distance(A.mean(0), np.cov(A.T), B.mean(0), np.cov(B.T))
    assert gan.frechet_distance_of_samples(A, B) == pytest.approx(ref)
    one_d = gan.frechet_distance_of_samples(A[:, :1], B[:, :1])
    assert one_d == pytest.approx((A[:, 0].mean() - B[:, 0].mean()) ** 2 + (A[:, 0].std(ddof=1) - B[:, 0].std(ddof=1)) ** 2)


def test_spectral_norm_matches_the_svd_and_torch():
    W = np.random.default_rng(0).normal(size=(20, 7))
    sigma = np.linalg.svd(W, compute_uv=False)
    assert gan.spectral_norm(W, n_iter=100) == pytest.approx(sigma[0], rel=1e-10)
    assert gan.spectral_norm(np.zeros((3, 2))) == 0.0
    lin = torch.nn.utils.parametrizations.spectral_norm(torch.nn.Linear(7, 20).double())
    with torch.no_grad():
        lin.parametrizations.weight.original.copy_(torch.tensor(W))
        for _ in range(200):
            lin.train()(torch.zeros(1, 7, dtype=torch.float64))     # each forward pass is one power step
        np.testing.assert_allclose(lin.eval().weight.numpy(), W / sigma[0], atol=1e-8)


def test_mode_coverage_on_the_ring():
    X, y = make_gaussian_ring(800, random_state=1)
    C = ring_centers()
    assert np.bincount(y).tolist() == [100] * 8
    np.testing.assert_allclose(C[2], [0.0, 2.0], atol=1e-15)
    assert gan.mode_coverage(X, C, radius=0.25) == (8, 1.0)
    collapsed = C[3] + 0.05 * np.random.default_rng(0).normal(size=(500, 2))
    assert gan.mode_coverage(collapsed, C, radius=0.25) == (1, 1.0)
    spread = np.random.default_rng(0).uniform(-3, 3, size=(1000, 2))
    covered, near = gan.mode_coverage(spread, C, radius=0.25)    # about 0.55% of the samples per disc
    assert covered <= 2 and near < 0.1                             # stray samples do not cover a mode
    assert gan.mode_coverage(spread, C, radius=0.25, min_fraction=0.001)[0] == 8


def test_gradient_penalty_of_a_linear_critic_is_a_closed_form():
    w = torch.tensor([3.0, 4.0])
    critic = lambda x: x @ w                     # gradient w everywhere, norm 5
    real, fake = torch.randn(16, 2), torch.randn(16, 2)
    assert float(gan.gradient_penalty(critic, real, fake, random_state=0)) == pytest.approx(16.0)
    mlp = gan.MLPCritic(2, hidden=8, n_layers=2)
    gp = gan.gradient_penalty(mlp, real, fake, random_state=0)
    gp.backward()                                 # differentiable with respect to the critic
    assert all(p.grad is not None for p in mlp.parameters() if p.ndim == 2)   # the output bias has no effect on ∇f


def test_losses_are_the_formulas():
    r, f = torch.tensor([0.3, -1.0]), torch.tensor([2.0, -0.5])
    D = torch.sigmoid
    d, g = gan.gan_losses("saturating", r, f)
    assert float(d) == pytest.approx(float(-(torch.log(D(r)).mean() + torch.log(1 - D(f)).mean())))
    assert float(g) == pytest.approx(float(torch.log(1 - D(f)).mean()))
    _, g = gan.gan_losses("non-saturating", r, f)
    assert float(g) == pytest.approx(float(-torch.log(D(f)).mean()))
    d, g = gan.gan_losses("wgan-gp", r, f)
    assert float(d) == pytest.approx(float(f.mean() - r.mean())) and float(g) == pytest.approx(float(-f.mean()))


def test_shapes_of_the_digit_networks():
    G, D = gan.DigitsGenerator(latent_dim=16, channels=8), gan.DigitsCritic(channels=8)
    x = G(torch.randn(5, 16))
    assert x.shape == (5, 1, 8, 8) and float(x.detach().abs().max()) <= 1
    assert D(x).shape == (5,) and D(x[:, 0]).shape == (5,)


def test_train_gan_is_deterministic_and_learns_a_gaussian():
    data = np.random.default_rng(0).normal(3.0, 0.5, size=(2000, 1))

    def run():
        mlbook.seed_everything(0)
        G, D = gan.MLPGenerator(1, 1, hidden=16, n_layers=2), gan.MLPCritic(1, hidden=16, n_layers=2)
        return gan.train_gan(G, D, data, loss="non-saturating", steps=300, batch_size=64, lr=2e-3,
                             snapshot_every=100, n_snapshot=1000, device="cpu", show_progress=False)

    h1, h2 = run(), run()
    assert h1["d_loss"] == h2["d_loss"]
    assert [s for s, _ in h1["snapshots"]] == [0, 100, 200, 300]
    final = h1["snapshots"][-1][1]
    assert abs(final.mean() - 3.0) < 0.3, final.mean()
    assert len(h1["g_loss"]) == 300 and 0 < min(h1["d_real"]) and max(h1["d_real"]) < 1


@pytest.mark.parametrize("loss", ["wgan-gp", "wgan-clip", "saturating"])
def test_train_gan_runs_every_loss(loss):
    X, _ = make_gaussian_ring(256)
    G, D = gan.MLPGenerator(2, 2, hidden=8, n_layers=1), gan.MLPCritic(2, hidden=8, n_layers=1)
    h = gan.train_gan(G, D, X, loss=loss, steps=5, n_critic=2, batch_size=32, device="cpu", show_progress=False)
    assert len(h["d_loss"]) == 5 and np.isfinite(h["d_loss"]).all()
    if loss == "wgan-clip":
        assert max(float(p.abs().max()) for p in D.parameters()) <= 0.01 + 1e-7


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_train_gan_agrees_on_cpu_and_cuda():
    X, _ = make_gaussian_ring(256)
    out = {}
    for dev in ("cpu", "cuda"):
        torch.manual_seed(0)
        G, D = gan.MLPGenerator(2, 2, hidden=8, n_layers=1), gan.MLPCritic(2, hidden=8, n_layers=1)
        out[dev] = gan.train_gan(G, D, X, loss="wgan-gp", steps=5, device=dev, show_progress=False)
    np.testing.assert_allclose(out["cpu"]["d_loss"], out["cuda"]["d_loss"], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("call,match", [
    (lambda: gan.optimal_discriminator([0.5, 0.5], [1.0]), "same shape"),
    (lambda: gan.optimal_discriminator([-0.1, 1.1], [0.5, 0.5]), "non-negative"),
    (lambda: gan.gan_value([0.5, 0.5], [0.5, 0.5], [0.5, 1.5]), r"\[0, 1\]"),
    (lambda: gan.wasserstein_1d([1.0, 2.0], [1.0], u_weights=[1.0]), "one weight per sample"),
    (lambda: gan.wasserstein_1d([1.0, np.nan], [1.0]), "NaN|nan|finite"),
    (lambda: gan.frechet_distance([0, 0], np.eye(2), [0], np.eye(1)), "same length"),
    (lambda: gan.frechet_distance([0, 0], [[1, 2], [0, 1]], [0, 0], np.eye(2)), "symmetric"),
    (lambda: gan.frechet_distance([0, 0], [[1, 0], [0, -1]], [0, 0], np.eye(2)), "semi-definite"),
    (lambda: gan.spectral_norm(np.ones(3)), "dimension|ndim|2-D|shape"),
    (lambda: gan.inception_score(np.full((2, 3), 0.5)), "probability vector"),
    (lambda: gan.frechet_distance_of_samples(np.ones((4, 2)), np.ones((4, 3))), "same number of features"),
    (lambda: gan.frechet_distance_of_samples(np.ones((1, 2)), np.ones((4, 2))), "at least 2"),
    (lambda: gan.mode_coverage(np.ones((4, 3)), ring_centers(), 0.2), "same number of features"),
    (lambda: gan.mode_coverage(np.ones((4, 2)), ring_centers(), 0.2, min_fraction=2), "min_fraction"),
    (lambda: gan.gradient_penalty(lambda x: x.sum(1), torch.ones(3, 2), torch.ones(4, 2)), "same shape"),
    (lambda: gan.gan_losses("hinge", torch.ones(2), torch.ones(2)), "unknown loss"),
    (lambda: gan.train_gan(gan.MLPGenerator(), gan.MLPCritic(), np.ones((10, 2)), loss="lsgan"), "unknown loss"),
    (lambda: gan.train_gan(torch.nn.Linear(2, 2), gan.MLPCritic(), np.ones((10, 2))), "latent_dim"),
    (lambda: gan.train_gan(gan.MLPGenerator(), gan.MLPCritic(), np.ones((10, 2)), steps=0), "steps"),
    (lambda: gan.MLPGenerator(latent_dim=3)(torch.ones(4, 2)), r"\(batch, 3\)"),
    (lambda: gan.MLPCritic(in_dim=2)(torch.ones(4, 3)), "2 features"),
    (lambda: gan.DigitsCritic()(torch.ones(4, 1, 7, 7)), r"\(batch, 1, 8, 8\)"),
    (lambda: make_gaussian_ring(10, std=0), "std"),
    (lambda: ring_centers(0), "n_modes"),
])
def test_bad_input_is_refused_with_a_clear_message(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_train_gan_multi_tensor_adam_gives_the_single_tensor_numbers(monkeypatch):
    """train_gan asks Adam for its foreach (multi-tensor) update; on the CPU it must change no number."""
    import mlbook.gan.training as training

    X, _ = make_gaussian_ring(512)

    def run():
        torch.manual_seed(0)
        G, D = gan.MLPGenerator(2, 2, 16, 2), gan.MLPCritic(2, 16, 2)
        h = gan.train_gan(G, D, X, loss="wgan-gp", steps=20, n_critic=2, snapshot_every=10, n_snapshot=64,
                          device="cpu", random_state=0, show_progress=False)
        return h["snapshots"][-1][1], h["d_loss"]

    fast = run()
    adam = torch.optim.Adam
    monkeypatch.setattr(training.torch.optim, "Adam", lambda params, **kw: adam(params, **{**kw, "foreach": False}))
    slow = run()
    np.testing.assert_array_equal(fast[0], slow[0])
    assert fast[1] == slow[1]

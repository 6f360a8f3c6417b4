"""mlbook.rl.policy_gradient: reward-to-go against a direct sum, the REINFORCE gradient against the closed-form
gradient of a softmax bandit, determinism, CartPole training, and the bad inputs refused."""
import gymnasium as gym
import numpy as np
import pytest
import torch

from mlbook.rl.policy_gradient import (PolicyNetwork, ValueNetwork, discounted_returns, policy_gradient_loss,
                                       reinforce)


class OneStepBandit(gym.Env):
    """A bandit as a one-step episodic environment: constant observation, reward N(mu_a, 1), then the end."""

    def __init__(self, means=(1.0, 2.0, 4.0)):
        self.means = np.asarray(means, dtype=float)
        self.observation_space = gym.spaces.Box(-1.0, 1.0, shape=(1,), dtype=np.float32)
        self.action_space = gym.spaces.Discrete(len(self.means))

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return np.ones(1, dtype=np.float32), {}

    def step(self, action):
        reward = float(self.means[action] + self.np_random.normal())
        return np.ones(1, dtype=np.float32), reward, True, False, {}


# ---------------------------------------------------------------- reward-to-go
@pytest.mark.parametrize("gamma", [0.0, 0.5, 0.9, 0.99, 1.0])
@pytest.mark.parametrize("seed", range(3))
def test_discounted_returns_equal_the_direct_sum(gamma, seed):
    r = np.random.default_rng(seed).normal(size=17)
    direct = np.array([sum(gamma ** (k - t) * r[k] for k in range(t, len(r))) for t in range(len(r))])
    np.testing.assert_allclose(discounted_returns(r, gamma), direct, rtol=1e-12, atol=1e-12)


def test_discounted_returns_hand_cases():
    np.testing.assert_allclose(discounted_returns([1.0, 1.0, 1.0], 0.5), [1.75, 1.5, 1.0])
    np.testing.assert_allclose(discounted_returns([0, 0, 100], 0.9), [81.0, 90.0, 100.0])
    np.testing.assert_allclose(discounted_returns([1, 1, 1, 1], 1.0), [4, 3, 2, 1])
    assert discounted_returns([], 0.9).shape == (0,)


@pytest.mark.parametrize("bad, match", [(([1.0], 1.5), "gamma"), (([1.0], -0.1), "gamma"), (([1.0], "0.9"), "gamma"),
                                        (([[1.0, 2.0]], 0.9), "1-D"), (([1.0, np.nan], 0.9), "NaN")])
def test_discounted_returns_refuses_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        discounted_returns(*bad)


# ---------------------------------------------------------------- the gradient
def _bandit_policy(theta):
    """A linear softmax policy whose logits at the observation [1] are exactly theta (weight 0, bias theta)."""
    policy = PolicyNetwork(1, len(theta), hidden=()).double()
    with torch.no_grad():
        policy.net[0].weight.zero_()
        policy.net[0].bias.copy_(torch.as_tensor(theta))
    return policy


@pytest.mark.parametrize("seed", range(4))
def test_expected_reinforce_gradient_equals_the_closed_form(seed):
    """E[G grad log pi(a)] over the actions, by autograd through the surrogate, equals pi_k (mu_k - pi.mu)."""
    rng = np.random.default_rng(seed)
    theta, mu = rng.normal(size=4), rng.normal(size=4) * 3
    policy = _bandit_policy(theta)
    pi = np.exp(theta - theta.max())
    pi /= pi.sum()
    obs = torch.ones(4, 1, dtype=torch.float64)
    actions = torch.arange(4)
    weights = torch.as_tensor(pi * mu)          # each action weighted by its probability: an exact expectation
    policy_gradient_loss(policy(obs), actions, weights).backward()
    ours = -policy.net[0].bias.grad.numpy()
    closed = pi * (mu - pi @ mu)
    np.testing.assert_allclose(ours, closed, rtol=1e-12, atol=1e-14)
    # a constant baseline changes nothing in expectation: sum_a pi_a grad log pi_a = grad sum_a pi_a = 0
    policy.zero_grad()
    policy_gradient_loss(policy(obs), actions, torch.as_tensor(pi * (mu - 7.0))).backward()
    np.testing.assert_allclose(-policy.net[0].bias.grad.numpy(), closed, rtol=1e-10, atol=1e-12)


def test_monte_carlo_reinforce_gradient_is_unbiased_and_the_baseline_lowers_its_variance():
    theta, mu = np.array([0.3, 0.0, -0.4]), np.array([1.0, 2.0, 4.0])
    pi = np.exp(theta) / np.exp(theta).sum()
    exact = pi * (mu - pi @ mu)
    rng = np.random.default_rng(0)
    n = 20_000
    a = rng.choice(3, size=n, p=pi)
    r = mu[a] + rng.normal(size=n)
    policy = _bandit_policy(theta)
    obs = torch.ones(n, 1, dtype=torch.float64)
    estimates = {}
    for name, b in (("none", 0.0), ("value", pi @ mu)):
        # per-sample gradients via the surrogate: the gradient w.r.t. the logits of each sample
        logits = policy(obs).detach().requires_grad_(True)
        policy_gradient_loss(logits, torch.as_tensor(a), torch.as_tensor(r - b), n_episodes=1).backward()
        g = -logits.grad.numpy()                                 # (n, 3), row i = (r_i - b)(e_{a_i} - pi)
        np.testing.assert_allclose(g, (np.eye(3)[a] - pi) * (r - b)[:, None], rtol=1e-10, atol=1e-12)
        se = g.std(axis=0, ddof=1) / np.sqrt(n)
        assert np.all(np.abs(g.mean(axis=0) - exact) < 4 * se), (name, g.mean(axis=0), exact, se)
        estimates[name] = g.var(axis=0, ddof=1).sum()
    assert estimates["value"] < 0.5 * estimates["none"], estimates


def test_networks_shapes_and_linear_policy():
    p = PolicyNetwork(4, 2)
    assert p(torch.zeros(5, 4)).shape == (5, 2)
    v = ValueNetwork(4, hidden=(8,))
    assert v(torch.zeros(5, 4)).shape == (5,)
    assert len(list(PolicyNetwork(3, 2, hidden=()).parameters())) == 2


# ---------------------------------------------------------------- training
def test_reinforce_is_deterministic_and_learns_the_best_arm():
    runs = [reinforce(OneStepBandit(), n_updates=60, episodes_per_update=16, lr=0.05, hidden=(), baseline=b,
                      random_state=3, device="cpu", progress=False) for b in ("value", "value", "mean", None)]
    np.testing.assert_array_equal(runs[0].episode_returns, runs[1].episode_returns)
    np.testing.assert_array_equal(runs[0].losses, runs[1].losses)
    for run in runs:
        with torch.no_grad():
            probs = torch.softmax(run.policy(torch.ones(1, 1)), dim=1)[0]
        assert int(probs.argmax()) == 2 and probs[2] > 0.6, probs
        assert run.episode_returns[-160:].mean() > run.episode_returns[:160].mean() + 0.5
    assert runs[0].value is not None and runs[2].value is None


def test_reinforce_with_a_learned_baseline_improves_on_cartpole():
    env = gym.make("CartPole-v1")
    result = reinforce(env, n_updates=40, episodes_per_update=4, lr=0.01, baseline="value", eval_every=20,
                       eval_episodes=5, random_state=2, device="cpu", progress=False)
    returns = result.episode_returns
    assert len(returns) == 160 and len(result.losses) == 40
    assert returns[-40:].mean() > 2 * returns[:40].mean(), (returns[:40].mean(), returns[-40:].mean())
    assert [h[0] for h in result.eval_history] == [80, 160]
    assert result.eval_returns.shape == (5,)


def test_normalized_weights_still_learn_the_best_arm():
    run = reinforce(OneStepBandit(), n_updates=60, episodes_per_update=16, lr=0.05, hidden=(), baseline=None,
                    normalize=True, random_state=3, device="cpu", progress=False)
    with torch.no_grad():
        probs = torch.softmax(run.policy(torch.ones(1, 1)), dim=1)[0]
    assert int(probs.argmax()) == 2 and probs[2] > 0.6, probs


def test_surrogate_treats_the_weights_as_constants():
    weights = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    logits = torch.zeros(3, 2, requires_grad=True)
    policy_gradient_loss(logits, torch.tensor([0, 1, 1]), weights).backward()
    assert weights.grad is None and logits.grad is not None
    # with zero logits, -dL/dz_i = w_i (e_{a_i} - (1/2, 1/2))
    expected = torch.tensor([[0.5, -0.5], [1.0, -1.0], [-0.25, 0.25]])
    torch.testing.assert_close(-logits.grad, expected)


def test_stop_return_ends_training_early():
    result = reinforce(OneStepBandit(), n_updates=500, episodes_per_update=8, lr=0.05, hidden=(), eval_every=5,
                       eval_episodes=5, stop_return=3.0, random_state=0, device="cpu", progress=False)
    assert result.eval_history[-1][1] >= 3.0
    assert len(result.losses) < 500


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, error, match", [
    ({"baseline": "median"}, ValueError, "baseline"),
    ({"gamma": 1.2}, ValueError, "gamma"),
    ({"lr": 0.0}, ValueError, "lr"),
    ({"value_lr": -1.0}, ValueError, "value_lr"),
    ({"n_updates": 0}, ValueError, "n_updates"),
    ({"episodes_per_update": 2.5}, TypeError, "episodes_per_update"),
    ({"eval_every": 0}, ValueError, "eval_every"),
    ({"stop_return": 100.0}, ValueError, "eval_every"),
    ({"random_state": -1}, ValueError, "random_state"),
    ({"hidden": (64, 0)}, ValueError, "hidden"),
    ({"hidden": 64}, ValueError, "hidden"),
])
def test_reinforce_refuses_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        reinforce(OneStepBandit(), n_updates=kwargs.pop("n_updates", 1), device="cpu", progress=False, **kwargs)


def test_reinforce_refuses_environments_it_cannot_handle():
    with pytest.raises(TypeError, match="discrete action space"):
        reinforce(gym.make("Pendulum-v1"), n_updates=1, progress=False)
    with pytest.raises(TypeError, match="1-D Box"):
        reinforce(gym.make("FrozenLake-v1"), n_updates=1, progress=False)


def test_networks_and_loss_refuse_bad_shapes():
    with pytest.raises(ValueError, match="shape"):
        PolicyNetwork(4, 2)(torch.zeros(3, 5))
    with pytest.raises(ValueError, match="shape"):
        ValueNetwork(4)(torch.zeros(4))
    with pytest.raises(ValueError, match="obs_dim"):
        PolicyNetwork(0, 2)
    with pytest.raises(ValueError, match="expected logits"):
        policy_gradient_loss(torch.zeros(3, 2), torch.zeros(2, dtype=torch.long), torch.zeros(3))
    with pytest.raises(ValueError, match="n_episodes"):
        policy_gradient_loss(torch.zeros(3, 2), torch.zeros(3, dtype=torch.long), torch.zeros(3), n_episodes=0)

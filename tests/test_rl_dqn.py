"""mlbook.rl.evaluation, replay and dqn: hand-made batches, gymnasium CartPole; bad input refused."""
import gymnasium as gym
import numpy as np
import pytest

from mlbook.rl.evaluation import evaluate_policy


# ---------------------------------------------------------------- evaluation
def test_evaluate_policy_counts_cartpole_steps_and_uses_seed_plus_i():
    env = gym.make("CartPole-v1")
    returns = evaluate_policy(env, lambda obs: 0, n_episodes=4, seed=7)
    assert returns.shape == (4,) and returns.dtype == float
    expected = []                                    # the same episodes run by hand
    for i in range(4):
        env.reset(seed=7 + i)
        n, done = 0, False
        while not done:
            _, r, term, trunc, _ = env.step(0)
            n += r
            done = term or trunc
        expected.append(n)
    np.testing.assert_array_equal(returns, expected)
    np.testing.assert_array_equal(returns, evaluate_policy(env, lambda obs: 0, 4, seed=7))   # repeatable


def test_evaluate_policy_stops_at_truncation_and_max_steps():
    env = gym.make("CartPole-v1", max_episode_steps=15)
    good = lambda obs: int(obs[2] + obs[3] > 0)      # push towards the falling side
    np.testing.assert_array_equal(evaluate_policy(env, good, 3, seed=0), [15.0, 15.0, 15.0])
    np.testing.assert_array_equal(evaluate_policy(env, good, 2, seed=0, max_steps=5), [5.0, 5.0])


@pytest.mark.parametrize("kwargs, error", [
    (dict(policy_fn=3), TypeError), (dict(n_episodes=0), ValueError), (dict(n_episodes=2.0), TypeError),
    (dict(seed=-1), ValueError), (dict(seed=True), TypeError), (dict(max_steps=0), ValueError),
    (dict(env="CartPole-v1"), TypeError)])
def test_evaluate_policy_refuses_bad_input(kwargs, error):
    args = dict(env=gym.make("CartPole-v1"), policy_fn=lambda obs: 0, n_episodes=2, seed=0) | kwargs
    with pytest.raises(error):
        evaluate_policy(**args)


# ---------------------------------------------------------------- replay buffer
import torch  # noqa: E402

from mlbook.rl.dqn import (QNetwork, dqn_loss, dqn_targets, greedy_action, hard_update,  # noqa: E402
                           linear_epsilon, soft_update, train_dqn)
from mlbook.rl.replay import ReplayBuffer  # noqa: E402


def _filled(capacity, n, seed=0):
    buf = ReplayBuffer(capacity, 2, random_state=seed)
    for t in range(n):
        buf.add([t, -t], t % 3, float(t), [t + 1, -t - 1], terminated=(t % 4 == 3))
    return buf


def test_buffer_is_circular_and_keeps_the_most_recent():
    buf = _filled(5, 12)
    assert len(buf) == 5
    assert sorted(buf.obs[:, 0].tolist()) == [7.0, 8.0, 9.0, 10.0, 11.0]   # 0..6 overwritten, oldest first
    i = int(np.where(buf.obs[:, 0] == 11)[0][0])                            # each row stays one transition
    assert buf.actions[i] == 11 % 3 and buf.rewards[i] == 11 and buf.next_obs[i, 0] == 12
    assert buf.terminated[i] == 1.0 and buf.terminated[buf.obs[:, 0] == 9].item() == 0.0
    obs, act, rew, nxt, term = buf.latest(3)
    np.testing.assert_array_equal(obs[:, 0].numpy(), [9, 10, 11])           # in time order
    assert len(_filled(5, 3)) == 3


def test_buffer_samples_uniformly_from_what_it_holds_and_repeats_with_a_seed():
    buf = _filled(10, 25)
    draws = [buf.sample(10) for _ in range(2000)]          # at most what it holds per call
    obs, act, nxt = (torch.cat([d[k] for d in draws]) for k in (0, 1, 3))
    assert obs.dtype == torch.float32 and act.dtype == torch.int64 and obs.shape == (20_000, 2)
    np.testing.assert_array_equal(nxt[:, 0].numpy(), obs[:, 0].numpy() + 1)   # rows not mixed up
    counts = np.bincount(obs[:, 0].numpy().astype(int) - 15, minlength=10)
    assert counts.min() > 0 and set(obs[:, 0].numpy().astype(int)) == set(range(15, 25))
    assert np.abs(counts / 20_000 - 0.1).max() < 0.012                     # ~ 3.5 standard errors
    a, b = _filled(10, 25, seed=3), _filled(10, 25, seed=3)
    torch.testing.assert_close(a.sample(8)[0], b.sample(8)[0])


@pytest.mark.parametrize("call, error", [
    (lambda b: b.sample(6), ValueError), (lambda b: b.sample(0), ValueError), (lambda b: b.latest(9), ValueError),
    (lambda b: b.add([1, 2, 3], 0, 1.0, [1, 2], False), ValueError),
    (lambda b: b.add([1, 2], -1, 1.0, [1, 2], False), ValueError),
    (lambda b: b.add([1, 2], 0, np.nan, [1, 2], False), ValueError)])
def test_buffer_refuses_bad_input(call, error):
    with pytest.raises(error):
        call(_filled(10, 5))


@pytest.mark.parametrize("args, error", [((0, 2), ValueError), ((10, 0), ValueError), ((2.5, 2), TypeError)])
def test_buffer_constructor_refuses_bad_sizes(args, error):
    with pytest.raises(error):
        ReplayBuffer(*args)


# ---------------------------------------------------------------- network, targets, loss, updates
def test_qnetwork_shape_and_seeded_initialisation():
    a, b, c = QNetwork(4, 3, random_state=1), QNetwork(4, 3, random_state=1), QNetwork(4, 3, random_state=2)
    x = torch.randn(5, 4)
    assert a(x).shape == (5, 3) and a(x[0]).shape == (3,)
    torch.testing.assert_close(a(x), b(x))
    assert not torch.allclose(a(x), c(x))
    for layer in a.net:
        if isinstance(layer, torch.nn.Linear):
            assert layer.weight.abs().max() <= 1 / np.sqrt(layer.in_features)
    for bad in [dict(obs_dim=0), dict(n_actions=0), dict(hidden=(64, 0)), dict(hidden=64)]:
        with pytest.raises((ValueError, TypeError)):
            QNetwork(**(dict(obs_dim=4, n_actions=2) | bad))


class _Table(torch.nn.Module):
    """A 'network' that looks its Q-values up by the first coordinate of the state."""

    def __init__(self, table):
        super().__init__()
        self.table = torch.nn.Parameter(torch.tensor(table, dtype=torch.float32))

    def forward(self, obs):
        return self.table[obs[:, 0].long()]


def _batch():
    obs = torch.tensor([[0.0], [1.0], [2.0]])
    actions = torch.tensor([1, 0, 1])
    rewards = torch.tensor([1.0, -1.0, 0.5])
    next_obs = torch.tensor([[1.0], [2.0], [0.0]])
    terminated = torch.tensor([0.0, 1.0, 0.0])
    return obs, actions, rewards, next_obs, terminated


def test_targets_and_loss_on_a_hand_made_batch():
    online = _Table([[0.0, 2.0], [1.0, -1.0], [3.0, 0.5]])
    target = _Table([[4.0, -2.0], [0.5, 1.5], [-1.0, 2.5]])
    gamma = 0.9
    # by hand: y = r + gamma (1 - d) max_a' Q^-(s', a')
    y = np.array([1.0 + 0.9 * 1.5, -1.0, 0.5 + 0.9 * 4.0])          # s'=1 -> 1.5; terminal; s'=0 -> 4.0
    q_taken = np.array([2.0, 1.0, 0.5])
    u = q_taken - y                                                  # [-0.35, 2.0, -3.6]
    huber = np.where(np.abs(u) <= 1, 0.5 * u**2, np.abs(u) - 0.5).mean()
    batch = _batch()
    np.testing.assert_allclose(dqn_targets(batch[2], target(batch[3]), batch[4], gamma).numpy(), y, rtol=1e-6)
    np.testing.assert_allclose(dqn_loss(online, target, batch, gamma).item(), huber, rtol=1e-6)
    np.testing.assert_allclose(dqn_loss(online, target, batch, gamma, loss="mse").item(), (u**2).mean(), rtol=1e-6)


def test_targets_do_not_backpropagate_semi_gradient():
    online = _Table([[0.0, 2.0], [1.0, -1.0], [3.0, 0.5]])
    batch = _batch()
    loss = dqn_loss(online, online, batch, 0.9, loss="mse")          # no target network: online is both
    loss.backward()
    # d/dQ(s_i, a_i) of mean (Q - y)^2 = 2 (Q - y) / B, and NOTHING flows into Q(s', .) through y
    y = np.array([1.0 + 0.9 * 1.0, -1.0, 0.5 + 0.9 * 2.0])
    expected = np.zeros((3, 2))
    expected[[0, 1, 2], [1, 0, 1]] = 2 * (np.array([2.0, 1.0, 0.5]) - y) / 3
    np.testing.assert_allclose(online.table.grad.numpy(), expected, rtol=1e-6)
    assert not dqn_targets(batch[2], online(batch[3]), batch[4], 0.9).requires_grad


def test_truncation_is_not_termination_in_the_target():
    rewards, next_q = torch.tensor([1.0, 1.0]), torch.tensor([[10.0, 20.0], [10.0, 20.0]])
    terminated = torch.tensor([1.0, 0.0])                 # the second episode was only truncated
    np.testing.assert_allclose(dqn_targets(rewards, next_q, terminated, 0.5).numpy(), [1.0, 11.0])
    buf = ReplayBuffer(4, 1)                               # what train_dqn stores for a truncated step
    env = gym.make("CartPole-v1", max_episode_steps=3)
    obs, _ = env.reset(seed=0)
    done = False
    while not done:
        nxt, r, term, trunc, _ = env.step(int(obs[2] + obs[3] > 0))
        buf.add(obs[:1], 0, r, nxt[:1], term)
        done, obs = term or trunc, nxt
    assert trunc and not term and buf.terminated[:3].tolist() == [0.0, 0.0, 0.0]


def test_soft_and_hard_updates():
    online, target = QNetwork(3, 2, random_state=0), QNetwork(3, 2, random_state=1)
    before = [p.detach().clone() for p in target.parameters()]
    soft_update(target, online, 0.1)
    for p_t, p0, p in zip(target.parameters(), before, online.parameters()):
        torch.testing.assert_close(p_t, 0.1 * p + 0.9 * p0)
    for _ in range(49):
        soft_update(target, online, 0.1)
    gap0 = max(float((p0 - p.detach()).abs().max()) for p0, p in zip(before, online.parameters()))
    gap = max(float((p_t - p).detach().abs().max()) for p_t, p in zip(target.parameters(), online.parameters()))
    assert gap <= 0.9**50 * gap0 * (1 + 1e-4) + 1e-6                  # shrinks like (1 - tau)^k
    hard_update(target, online)
    for p_t, p in zip(target.parameters(), online.parameters()):
        torch.testing.assert_close(p_t, p)
    for tau in (0.0, 1.5):
        with pytest.raises(ValueError):
            soft_update(target, online, tau)


def test_epsilon_schedule_and_greedy_action():
    eps = linear_epsilon(1.0, 0.1, 100)
    np.testing.assert_allclose([eps(0), eps(50), eps(100), eps(10_000)], [1.0, 0.55, 0.1, 0.1])
    net = _Table([[0.0, 2.0], [1.0, 1.0]])
    assert greedy_action(net, np.array([[0.0]]), "cpu") == 1
    assert greedy_action(net, np.array([[1.0]]), "cpu") == 0            # ties to the lowest index
    with pytest.raises(ValueError):
        linear_epsilon(1.2, 0.1, 10)


# ---------------------------------------------------------------- training
def test_train_dqn_is_deterministic_with_a_seed():
    kw = dict(n_steps=400, learning_starts=100, batch_size=16, eval_every=200, eval_episodes=2,
              random_state=3, device="cpu", progress=False)
    a, b = train_dqn(gym.make("CartPole-v1"), **kw), train_dqn(gym.make("CartPole-v1"), **kw)
    np.testing.assert_array_equal(a.episode_returns, b.episode_returns)
    np.testing.assert_array_equal(a.losses, b.losses)
    np.testing.assert_array_equal(a.eval_returns, b.eval_returns)
    for p, q in zip(a.q_network.parameters(), b.q_network.parameters()):
        torch.testing.assert_close(p, q, rtol=0, atol=0)
    assert a.eval_steps.tolist() == [200, 400] and a.eval_returns.shape == (2, 2)
    assert len(a.losses) == (400 - 100) // 2 + 1 and a.n_steps == 400 and not a.stopped
    c = train_dqn(gym.make("CartPole-v1"), **(kw | dict(random_state=4)))
    assert not np.array_equal(a.losses, c.losses)


@pytest.mark.parametrize("options", [dict(use_replay=False), dict(use_target=False), dict(target_update=0.05),
                                     dict(epsilon=0.1, loss="mse", eval_every=None)])
def test_train_dqn_variants_run(options):
    res = train_dqn(gym.make("CartPole-v1"), **(dict(n_steps=200, learning_starts=64, batch_size=32,
                                                     eval_every=100, eval_episodes=1, random_state=0,
                                                     device="cpu", progress=False) | options))
    assert len(res.losses) == (200 - 64) // 2 + 1 and np.all(np.isfinite(res.losses))


def test_train_dqn_learns_cartpole():
    env = gym.make("CartPole-v1")
    untrained = QNetwork(4, 2, random_state=0)
    before = evaluate_policy(env, lambda o: greedy_action(untrained, o, "cpu"), 10, seed=500).mean()
    res = train_dqn(env, n_steps=5000, eval_every=500, eval_episodes=3, stop_return=150, random_state=0,
                    device="cpu", progress=False)
    after = evaluate_policy(env, lambda o: greedy_action(res.best_network, o, "cpu"), 10, seed=500).mean()
    assert after > before + 50, (before, after)


@pytest.mark.parametrize("options, error", [
    (dict(n_steps=0), ValueError), (dict(n_steps=10.5), TypeError), (dict(batch_size=0), ValueError),
    (dict(buffer_size=8, batch_size=16), ValueError), (dict(gamma=1.5), ValueError), (dict(lr=0.0), ValueError),
    (dict(target_update=0), ValueError), (dict(target_update=1.5), ValueError), (dict(target_update="hard"), TypeError),
    (dict(loss="l1"), ValueError), (dict(epsilon=2.0), ValueError), (dict(epsilon="greedy"), TypeError),
    (dict(epsilon=(1.0, 0.1, 0)), ValueError), (dict(eval_every=None, stop_return=100.0), ValueError),
    (dict(train_every=0), ValueError), (dict(max_grad_norm=-1.0), ValueError)])
def test_train_dqn_refuses_bad_input(options, error):
    with pytest.raises(error):
        train_dqn(gym.make("CartPole-v1"), **(dict(n_steps=100, progress=False, device="cpu") | options))


@pytest.mark.parametrize("env_id", ["CliffWalking-v1", "Pendulum-v1"])
def test_train_dqn_refuses_unsuitable_spaces(env_id):
    with pytest.raises((ValueError, TypeError), match="Discrete action space and a 1-D Box"):
        train_dqn(gym.make(env_id), n_steps=10, progress=False, device="cpu")
    with pytest.raises(TypeError):
        train_dqn("CartPole-v1", n_steps=10)


def test_soft_update_with_tau_one_is_the_hard_copy_and_config_records_learning_starts():
    online, a, b = QNetwork(3, 2, random_state=0), QNetwork(3, 2, random_state=1), QNetwork(3, 2, random_state=1)
    soft_update(a, online, 1.0)
    hard_update(b, online)
    for p_a, p_b in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(p_a, p_b, rtol=0, atol=0)
    res = train_dqn(gym.make("CartPole-v1"), n_steps=40, batch_size=16, learning_starts=4, eval_every=None,
                    random_state=0, device="cpu", progress=False)
    assert res.config["learning_starts"] == 16 and len(res.losses) == (40 - 16) // 2 + 1

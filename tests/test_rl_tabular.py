"""mlbook.rl.tabular against value iteration, exact policy evaluation, hand computations and gymnasium."""
import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from mlbook.rl import TabularMDP, policy_evaluation, q_from_v, value_iteration
from mlbook.rl.tabular import (RandomWalkEnv, epsilon_greedy, mc_prediction, q_learning, sarsa, td_control,
                               td0_prediction)


class SlipperyChain(gym.Env):
    """States 0..n-1, the last terminal; action 1 moves right, 0 left, each with probability 0.8, else the
    other way (walls at 0). Every step earns -1, entering the terminal state +10 more. Starts uniformly."""

    def __init__(self, n=5, slip=0.2):
        self.n, self.slip = n, slip
        self.observation_space, self.action_space = gym.spaces.Discrete(n), gym.spaces.Discrete(2)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.s = int(self.np_random.integers(self.n - 1))
        return self.s, {}

    def step(self, a):
        move = (1 if a == 1 else -1) * (-1 if self.np_random.random() < self.slip else 1)
        self.s = max(self.s + move, 0)
        done = self.s == self.n - 1
        return self.s, -1.0 + 10.0 * done, done, False, {}

    def mdp(self, gamma):
        n = self.n
        P, R = np.zeros((n, 2, n)), np.zeros((n, 2))
        for s in range(n - 1):
            for a in range(2):
                for move, p in (((1 if a else -1), 1 - self.slip), ((-1 if a else 1), self.slip)):
                    P[s, a, max(s + move, 0)] += p
                R[s, a] = -1.0 + 10.0 * P[s, a, n - 1]
        P[n - 1, :, n - 1] = 1.0                            # terminal: absorbing, reward 0
        return TabularMDP(P, R, gamma)


def numpy_value_iteration_q(mdp, sweeps=2000):
    """Q* by iterating Q <- R + gamma P max_a' Q (written here, independent of the package)."""
    q = np.zeros_like(mdp.R)
    for _ in range(sweeps):
        q = mdp.R + mdp.gamma * mdp.P @ q.max(axis=1)
    return q


# ----------------------------------------------------------------------------------------------- control
def test_q_learning_approaches_q_star_of_value_iteration():
    env = SlipperyChain()
    mdp = env.mdp(0.9)
    q_star = numpy_value_iteration_q(mdp)
    v_star, _ = value_iteration(mdp)
    np.testing.assert_allclose(q_star, q_from_v(mdp, v_star), atol=1e-8)   # two independent routes to Q*
    # uniform behaviour (epsilon = 1): off-policy, Q-learning still estimates q_*
    Q, _ = q_learning(env, 3000, alpha=lambda n: 1 / n**0.7, gamma=0.9, epsilon=1.0, random_state=0)
    err = np.abs(Q[:-1] - q_star[:-1]).max()
    assert err < 0.25, err                                  # max |Q*| = 7.95: within about 3 % (0.17 measured)
    assert np.all(Q[-1] == 0)                               # the terminal state is never updated
    assert np.array_equal(Q[:-1].argmax(axis=1), q_star[:-1].argmax(axis=1))


@pytest.mark.parametrize("expected", [False, True])
def test_sarsa_with_decaying_epsilon_finds_the_optimal_policy(expected):
    env = SlipperyChain()
    q_star = numpy_value_iteration_q(env.mdp(0.9))
    Q, _ = sarsa(env, 3000, alpha=lambda n: 1 / n**0.7, gamma=0.9, epsilon=lambda k: 1 / (1 + k / 10),
                 random_state=1, expected=expected)
    assert np.array_equal(Q[:-1].argmax(axis=1), q_star[:-1].argmax(axis=1))
    assert np.abs(Q[:-1].max(axis=1) - q_star[:-1].max(axis=1)).max() < 0.3


class Recorder(gym.Wrapper):
    def reset(self, **kw):
        s, info = self.env.reset(**kw)
        self.log.append(("reset", s))
        return s, info

    def step(self, a):
        out = self.env.step(a)
        self.log.append(("step", a, *out[:4]))
        return out


def replay_updates(log, n_states, n_actions, alpha, gamma, rule, epsilon=0.2):
    """The update equations applied by hand to the recorded transitions."""
    q = np.zeros((n_states, n_actions))
    s = None
    for i, e in enumerate(log):
        if e[0] == "reset":
            s = e[1]
            continue
        _, a, s2, r, term, trunc = e
        if term:
            target = r
        elif rule == "q":
            target = r + gamma * q[s2].max()
        elif rule == "expected":                            # Expected SARSA: mean under epsilon-greedy
            pi = np.full(n_actions, epsilon / n_actions)
            best = q[s2] == q[s2].max()
            pi[best] += (1 - epsilon) / best.sum()
            target = r + gamma * pi @ q[s2]
        else:                                               # SARSA: the action recorded next
            target = r + gamma * q[s2, log[i + 1][1]]       # (this chain never truncates)
        q[s, a] += alpha * (target - q[s, a])
        s = s2
    return q


@pytest.mark.parametrize("algo,rule,kw", [(q_learning, "q", {}), (sarsa, "sarsa", {}),
                                         (sarsa, "expected", {"expected": True})])
def test_update_equations_replayed_on_the_recorded_transitions(algo, rule, kw):
    env = Recorder(SlipperyChain())
    env.log = []
    Q, returns = algo(env, 40, alpha=0.3, gamma=0.8, epsilon=0.2, random_state=3, **kw)
    np.testing.assert_allclose(Q, replay_updates(env.log, 5, 2, 0.3, 0.8, rule), rtol=0, atol=1e-12)
    for other in {"q", "sarsa", "expected"} - {rule}:       # the other rules do not reproduce Q
        assert np.abs(Q - replay_updates(env.log, 5, 2, 0.3, 0.8, other)).max() > 1e-3
    np.testing.assert_allclose(returns, [sum(e[3] for e in ep) for ep in _episodes(env.log)])


def _episodes(log):
    episode = None
    for e in log:
        if e[0] == "reset":
            if episode is not None:
                yield episode
            episode = []
        else:
            episode.append(e)
    yield episode


class TwoStep(gym.Env):
    """0 -(any action: +1)-> 1 -(any action: +2)-> terminal 2."""

    def __init__(self):
        self.observation_space, self.action_space = gym.spaces.Discrete(3), gym.spaces.Discrete(2)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.s = 0
        return 0, {}

    def step(self, a):
        self.s += 1
        return self.s, (1.0 if self.s == 1 else 2.0), self.s == 2, False, {}


@pytest.mark.parametrize("algo", [q_learning, sarsa])
def test_two_episodes_by_hand(algo):
    # alpha = 0.5, gamma = 0.9, epsilon = 0, Q = 0 at first (the first choices are ties, broken at random;
    # afterwards the greedy action is the one already updated, as its value is positive).
    # Episode 1: Q(0, a) = 0.5 (1 + 0.9 * 0) = 0.5;   Q(1, b) = 0.5 * 2 = 1 (terminal: no bootstrap).
    # Episode 2: Q(0, a) = 0.5 + 0.5 (1 + 0.9 * 1 - 0.5) = 1.2;   Q(1, b) = 1 + 0.5 (2 - 1) = 1.5.
    Q, ret = algo(TwoStep(), 2, alpha=0.5, gamma=0.9, epsilon=0.0, random_state=0)
    assert sorted(Q[0]) == pytest.approx([0.0, 1.2], abs=1e-12)
    assert sorted(Q[1]) == pytest.approx([0.0, 1.5], abs=1e-12)
    assert np.all(Q[2] == 0) and np.all(ret == 3.0)


class Endless(gym.Env):
    """One state, one action, reward 1 for ever: truncation is the only way out (or termination if asked)."""

    def __init__(self, terminate=False):
        self.terminate = terminate
        self.observation_space, self.action_space = gym.spaces.Discrete(1), gym.spaces.Discrete(1)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return 0, {}

    def step(self, a):
        return 0, 1.0, self.terminate, False, {}


@pytest.mark.parametrize("algo", [q_learning, sarsa])
def test_truncation_bootstraps_and_termination_does_not(algo):
    # truncated after each step: Q -> 1 + 0.5 Q, fixed point 2 = 1 / (1 - gamma), the true value
    Q, _ = algo(Endless(), 200, alpha=0.5, gamma=0.5, epsilon=0.0, random_state=0, max_steps=1)
    assert Q[0, 0] == pytest.approx(2.0, abs=1e-10)
    # terminated after each step: Q -> 1
    Q, _ = algo(Endless(terminate=True), 200, alpha=0.5, gamma=0.5, epsilon=0.0, random_state=0)
    assert Q[0, 0] == pytest.approx(1.0, abs=1e-10)
    # a gymnasium TimeLimit truncation is treated the same way
    env = gym.wrappers.TimeLimit(Endless(), max_episode_steps=3)
    Q, ret = algo(env, 200, alpha=0.5, gamma=0.5, epsilon=0.0, random_state=0)
    assert Q[0, 0] == pytest.approx(2.0, abs=1e-10) and np.all(ret == 3)


def test_td0_bootstraps_at_truncation_and_mc_skips_truncated_episodes():
    pol = np.ones((1, 1))
    v = td0_prediction(Endless(), pol, 200, gamma=0.5, alpha=0.5, max_steps=1)
    assert v[0] == pytest.approx(2.0, abs=1e-10)
    v = td0_prediction(Endless(terminate=True), pol, 200, gamma=0.5, alpha=0.5)
    assert v[0] == pytest.approx(1.0, abs=1e-10)
    assert mc_prediction(Endless(), pol, 5, gamma=0.5, max_steps=4, initial_value=7.0)[0] == 7.0


def test_cliff_walking_sarsa_safe_q_learning_optimal():
    env = gym.make("CliffWalking-v1")
    lengths = {}
    for algo in (sarsa, q_learning):
        Q, _ = algo(env, 500, alpha=0.5, gamma=1.0, epsilon=0.1, random_state=1)
        s, _ = env.reset(seed=0)
        for n in range(1, 100):
            s, r, term, _, _ = env.step(int(Q[s].argmax()))
            assert r == -1
            if term:
                break
        lengths[algo.__name__] = n
    assert lengths == {"sarsa": 17, "q_learning": 13}


# ----------------------------------------------------------------------------------------------- prediction
def random_walk_truth():
    env = RandomWalkEnv()
    P, R = env.transition_arrays()
    v = policy_evaluation(TabularMDP(P, R, 1.0), np.full((7, 2), 0.5), method="linear")
    return env, v


def test_random_walk_env_and_its_true_values():
    env, v = random_walk_truth()
    check_env(env, skip_render_check=True)
    np.testing.assert_allclose(v[1:6], np.arange(1, 6) / 6, atol=1e-12)
    assert v[0] == v[6] == 0.0
    with pytest.raises(ValueError, match="odd"):
        RandomWalkEnv(4)


@pytest.mark.parametrize("method", ["mc", "td"])
def test_prediction_approaches_v_pi(method):
    env, v = random_walk_truth()
    v_true = np.where(np.arange(7) % 6 == 0, np.nan, v)    # leave the terminal states out of the error
    pol = np.full((7, 2), 0.5)
    if method == "mc":                                      # sample averages: the law of large numbers
        V, err = mc_prediction(env, pol, 3000, gamma=1.0, random_state=0, v_true=v_true)
    else:                                                   # Robbins-Monro step sizes
        V, err = td0_prediction(env, pol, 3000, gamma=1.0, alpha=lambda n: 1 / n**0.7, random_state=0,
                                v_true=v_true, initial_value=0.5)
    assert np.abs(V[1:6] - v[1:6]).max() < 0.03
    assert err.shape == (3001,) and err[-1] == pytest.approx(np.sqrt(np.mean((V[1:6] - v[1:6]) ** 2)))
    assert err[-1] < err[0] / 3


def test_prediction_on_the_book_grid_world():
    from mlbook.rl import GridWorldEnv
    env = GridWorldEnv()
    pol = np.full((16, 4), 0.25)
    v = policy_evaluation(env.to_mdp(), pol, method="linear")
    V = mc_prediction(env, pol, 1500, gamma=1.0, random_state=0)
    assert np.abs(V - v).max() < 2.0                        # |v| up to 22; MC returns have sd ~ 10 here


# ----------------------------------------------------------------------------------------------- reproducibility
@pytest.mark.parametrize("algo", [q_learning, sarsa])
def test_same_seed_same_run(algo):
    env = SlipperyChain()
    a = algo(env, 50, alpha=0.5, gamma=0.9, epsilon=0.1, random_state=7)
    b = algo(env, 50, alpha=0.5, gamma=0.9, epsilon=0.1, random_state=7)
    c = algo(env, 50, alpha=0.5, gamma=0.9, epsilon=0.1, random_state=8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_prediction_same_seed_same_run():
    env, _ = random_walk_truth()
    pol = np.full((7, 2), 0.5)
    for f, kw in ((mc_prediction, {}), (td0_prediction, {"alpha": 0.1})):
        np.testing.assert_array_equal(f(env, pol, 30, gamma=1.0, random_state=2, **kw),
                                      f(env, pol, 30, gamma=1.0, random_state=2, **kw))


# ----------------------------------------------------------------------------------------------- epsilon-greedy
def test_epsilon_greedy_probabilities():
    rng = np.random.default_rng(0)
    q = np.array([0.0, 1.0, 0.5, -1.0])
    n, eps = 40_000, 0.05
    counts = np.bincount([epsilon_greedy(q, eps, rng) for _ in range(n)], minlength=4) / n
    expected = np.array([eps / 4, 1 - eps + eps / 4, eps / 4, eps / 4])
    np.testing.assert_allclose(counts, expected, atol=4 * np.sqrt(0.05 * 0.95 / n))
    # ties: uniform among the maximisers when greedy
    counts = np.bincount([epsilon_greedy(np.array([1.0, 0.0, 1.0]), 0.0, rng) for _ in range(4000)],
                         minlength=3)
    assert counts[1] == 0 and abs(counts[0] - 2000) < 200


# ----------------------------------------------------------------------------------------------- bad input
def test_bad_inputs_are_refused():
    env = SlipperyChain()
    kw = dict(alpha=0.5, gamma=0.9, epsilon=0.1)
    with pytest.raises(TypeError, match="Discrete"):
        q_learning(gym.make("CartPole-v1"), 1, **kw)
    with pytest.raises(TypeError, match="Discrete"):
        sarsa(gym.make("MountainCarContinuous-v0"), 1, **kw)
    for bad in (0.0, -0.1, 1.5, np.nan, "0.5", True):
        with pytest.raises(ValueError, match="alpha"):
            q_learning(env, 1, **{**kw, "alpha": bad})
    for bad in (-0.1, 1.1, np.nan):
        with pytest.raises(ValueError, match="epsilon"):
            sarsa(env, 1, **{**kw, "epsilon": bad})
        with pytest.raises(ValueError, match="epsilon"):
            epsilon_greedy(np.zeros(3), bad, np.random.default_rng(0))
    with pytest.raises(ValueError, match="schedule"):
        sarsa(env, 1, **{**kw, "epsilon": lambda k: 2.0})
    with pytest.raises(ValueError, match="schedule"):
        q_learning(env, 1, **{**kw, "alpha": lambda n: 0.0})
    for bad in (-0.1, 1.01, np.nan):
        with pytest.raises(ValueError, match="gamma"):
            q_learning(env, 1, **{**kw, "gamma": bad})
        with pytest.raises(ValueError, match="gamma"):
            td0_prediction(env, np.full((5, 2), 0.5), 1, gamma=bad, alpha=0.1)
    for bad in (0, -3, 2.5):
        with pytest.raises(ValueError, match="n_episodes"):
            q_learning(env, bad, **kw)
    with pytest.raises(ValueError, match="max_steps"):
        sarsa(env, 1, **kw, max_steps=0)
    with pytest.raises(ValueError, match="shape"):
        mc_prediction(env, np.full((4, 2), 0.5), 1, gamma=1.0)
    with pytest.raises(ValueError, match="row-stochastic"):
        mc_prediction(env, np.full((5, 2), 0.6), 1, gamma=1.0)
    with pytest.raises(ValueError, match="v_true"):
        td0_prediction(env, np.full((5, 2), 0.5), 1, gamma=1.0, alpha=0.1, v_true=np.zeros(4))
    with pytest.raises(ValueError, match="alpha"):
        mc_prediction(env, np.full((5, 2), 0.5), 1, gamma=1.0, alpha=2.0)
    with pytest.raises(ValueError, match="q_row"):
        epsilon_greedy(np.zeros((2, 2)), 0.1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="NaN"):
        epsilon_greedy(np.array([0.0, np.nan]), 0.0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator"):
        epsilon_greedy(np.zeros(3), 0.1, 0)


def test_frozen_lake_deterministic_is_solved_and_td_control_refuses_unknown_targets():
    env = gym.make("FrozenLake-v1", is_slippery=False)
    Q, returns = q_learning(env, 300, alpha=0.5, gamma=0.95, epsilon=0.2, random_state=0)
    s, _ = env.reset(seed=0)
    for _ in range(20):                                     # the greedy policy reaches the goal in 6 steps
        s, r, term, _, _ = env.step(int(Q[s].argmax()))
        if term:
            break
    assert r == 1.0 and returns[-50:].mean() > 0.5
    with pytest.raises(ValueError, match="target"):
        td_control(env, 1, alpha=0.5, gamma=0.9, epsilon=0.1, target="double_q")

"""mlbook.rl.mdp and gridworld: hand-solved MDPs, Sutton & Barto's grid worlds, NumPy linear algebra,
gymnasium's environment checker; bad input refused."""
import warnings

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from mlbook import rl
from mlbook.rl.gridworld import GridWorldEnv
from mlbook.rl.mdp import (TabularMDP, bellman_expectation_backup, bellman_optimality_backup, corridor_mdp,
                           greedy_policy, policy_evaluation, policy_iteration, q_from_v, value_iteration)

# Sutton & Barto (2018): Figure 4.1 (4x4, random policy, gamma 1), Figure 3.2 (5x5, random policy,
# gamma 0.9) and Figure 3.5 (5x5, v*), as printed, to one decimal.
SB_4X4_RANDOM = np.array([[0, -14, -20, -22], [-14, -18, -20, -20], [-20, -20, -18, -14], [-22, -20, -14, 0]])
SB_5X5_RANDOM = np.array([[3.3, 8.8, 4.4, 5.3, 1.5], [1.5, 3.0, 2.3, 1.9, 0.5], [0.1, 0.7, 0.7, 0.4, -0.4],
                          [-1.0, -0.4, -0.4, -0.6, -1.2], [-1.9, -1.3, -1.2, -1.4, -2.0]])
SB_5X5_OPTIMAL = np.array([[22.0, 24.4, 22.0, 19.4, 17.5], [19.8, 22.0, 19.8, 17.8, 16.0],
                           [17.8, 19.8, 17.8, 16.0, 14.4], [16.0, 17.8, 16.0, 14.4, 13.0],
                           [14.4, 16.0, 14.4, 13.0, 11.7]])


def random_mdp(seed, S=6, A=3, gamma=0.9):
    rng = np.random.default_rng(seed)
    return TabularMDP(rng.dirichlet(np.ones(S), size=(S, A)), rng.normal(size=(S, A)), gamma)


def uniform(mdp):
    return np.full((mdp.n_states, mdp.n_actions), 1.0 / mdp.n_actions)


# -- hand-solved cases --------------------------------------------------------------------------------
def test_two_state_chain_by_hand():
    # state 0 --(reward 1)--> state 1 --(reward 2)--> state 1 ...; v(1) = 2/(1-g) = 4, v(0) = 1 + g v(1) = 3
    g = 0.5
    P = np.array([[[0.0, 1.0]], [[0.0, 1.0]]])
    R = np.array([[1.0], [2.0]])
    mdp = TabularMDP(P, R, g)
    v = policy_evaluation(mdp, np.ones((2, 1)))
    np.testing.assert_allclose(v, [1 + g * 4.0, 4.0], atol=1e-9)
    np.testing.assert_allclose(q_from_v(mdp, v), [[3.0], [4.0]], atol=1e-9)


def test_one_state_two_actions_by_hand():
    # a single state, action 0 pays 1, action 1 pays 2, gamma 0.9: v* = 2/(1-0.9) = 20, pi* = action 1
    mdp = TabularMDP(np.ones((1, 2, 1)), np.array([[1.0, 2.0]]), 0.9)
    v, pi = value_iteration(mdp)
    np.testing.assert_allclose(v, [20.0], atol=1e-8)
    np.testing.assert_array_equal(pi, [[0.0, 1.0]])
    np.testing.assert_allclose(policy_evaluation(mdp, [[0.5, 0.5]], method="linear"), [15.0])
    v2, pi2 = policy_iteration(mdp)
    np.testing.assert_allclose(v2, [20.0])
    np.testing.assert_array_equal(pi2, pi)


def test_corridor_seed_example():
    mdp = corridor_mdp()
    assert (mdp.n_states, mdp.n_actions, mdp.gamma) == (7, 2, 0.9)
    left, right = np.eye(2)[np.zeros(7, int)], np.eye(2)[np.ones(7, int)]
    v_left = policy_evaluation(mdp, left, method="linear")
    v_right = policy_evaluation(mdp, right, method="linear")
    assert v_left[4] == pytest.approx(0.9 ** 3 * 100)        # 72.9
    assert v_left[4] == pytest.approx(72.9)
    assert v_right[4] == pytest.approx(0.9 ** 2 * 40)        # 32.4
    np.testing.assert_allclose(v_left[1:], [100, 90, 81, 72.9, 65.61, 40])
    v_star, pi_star = value_iteration(mdp)
    np.testing.assert_allclose(v_star, [0, 100, 90, 81, 72.9, 65.61, 40], atol=1e-8)
    assert pi_star[2:6, 0].all()                              # inner cells go left
    # at the ends Q equals the immediate reward (only terminal successors); inside it does not
    q = q_from_v(mdp, v_star)
    np.testing.assert_allclose(q[1], mdp.R[1])
    np.testing.assert_allclose(q[6], mdp.R[6])
    assert np.all(np.abs(q[2:6] - mdp.R[2:6]) > 1)


def test_corridor_other_sizes():
    mdp = corridor_mdp(3, left_reward=1.0, right_reward=2.0, gamma=0.5)
    v, _ = value_iteration(mdp)
    np.testing.assert_allclose(v, [0, 1, 1.0, 2])             # the middle: 0.5 * 2 either way


# -- Sutton & Barto's grid worlds --------------------------------------------------------------------
@pytest.mark.parametrize("method", ["iterative", "linear"])
def test_4x4_random_policy_matches_figure_4_1(method):
    mdp = GridWorldEnv().to_mdp()
    v = policy_evaluation(mdp, uniform(mdp), method=method)
    np.testing.assert_allclose(v.reshape(4, 4), SB_4X4_RANDOM, atol=0.05)


def test_4x4_optimal_values_and_policies():
    mdp = GridWorldEnv().to_mdp()
    v, pi = value_iteration(mdp)
    # v*(s) = -(Manhattan distance to the nearer terminal corner)
    rows, cols = np.divmod(np.arange(16), 4)
    expected = -np.minimum(rows + cols, 6 - rows - cols)
    np.testing.assert_allclose(v, expected)
    v2, pi2 = policy_iteration(mdp)
    np.testing.assert_allclose(v2, expected, atol=1e-10)
    np.testing.assert_array_equal(pi, pi2)


def test_5x5_random_policy_matches_figure_3_2():
    mdp = GridWorldEnv.sutton_barto_5x5().to_mdp()
    v = policy_evaluation(mdp, uniform(mdp))
    np.testing.assert_allclose(v.reshape(5, 5), SB_5X5_RANDOM, atol=0.05 + 1e-9)


def test_5x5_optimal_values_match_figure_3_5():
    mdp = GridWorldEnv.sutton_barto_5x5().to_mdp()
    v, pi = value_iteration(mdp)
    np.testing.assert_allclose(v.reshape(5, 5), SB_5X5_OPTIMAL, atol=0.05 + 1e-9)
    v2, pi2 = policy_iteration(mdp)
    np.testing.assert_allclose(v, v2, atol=1e-8)
    np.testing.assert_array_equal(pi, pi2)
    # v* is the value of the greedy policy, and satisfies the optimality equation
    np.testing.assert_allclose(policy_evaluation(mdp, pi, method="linear"), v, atol=1e-8)
    np.testing.assert_allclose(bellman_optimality_backup(mdp, v), v, atol=1e-9)


# -- linear algebra and the algorithms ----------------------------------------------------------------
@pytest.mark.parametrize("seed", range(5))
def test_iterative_equals_linear_solve_and_numpy(seed):
    mdp = random_mdp(seed)
    pi = np.random.default_rng(100 + seed).dirichlet(np.ones(mdp.n_actions), size=mdp.n_states)
    v_it = policy_evaluation(mdp, pi, tol=1e-12)
    v_lin = policy_evaluation(mdp, pi, method="linear")
    r_pi = (pi * mdp.R).sum(1)
    P_pi = np.einsum("sa,sat->st", pi, mdp.P)
    v_np = np.linalg.solve(np.eye(mdp.n_states) - mdp.gamma * P_pi, r_pi)
    np.testing.assert_allclose(v_it, v_np, atol=1e-8)
    np.testing.assert_allclose(v_lin, v_np, atol=1e-10)
    np.testing.assert_allclose(bellman_expectation_backup(mdp, pi, v_np), v_np, atol=1e-10)
    # v_pi(s) = sum_a pi(a|s) q_pi(s, a)
    np.testing.assert_allclose((pi * q_from_v(mdp, v_np)).sum(1), v_np, atol=1e-10)


@pytest.mark.parametrize("seed", range(5))
def test_value_iteration_and_policy_iteration_agree(seed):
    mdp = random_mdp(seed, S=8, A=4, gamma=0.95)
    v_vi, pi_vi = value_iteration(mdp)
    v_pi, pi_pi = policy_iteration(mdp)
    np.testing.assert_allclose(v_vi, v_pi, atol=1e-8)
    np.testing.assert_array_equal(pi_vi, pi_pi)
    # the optimal value beats every deterministic policy tried
    rng = np.random.default_rng(seed)
    for _ in range(20):
        pi = np.eye(4)[rng.integers(0, 4, size=8)]
        assert np.all(policy_evaluation(mdp, pi, method="linear") <= v_pi + 1e-9)


@pytest.mark.parametrize("gamma", [0.3, 0.6, 0.9, 0.99])
def test_bellman_operators_are_gamma_contractions(gamma):
    mdp = random_mdp(7, gamma=gamma)
    rng = np.random.default_rng(1)
    pi = uniform(mdp)
    for _ in range(50):
        u, w = rng.normal(scale=10, size=(2, mdp.n_states))
        d = np.max(np.abs(u - w))
        assert np.max(np.abs(bellman_optimality_backup(mdp, u) - bellman_optimality_backup(mdp, w))) <= gamma * d + 1e-12
        assert np.max(np.abs(bellman_expectation_backup(mdp, pi, u)
                             - bellman_expectation_backup(mdp, pi, w))) <= gamma * d + 1e-12


@pytest.mark.parametrize("gamma", [0.5, 0.8, 0.95])
def test_value_iteration_error_shrinks_at_least_by_gamma(gamma):
    mdp = random_mdp(3, gamma=gamma)
    v_star, _ = policy_iteration(mdp)
    v = np.zeros(mdp.n_states)
    errors = []
    for _ in range(30):
        v = bellman_optimality_backup(mdp, v)
        errors.append(np.max(np.abs(v - v_star)))
    errors = np.array(errors)
    ok = errors[:-1] > 1e-9
    assert np.all(errors[1:][ok] <= gamma * errors[:-1][ok] + 1e-12)
    _, _, history = value_iteration(mdp, return_history=True)
    assert history[-1] < 1e-10
    assert np.all(np.diff(history) <= 1e-12 + (gamma - 1) * np.array(history[:-1]))   # deltas shrink by gamma


def test_policy_evaluation_history():
    mdp = random_mdp(0, gamma=0.5)
    v, hist = policy_evaluation(mdp, uniform(mdp), return_history=True)
    assert hist[-1] < 1e-10 and len(hist) < 60
    np.testing.assert_allclose(v, policy_evaluation(mdp, uniform(mdp), method="linear"), atol=1e-9)


def test_greedy_policy_ties_go_to_lowest_index():
    q = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [0.0, -1.0, 5.0], [1.0, 1.0 + 1e-13, 0.0]])
    np.testing.assert_array_equal(greedy_policy(q), np.eye(3)[[1, 0, 2, 0]])


def test_gamma_one_improper_policy_is_refused():
    mdp = GridWorldEnv().to_mdp()
    up = np.eye(4)[np.zeros(16, int)]              # "always up": the top row bumps forever
    with pytest.raises(ValueError, match="improper"):
        policy_evaluation(mdp, up, method="linear")
    with pytest.raises(RuntimeError, match="did not converge"):
        policy_evaluation(mdp, up, max_iter=500)
    # the same policy is fine with gamma < 1
    v = policy_evaluation(GridWorldEnv(gamma=0.9).to_mdp(), up, method="linear")
    assert v[1] == pytest.approx(-1 / (1 - 0.9))


def test_mdp_is_frozen_and_copies():
    P = np.ones((1, 1, 1))
    mdp = TabularMDP(P, [[0.0]], 1)
    P[0, 0, 0] = 5.0
    assert mdp.P[0, 0, 0] == 1.0 and isinstance(mdp.gamma, float)
    with pytest.raises(AttributeError):
        mdp.gamma = 0.5
    with pytest.raises(ValueError):
        mdp.P[0, 0, 0] = 2.0
    assert "n_states=1" in repr(mdp)
    assert mdp == TabularMDP(np.ones((1, 1, 1)), [[0.0]], 1.0)


# -- the grid world as a gymnasium environment --------------------------------------------------------
@pytest.mark.parametrize("make", [GridWorldEnv, GridWorldEnv.sutton_barto_5x5,
                                  lambda: GridWorldEnv(render_mode="ansi")])
def test_check_env_passes(make):
    env = make()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env)
    assert not [w for w in caught if "spec" not in str(w.message)], [str(w.message) for w in caught]


def test_env_dynamics_match_the_mdp():
    for env in (GridWorldEnv(), GridWorldEnv.sutton_barto_5x5()):
        mdp = env.to_mdp()
        for s in range(env.n_states):
            if env.is_terminal(s):
                continue
            for a in range(4):
                env.reset(seed=0, options={"state": s})
                s2, r, term, trunc, info = env.step(a)
                assert mdp.P[s, a, s2] == 1.0 and mdp.R[s, a] == r
                assert term == env.is_terminal(s2)


def test_env_episode_seeded_and_5x5_jumps():
    env = GridWorldEnv()
    env.action_space.seed(0)
    obs, _ = env.reset(seed=3)
    ret, done, steps = 0.0, False, 0
    while not done:
        obs, r, term, trunc, _ = env.step(env.action_space.sample())
        ret += r
        steps += 1
        done = term or trunc
    assert ret == -steps and obs in (0, 15)
    with pytest.raises(RuntimeError, match="reset"):
        env.step(0)
    env2 = GridWorldEnv()
    env2.action_space.seed(0)
    assert env2.reset(seed=3)[0] == env.reset(seed=3)[0]
    e5 = GridWorldEnv.sutton_barto_5x5(max_episode_steps=3)
    e5.reset(seed=0, options={"state": 1})
    assert e5.step(2)[:2] == (21, 10.0)
    e5.reset(seed=0, options={"state": 3})
    assert e5.step(0)[:2] == (13, 5.0)
    assert e5.step(1)[3] is False
    assert e5.step(1)[3] is True                 # the third step truncates
    e5.reset(seed=0, options={"state": 0})
    assert e5.step(3)[:2] == (0, -1.0)           # bumping the left edge


def test_env_start_render_and_cells():
    env = GridWorldEnv(start=(1, 2), render_mode="ansi")
    assert env.reset()[0] == 6 and env.to_cell(6) == (1, 2) and env.to_state((1, 2)) == 6
    text = env.render()
    assert text.splitlines()[1] == ". . A ." and text.startswith("T")
    assert GridWorldEnv().render() is None
    assert rl.GridWorldEnv is GridWorldEnv and rl.value_iteration is value_iteration


def test_general_grid_world():
    env = GridWorldEnv((1, 3), terminal_cells=[(0, 2)], step_reward=0.0, bump_reward=-1.0, gamma=0.5)
    v, pi = value_iteration(env.to_mdp())
    np.testing.assert_allclose(v, [0, 0, 0])
    # from (0, 0) every action jumps to (0, 1) earning 4; from (0, 1) going back left (-1) to collect it
    # again beats ending the episode (-1): v0 = 4 + v1/2, v1 = -1 + v0/2, so v0 = 14/3, v1 = 4/3
    env = GridWorldEnv((1, 3), terminal_cells=[(0, 2)], step_reward=-1.0, jumps={(0, 0): ((0, 1), 4.0)}, gamma=0.5)
    v, pi = value_iteration(env.to_mdp())
    np.testing.assert_allclose(v, [14 / 3, 4 / 3, 0.0], atol=1e-9)
    np.testing.assert_array_equal(pi[1], [0, 0, 0, 1])
    assert isinstance(env, gym.Env)


# -- bad input ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("P, R, gamma, match", [
    (np.ones((2, 1, 2)) / 2, np.zeros((2, 1)), 1.5, "gamma"),
    (np.ones((2, 1, 2)) / 2, np.zeros((2, 1)), -0.1, "gamma"),
    (np.ones((2, 1, 2)), np.zeros((2, 1)), 0.9, "sum to 1"),
    (np.array([[[1.5, -0.5]], [[0.5, 0.5]]]), np.zeros((2, 1)), 0.9, "non-negative"),
    (np.ones((2, 1, 3)) / 3, np.zeros((2, 1)), 0.9, "shape"),
    (np.ones((2, 2)) / 2, np.zeros((2, 1)), 0.9, "3-D"),
    (np.ones((2, 1, 2)) / 2, np.zeros((2, 2)), 0.9, "shape"),
    (np.ones((2, 1, 2)) / 2, np.array([[np.nan], [0.0]]), 0.9, "NaN"),
    (np.ones((0, 1, 0)), np.zeros((0, 1)), 0.9, "empty"),
])
def test_bad_mdp_refused(P, R, gamma, match):
    with pytest.raises(ValueError, match=match):
        TabularMDP(P, R, gamma)


def test_bad_types_refused():
    with pytest.raises(TypeError, match="gamma"):
        TabularMDP(np.ones((1, 1, 1)), [[0.0]], "0.9")
    with pytest.raises(TypeError, match="gamma"):
        TabularMDP(np.ones((1, 1, 1)), [[0.0]], True)
    with pytest.raises(TypeError, match="numeric"):
        TabularMDP([[["a"]]], [[0.0]], 0.9)
    with pytest.raises(TypeError, match="TabularMDP"):
        policy_evaluation({"P": 1}, np.ones((1, 1)))


def test_bad_policies_and_options_refused():
    mdp = corridor_mdp()
    with pytest.raises(ValueError, match="1-D array of actions"):
        policy_evaluation(mdp, np.zeros(7, dtype=int))
    with pytest.raises(ValueError, match="shape"):
        policy_evaluation(mdp, np.ones((7, 3)) / 3)
    with pytest.raises(ValueError, match="sum to 1"):
        policy_evaluation(mdp, np.ones((7, 2)))
    with pytest.raises(ValueError, match="non-negative"):
        policy_evaluation(mdp, np.tile([1.5, -0.5], (7, 1)))
    with pytest.raises(ValueError, match="method"):
        policy_evaluation(mdp, np.ones((7, 2)) / 2, method="exact")
    with pytest.raises(ValueError, match="return_history"):
        policy_evaluation(mdp, np.ones((7, 2)) / 2, method="linear", return_history=True)
    with pytest.raises(ValueError, match="tol"):
        value_iteration(mdp, tol=0.0)
    with pytest.raises(TypeError, match="max_iter"):
        value_iteration(mdp, max_iter=10.5)
    with pytest.raises(ValueError, match="max_iter"):
        policy_iteration(mdp, max_iter=0)
    with pytest.raises(RuntimeError, match="max_iter"):
        value_iteration(mdp, max_iter=3)
    with pytest.raises(ValueError, match="shape"):
        q_from_v(mdp, np.zeros(3))
    with pytest.raises(ValueError, match="2-D"):
        greedy_policy(np.zeros(3))
    with pytest.raises(ValueError, match="n_cells"):
        corridor_mdp(1)
    with pytest.raises(ValueError, match="left_reward"):
        corridor_mdp(left_reward=np.inf)


@pytest.mark.parametrize("kwargs, err, match", [
    ({"shape": (0, 4)}, ValueError, "positive"),
    ({"shape": 4}, TypeError, "pair"),
    ({"shape": (1, 1)}, ValueError, "at least 2"),
    ({"terminal_cells": [(4, 0)]}, ValueError, "outside"),
    ({"terminal_cells": [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3), (2, 0), (2, 1),
                         (2, 2), (2, 3), (3, 0), (3, 1), (3, 2), (3, 3)]}, ValueError, "every cell"),
    ({"terminal_cells": ["ab"]}, TypeError, "row, column"),
    ({"step_reward": np.nan}, ValueError, "step_reward"),
    ({"jumps": {(0, 0): ((1, 1), 1.0)}}, ValueError, "both terminal"),
    ({"jumps": {(1, 1): (1, 1)}}, TypeError, "jump"),
    ({"jumps": {(1, 1): 3}}, TypeError, "jumps"),
    ({"gamma": 2.0}, ValueError, "gamma"),
    ({"start": (0, 0)}, ValueError, "terminal"),
    ({"max_episode_steps": 0}, ValueError, "max_episode_steps"),
    ({"render_mode": "human"}, ValueError, "render_mode"),
])
def test_bad_grid_world_refused(kwargs, err, match):
    with pytest.raises(err, match=match):
        GridWorldEnv(**kwargs)


def test_bad_actions_refused():
    env = GridWorldEnv()
    with pytest.raises(RuntimeError, match="reset"):
        env.step(0)
    env.reset(seed=0)
    with pytest.raises(ValueError, match="action"):
        env.step(4)
    with pytest.raises(ValueError, match="state"):
        env.to_cell(16)
    with pytest.raises(ValueError, match="terminal"):
        env.reset(options={"state": 15})
    with pytest.raises(ValueError, match="state"):
        env.reset(options={"state": -1})


@pytest.mark.parametrize("seed", range(4))
def test_in_place_sweeps_equal_the_linear_solve(seed):
    mdp = random_mdp(seed, gamma=0.95)
    pi = np.random.default_rng(200 + seed).dirichlet(np.ones(mdp.n_actions), size=mdp.n_states)
    v_gs, history = policy_evaluation(mdp, pi, method="in-place", tol=1e-12, return_history=True)
    v_np = np.linalg.solve(np.eye(mdp.n_states) - mdp.gamma * np.einsum("sa,sat->st", pi, mdp.P),
                           (pi * mdp.R).sum(1))
    np.testing.assert_allclose(v_gs, v_np, atol=1e-9)
    # one in-place sweep by hand, from v = 0: state s sees the new values of states 0..s-1
    P_pi, r_pi = np.einsum("sa,sat->st", pi, mdp.P), (pi * mdp.R).sum(1)
    v = np.zeros(mdp.n_states)
    for s in range(mdp.n_states):
        v[s] = r_pi[s] + mdp.gamma * P_pi[s] @ v
    assert history[0] == pytest.approx(np.max(np.abs(v)))


def test_in_place_sweeps_are_faster_on_the_4x4_grid():
    mdp = GridWorldEnv().to_mdp()
    v_sync, h_sync = policy_evaluation(mdp, uniform(mdp), return_history=True)
    v_gs, h_gs = policy_evaluation(mdp, uniform(mdp), method="in-place", return_history=True)
    np.testing.assert_allclose(v_gs, SB_4X4_RANDOM.ravel(), atol=1e-8)
    np.testing.assert_allclose(v_sync, SB_4X4_RANDOM.ravel(), atol=1e-8)
    assert len(h_gs) < 0.7 * len(h_sync)
    # in-place: the first sweep already propagates -1 along the rows (state 2 sees the new v(1), ...)
    v1 = policy_evaluation(mdp, uniform(mdp), method="in-place", max_iter=1, tol=1e9)
    assert v1[1] == -1 and v1[2] == pytest.approx(-1 - 0.25 * 1)


def test_nearly_singular_discount_is_refused_with_its_own_message():
    mdp = GridWorldEnv(gamma=1 - 1e-15).to_mdp()
    up = np.eye(4)[np.zeros(16, int)]
    with pytest.raises(ValueError, match="too close to 1"):
        policy_evaluation(mdp, up, method="linear")


def test_regions_shown_by_the_chapter_exist():
    from mlbook.source import regions
    assert {"sweep", "linear solve", "in-place sweep"} <= set(regions(policy_evaluation))
    assert "value iteration sweep" in regions(value_iteration)
    assert "policy iteration step" in regions(policy_iteration)


def test_corridor_positional_arguments():
    mdp = corridor_mdp(4, 10.0, 20.0, 0.5)
    v, _ = value_iteration(mdp)
    # cell 3: right 0.5 * 20 = 10 beats left; cell 2: left 0.5 * 10 = 5 ties with right 0.5 * v(3) = 5
    np.testing.assert_allclose(v, [0, 10, 5, 10, 20])

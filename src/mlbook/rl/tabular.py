r"""Tabular model-free reinforcement learning: prediction and control from sampled episodes (chapter 12, section 3).

* :func:`mc_prediction` (first-visit Monte Carlo) and :func:`td0_prediction` estimate :math:`v_\pi` of a fixed
  policy from episodes;
* :func:`epsilon_greedy`, :func:`q_learning` (off-policy) and :func:`sarsa` (on-policy, optionally Expected
  SARSA) learn action values :math:`Q` while acting;
* :class:`RandomWalkEnv` is the five-state random walk of Sutton & Barto (2018, Example 6.2).

Every function accepts any environment with the gymnasium API whose observation and action spaces are
``gymnasium.spaces.Discrete`` (the book's ``GridWorldEnv``, gymnasium's ``CliffWalking-v1`` and
``FrozenLake-v1``). Randomness comes from a local ``np.random.default_rng(random_state)``; the environment is
reset with a seed drawn from it at the first episode, so one ``random_state`` fixes the whole run.

**Termination and truncation.** An episode ends either because the environment reached a terminal state
(``terminated``: nothing follows, the value of what comes next is 0, so the target is the reward alone) or
because it was cut short (``truncated`` by a time limit, or ``max_steps`` here): the next state is an ordinary
state whose value is not zero, so the target still bootstraps from it. Treating a truncation as a termination
biases the values towards the rewards collected before the cut.
"""
from __future__ import annotations

from collections.abc import Callable
from numbers import Integral, Real
from typing import Any

import gymnasium as gym
import numpy as np

__all__ = ["epsilon_greedy", "td_control", "q_learning", "sarsa", "mc_prediction", "td0_prediction", "RandomWalkEnv"]

Schedule = float | Callable[[int], float]


# ----------------------------------------------------------------------------------------------- validation
def _spaces(env: Any) -> tuple[int, int]:
    """(n_states, n_actions) of an environment with Discrete spaces starting at 0, or a TypeError."""
    for name in ("observation_space", "action_space"):
        space = getattr(env, name, None)
        if not isinstance(space, gym.spaces.Discrete):
            raise TypeError(f"tabular methods need a gymnasium environment whose {name} is "
                            f"gymnasium.spaces.Discrete; got {type(space).__name__}. For continuous "
                            f"observations use function approximation (mlbook.rl.train_dqn).")
        if int(space.start) != 0:
            raise ValueError(f"the {name} must start at 0 (got start={int(space.start)}) so that its values "
                             f"index the table; wrap the environment to shift them")
    return int(env.observation_space.n), int(env.action_space.n)


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _gamma(gamma: Any) -> float:
    if isinstance(gamma, bool) or not isinstance(gamma, Real) or not 0.0 <= gamma <= 1.0:
        raise ValueError(f"gamma (the discount factor) must be a number in [0, 1], got {gamma!r}")
    return float(gamma)


def _check_alpha(a: Any, where: str) -> float:
    if isinstance(a, bool) or not isinstance(a, Real) or not 0.0 < a <= 1.0:
        raise ValueError(f"alpha (the step size) must lie in (0, 1], got {a!r}{where}; a step size above 1 "
                         f"overshoots the target, and 0 learns nothing")
    return float(a)


def _check_epsilon(e: Any, where: str) -> float:
    if isinstance(e, bool) or not isinstance(e, Real) or not 0.0 <= e <= 1.0:
        raise ValueError(f"epsilon (the exploration probability) must lie in [0, 1], got {e!r}{where}")
    return float(e)


def _schedule(value: Any, check: Callable[[Any, str], float], what: str) -> Callable[[int], float]:
    """A constant or a callable turned into a callable whose every value is checked."""
    if callable(value):
        return lambda k: check(value(k), f" (returned by the {what} schedule at {k})")
    constant = check(value, "")
    return lambda k: constant


def _policy(policy: Any, n_states: int, n_actions: int) -> np.ndarray:
    p = np.asarray(policy, dtype=float)
    if p.shape != (n_states, n_actions):
        raise ValueError(f"policy must have shape (n_states, n_actions) = ({n_states}, {n_actions}), "
                         f"got {p.shape}")
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-8):
        raise ValueError("policy must be row-stochastic: each row pi(.|s) non-negative and summing to 1")
    return p


# ----------------------------------------------------------------------------------------------- acting
def epsilon_greedy(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    r"""Choose an action ε-greedily from the action values of one state.

    Parameters
    ----------
    q_row : ndarray of shape (n_actions,)
        :math:`Q(s, \cdot)` for the current state.
    epsilon : float in [0, 1]
        Probability of acting uniformly at random.
    rng : numpy.random.Generator
        The source of randomness (``np.random.default_rng(seed)``).

    Returns
    -------
    int
        The action.

    Notes
    -----
    With probability :math:`1 - \varepsilon` the action is greedy, :math:`\arg\max_a Q(s, a)`, with ties broken
    uniformly at random among the maximisers (taking the first would steer an untrained agent, whose values
    are all equal, towards action 0 everywhere); with probability :math:`\varepsilon` it is uniform over
    all :math:`|\mathcal{A}|` actions, the greedy one included. So with a unique maximiser

    .. math:: P(a^*) = 1 - \varepsilon + \varepsilon/|\mathcal{A}|, \qquad
              P(a) = \varepsilon/|\mathcal{A}| \quad (a \ne a^*).
    """
    q_row = np.asarray(q_row, dtype=float)
    if q_row.ndim != 1 or q_row.size == 0:
        raise ValueError(f"q_row must be a non-empty 1-D array of action values, got shape {q_row.shape}")
    if np.isnan(q_row).any():
        raise ValueError(f"q_row contains NaN, so no action is greedy: {q_row}; a NaN usually comes from a "
                         f"diverging update (a step size or reward that is too large)")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got "
                        f"{type(rng).__name__}")
    epsilon = _check_epsilon(epsilon, "")
    # region: epsilon-greedy
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))                  # explore: any action, the greedy one included
    best = np.flatnonzero(q_row == q_row.max())               # exploit, ties broken at random
    return int(best[0]) if len(best) == 1 else int(best[rng.integers(len(best))])
    # endregion


def td_control(env: Any, n_episodes: int, *, alpha: Schedule, gamma: float, epsilon: Schedule,
               target: str = "q_learning", random_state: Any = None, max_steps: int = 10_000
               ) -> tuple[np.ndarray, np.ndarray]:
    # docstring assembled below, after the shared parameter list
    if target not in ("q_learning", "sarsa", "expected_sarsa"):
        raise ValueError(f"target must be 'q_learning', 'sarsa' or 'expected_sarsa', got {target!r}")
    n_states, n_actions = _spaces(env)
    n_episodes, max_steps = _positive_int(n_episodes, "n_episodes"), _positive_int(max_steps, "max_steps")
    gamma, alpha_of, eps_of = _gamma(gamma), _schedule(alpha, _check_alpha, "alpha"), _schedule(
        epsilon, _check_epsilon, "epsilon")
    rng = np.random.default_rng(random_state)
    q = np.zeros((n_states, n_actions))
    visits = np.zeros((n_states, n_actions), dtype=np.int64)
    returns = np.zeros(n_episodes)
    seed = int(rng.integers(2**31 - 1))
    for episode in range(n_episodes):
        eps = eps_of(episode)
        s, _ = env.reset(seed=seed if episode == 0 else None)
        a = epsilon_greedy(q[s], eps, rng)
        total = 0.0
        for _ in range(max_steps):
            s_next, r, terminated, truncated, _ = env.step(a)
            total += r
            visits[s, a] += 1
            # region: td-targets
            if terminated:
                target_value = r                              # nothing follows a terminal state
            elif target == "q_learning":
                target_value = r + gamma * q[s_next].max()    # the greedy action's value (off-policy)
            elif target == "sarsa":
                a_next = epsilon_greedy(q[s_next], eps, rng)  # chosen now, and taken next (on-policy)
                target_value = r + gamma * q[s_next, a_next]
            else:                                             # Expected SARSA: mean over the epsilon-greedy policy
                greedy = np.flatnonzero(q[s_next] == q[s_next].max())
                pi = np.full(n_actions, eps / n_actions)
                pi[greedy] += (1.0 - eps) / greedy.size
                target_value = r + gamma * pi @ q[s_next]
            q[s, a] += alpha_of(visits[s, a]) * (target_value - q[s, a])
            # endregion
            if terminated or truncated:                       # truncated: bootstrapped above, then stop
                break
            if target != "sarsa":
                a_next = epsilon_greedy(q[s_next], eps, rng)  # chosen after the update, from the new Q
            s, a = s_next, a_next
        returns[episode] = total
    return q, returns


_CONTROL_PARAMETERS = r"""
    Parameters
    ----------
    env : gymnasium.Env
        Observation and action spaces ``gymnasium.spaces.Discrete`` starting at 0.
    n_episodes : int
    alpha : float in (0, 1] or callable
        Step size. A callable receives :math:`n \ge 1`, the number of updates of the pair :math:`(s, a)`
        so far including this one, and returns the step size (``lambda n: 1 / n ** 0.8`` satisfies the
        Robbins–Monro conditions :math:`\sum_n \alpha_n = \infty`, :math:`\sum_n \alpha_n^2 < \infty`).
    gamma : float in [0, 1]
        Discount factor.
    epsilon : float in [0, 1] or callable
        Exploration probability of the ε-greedy behaviour, or a schedule: a callable of the episode index
        (0, 1, ...) returning it, e.g. ``lambda k: max(0.01, 0.1 * 0.99 ** k)``.
    random_state : int, numpy.random.Generator or None
        Seeds the agent's choices and, through one draw, ``env.reset(seed=...)`` at the first episode.
    max_steps : int, default 10_000
        Per-episode cap; reaching it truncates the episode (the last update still bootstraps).

    Returns
    -------
    Q : ndarray of shape (n_states, n_actions)
        The learned action values.
    episode_returns : ndarray of shape (n_episodes,)
        The undiscounted sum of rewards of each episode as it was played, exploratory actions included
        (the *online* return, not the return of the greedy policy).
"""


def q_learning(env: Any, n_episodes: int, *, alpha: Schedule, gamma: float, epsilon: Schedule,
               random_state: Any = None, max_steps: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    return td_control(env, n_episodes, alpha=alpha, gamma=gamma, epsilon=epsilon, target="q_learning",
                      random_state=random_state, max_steps=max_steps)


def sarsa(env: Any, n_episodes: int, *, alpha: Schedule, gamma: float, epsilon: Schedule,
          random_state: Any = None, max_steps: int = 10_000, expected: bool = False
          ) -> tuple[np.ndarray, np.ndarray]:
    return td_control(env, n_episodes, alpha=alpha, gamma=gamma, epsilon=epsilon,
                      target="expected_sarsa" if expected else "sarsa", random_state=random_state,
                      max_steps=max_steps)


td_control.__doc__ = r"""TD control with ε-greedy behaviour: the loop shared by :func:`q_learning` and :func:`sarsa`.

    The three methods differ only in the target that replaces :math:`q(S_{t+1}, \cdot)` after a
    non-terminal step: ``target="q_learning"`` uses :math:`\max_a Q(S_{t+1}, a)`, ``"sarsa"`` uses
    :math:`Q(S_{t+1}, A_{t+1})` for the action then taken, ``"expected_sarsa"`` uses
    :math:`\sum_a \pi(a \mid S_{t+1}) Q(S_{t+1}, a)` under the ε-greedy policy (ties sharing the greedy
    probability).
""" + _CONTROL_PARAMETERS.replace("""    random_state""", """    target : {"q_learning", "sarsa", "expected_sarsa"}, default "q_learning"
    random_state""", 1)

q_learning.__doc__ = r"""Q-learning (Watkins & Dayan, 1992): off-policy TD control with ε-greedy behaviour.
""" + _CONTROL_PARAMETERS + r"""
    Notes
    -----
    After each step :math:`(S_t, A_t, R_{t+1}, S_{t+1})`, a sample of the Bellman optimality equation:

    .. math:: Q(S_t, A_t) \leftarrow Q(S_t, A_t) + \alpha\big[R_{t+1} + \gamma \max_{a} Q(S_{t+1}, a)
              - Q(S_t, A_t)\big],

    with the bracketed :math:`\max` term dropped when :math:`S_{t+1}` is terminal (``terminated``), kept when
    the episode was only ``truncated``. The target does not depend on the behaviour's next action, so
    :math:`Q` estimates :math:`q_*` whatever the (sufficiently exploring) behaviour. It converges to
    :math:`q_*` with probability 1 in a finite MDP when every pair is updated infinitely often and the step
    sizes satisfy the Robbins–Monro conditions (Watkins & Dayan, 1992). Sutton & Barto (2018), section 6.5.
"""

sarsa.__doc__ = r"""SARSA (Rummery & Niranjan, 1994): on-policy TD control with ε-greedy behaviour.
""" + _CONTROL_PARAMETERS.replace("""        (the *online* return, not the return of the greedy policy).
""", """        (the *online* return, not the return of the greedy policy).

    Other Parameters
    ----------------
    expected : bool, default False
        Use Expected SARSA: replace :math:`Q(S_{t+1}, A_{t+1})` by its mean under the ε-greedy policy.
""") + r"""
    Notes
    -----
    After each quintuple :math:`(S_t, A_t, R_{t+1}, S_{t+1}, A_{t+1})`, with :math:`A_{t+1}` the action the
    ε-greedy behaviour then takes, a sample of the Bellman expectation equation for :math:`q_\pi`:

    .. math:: Q(S_t, A_t) \leftarrow Q(S_t, A_t) + \alpha\big[R_{t+1} + \gamma Q(S_{t+1}, A_{t+1})
              - Q(S_t, A_t)\big],

    the :math:`\gamma Q` term dropped at a terminal :math:`S_{t+1}` only. :math:`Q` estimates the values of
    the ε-greedy policy being followed, exploration included; it converges to :math:`q_*` only if
    :math:`\varepsilon` decays to 0 while every pair is still visited infinitely often (GLIE; Singh et al.,
    2000). Sutton & Barto (2018), sections 6.4 and 6.6.
"""


# ----------------------------------------------------------------------------------------------- prediction
def _episode(env: Any, cum_policy: np.ndarray, rng: np.random.Generator, seed: int | None,
             max_steps: int) -> tuple[list[int], list[float], int, bool]:
    """Play one episode with the fixed policy: states S_0..S_{T-1}, rewards R_1..R_T, S_T, terminated."""
    states, rewards = [], []
    s, _ = env.reset(seed=seed)
    terminated = False
    for _ in range(max_steps):
        a = min(int(np.searchsorted(cum_policy[s], rng.random(), side="right")), cum_policy.shape[1] - 1)
        s_next, r, terminated, truncated, _ = env.step(a)
        states.append(int(s))
        rewards.append(float(r))
        s = s_next
        if terminated or truncated:
            break
    return states, rewards, int(s), bool(terminated)


def _prediction_setup(env: Any, policy: Any, n_episodes: int, gamma: float, max_steps: int,
                      v_true: Any, initial_value: float) -> tuple:
    n_states, n_actions = _spaces(env)
    cum = np.cumsum(_policy(policy, n_states, n_actions), axis=1)
    n_episodes, max_steps = _positive_int(n_episodes, "n_episodes"), _positive_int(max_steps, "max_steps")
    mask = None
    if v_true is not None:
        v_true = np.asarray(v_true, dtype=float)
        if v_true.shape != (n_states,):
            raise ValueError(f"v_true must have shape (n_states,) = ({n_states},), got {v_true.shape}")
        mask = ~np.isnan(v_true)
        if not mask.any():
            raise ValueError("v_true is NaN everywhere: nothing to measure the error against")
    if not np.isfinite(initial_value):
        raise ValueError(f"initial_value must be finite, got {initial_value!r}")
    return n_states, cum, n_episodes, _gamma(gamma), max_steps, v_true, mask


def _rms(v: np.ndarray, v_true: np.ndarray, mask: np.ndarray) -> float:
    return float(np.sqrt(np.mean((v[mask] - v_true[mask]) ** 2)))


_PREDICTION_PARAMETERS = r"""
    Parameters
    ----------
    env : gymnasium.Env
        Observation and action spaces ``gymnasium.spaces.Discrete`` starting at 0.
    policy : array_like of shape (n_states, n_actions)
        The fixed policy :math:`\pi(a \mid s)` to evaluate, each row a distribution over actions.
    n_episodes : int
    gamma : float in [0, 1]
    random_state : int, numpy.random.Generator or None
    max_steps : int, default 10_000
        Per-episode cap (a truncation).
    v_true : array_like of shape (n_states,), optional
        Reference values. Entries set to NaN (e.g. terminal states) are left out of the error.
    initial_value : float, default 0.0
        :math:`V(s)` before any update.

    Returns
    -------
    V : ndarray of shape (n_states,)
        The estimates after the last episode (states never visited keep ``initial_value``).
    rms_errors : ndarray of shape (n_episodes + 1,)
        Only when ``v_true`` is given: the root-mean-square error over the non-NaN states of ``v_true``
        before the first episode and after each episode.
"""


def _prediction_state(n_states: int, initial_value: float, random_state: Any, v_true: Any,
                      mask: Any) -> tuple[np.random.Generator, int, np.ndarray, np.ndarray, list[float] | None]:
    """What both prediction methods start from: the generator, the first reset's seed, V, the visit
    counts and, when reference values are given, the error list with the error before any episode."""
    rng = np.random.default_rng(random_state)
    seed = int(rng.integers(2**31 - 1))
    v = np.full(n_states, float(initial_value))
    visits = np.zeros(n_states, dtype=np.int64)
    errors = [_rms(v, v_true, mask)] if v_true is not None else None
    return rng, seed, v, visits, errors


def mc_prediction(env: Any, policy: Any, n_episodes: int, *, gamma: float, alpha: Schedule | None = None,
                  random_state: Any = None, max_steps: int = 10_000, v_true: Any = None,
                  initial_value: float = 0.0) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    n_states, cum, n_episodes, gamma, max_steps, v_true, mask = _prediction_setup(
        env, policy, n_episodes, gamma, max_steps, v_true, initial_value)
    alpha_of = _schedule(alpha, _check_alpha, "alpha") if alpha is not None else (lambda n: 1.0 / n)
    rng, seed, v, visits, errors = _prediction_state(n_states, initial_value, random_state, v_true, mask)
    for episode in range(n_episodes):
        states, rewards, _, terminated = _episode(env, cum, rng, seed if episode == 0 else None, max_steps)
        if terminated:                                        # a truncated episode has no complete return
            # region: first-visit-mc
            first = {}
            for t, s in enumerate(states):
                first.setdefault(s, t)                        # the time of the first visit to each state
            g = 0.0
            for t in range(len(states) - 1, -1, -1):          # G_t = R_{t+1} + gamma G_{t+1}, backwards
                g = rewards[t] + gamma * g
                s = states[t]
                if first[s] == t:
                    visits[s] += 1
                    v[s] += alpha_of(visits[s]) * (g - v[s])
            # endregion
        if errors is not None:
            errors.append(_rms(v, v_true, mask))
    return (v, np.array(errors)) if errors is not None else v


def td0_prediction(env: Any, policy: Any, n_episodes: int, *, gamma: float, alpha: Schedule,
                   random_state: Any = None, max_steps: int = 10_000, v_true: Any = None,
                   initial_value: float = 0.0) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    n_states, cum, n_episodes, gamma, max_steps, v_true, mask = _prediction_setup(
        env, policy, n_episodes, gamma, max_steps, v_true, initial_value)
    alpha_of = _schedule(alpha, _check_alpha, "alpha")
    rng, seed, v, visits, errors = _prediction_state(n_states, initial_value, random_state, v_true, mask)
    for episode in range(n_episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        for _ in range(max_steps):
            a = min(int(np.searchsorted(cum[s], rng.random(), side="right")), cum.shape[1] - 1)
            s_next, r, terminated, truncated, _ = env.step(a)
            visits[s] += 1
            # region: td0
            target = r if terminated else r + gamma * v[s_next]   # bootstrap unless S' is terminal
            v[s] += alpha_of(visits[s]) * (target - v[s])
            # endregion
            if terminated or truncated:
                break
            s = s_next
        if errors is not None:
            errors.append(_rms(v, v_true, mask))
    return (v, np.array(errors)) if errors is not None else v


mc_prediction.__doc__ = r"""First-visit Monte Carlo prediction of :math:`v_\pi` (Sutton & Barto, 2018, section 5.1).
""" + _PREDICTION_PARAMETERS.replace("""    random_state""", r"""    alpha : float in (0, 1], callable or None, default None
        Step size; None averages the returns (:math:`\alpha = 1/n` at the :math:`n`-th first visit of the
        state); a constant gives constant-α Monte Carlo; a callable receives :math:`n`.
    random_state""", 1) + r"""
    Notes
    -----
    For each complete episode :math:`S_0, A_0, R_1, \dots, S_T` and each state's first visit at time
    :math:`t`, with :math:`G_t = \sum_{k=t+1}^{T} \gamma^{k-t-1} R_k` computed backwards,

    .. math:: V(S_t) \leftarrow V(S_t) + \alpha\,[G_t - V(S_t)].

    :math:`G_t` is an unbiased sample of :math:`v_\pi(S_t)`; with :math:`\alpha = 1/n` the estimate is the
    sample mean and converges to :math:`v_\pi` by the law of large numbers. Episodes cut by ``max_steps`` or
    a time limit (truncated) have no return and are skipped.
"""

td0_prediction.__doc__ = r"""TD(0) prediction of :math:`v_\pi` (Sutton, 1988; Sutton & Barto, 2018, section 6.1).
""" + _PREDICTION_PARAMETERS.replace("""    random_state""", r"""    alpha : float in (0, 1] or callable
        Step size; a callable receives :math:`n`, the number of updates of the state including this one.
    random_state""", 1) + r"""
    Notes
    -----
    After every step, a sample of the Bellman expectation equation :math:`v_\pi(s) = \mathbb{E}_\pi[R_{t+1}
    + \gamma v_\pi(S_{t+1}) \mid S_t = s]`:

    .. math:: V(S_t) \leftarrow V(S_t) + \alpha\,[R_{t+1} + \gamma V(S_{t+1}) - V(S_t)],

    with :math:`V(S_{t+1})` replaced by 0 only if :math:`S_{t+1}` is terminal (``terminated``), not at a
    truncation. It converges to :math:`v_\pi` in a finite MDP under the Robbins–Monro conditions on the
    step sizes (Sutton & Barto, 2018, section 6.2).
"""


# ----------------------------------------------------------------------------------------------- random walk
class RandomWalkEnv(gym.Env):
    r"""The random walk of Sutton & Barto (2018, Example 6.2) as a gymnasium environment.

    States ``0 .. n_states + 1``: 0 and ``n_states + 1`` are terminal, the walk starts in the middle,
    ``(n_states + 1) // 2``. Action 0 moves left, 1 moves right; stepping into the right end earns +1, every
    other step 0. Under the equiprobable policy (the example's random walk) and :math:`\gamma = 1`,
    :math:`v_\pi(k) = k/(n+1)`, i.e. 1/6, ..., 5/6 for the default five states A..E.

    Parameters
    ----------
    n_states : int, default 5
        Number of non-terminal states (odd, so that there is a middle one).
    """

    metadata = {"render_modes": []}

    def __init__(self, n_states: int = 5) -> None:
        n_states = _positive_int(n_states, "n_states")
        if n_states % 2 == 0:
            raise ValueError(f"n_states must be odd so that the walk starts in the middle, got {n_states}")
        self.n_states = n_states
        self.observation_space = gym.spaces.Discrete(n_states + 2)
        self.action_space = gym.spaces.Discrete(2)
        self._s = (n_states + 1) // 2

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[int, dict]:
        super().reset(seed=seed)
        self._s = (self.n_states + 1) // 2
        return self._s, {}

    def step(self, action: int) -> tuple[int, float, bool, bool, dict]:
        if not self.action_space.contains(action):
            raise ValueError(f"action must be 0 (left) or 1 (right), got {action!r}")
        if self._s in (0, self.n_states + 1):                # after the end: absorbing, reward 0
            return self._s, 0.0, True, False, {}
        self._s += 1 if action == 1 else -1
        at_right = self._s == self.n_states + 1
        return self._s, float(at_right), bool(at_right or self._s == 0), False, {}

    def transition_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``P`` of shape (S, 2, S) and ``R`` of shape (S, 2) (terminal states absorbing with reward 0),
        ready for ``mlbook.rl.TabularMDP(P, R, gamma)``."""
        n = self.n_states + 2
        P, R = np.zeros((n, 2, n)), np.zeros((n, 2))
        for s in range(n):
            for a, move in enumerate((-1, 1)):
                s_next = s if s in (0, n - 1) else s + move
                P[s, a, s_next] = 1.0
                R[s, a] = float(s not in (0, n - 1) and s_next == n - 1)
        return P, R

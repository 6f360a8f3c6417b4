"""Evaluating a fixed policy by running whole episodes in a gymnasium environment (chapter 12).

Shared by :mod:`~mlbook.rl.dqn` and :mod:`~mlbook.rl.policy_gradient`. NumPy only: the policy is any
callable from an observation to an action, so a network is wrapped by the caller (e.g. a greedy
``lambda obs: int(q_net(torch.as_tensor(obs)).argmax())``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["evaluate_policy"]


def evaluate_policy(env: Any, policy_fn: Callable[[Any], Any], n_episodes: int = 10, seed: int = 0, *,
                    max_steps: int | None = None) -> np.ndarray:
    r"""Run ``n_episodes`` episodes with a fixed policy and return the undiscounted return of each.

    Parameters
    ----------
    env : gymnasium.Env
        Any environment with ``reset(seed=...)`` and a five-tuple ``step``.
    policy_fn : callable
        Maps one observation to one action, ``a = policy_fn(obs)``. For an evaluation of a learned
        value function this is the *greedy* policy (:math:`\varepsilon = 0`): exploration belongs to
        training, not to measuring what was learned.
    n_episodes : int, default 10
        Number of episodes, at least 1.
    seed : int, default 0
        Episode :math:`i` starts from ``env.reset(seed=seed + i)`` (and ``env.action_space`` is seeded
        with ``seed``), so two calls with the same seed see the same start states and, for a
        deterministic policy, return the same numbers.
    max_steps : int, optional
        Stop an episode after this many steps even if the environment has not ended it (a safety net
        for environments without a time limit). By default only ``terminated`` or ``truncated`` end it.

    Returns
    -------
    numpy.ndarray of shape (n_episodes,)
        :math:`G^{(i)} = \sum_{t=0}^{T_i - 1} r_{t+1}^{(i)}`, the sum of the rewards of episode :math:`i`
        (no discount: the score an environment such as CartPole-v1 is judged by).

    Raises
    ------
    TypeError
        If ``policy_fn`` is not callable, or ``n_episodes``, ``seed`` or ``max_steps`` is not an integer.
    ValueError
        If ``n_episodes < 1``, ``seed < 0`` or ``max_steps < 1``.

    Examples
    --------
    >>> import gymnasium as gym
    >>> env = gym.make("CartPole-v1")
    >>> returns = evaluate_policy(env, lambda obs: 0, n_episodes=3, seed=0)   # always push left
    >>> returns.shape, bool(returns.max() < 20)
    ((3,), True)
    """
    if not callable(policy_fn):
        raise TypeError(f"policy_fn must be a callable mapping an observation to an action, "
                        f"got {type(policy_fn).__name__}")
    for name, value in (("n_episodes", n_episodes), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be an integer, got {value!r}")
    if n_episodes < 1:
        raise ValueError(f"n_episodes must be >= 1, got {n_episodes}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0 (it seeds env.reset), got {seed}")
    if max_steps is not None:
        if isinstance(max_steps, bool) or not isinstance(max_steps, (int, np.integer)):
            raise TypeError(f"max_steps must be an integer or None, got {max_steps!r}")
        if max_steps < 1:
            raise ValueError(f"max_steps must be >= 1, got {max_steps}")
    if not (hasattr(env, "reset") and hasattr(env, "step")):
        raise TypeError(f"env must be a gymnasium-style environment with reset and step, got {type(env).__name__}")

    if hasattr(env, "action_space"):
        env.action_space.seed(int(seed))
    returns = np.zeros(int(n_episodes))
    for i in range(int(n_episodes)):
        obs, _ = env.reset(seed=int(seed) + i)
        total, steps, done = 0.0, 0, False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(policy_fn(obs))
            total += float(reward)
            steps += 1
            done = bool(terminated or truncated) or (max_steps is not None and steps >= max_steps)
        returns[i] = total
    return returns

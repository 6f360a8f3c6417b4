"""Reinforcement learning (chapter 12).

* :mod:`~mlbook.rl.mdp` (NumPy): :class:`TabularMDP`, :func:`policy_evaluation`, :func:`q_from_v`,
  :func:`greedy_policy`, the one-sweep backups :func:`bellman_expectation_backup` and
  :func:`bellman_optimality_backup`, :func:`value_iteration`, :func:`policy_iteration` and
  :func:`corridor_mdp`.
* :mod:`~mlbook.rl.gridworld` (gymnasium): :class:`GridWorldEnv`, Sutton and Barto's grid worlds.
* :mod:`~mlbook.rl.tabular` (NumPy and gymnasium): :func:`epsilon_greedy`, :func:`td_control` with its two
  cases :func:`q_learning` and :func:`sarsa`, :func:`mc_prediction`, :func:`td0_prediction` and
  :class:`RandomWalkEnv`, the random walk of Sutton and Barto's Example 6.2.
* :mod:`~mlbook.rl.evaluation`: :func:`evaluate_policy`.
* :mod:`~mlbook.rl.replay`, :mod:`~mlbook.rl.dqn` and :mod:`~mlbook.rl.policy_gradient` (PyTorch):
  :class:`ReplayBuffer`, :class:`QNetwork`, :func:`dqn_loss`, :func:`soft_update`, :func:`train_dqn`,
  :class:`PolicyNetwork`, :class:`ValueNetwork`, :func:`discounted_returns`, :func:`policy_gradient_loss`
  and :func:`reinforce`.

Every name is imported when first used, so the NumPy parts load neither PyTorch nor gymnasium.
"""
from __future__ import annotations

from .._lazy import lazy_getattr

_NAMES = {"TabularMDP": "mdp", "policy_evaluation": "mdp", "q_from_v": "mdp", "greedy_policy": "mdp",
          "bellman_expectation_backup": "mdp", "bellman_optimality_backup": "mdp",
          "value_iteration": "mdp", "policy_iteration": "mdp", "corridor_mdp": "mdp",
          "GridWorldEnv": "gridworld",
          "epsilon_greedy": "tabular", "td_control": "tabular", "q_learning": "tabular", "sarsa": "tabular",
          "mc_prediction": "tabular", "td0_prediction": "tabular", "RandomWalkEnv": "tabular",
          "evaluate_policy": "evaluation", "ReplayBuffer": "replay",
          "QNetwork": "dqn", "dqn_loss": "dqn", "soft_update": "dqn", "train_dqn": "dqn",
          "PolicyNetwork": "policy_gradient", "ValueNetwork": "policy_gradient",
          "discounted_returns": "policy_gradient", "policy_gradient_loss": "policy_gradient",
          "reinforce": "policy_gradient"}

__all__ = list(_NAMES)

__getattr__ = lazy_getattr(__name__, _NAMES, globals())

r"""REINFORCE (Williams, 1992) with an optional baseline, for environments with discrete actions (section 12.5).

:func:`discounted_returns` computes the reward-to-go :math:`G_t`; :func:`policy_gradient_loss` is the
surrogate whose gradient is the REINFORCE estimate; :func:`reinforce` trains a :class:`PolicyNetwork`
(and, with ``baseline="value"``, a :class:`ValueNetwork`) on a gymnasium environment.
"""
from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..runtime import device as _default_device
from ..runtime import progress as _progress
from ..validation import check_positive

__all__ = ["PolicyNetwork", "ValueNetwork", "discounted_returns", "policy_gradient_loss", "ReinforceResult",
           "reinforce", "BASELINES"]

#: The baselines :func:`reinforce` knows.
BASELINES = (None, "mean", "value")


def _mlp(n_in: int, n_out: int, hidden: Sequence[int]) -> nn.Sequential:
    if isinstance(hidden, (int, np.integer)) or not all(isinstance(h, (int, np.integer)) and not isinstance(h, bool)
                                                         and h > 0 for h in hidden):
        raise ValueError(f"hidden must be a sequence of positive integers (layer widths, () for a linear model), "
                         f"got {hidden!r}")
    layers: list[nn.Module] = []
    width = n_in
    for h in hidden:
        layers += [nn.Linear(width, int(h)), nn.Tanh()]
        width = int(h)
    layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


class PolicyNetwork(nn.Module):
    r"""A softmax policy :math:`\pi_\theta(a \mid s) = \operatorname{softmax}(f_\theta(s))_a` over discrete actions.

    ``forward`` returns the logits :math:`f_\theta(s)` of shape (batch, n_actions): an MLP with tanh
    hidden layers of the widths in ``hidden`` (``()`` gives a linear softmax policy).
    """

    def __init__(self, obs_dim: int, n_actions: int, hidden: Sequence[int] = (64, 64)) -> None:
        super().__init__()
        check_positive(obs_dim, "obs_dim", integer=True)
        check_positive(n_actions, "n_actions", integer=True)
        self.obs_dim, self.n_actions = int(obs_dim), int(n_actions)
        self.net = _mlp(self.obs_dim, self.n_actions, hidden)

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        if obs.ndim != 2 or obs.shape[1] != self.obs_dim:
            raise ValueError(f"obs must have shape (batch, {self.obs_dim}), got {tuple(obs.shape)}")
        return self.net(obs)


class ValueNetwork(nn.Module):
    r"""A state-value estimate :math:`\hat v_w(s)`, an MLP with tanh hidden layers.

    ``forward`` returns one value per state, shape (batch,). :func:`reinforce` uses it as the baseline.
    """

    def __init__(self, obs_dim: int, hidden: Sequence[int] = (64, 64)) -> None:
        super().__init__()
        check_positive(obs_dim, "obs_dim", integer=True)
        self.obs_dim = int(obs_dim)
        self.net = _mlp(self.obs_dim, 1, hidden)

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        if obs.ndim != 2 or obs.shape[1] != self.obs_dim:
            raise ValueError(f"obs must have shape (batch, {self.obs_dim}), got {tuple(obs.shape)}")
        return self.net(obs).squeeze(-1)


def _check_gamma(gamma: Any) -> None:
    if isinstance(gamma, bool) or not isinstance(gamma, (int, float, np.integer, np.floating)) \
            or not 0.0 <= float(gamma) <= 1.0:
        raise ValueError(f"gamma must be a number in [0, 1], got {gamma!r}")


def discounted_returns(rewards: Any, gamma: float) -> np.ndarray:
    r"""The reward-to-go of every step of one episode: :math:`G_t = \sum_{k=t}^{T-1} \gamma^{k-t} r_{k+1}`.

    Parameters
    ----------
    rewards : array_like of shape (T,)
        The rewards :math:`r_1, \dots, r_T` of one episode, in order (``rewards[t]`` follows action :math:`a_t`).
    gamma : float in [0, 1]
        The discount factor.

    Returns
    -------
    ndarray of shape (T,)
        ``G[t]``, the discounted sum of the rewards from step ``t`` to the end of the episode.

    Notes
    -----
    One backward pass of the recursion :math:`G_t = r_{t+1} + \gamma G_{t+1}` with :math:`G_T = 0`,
    :math:`O(T)` instead of the :math:`O(T^2)` of the direct sum. Only the rewards *after* :math:`a_t`
    appear in :math:`G_t`: the earlier ones do not depend on :math:`a_t` (causality, section 12.5).
    """
    r = np.asarray(rewards, dtype=np.float64)
    if r.ndim != 1:
        raise ValueError(f"rewards must be a 1-D sequence (one episode), got shape {r.shape}")
    if not np.all(np.isfinite(r)):
        raise ValueError("rewards contain NaN or infinity")
    _check_gamma(gamma)
    G = np.empty_like(r)
    running = 0.0
    # region: reward-to-go
    for t in range(len(r) - 1, -1, -1):
        running = r[t] + gamma * running
        G[t] = running
    # endregion
    return G


def policy_gradient_loss(logits: torch.Tensor, actions: torch.Tensor, weights: torch.Tensor,
                         n_episodes: int = 1) -> torch.Tensor:
    r"""The REINFORCE surrogate objective, whose negative gradient is the policy-gradient estimate.

    .. math:: L(\theta) = -\frac{1}{N}\sum_{i,t} \Psi_{i,t} \log \pi_\theta(a_{i,t} \mid s_{i,t}).

    Parameters
    ----------
    logits : tensor of shape (n, n_actions)
        The policy's logits at the visited states (all steps of all episodes of a batch).
    actions : integer tensor of shape (n,)
        The actions taken.
    weights : tensor of shape (n,)
        :math:`\Psi_{i,t}`: the reward-to-go, or the reward-to-go minus a baseline. Treated as constants.
    n_episodes : int
        :math:`N`, the number of episodes the steps come from.

    Notes
    -----
    :math:`-\nabla_\theta L = \frac{1}{N}\sum_{i,t} \Psi_{i,t}\, \nabla_\theta \log \pi_\theta(a_{i,t} \mid s_{i,t})`,
    the Monte Carlo estimate of the policy gradient. The *value* of :math:`L` is not the (negative)
    expected return and does not measure progress: only its gradient at the current :math:`\theta` means something.
    """
    if logits.ndim != 2 or actions.shape != (logits.shape[0],) or weights.shape != (logits.shape[0],):
        raise ValueError(f"expected logits (n, n_actions), actions (n,) and weights (n,); got "
                         f"{tuple(logits.shape)}, {tuple(actions.shape)} and {tuple(weights.shape)}")
    check_positive(n_episodes, "n_episodes", integer=True)
    # region: surrogate
    log_probs = F.log_softmax(logits, dim=-1).gather(1, actions.long().unsqueeze(1)).squeeze(1)
    return -(weights.detach() * log_probs).sum() / n_episodes
    # endregion


@dataclass
class ReinforceResult:
    """What :func:`reinforce` returns.

    Attributes
    ----------
    policy : PolicyNetwork
        The final policy (on the training device).
    value : ValueNetwork or None
        The learned baseline when ``baseline="value"``.
    episode_returns : ndarray of shape (n_episodes,)
        The undiscounted return of every training episode, in order.
    eval_history : list of (int, float)
        ``(episodes trained, mean greedy return)`` at every evaluation.
    eval_returns : ndarray or None
        The returns of the last evaluation's episodes.
    losses : ndarray of shape (n_updates,)
        The surrogate :func:`policy_gradient_loss` at every update (not a measure of progress).
    seconds : float
        Wall-clock time of the training.
    """

    policy: PolicyNetwork
    value: ValueNetwork | None
    episode_returns: np.ndarray
    eval_history: list[tuple[int, float]] = field(default_factory=list)
    eval_returns: np.ndarray | None = None
    losses: np.ndarray = field(default_factory=lambda: np.zeros(0))
    seconds: float = 0.0


def _check_env(env: Any) -> tuple[int, int]:
    import gymnasium as gym

    if not isinstance(getattr(env, "action_space", None), gym.spaces.Discrete):
        raise TypeError(f"reinforce needs a discrete action space (gymnasium.spaces.Discrete), "
                        f"got {getattr(env, 'action_space', None)!r}")
    space = getattr(env, "observation_space", None)
    if not isinstance(space, gym.spaces.Box) or len(space.shape) != 1:
        raise TypeError(f"reinforce needs a 1-D Box observation space (a vector of features), got {space!r}")
    return int(space.shape[0]), int(env.action_space.n)


def _greedy_fn(policy: PolicyNetwork, device: torch.device):
    def act(obs: np.ndarray) -> int:
        with torch.no_grad():
            logits = policy(torch.as_tensor(np.asarray(obs, dtype=np.float32), device=device).unsqueeze(0))
        return int(logits.argmax(dim=1).item())
    return act


def reinforce(env: Any, *, n_updates: int = 200, episodes_per_update: int = 4, gamma: float = 0.99,
              lr: float = 1e-2, value_lr: float | None = None, baseline: str | None = "value",
              normalize: bool = False, hidden: Sequence[int] = (64, 64), max_steps: int = 10_000,
              eval_every: int | None = None, eval_episodes: int = 20, stop_return: float | None = None,
              eval_env: Any = None, random_state: int = 0, device: Any = None,
              progress: bool = True) -> ReinforceResult:
    r"""Train a softmax policy with REINFORCE (Williams, 1992), with or without a baseline.

    Each update samples ``episodes_per_update`` episodes with the current policy (no graph is built
    while acting), recomputes the log-probabilities of all their steps in one batch and takes one Adam
    step on :func:`policy_gradient_loss` with weights :math:`\Psi_t = G_t - b(s_t)`.

    Parameters
    ----------
    env : gymnasium.Env
        Discrete actions, a 1-D Box observation (CartPole-v1, for example).
    n_updates, episodes_per_update : int
        How many updates, and how many episodes each one averages over.
    gamma : float in [0, 1]
        Discount of the reward-to-go :math:`G_t` (:func:`discounted_returns`).
    lr, value_lr : float
        Adam learning rates of the policy and of the value network (default ``value_lr = lr``).
    baseline : {None, "mean", "value"}
        ``None``: :math:`b = 0`. ``"mean"``: the mean reward-to-go of the *previous* batch (a constant that
        does not depend on the current samples, so the estimate stays unbiased). ``"value"``: a learned
        :class:`ValueNetwork` :math:`\hat v_w(s_t)`, fitted to :math:`G_t` by one Adam step on the mean
        squared error per update, after it has served as the baseline of that batch.
    normalize : bool, default False
        Divide the weights :math:`\Psi_t` of a batch by their standard deviation after subtracting their
        mean (a common heuristic; it rescales the step, and because the mean subtracted contains each
        sample's own weight, it biases the estimate slightly: section 12.5, Exercise 15).
    hidden : sequence of int
        Hidden widths of the policy (and value) network.
    max_steps : int
        Cut an episode after so many steps (CartPole-v1 is truncated at 500 by gymnasium itself).
    eval_every : int, optional
        Every so many updates, run ``eval_episodes`` greedy episodes (action :math:`\arg\max_a \pi(a \mid s)`)
        with :func:`mlbook.rl.evaluate_policy` on ``eval_env`` (default: a copy of ``env``) and record the mean.
    stop_return : float, optional
        Stop as soon as an evaluation's mean reaches it.
    random_state : int
        Seeds the network initialisation (a local ``torch.Generator``), the action sampling (a local
        ``np.random.default_rng``) and the environment (``env.reset(seed=random_state)`` once, and
        evaluation seeds derived from it). Two runs on the same machine give the same numbers.
    device : torch.device or str, optional
        Default :func:`mlbook.device`. Actions are drawn on the CPU from the probabilities, so the
        sequence of random numbers is the same on every device.
    progress : bool
        Show a progress bar (:func:`mlbook.progress`).

    Returns
    -------
    ReinforceResult

    Notes
    -----
    The estimate of :math:`\nabla_\theta J` from :math:`N` episodes is

    .. math:: \hat g = \frac{1}{N} \sum_{i=1}^{N} \sum_{t=0}^{T_i - 1} \big(G_{i,t} - b(s_{i,t})\big)\,
              \nabla_\theta \log \pi_\theta(a_{i,t} \mid s_{i,t}).

    As in most implementations, the factor :math:`\gamma^t` of the exact discounted gradient is left out
    (it is 1 for :math:`\gamma = 1`); with :math:`\gamma < 1` the update is then not exactly the gradient of
    the discounted objective (Nota & Thomas, 2020). Derivation: section 12.5 of the book.
    """
    n_obs, n_act = _check_env(env)
    for name, value in (("n_updates", n_updates), ("episodes_per_update", episodes_per_update),
                        ("max_steps", max_steps), ("eval_episodes", eval_episodes)):
        check_positive(value, name, integer=True)
    _check_gamma(gamma)
    check_positive(lr, "lr")
    value_lr = lr if value_lr is None else value_lr
    check_positive(value_lr, "value_lr")
    if baseline not in BASELINES:
        raise ValueError(f"unknown baseline {baseline!r}; choose one of {BASELINES}")
    if eval_every is not None:
        check_positive(eval_every, "eval_every", integer=True)
    if stop_return is not None and eval_every is None:
        raise ValueError("stop_return needs eval_every: the stopping rule reads the periodic evaluation")
    if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)) or random_state < 0:
        raise ValueError(f"random_state must be a non-negative integer, got {random_state!r}")
    from .evaluation import evaluate_policy

    device = _default_device() if device is None else torch.device(device)
    seed = int(random_state)
    gen = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):              # initialise from the local generator only
        torch.manual_seed(int(torch.randint(2**31 - 1, (1,), generator=gen)))
        policy = PolicyNetwork(n_obs, n_act, hidden)
        value = ValueNetwork(n_obs, hidden) if baseline == "value" else None
    policy.to(device)
    opt = torch.optim.Adam(policy.parameters(), lr=lr)
    if value is not None:
        value.to(device)
        opt_v = torch.optim.Adam(value.parameters(), lr=value_lr)
    rng = np.random.default_rng(seed)
    if eval_env is None and eval_every is not None:
        eval_env = copy.deepcopy(env)
    env.action_space.seed(seed)

    episode_returns: list[float] = []
    eval_history: list[tuple[int, float]] = []
    eval_returns = None
    losses: list[float] = []
    previous_mean = 0.0
    first_reset = True
    start = time.perf_counter()
    for update in _progress(range(1, int(n_updates) + 1), desc=f"REINFORCE ({baseline or 'no'} baseline)",
                            disable=None if progress else True):
        # region: sample episodes
        obs_list, act_list, G_list = [], [], []
        for _ in range(int(episodes_per_update)):
            obs, _ = env.reset(seed=seed if first_reset else None)
            first_reset = False
            rewards = []
            for _ in range(int(max_steps)):
                obs = np.asarray(obs, dtype=np.float32)
                with torch.no_grad():                    # acting builds no graph
                    probs = torch.softmax(policy(torch.as_tensor(obs, device=device).unsqueeze(0)), dim=1)
                cdf = np.cumsum(probs[0].cpu().double().numpy())
                action = int(min(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"), n_act - 1))
                obs_list.append(obs)
                act_list.append(action)
                obs, reward, terminated, truncated, _ = env.step(action)
                rewards.append(float(reward))
                if terminated or truncated:
                    break
            G_list.append(discounted_returns(rewards, gamma))
            episode_returns.append(float(np.sum(rewards)))
        # endregion
        # region: update
        S = torch.as_tensor(np.stack(obs_list), device=device)                      # (n, obs_dim)
        A = torch.as_tensor(np.asarray(act_list), device=device)                     # (n,)
        G = torch.as_tensor(np.concatenate(G_list), dtype=torch.float32, device=device)  # (n,)
        if baseline == "value":
            with torch.no_grad():
                b = value(S)
        elif baseline == "mean":
            b = torch.full_like(G, previous_mean)
            previous_mean = float(G.mean())
        else:
            b = torch.zeros_like(G)
        psi = G - b
        if normalize and len(psi) > 1:
            psi = (psi - psi.mean()) / (psi.std() + 1e-8)
        loss = policy_gradient_loss(policy(S), A, psi, int(episodes_per_update))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if value is not None:                            # fit the baseline to the returns just seen
            v_loss = F.mse_loss(value(S), G)
            opt_v.zero_grad()
            v_loss.backward()
            opt_v.step()
        # endregion
        losses.append(float(loss.detach()))
        if eval_every is not None and (update % int(eval_every) == 0 or update == int(n_updates)):
            policy.eval()
            eval_returns = np.asarray(evaluate_policy(eval_env, _greedy_fn(policy, device), int(eval_episodes),
                                                      seed + 10_000 + update), dtype=float)
            policy.train()
            eval_history.append((len(episode_returns), float(eval_returns.mean())))
            if stop_return is not None and eval_returns.mean() >= stop_return:
                break
    return ReinforceResult(policy=policy, value=value, episode_returns=np.asarray(episode_returns),
                           eval_history=eval_history, eval_returns=eval_returns, losses=np.asarray(losses),
                           seconds=time.perf_counter() - start)

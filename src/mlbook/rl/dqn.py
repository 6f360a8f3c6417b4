"""Deep Q-networks (chapter 12; Mnih et al., 2013, 2015): the Q-network, the loss, target updates, training."""
from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..runtime import device as _default_device
from ..runtime import progress as _progress
from .evaluation import evaluate_policy
from .replay import ReplayBuffer, _check_int

__all__ = ["QNetwork", "DQNResult", "dqn_targets", "dqn_loss", "soft_update", "hard_update",
           "linear_epsilon", "greedy_action", "train_dqn"]


def _check_unit(value: Any, name: str, *, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    ok = (0 < value <= 1) if low_open else (0 <= value <= 1)
    if not ok:
        raise ValueError(f"{name} must lie in {'(0, 1]' if low_open else '[0, 1]'}, got {value!r}")
    return float(value)


class QNetwork(nn.Module):
    r"""A multilayer perceptron from a state to one Q-value per action, :math:`s \mapsto (Q(s, a; \theta))_a`.

    Parameters
    ----------
    obs_dim : int
        Length of the state vector.
    n_actions : int
        Number of discrete actions: the width of the output.
    hidden : sequence of int, default (64, 64)
        Widths of the hidden layers (ReLU after each).
    random_state : int, optional
        Initialise the weights from a local ``torch.Generator`` seeded with it (PyTorch's default
        ``nn.Linear`` scheme, uniform in :math:`\pm 1/\sqrt{\text{fan-in}}`) instead of torch's global
        generator, so that a seeded network is the same whatever ran before.

    Notes
    -----
    One output per action, rather than a network of :math:`(s, a)`, makes both uses of :math:`Q`
    cost a single forward pass: the greedy action :math:`\arg\max_a Q(s, a)` and the bootstrap
    :math:`\max_{a'} Q(s', a')` of the target (Mnih et al., 2015).
    """

    def __init__(self, obs_dim: int, n_actions: int, hidden: Sequence[int] = (64, 64), *,
                 random_state: int | None = None) -> None:
        super().__init__()
        obs_dim = _check_int(obs_dim, "obs_dim", 1)
        n_actions = _check_int(n_actions, "n_actions", 1)
        if isinstance(hidden, (int, str)) or not all(isinstance(h, (int, np.integer)) and not isinstance(h, bool)
                                                     and h >= 1 for h in hidden):
            raise ValueError(f"hidden must be a sequence of positive integers, got {hidden!r}")
        widths = [obs_dim, *map(int, hidden), n_actions]
        layers: list[nn.Module] = []
        for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
            layers.append(nn.Linear(a, b))
            if i < len(widths) - 2:
                layers.append(nn.ReLU())
        self.net = nn.Sequential(*layers)
        self.obs_dim, self.n_actions = obs_dim, n_actions
        if random_state is not None:
            gen = torch.Generator().manual_seed(_check_int(random_state, "random_state", 0))
            with torch.no_grad():
                for layer in self.net:
                    if isinstance(layer, nn.Linear):
                        bound = 1.0 / math.sqrt(layer.in_features)
                        layer.weight.uniform_(-bound, bound, generator=gen)
                        layer.bias.uniform_(-bound, bound, generator=gen)

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        """Q-values of shape (batch, n_actions) (or (n_actions,) for one state)."""
        return self.net(obs)


def greedy_action(q_net: nn.Module, obs: Any, device: Any = None) -> int:
    """The action of largest Q-value in state ``obs`` (ties to the lowest index), with no gradient."""
    if device is None:
        device = next(q_net.parameters()).device
    with torch.inference_mode():   # no graph, cheaper than no_grad for a single state
        q = q_net(torch.as_tensor(np.asarray(obs, dtype=np.float32), device=device))
    return int(q.argmax())


def dqn_targets(rewards: torch.Tensor, next_q: torch.Tensor, terminated: torch.Tensor, gamma: float) -> torch.Tensor:
    r"""The one-step Q-learning targets :math:`y = r + \gamma (1 - \text{terminated}) \max_{a'} Q^-(s', a')`.

    Parameters
    ----------
    rewards, terminated : tensors of shape (B,)
        ``terminated`` is 1.0 where :math:`s'` is a terminal state of the task (the pole fell) and
        0.0 otherwise, *including* when the episode was only truncated by a time limit.
    next_q : tensor of shape (B, n_actions)
        :math:`Q^-(s', \cdot)` from the target network (or the online one without a target network).
    gamma : float in [0, 1]

    Notes
    -----
    A terminal state has value 0 by definition, so its target is the reward alone. A truncated
    state is not terminal: the agent would have gone on collecting reward, so the target keeps
    :math:`\gamma \max_{a'} Q^-(s', a')`; treating truncation as termination teaches the network that
    states reached at the time limit are worth nothing, which is false (Pardo et al., 2018).
    The result is detached: the target is a fixed regression label, not a function of :math:`\theta`.
    """
    gamma = _check_unit(gamma, "gamma")
    return (rewards + gamma * (1.0 - terminated) * next_q.max(dim=1).values).detach()


def dqn_loss(q_net: nn.Module, target_net: nn.Module, batch: Sequence[torch.Tensor], gamma: float, *,
             loss: str = "huber") -> torch.Tensor:
    r"""The DQN loss on a mini-batch :math:`\{(s_i, a_i, r_i, s'_i, d_i)\}_{i=1}^B`.

    .. math::

        L(\theta) = \frac{1}{B} \sum_{i=1}^{B} \ell\bigl(Q(s_i, a_i; \theta) - y_i\bigr), \qquad
        y_i = r_i + \gamma (1 - d_i) \max_{a'} Q(s'_i, a'; \theta^-),

    with :math:`\ell` the Huber function (``loss="huber"``, :math:`\ell(u) = u^2/2` for
    :math:`|u| \le 1` and :math:`|u| - 1/2` beyond) or the square (``loss="mse"``,
    :math:`\ell(u) = u^2`).

    Notes
    -----
    The targets :math:`y_i` are computed under ``torch.no_grad()``: the gradient is the
    *semi-gradient* :math:`\frac{1}{B}\sum_i \ell'(Q(s_i, a_i; \theta) - y_i) \nabla_\theta Q(s_i, a_i; \theta)`,
    which moves the prediction towards the target and not the target towards the prediction.

    Huber is the default because its derivative is the TD error clipped to :math:`[-1, 1]`, which is
    exactly the "error clipping" of Mnih et al. (2015): one surprising transition (a large TD
    error early in training, when the targets are still far off) moves the weights by a bounded
    amount, where the square's gradient would grow with the error.
    """
    if loss not in ("huber", "mse"):
        raise ValueError(f"loss must be 'huber' or 'mse', got {loss!r}")
    obs, actions, rewards, next_obs, terminated = batch
    # region: loss
    q_taken = q_net(obs).gather(1, actions.long().unsqueeze(1)).squeeze(1)      # (B,) Q(s_i, a_i; theta)
    with torch.no_grad():                                                       # no gradient through y
        y = dqn_targets(rewards, target_net(next_obs), terminated, gamma)      # (B,)
    if loss == "huber":
        return F.smooth_l1_loss(q_taken, y)     # Huber with delta = 1
    return F.mse_loss(q_taken, y)
    # endregion


def soft_update(target: nn.Module, online: nn.Module, tau: float) -> None:
    r"""Polyak averaging, :math:`\theta^- \leftarrow \tau \theta + (1 - \tau) \theta^-` (Lillicrap et al., 2016).

    With :math:`\tau = 1` this is the hard copy of :func:`hard_update`. After :math:`k` updates with
    :math:`\theta` held fixed, :math:`\theta^- - \theta` has shrunk by :math:`(1 - \tau)^k`, so
    :math:`1/\tau` plays the role of the hard-update period.
    """
    tau = _check_unit(tau, "tau", low_open=True)
    with torch.no_grad():
        for p_t, p in zip(target.parameters(), online.parameters()):
            p_t.mul_(1.0 - tau).add_(p, alpha=tau)


def hard_update(target: nn.Module, online: nn.Module) -> None:
    r"""Copy the online weights into the target network, :math:`\theta^- \leftarrow \theta` (Mnih et al., 2015)."""
    target.load_state_dict(online.state_dict())


def linear_epsilon(start: float, end: float, decay_steps: int) -> Callable[[int], float]:
    r"""The schedule :math:`\varepsilon_t = \text{start} + (\text{end} - \text{start}) \min(t / \text{decay\_steps}, 1)`."""
    start, end = _check_unit(start, "epsilon start"), _check_unit(end, "epsilon end")
    decay_steps = _check_int(decay_steps, "epsilon decay_steps", 1)
    return lambda t: start + (end - start) * min(t / decay_steps, 1.0)


@dataclass
class DQNResult:
    """What :func:`train_dqn` returns.

    Attributes
    ----------
    q_network : QNetwork
        The online network at the end of training (in eval mode, on the training device).
    best_network : QNetwork
        A copy of the online network at the greedy evaluation with the highest mean return
        (the final one when no evaluation ran).
    episode_returns, episode_ends : numpy.ndarray
        The undiscounted return of every finished training episode (with exploration) and the
        environment step at which it ended.
    eval_steps, eval_returns : numpy.ndarray
        The steps of the periodic greedy evaluations and, for each, the ``eval_episodes`` returns,
        shape (n_evaluations, eval_episodes).
    losses : numpy.ndarray
        The loss of every gradient update.
    best_step, best_return : int, float
        When the best snapshot was taken and its mean evaluation return.
    n_steps : int
        Environment steps actually taken (fewer than asked when ``stop_return`` was reached).
    stopped : bool
        Whether training stopped early on ``stop_return``.
    config : dict
        The validated settings of the run (``learning_starts`` raised to ``batch_size`` if it was lower).
    """

    q_network: QNetwork
    best_network: QNetwork
    episode_returns: np.ndarray
    episode_ends: np.ndarray
    eval_steps: np.ndarray
    eval_returns: np.ndarray
    losses: np.ndarray
    best_step: int
    best_return: float
    n_steps: int
    stopped: bool
    config: dict[str, Any] = field(default_factory=dict)


def train_dqn(env: Any, *, n_steps: int = 20_000, buffer_size: int = 10_000, batch_size: int = 64,
              gamma: float = 0.99, lr: float = 5e-4,
              epsilon: float | tuple[float, float, int] | Callable[[int], float] = (1.0, 0.05, 2_000),
              learning_starts: int = 500, train_every: int = 2, target_update: int | float = 250,
              use_replay: bool = True, use_target: bool = True, loss: str = "huber",
              hidden: Sequence[int] = (64, 64), max_grad_norm: float | None = None,
              eval_every: int | None = 500, eval_episodes: int = 5, eval_seed: int = 10_000,
              eval_env: Any = None, stop_return: float | None = None, random_state: int = 0,
              device: Any = None, progress: bool = True) -> DQNResult:
    r"""Train a deep Q-network (Mnih et al., 2015) on an environment with a vector state and discrete actions.

    Each environment step: act :math:`\varepsilon`-greedily with the online network, store the
    transition, and (every ``train_every`` steps once ``learning_starts`` steps are stored) take one
    Adam step on :func:`dqn_loss` over a mini-batch; then update the target network.

    Parameters
    ----------
    env : gymnasium.Env
        Box observation of shape (obs_dim,), Discrete actions. Reset with ``seed=random_state`` once,
        then without a seed (the environment's own generator continues).
    n_steps : int
        Environment steps to take at most.
    buffer_size, batch_size : int
        Replay capacity and mini-batch size.
    gamma, lr : float
        Discount factor in [0, 1] and Adam's learning rate.
    epsilon : float, (start, end, decay_steps) or callable
        Exploration rate: constant, linear from ``start`` to ``end`` over ``decay_steps`` steps
        (:func:`linear_epsilon`), or any function of the step index.
    learning_starts : int
        Steps of collection before the first update (at least ``batch_size``). The agent already acts
        :math:`\varepsilon`-greedily then, with the untrained network's greedy action where it does not
        explore, so these steps are random play only when :math:`\varepsilon = 1` throughout them.
    train_every : int
        One gradient update every so many environment steps.
    target_update : int or float
        An int :math:`C \ge 1`: copy the online weights into the target every :math:`C` gradient
        updates (hard update; Mnih et al., 2015, also count :math:`C` in updates). A float
        :math:`\tau \in (0, 1)`: Polyak-average after every update
        (:func:`soft_update`).
    use_replay : bool, default True
        False: train on the ``batch_size`` *most recent* transitions instead of a uniform sample of the
        buffer (same batch size, consecutive correlated data: the ablation of replay).
    use_target : bool, default True
        False: compute the targets with the online network itself (still without gradient).
    loss : {"huber", "mse"}
        See :func:`dqn_loss`.
    hidden : sequence of int
        Hidden widths of the :class:`QNetwork`.
    max_grad_norm : float or None
        Clip the gradient's global norm to this value (None: no clipping).
    eval_every, eval_episodes, eval_seed : int
        Every ``eval_every`` steps, run ``eval_episodes`` greedy (:math:`\varepsilon = 0`) episodes on
        ``eval_env`` with seeds ``eval_seed, eval_seed + 1, ...`` (:func:`evaluate_policy`, the same start
        states each time, so the evaluations are comparable). ``eval_every=None``: no evaluation.
    eval_env : gymnasium.Env, optional
        Default: a fresh ``gymnasium.make(env.spec)``.
    stop_return : float, optional
        Stop as soon as an evaluation's mean return reaches this value.
    random_state : int
        Seeds the network's initialisation, the exploration, the replay sampling and the first reset.
    device : torch.device or str, optional
        Default :func:`mlbook.device`. All random numbers are drawn on the CPU, so the sequence of
        actions is the same on every device up to floating-point differences.
    progress : bool
        Show a progress bar (:func:`mlbook.progress`).

    Returns
    -------
    DQNResult

    Notes
    -----
    The greedy return of DQN on CartPole swings widely from one evaluation to the next (a network that
    balances for 500 steps can drop below 100 a few hundred updates later), so the result keeps the *best*
    evaluated snapshot besides the final network; judge it on fresh episodes, not on the evaluation
    episodes that selected it.
    """
    # ---- validation at the boundary
    if not (hasattr(env, "reset") and hasattr(env, "step") and hasattr(env, "action_space")):
        raise TypeError(f"env must be a gymnasium environment, got {type(env).__name__}")
    n_actions = getattr(env.action_space, "n", None)
    obs_shape = getattr(env.observation_space, "shape", None)
    if n_actions is None or obs_shape is None or len(obs_shape) != 1:
        raise ValueError("train_dqn needs a Discrete action space and a 1-D Box observation space, got "
                         f"{env.action_space} and {env.observation_space}")
    n_steps = _check_int(n_steps, "n_steps", 1)
    buffer_size = _check_int(buffer_size, "buffer_size", 1)
    batch_size = _check_int(batch_size, "batch_size", 1)
    learning_starts = _check_int(learning_starts, "learning_starts", 0)
    train_every = _check_int(train_every, "train_every", 1)
    eval_episodes = _check_int(eval_episodes, "eval_episodes", 1)
    eval_seed = _check_int(eval_seed, "eval_seed", 0)
    random_state = _check_int(random_state, "random_state", 0)
    if buffer_size < batch_size:
        raise ValueError(f"buffer_size ({buffer_size}) must be at least batch_size ({batch_size})")
    learning_starts = max(learning_starts, batch_size)
    gamma = _check_unit(gamma, "gamma")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    if isinstance(target_update, bool) or not isinstance(target_update, (int, float, np.integer, np.floating)):
        raise TypeError(f"target_update must be an int period or a float tau, got {target_update!r}")
    if isinstance(target_update, (int, np.integer)):
        _check_int(target_update, "target_update (a hard-update period)", 1)
    elif not 0 < target_update < 1:
        raise ValueError(f"a float target_update is the soft-update rate tau and must lie in (0, 1), got {target_update}; "
                         "pass an int for a hard-update period")
    if loss not in ("huber", "mse"):
        raise ValueError(f"loss must be 'huber' or 'mse', got {loss!r}")
    if max_grad_norm is not None and not max_grad_norm > 0:
        raise ValueError(f"max_grad_norm must be positive or None, got {max_grad_norm!r}")
    if eval_every is not None:
        eval_every = _check_int(eval_every, "eval_every", 1)
    if stop_return is not None and eval_every is None:
        raise ValueError("stop_return needs periodic evaluations: give eval_every")
    if callable(epsilon):
        eps_fn = epsilon
    elif isinstance(epsilon, (tuple, list)) and len(epsilon) == 3:
        eps_fn = linear_epsilon(*epsilon)
    elif isinstance(epsilon, (int, float)) and not isinstance(epsilon, bool):
        eps_const = _check_unit(epsilon, "epsilon")
        eps_fn = lambda t: eps_const  # noqa: E731
    else:
        raise TypeError(f"epsilon must be a number, a (start, end, decay_steps) tuple or a callable, got {epsilon!r}")
    if eval_every is not None and eval_env is None:
        if getattr(env, "spec", None) is None:
            raise ValueError("env has no spec to copy for the evaluations: pass eval_env")
        import gymnasium as gym
        eval_env = gym.make(env.spec)

    # ---- set-up: everything random comes from random_state
    device = _default_device() if device is None else torch.device(device)
    obs_dim = int(obs_shape[0])
    q_net = QNetwork(obs_dim, n_actions, hidden, random_state=random_state).to(device)
    target_net = copy.deepcopy(q_net) if use_target else q_net
    target_net.eval()
    optimizer = torch.optim.Adam(q_net.parameters(), lr=lr, foreach=True)   # one fused update per step
    rng = np.random.default_rng(random_state)
    buffer = ReplayBuffer(buffer_size, obs_dim, random_state=rng)
    n_updates = 0

    def evaluate() -> np.ndarray:
        q_net.eval()
        return evaluate_policy(eval_env, lambda o: greedy_action(q_net, o, device), eval_episodes, eval_seed)

    episode_returns: list[float] = []
    episode_ends: list[int] = []
    eval_steps: list[int] = []
    eval_returns: list[np.ndarray] = []
    losses: list[float] = []
    best_network, best_step, best_return = copy.deepcopy(q_net), 0, -math.inf
    stopped = False

    obs, _ = env.reset(seed=random_state)
    env.action_space.seed(random_state)
    ep_return = 0.0
    step = 0
    for step in _progress(range(1, n_steps + 1), desc="DQN", disable=None if progress else True):
        # region: one step of DQN
        # 1. act epsilon-greedily
        if rng.random() < eps_fn(step - 1):
            action = int(rng.integers(n_actions))
        else:
            action = greedy_action(q_net, obs, device)
        next_obs, reward, terminated, truncated, _ = env.step(action)
        buffer.add(obs, action, float(reward), next_obs, terminated)      # truncated is NOT stored as terminal
        ep_return += float(reward)
        if terminated or truncated:
            episode_returns.append(ep_return)
            episode_ends.append(step)
            obs, _ = env.reset()
            ep_return = 0.0
        else:
            obs = next_obs
        # 2. learn from a mini-batch
        if step >= learning_starts and step % train_every == 0:
            q_net.train()
            batch = (buffer.sample(batch_size, device=device) if use_replay
                     else buffer.latest(batch_size, device=device))
            loss_value = dqn_loss(q_net, target_net, batch, gamma, loss=loss)
            optimizer.zero_grad()
            loss_value.backward()
            if max_grad_norm is not None:
                nn.utils.clip_grad_norm_(q_net.parameters(), max_grad_norm)
            optimizer.step()
            losses.append(float(loss_value.detach()))
            n_updates += 1
            # 3. move the target network
            if use_target:
                if isinstance(target_update, (int, np.integer)):
                    if n_updates % int(target_update) == 0:
                        hard_update(target_net, q_net)
                else:
                    soft_update(target_net, q_net, float(target_update))
        # endregion
        # 4. greedy check
        if eval_every is not None and step % eval_every == 0:
            returns = evaluate()
            eval_steps.append(step)
            eval_returns.append(returns)
            if returns.mean() > best_return:
                best_network, best_step, best_return = copy.deepcopy(q_net), step, float(returns.mean())
            if stop_return is not None and returns.mean() >= stop_return:
                stopped = True
                break

    if not eval_returns:
        best_network, best_step = copy.deepcopy(q_net), step
        best_return = math.nan
    q_net.eval()
    best_network.eval()
    config = dict(n_steps=n_steps, buffer_size=buffer_size, batch_size=batch_size, gamma=gamma, lr=lr,
                  learning_starts=learning_starts, train_every=train_every, target_update=target_update,
                  use_replay=use_replay, use_target=use_target, loss=loss, hidden=tuple(hidden),
                  eval_every=eval_every, eval_episodes=eval_episodes, eval_seed=eval_seed,
                  random_state=random_state, device=str(device))
    return DQNResult(q_network=q_net, best_network=best_network,
                     episode_returns=np.asarray(episode_returns), episode_ends=np.asarray(episode_ends, dtype=int),
                     eval_steps=np.asarray(eval_steps, dtype=int),
                     eval_returns=np.asarray(eval_returns).reshape(len(eval_returns), eval_episodes),
                     losses=np.asarray(losses), best_step=int(best_step), best_return=float(best_return),
                     n_steps=int(step), stopped=stopped, config=config)

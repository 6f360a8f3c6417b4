"""An experience-replay buffer for DQN (chapter 12; Lin, 1992; Mnih et al., 2015)."""
from __future__ import annotations

from typing import Any

import numpy as np
import torch

__all__ = ["ReplayBuffer"]


def _check_int(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


class ReplayBuffer:
    r"""A circular store of transitions :math:`(s, a, r, s', \text{terminated})`, sampled uniformly.

    Parameters
    ----------
    capacity : int
        The most transitions kept. When full, each new transition overwrites the oldest one
        (first in, first out), so the buffer always holds the ``capacity`` most recent transitions.
    obs_dim : int
        Length of an observation vector (4 for CartPole-v1).
    random_state : int or numpy.random.Generator, optional
        Seeds the local generator that draws the sample indices (the global seed is never read).

    Notes
    -----
    Consecutive transitions of one episode are strongly correlated, and a gradient step on them
    pushes the network towards whatever region of the state space the agent happens to be in. A
    mini-batch drawn uniformly from the last ``capacity`` transitions is (nearly) a sample from the
    recent *distribution* of transitions instead, and each transition is reused in many updates
    (Lin, 1992; Mnih et al., 2015). Indices are drawn with replacement:
    :math:`i_1, \dots, i_B \overset{\text{iid}}{\sim} \mathcal{U}\{0, \dots, n-1\}` with :math:`n` = ``len(buffer)``.

    Only ``terminated`` is stored, not ``truncated``: a time limit ends the *episode* but not the
    *task*, so the next state still has a value and the target keeps the bootstrap term (see
    :func:`mlbook.rl.dqn.dqn_targets`).

    Examples
    --------
    >>> buf = ReplayBuffer(capacity=3, obs_dim=2, random_state=0)
    >>> for t in range(5):
    ...     buf.add([t, t], action=t % 2, reward=1.0, next_obs=[t + 1, t + 1], terminated=False)
    >>> len(buf), sorted(buf.obs[:, 0].tolist())          # 0 and 1 were overwritten by 3 and 4
    (3, [2.0, 3.0, 4.0])
    """

    def __init__(self, capacity: int, obs_dim: int, *, random_state: int | np.random.Generator | None = None) -> None:
        self.capacity = _check_int(capacity, "capacity", 1)
        self.obs_dim = _check_int(obs_dim, "obs_dim", 1)
        self.rng = np.random.default_rng(random_state)
        self.obs = np.zeros((self.capacity, self.obs_dim), dtype=np.float32)
        self.next_obs = np.zeros((self.capacity, self.obs_dim), dtype=np.float32)
        self.actions = np.zeros(self.capacity, dtype=np.int64)
        self.rewards = np.zeros(self.capacity, dtype=np.float32)
        self.terminated = np.zeros(self.capacity, dtype=np.float32)
        self._next = 0          # where the next transition goes
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        return f"ReplayBuffer(capacity={self.capacity}, obs_dim={self.obs_dim}, len={self._size})"

    def add(self, obs: Any, action: int, reward: float, next_obs: Any, terminated: bool) -> None:
        """Store one transition, overwriting the oldest one when the buffer is full."""
        obs_arr = np.asarray(obs, dtype=np.float32).reshape(-1)
        next_arr = np.asarray(next_obs, dtype=np.float32).reshape(-1)
        for name, arr in (("obs", obs_arr), ("next_obs", next_arr)):
            if arr.shape != (self.obs_dim,):
                raise ValueError(f"{name} must hold obs_dim={self.obs_dim} numbers, got shape {np.shape(obs if name == 'obs' else next_obs)}")
        if isinstance(action, bool) or not isinstance(action, (int, np.integer)) or action < 0:
            raise ValueError(f"action must be a non-negative integer (an action index), got {action!r}")
        if not np.isfinite(reward):
            raise ValueError(f"reward must be a finite number, got {reward!r}")
        i = self._next
        self.obs[i], self.next_obs[i] = obs_arr, next_arr
        self.actions[i], self.rewards[i], self.terminated[i] = action, reward, float(bool(terminated))
        self._next = (i + 1) % self.capacity
        self._size = min(self._size + 1, self.capacity)

    def sample(self, batch_size: int, *, device: Any = None) -> tuple[torch.Tensor, ...]:
        """Draw ``batch_size`` transitions uniformly with replacement.

        Returns
        -------
        obs, actions, rewards, next_obs, terminated : torch.Tensor
            Shapes (B, obs_dim), (B,) int64, (B,), (B, obs_dim) and (B,) (1.0 where the episode
            terminated), float32, on ``device`` (default the CPU).

        Raises
        ------
        ValueError
            If ``batch_size`` exceeds the number of stored transitions (fill the buffer first, e.g.
            with ``learning_starts`` steps of exploration).
        """
        batch_size = _check_int(batch_size, "batch_size", 1)
        if batch_size > self._size:
            raise ValueError(f"cannot sample {batch_size} transitions from a buffer holding {self._size}; "
                             "add more transitions first or ask for a smaller batch")
        idx = self.rng.integers(0, self._size, size=batch_size)
        return self._gather(idx, device)

    def latest(self, batch_size: int, *, device: Any = None) -> tuple[torch.Tensor, ...]:
        """The ``batch_size`` most recent transitions, in order (no replay: what an online learner sees)."""
        batch_size = _check_int(batch_size, "batch_size", 1)
        if batch_size > self._size:
            raise ValueError(f"cannot take {batch_size} transitions from a buffer holding {self._size}")
        idx = (self._next - 1 - np.arange(batch_size)[::-1]) % self.capacity
        return self._gather(idx, device)

    def _gather(self, idx: np.ndarray, device: Any) -> tuple[torch.Tensor, ...]:
        arrays = (self.obs[idx], self.actions[idx], self.rewards[idx], self.next_obs[idx], self.terminated[idx])
        return tuple(torch.from_numpy(a).to(device) if device is not None else torch.from_numpy(a) for a in arrays)

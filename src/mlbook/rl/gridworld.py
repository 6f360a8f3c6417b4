r"""A grid world as a gymnasium environment, with its exact model as a :class:`~mlbook.rl.mdp.TabularMDP`.

The default is Sutton and Barto's 4×4 grid world (Example 4.1); :meth:`GridWorldEnv.sutton_barto_5x5`
builds their 5×5 grid world with the special cells A and B (Example 3.5).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from numbers import Real
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from .mdp import TabularMDP, _check_gamma

__all__ = ["GridWorldEnv"]

#: (row, column) change of each action: 0 up, 1 right, 2 down, 3 left.
MOVES = np.array([(-1, 0), (0, 1), (1, 0), (0, -1)])
ACTION_NAMES = ("up", "right", "down", "left")
ARROWS = ("↑", "→", "↓", "←")


def _cell(value: Any, shape: tuple[int, int], name: str) -> tuple[int, int]:
    try:
        r, c = (int(x) for x in value)
        if any(isinstance(x, bool) or float(x) != int(x) for x in value):
            raise ValueError
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a (row, column) pair of integers, got {value!r}") from None
    if not (0 <= r < shape[0] and 0 <= c < shape[1]):
        raise ValueError(f"{name} = {(r, c)} lies outside the grid of shape {shape}")
    return r, c


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


class GridWorldEnv(gym.Env):
    r"""A deterministic grid world with terminal cells, special "jump" cells and a reward per move.

    States are the cells numbered row by row, ``s = row * n_cols + col`` (0 at the top left).
    Actions: 0 up, 1 right, 2 down, 3 left. A move that would leave the grid leaves the agent
    where it is and earns ``bump_reward``; any other move earns ``step_reward``. From a jump cell
    ``(r, c)`` with ``jumps[(r, c)] = ((r2, c2), reward)`` every action moves to ``(r2, c2)`` and
    earns ``reward``. Entering a terminal cell ends the episode (``terminated=True``).

    The default is Sutton and Barto's 4×4 grid world (Example 4.1): terminal corners, -1 per move
    (also into the edge), undiscounted (:math:`\gamma = 1`). Episodes start in a uniformly random
    non-terminal cell, or at ``start`` when given.

    Parameters
    ----------
    shape : (int, int), default (4, 4)
    terminal_cells : iterable of (row, col), default ((0, 0), (3, 3))
    step_reward : float, default -1.0
    bump_reward : float, default -1.0
    jumps : mapping (row, col) -> ((row, col), reward), optional
    gamma : float, default 1.0
        The discount used by :meth:`to_mdp` (the environment itself does not discount).
    start : (row, col), optional
        The start cell; by default uniformly random among the non-terminal cells.
        ``reset(options={"state": s})`` starts one episode in state ``s`` instead.
    max_episode_steps : int, optional
        Truncate an episode (``truncated=True``) after this many steps; needed for grids without
        terminal cells such as the 5×5 one.
    render_mode : {None, "ansi"}
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 4}

    def __init__(self, shape: tuple[int, int] = (4, 4), *,
                 terminal_cells: Iterable[tuple[int, int]] = ((0, 0), (3, 3)),
                 step_reward: float = -1.0, bump_reward: float = -1.0,
                 jumps: Mapping[tuple[int, int], tuple[tuple[int, int], float]] | None = None,
                 gamma: float = 1.0, start: tuple[int, int] | None = None,
                 max_episode_steps: int | None = None, render_mode: str | None = None) -> None:
        try:
            n_rows, n_cols = shape
        except (TypeError, ValueError):
            raise TypeError(f"shape must be a pair (n_rows, n_cols), got {shape!r}") from None
        for v in (n_rows, n_cols):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
                raise ValueError(f"shape must hold two positive integers, got {shape!r}")
        self.shape = (int(n_rows), int(n_cols))
        if self.shape[0] * self.shape[1] < 2:
            raise ValueError(f"a grid world needs at least 2 cells, got shape {self.shape}")
        self.terminal_cells = tuple(sorted({_cell(t, self.shape, "a terminal cell") for t in terminal_cells}))
        self.step_reward = _number(step_reward, "step_reward")
        self.bump_reward = _number(bump_reward, "bump_reward")
        self.jumps: dict[tuple[int, int], tuple[tuple[int, int], float]] = {}
        for src, spec in (jumps or {}).items():
            src_cell = _cell(src, self.shape, "a jump cell")
            try:
                dst, reward = spec
            except (TypeError, ValueError):
                raise TypeError(f"jumps[{src!r}] must be ((row, col), reward), got {spec!r}") from None
            if src_cell in self.terminal_cells:
                raise ValueError(f"cell {src_cell} cannot be both terminal and a jump cell")
            self.jumps[src_cell] = (_cell(dst, self.shape, f"the target of jump {src_cell}"),
                                    _number(reward, f"the reward of jump {src_cell}"))
        self.gamma = _check_gamma(gamma)
        self.n_states = self.shape[0] * self.shape[1]
        self._terminal = np.zeros(self.n_states, dtype=bool)
        for t in self.terminal_cells:
            self._terminal[self.to_state(t)] = True
        if self._terminal.all():
            raise ValueError("every cell is terminal: there is no cell to start from")
        self.start = None if start is None else _cell(start, self.shape, "start")
        if self.start is not None and self._terminal[self.to_state(self.start)]:
            raise ValueError(f"start = {self.start} is a terminal cell; choose a non-terminal one")
        if max_episode_steps is not None and (isinstance(max_episode_steps, bool)
                                              or not isinstance(max_episode_steps, (int, np.integer))
                                              or max_episode_steps < 1):
            raise ValueError(f"max_episode_steps must be a positive integer or None, got {max_episode_steps!r}")
        self.max_episode_steps = max_episode_steps
        if render_mode not in (None, "ansi"):
            raise ValueError(f"render_mode must be None or 'ansi', got {render_mode!r}")
        self.render_mode = render_mode
        self.observation_space = spaces.Discrete(self.n_states)
        self.action_space = spaces.Discrete(4)
        self._next, self._reward = self._tables()
        self._state: int | None = None
        self._steps = 0

    @classmethod
    def sutton_barto_5x5(cls, *, max_episode_steps: int | None = 100, render_mode: str | None = None) -> GridWorldEnv:
        r"""Sutton and Barto's 5×5 grid world (Example 3.5), a continuing task with :math:`\gamma = 0.9`.

        From A = (0, 1) every action moves to A' = (4, 1) with reward +10; from B = (0, 3) to
        B' = (2, 3) with +5; bumping into the edge gives -1, every other move 0. There are no
        terminal cells; episodes start in a uniformly random cell and are truncated after
        ``max_episode_steps`` steps.
        """
        return cls((5, 5), terminal_cells=(), step_reward=0.0, bump_reward=-1.0,
                   jumps={(0, 1): ((4, 1), 10.0), (0, 3): ((2, 3), 5.0)}, gamma=0.9,
                   max_episode_steps=max_episode_steps, render_mode=render_mode)

    # -- cells and states ---------------------------------------------------------------------------
    def to_state(self, cell: tuple[int, int]) -> int:
        """The state index ``row * n_cols + col`` of a cell."""
        r, c = _cell(cell, self.shape, "cell")
        return r * self.shape[1] + c

    def to_cell(self, state: int) -> tuple[int, int]:
        """The (row, col) of a state index."""
        if isinstance(state, bool) or not isinstance(state, (int, np.integer)) or not 0 <= state < self.n_states:
            raise ValueError(f"state must be an integer in [0, {self.n_states}), got {state!r}")
        return divmod(int(state), self.shape[1])

    def is_terminal(self, state: int) -> bool:
        return bool(self._terminal[self.to_state(self.to_cell(state))])

    def _tables(self) -> tuple[np.ndarray, np.ndarray]:
        """next_state[s, a] and reward[s, a] of the deterministic dynamics (terminal rows unused)."""
        S, (n_rows, n_cols) = self.n_states, self.shape
        nxt = np.zeros((S, 4), dtype=np.int64)
        rew = np.zeros((S, 4))
        for s in range(S):
            r, c = divmod(s, n_cols)
            for a, (dr, dc) in enumerate(MOVES):
                if (r, c) in self.jumps:
                    (r2, c2), reward = self.jumps[(r, c)]
                elif 0 <= r + dr < n_rows and 0 <= c + dc < n_cols:
                    (r2, c2), reward = (r + dr, c + dc), self.step_reward
                else:
                    (r2, c2), reward = (r, c), self.bump_reward
                nxt[s, a] = r2 * n_cols + c2
                rew[s, a] = reward
        return nxt, rew

    def to_mdp(self, gamma: float | None = None) -> TabularMDP:
        r"""The exact model of the environment as a :class:`TabularMDP` (same state and action numbers).

        Terminal cells become absorbing states with zero reward, so the return of an episode is
        the same sum in the environment and in the MDP. ``gamma`` defaults to ``self.gamma``.
        """
        gamma = self.gamma if gamma is None else gamma
        S = self.n_states
        P = np.zeros((S, 4, S))
        R = self._reward.copy()
        P[np.arange(S)[:, None], np.arange(4)[None, :], self._next] = 1.0
        for s in np.flatnonzero(self._terminal):
            P[s] = 0.0
            P[s, :, s] = 1.0
            R[s] = 0.0
        return TabularMDP(P, R, gamma)

    # -- gymnasium API ------------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        super().reset(seed=seed)
        if options and "state" in options:       # start from a chosen state: reset(options={"state": s})
            s = options["state"]
            if self.is_terminal(s):
                raise ValueError(f"options['state'] = {s} is a terminal state; choose a non-terminal one")
            self._state = int(s)
        elif self.start is not None:
            self._state = self.to_state(self.start)
        else:
            self._state = int(self.np_random.choice(np.flatnonzero(~self._terminal)))
        self._steps = 0
        return self._state, {}

    def step(self, action: Any) -> tuple[int, float, bool, bool, dict[str, Any]]:
        if self._state is None:
            raise RuntimeError("call reset() before step()")
        if not self.action_space.contains(action):
            raise ValueError(f"action must be an integer in 0..3 (0 up, 1 right, 2 down, 3 left), got {action!r}")
        if self._terminal[self._state]:
            raise RuntimeError("the episode has ended (terminal state reached); call reset()")
        a = int(action)
        reward = float(self._reward[self._state, a])
        self._state = int(self._next[self._state, a])
        self._steps += 1
        terminated = bool(self._terminal[self._state])
        truncated = bool(self.max_episode_steps is not None and self._steps >= self.max_episode_steps
                         and not terminated)
        return self._state, reward, terminated, truncated, {}

    def render(self) -> str | None:
        """With ``render_mode="ansi"``: the grid as text, ``A`` the agent, ``T`` terminal cells."""
        if self.render_mode != "ansi":
            return None
        rows = []
        for r in range(self.shape[0]):
            row = []
            for c in range(self.shape[1]):
                s = r * self.shape[1] + c
                row.append("A" if s == self._state else "T" if self._terminal[s] else ".")
            rows.append(" ".join(row))
        return "\n".join(rows) + "\n"

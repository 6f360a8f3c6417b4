r"""Finite Markov decision processes and dynamic programming in NumPy (chapter 12).

A finite MDP is stored as two arrays: ``P[s, a, s2]`` the probability of moving from state ``s``
to ``s2`` when action ``a`` is taken, and ``R[s, a]`` the expected reward of taking ``a`` in ``s``,
with a discount factor :math:`0 \le \gamma \le 1`. A (stochastic) policy is an array
``policy[s, a]`` = :math:`\pi(a \mid s)` whose rows sum to 1: a function of the state, not a
sequence of actions. Episodic tasks are written as MDPs whose terminal states are absorbing
(every action leads back to the state) with zero reward (Sutton & Barto, 2018, section 3.4).

* :class:`TabularMDP` validates and holds ``P``, ``R`` and ``gamma``.
* :func:`policy_evaluation` (iterative sweeps or one linear solve), :func:`q_from_v`,
  :func:`greedy_policy`, :func:`value_iteration` and :func:`policy_iteration`.
* :func:`bellman_expectation_backup` and :func:`bellman_optimality_backup`: one sweep of each
  Bellman operator, for walking through the algorithms step by step.
* :func:`corridor_mdp`: the corridor with a reward of 100 at one end and 40 at the other.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np

__all__ = ["TabularMDP", "policy_evaluation", "q_from_v", "greedy_policy", "value_iteration",
           "policy_iteration", "bellman_expectation_backup", "bellman_optimality_backup", "corridor_mdp"]

_ROW_ATOL = 1e-8


def _float_array(x: Any, name: str, ndim: int) -> np.ndarray:
    if hasattr(x, "detach") and hasattr(x, "cpu"):  # torch tensors
        x = x.detach().cpu().numpy()
    try:
        arr = np.array(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric array, got values that cannot be converted to float: {exc}") from None
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got an array of shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); an MDP needs at least one state and one action")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; every entry must be a finite number")
    return arr


def _check_stochastic(arr: np.ndarray, name: str, what: str) -> None:
    if (arr < 0).any():
        idx = tuple(int(i) for i in np.argwhere(arr < 0)[0])
        raise ValueError(f"{name} must be non-negative (probabilities), but {name}{list(idx)} = {arr[idx]:g}")
    sums = arr.sum(axis=-1)
    bad = np.abs(sums - 1.0) > _ROW_ATOL
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{what} must sum to 1 (within {_ROW_ATOL:g}), but {name}{list(idx)}.sum() = "
                         f"{sums[idx]:.10g}; normalise them, e.g. {name} / {name}.sum(axis=-1, keepdims=True)")


def _check_gamma(gamma: Any) -> float:
    if isinstance(gamma, bool) or not isinstance(gamma, (Real, np.floating, np.integer)):
        raise TypeError(f"gamma must be a real number in [0, 1], got {gamma!r} of type {type(gamma).__name__}")
    gamma = float(gamma)
    if not (0.0 <= gamma <= 1.0):
        raise ValueError(f"gamma (the discount factor) must lie in [0, 1], got {gamma!r}")
    return gamma


def _check_int(value: Any, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def _check_tol(tol: Any) -> float:
    if isinstance(tol, bool) or not isinstance(tol, (Real, np.floating, np.integer)):
        raise TypeError(f"tol must be a positive number, got {tol!r}")
    if not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a finite number > 0, got {tol!r}")
    return float(tol)


@dataclass(frozen=True)
class TabularMDP:
    r"""A finite Markov decision process :math:`(\mathcal S, \mathcal A, P, R, \gamma)`.

    Parameters
    ----------
    P : array of shape (S, A, S)
        ``P[s, a, s2]`` = :math:`p(s' \mid s, a)`; non-negative, each ``P[s, a]`` sums to 1.
    R : array of shape (S, A)
        ``R[s, a]`` = :math:`r(s, a) = \mathbb E[R_{t+1} \mid S_t = s, A_t = a]`, the expected
        reward of taking ``a`` in ``s``.
    gamma : float in [0, 1]
        The discount factor. :math:`\gamma = 1` is meant for episodic tasks whose terminal states
        are absorbing with zero reward and whose policies reach them (proper policies).

    Attributes
    ----------
    P, R, gamma
        Validated copies (read-only float64 arrays).
    n_states, n_actions : int

    Notes
    -----
    Everything the dynamic-programming functions need is in two products: for a policy
    :math:`\pi`,

    .. math::
        r_\pi(s) = \sum_a \pi(a \mid s)\, r(s, a), \qquad
        P_\pi(s, s') = \sum_a \pi(a \mid s)\, p(s' \mid s, a),

    the expected reward and the state-to-state transition matrix under :math:`\pi`.
    """

    P: np.ndarray
    R: np.ndarray
    gamma: float
    n_states: int = field(init=False)
    n_actions: int = field(init=False)

    def __post_init__(self) -> None:
        P = _float_array(self.P, "P", 3)
        R = _float_array(self.R, "R", 2)
        S, A, S2 = P.shape
        if S2 != S:
            raise ValueError(f"P must have shape (S, A, S) with the same number of states in axes 0 and 2, "
                             f"got shape {P.shape}")
        if R.shape != (S, A):
            raise ValueError(f"R must have shape (S, A) = {(S, A)} to match P of shape {P.shape}, got {R.shape}")
        _check_stochastic(P, "P", "the transition probabilities P[s, a, :]")
        gamma = _check_gamma(self.gamma)
        P.setflags(write=False)
        R.setflags(write=False)
        object.__setattr__(self, "P", P)
        object.__setattr__(self, "R", R)
        object.__setattr__(self, "gamma", gamma)
        object.__setattr__(self, "n_states", S)
        object.__setattr__(self, "n_actions", A)

    def __repr__(self) -> str:
        return f"TabularMDP(n_states={self.n_states}, n_actions={self.n_actions}, gamma={self.gamma:g})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TabularMDP):
            return NotImplemented
        return (self.gamma == other.gamma and self.P.shape == other.P.shape
                and bool(np.array_equal(self.P, other.P)) and bool(np.array_equal(self.R, other.R)))

    __hash__ = None  # type: ignore[assignment]  # arrays: not hashable


def _check_mdp(mdp: Any) -> TabularMDP:
    if not isinstance(mdp, TabularMDP):
        raise TypeError(f"mdp must be a TabularMDP, got {type(mdp).__name__}; "
                        "build one with TabularMDP(P, R, gamma) or GridWorldEnv().to_mdp()")
    return mdp


def _check_policy(mdp: TabularMDP, policy: Any) -> np.ndarray:
    pi = np.asarray(policy)
    if pi.ndim == 1 and pi.shape[0] == mdp.n_states and pi.dtype.kind in "iu":
        raise ValueError(f"policy must be an array of shape (S, A) = {(mdp.n_states, mdp.n_actions)} of "
                         "probabilities pi(a|s), got a 1-D array of actions; for a deterministic policy that "
                         "takes actions[s] in state s pass np.eye(n_actions)[actions]")
    pi = _float_array(policy, "policy", 2)
    if pi.shape != (mdp.n_states, mdp.n_actions):
        raise ValueError(f"policy must have shape (S, A) = {(mdp.n_states, mdp.n_actions)}, got {pi.shape}")
    _check_stochastic(pi, "policy", "the action probabilities policy[s, :]")
    return pi


def _check_v(mdp: TabularMDP, v: Any, name: str = "v") -> np.ndarray:
    v = _float_array(v, name, 1)
    if v.shape != (mdp.n_states,):
        raise ValueError(f"{name} must have shape (S,) = ({mdp.n_states},), got {v.shape}")
    return v


def q_from_v(mdp: TabularMDP, v: Any) -> np.ndarray:
    r"""Action values from state values: :math:`Q(s, a) = r(s, a) + \gamma \sum_{s'} p(s' \mid s, a)\, v(s')`.

    Parameters
    ----------
    mdp : TabularMDP
    v : array of shape (S,)

    Returns
    -------
    Q : array of shape (S, A)

    Notes
    -----
    With :math:`v = v_\pi` this is :math:`q_\pi`; with :math:`v = v_*` it is :math:`q_*`.
    :math:`Q(s, a)` equals the immediate reward :math:`r(s, a)` only where the second term
    vanishes, e.g. when every successor of ``(s, a)`` is terminal (value 0), or :math:`\gamma = 0`.
    """
    mdp = _check_mdp(mdp)
    v = _check_v(mdp, v)
    # region: q from v
    return mdp.R + mdp.gamma * mdp.P @ v
    # endregion


def _maximisers(q: np.ndarray, atol: float = 1e-9) -> np.ndarray:
    """Boolean (S, A): the actions within ``atol * (1 + |max_a q|)`` of each row's maximum (ties up to round-off)."""
    best = q.max(axis=1, keepdims=True)
    return q >= best - atol * (1.0 + np.abs(best))


def greedy_policy(q: Any, *, atol: float = 1e-9) -> np.ndarray:
    r"""The deterministic policy that is greedy in ``q``, as a one-hot array of shape (S, A).

    :math:`\pi(s) = \arg\max_a Q(s, a)`; ties (values within ``atol * (1 + |max_a Q(s, a)|)`` of
    the maximum, so that round-off does not decide them) go to the lowest action index.

    Parameters
    ----------
    q : array of shape (S, A)
    atol : float, default 1e-9
        Relative tolerance for ties.
    """
    q = _float_array(q, "q", 2)
    if isinstance(atol, bool) or not isinstance(atol, (Real, np.floating, np.integer)) or not (0 <= atol < np.inf):
        raise ValueError(f"atol must be a finite number >= 0, got {atol!r}")
    actions = np.argmax(_maximisers(q, atol), axis=1)   # the first True: the lowest index among the maxima
    return np.eye(q.shape[1])[actions]


def bellman_expectation_backup(mdp: TabularMDP, policy: Any, v: Any) -> np.ndarray:
    r"""One application of the Bellman expectation operator :math:`T_\pi v = r_\pi + \gamma P_\pi v`.

    Notes
    -----
    .. math:: (T_\pi v)(s) = \sum_a \pi(a \mid s) \Big[ r(s, a) + \gamma \sum_{s'} p(s' \mid s, a)\, v(s') \Big].
    """
    mdp = _check_mdp(mdp)
    pi = _check_policy(mdp, policy)
    return np.sum(pi * q_from_v(mdp, v), axis=1)


def bellman_optimality_backup(mdp: TabularMDP, v: Any) -> np.ndarray:
    r"""One application of the Bellman optimality operator :math:`(T v)(s) = \max_a [r(s, a) + \gamma P v(s, a)]`.

    Notes
    -----
    .. math:: (T v)(s) = \max_a \Big[ r(s, a) + \gamma \sum_{s'} p(s' \mid s, a)\, v(s') \Big].
    """
    return q_from_v(mdp, v).max(axis=1)


def _absorbing_zero(P_pi: np.ndarray, r_pi: np.ndarray) -> np.ndarray:
    """States that stay where they are with probability 1 and earn nothing: their value is 0."""
    return (np.abs(np.diag(P_pi) - 1.0) <= _ROW_ATOL) & (r_pi == 0.0)


def policy_evaluation(mdp: TabularMDP, policy: Any, *, tol: float = 1e-10, max_iter: int = 100_000,
                      method: str = "iterative", return_history: bool = False) -> Any:
    r"""The state-value function :math:`v_\pi` of a policy.

    Parameters
    ----------
    mdp : TabularMDP
    policy : array of shape (S, A)
        :math:`\pi(a \mid s)`, rows summing to 1.
    tol : float, default 1e-10
        ``"iterative"`` and ``"in-place"`` stop when a sweep changes no value by more than ``tol``.
    max_iter : int, default 100_000
        ``"iterative"`` and ``"in-place"``: the most sweeps; a ``RuntimeError`` is raised when they
        run out.
    method : {"iterative", "linear", "in-place"}
        Repeated synchronous sweeps :math:`v_{k+1} = r_\pi + \gamma P_\pi v_k` from :math:`v_0 = 0`;
        one linear solve of :math:`(I - \gamma P_\pi) v = r_\pi`; or in-place (Gauss-Seidel)
        sweeps that update the states one after another in index order, each update using the
        newest values of the others (Sutton & Barto, 2018, section 4.1).
    return_history : bool, default False
        Sweeps only: also return the list of the largest change in each sweep,
        :math:`\lVert v_{k+1} - v_k \rVert_\infty`.

    Returns
    -------
    v : array of shape (S,)
        (and the history when ``return_history=True``)

    Notes
    -----
    :math:`v_\pi` solves the Bellman expectation equation, a linear system:

    .. math:: v_\pi = r_\pi + \gamma P_\pi v_\pi \iff (I - \gamma P_\pi)\, v_\pi = r_\pi .

    For :math:`\gamma < 1` the matrix is invertible (:math:`\lVert \gamma P_\pi \rVert_\infty =
    \gamma < 1`) and the sweeps converge geometrically, at rate :math:`\gamma` in the max norm.
    For :math:`\gamma = 1` states that are absorbing with zero reward have value 0 and are
    removed from the system; the rest is solvable exactly when the policy is proper (reaches such
    a state from everywhere). An improper policy gives a singular system (``ValueError`` for
    ``"linear"``) or sweeps that never settle (``RuntimeError`` for the sweeps).

    In-place sweeps converge to the same :math:`v_\pi` for :math:`\gamma < 1`: a whole in-place
    sweep is a :math:`\gamma`-contraction in the max norm (by induction over the states, each new
    value differs between two starting vectors by at most :math:`\gamma` times their max-norm
    distance), and it usually needs fewer sweeps, since a change travels through many states within
    one sweep.
    """
    mdp = _check_mdp(mdp)
    pi = _check_policy(mdp, policy)
    tol = _check_tol(tol)
    max_iter = _check_int(max_iter, "max_iter")
    if method not in ("iterative", "linear", "in-place"):
        raise ValueError(f"method must be 'iterative', 'linear' or 'in-place', got {method!r}")
    if return_history and method == "linear":
        raise ValueError("return_history=True needs method='iterative' or 'in-place' (a linear solve has "
                         "no sweeps)")
    r_pi = np.sum(pi * mdp.R, axis=1)
    P_pi = np.einsum("sa,sat->st", pi, mdp.P)
    if method == "linear":
        S = mdp.n_states
        keep = np.ones(S, dtype=bool)
        if mdp.gamma == 1.0:
            keep = ~_absorbing_zero(P_pi, r_pi)
        v = np.zeros(S)
        if keep.any():
            # region: linear solve
            A = (np.eye(S) - mdp.gamma * P_pi)[np.ix_(keep, keep)]   # I - gamma P_pi on the states kept
            if np.linalg.cond(A) > 1e12:
                if mdp.gamma < 1.0:
                    raise ValueError(f"I - gamma * P_pi is numerically singular: gamma = {mdp.gamma!r} is too "
                                     "close to 1 for a linear solve; use a smaller gamma or method='iterative'")
                raise ValueError(
                    "I - gamma * P_pi is singular: with gamma = 1 the policy is improper (from some state it "
                    "never reaches an absorbing zero-reward state, so its return is undefined or infinite); "
                    "use gamma < 1 or a policy that terminates")
            v[keep] = np.linalg.solve(A, r_pi[keep])
            # endregion
        return v
    v = np.zeros(mdp.n_states)
    history: list[float] = []
    for _ in range(max_iter):
        if method == "iterative":
            # region: sweep
            v_new = r_pi + mdp.gamma * P_pi @ v
            delta = float(np.max(np.abs(v_new - v)))
            v = v_new
            # endregion
        else:
            # region: in-place sweep
            delta = 0.0
            for s in range(mdp.n_states):          # v[s] is overwritten at once and used by later states
                v_s = r_pi[s] + mdp.gamma * P_pi[s] @ v
                delta = max(delta, abs(v_s - v[s]))
                v[s] = v_s
            # endregion
        history.append(delta)
        if delta < tol:
            return (v, history) if return_history else v
    raise RuntimeError(f"policy_evaluation ({method}) did not converge in max_iter={max_iter} sweeps (last "
                       f"change {history[-1]:.3g} >= tol={tol:g}); with gamma = 1 the policy may be improper "
                       "(it never terminates); increase max_iter, or use gamma < 1 or a terminating policy")


def value_iteration(mdp: TabularMDP, *, tol: float = 1e-10, max_iter: int = 100_000,
                    return_history: bool = False) -> Any:
    r"""Value iteration: repeat :math:`v_{k+1} = \max_a [r(s, a) + \gamma \sum_{s'} p(s' \mid s, a) v_k(s')]`.

    Parameters
    ----------
    mdp : TabularMDP
    tol : float, default 1e-10
        Stop when a sweep changes no value by more than ``tol``.
    max_iter : int, default 100_000
        The most sweeps; a ``RuntimeError`` is raised when they run out.
    return_history : bool, default False
        Also return the list of :math:`\lVert v_{k+1} - v_k \rVert_\infty`, one per sweep.

    Returns
    -------
    v : array of shape (S,)
        The last iterate, within :math:`\gamma\,\mathrm{tol}/(1 - \gamma)` of :math:`v_*` when
        :math:`\gamma < 1`.
    policy : array of shape (S, A)
        The one-hot policy greedy in ``q_from_v(mdp, v)``.
    history : list of float
        Only when ``return_history=True``.

    Notes
    -----
    The Bellman optimality operator :math:`T` is a :math:`\gamma`-contraction in the max norm,
    :math:`\lVert T u - T w \rVert_\infty \le \gamma \lVert u - w \rVert_\infty`, so for
    :math:`\gamma < 1` the iterates converge to its unique fixed point :math:`v_*` from
    :math:`v_0 = 0` and :math:`\lVert v_k - v_* \rVert_\infty \le \gamma^k \lVert v_0 - v_* \rVert_\infty`.
    An intermediate :math:`v_k` is in general not the value of any policy.
    """
    mdp = _check_mdp(mdp)
    tol = _check_tol(tol)
    max_iter = _check_int(max_iter, "max_iter")
    v = np.zeros(mdp.n_states)
    history: list[float] = []
    for _ in range(max_iter):
        # region: value iteration sweep
        v_new = (mdp.R + mdp.gamma * mdp.P @ v).max(axis=1)
        delta = float(np.max(np.abs(v_new - v)))
        v = v_new
        # endregion
        history.append(delta)
        if delta < tol:
            policy = greedy_policy(q_from_v(mdp, v))
            return (v, policy, history) if return_history else (v, policy)
    raise RuntimeError(f"value_iteration did not converge in max_iter={max_iter} sweeps (last change "
                       f"{history[-1]:.3g} >= tol={tol:g}); increase max_iter or tol")


def policy_iteration(mdp: TabularMDP, *, max_iter: int = 1_000, policy: Any = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Policy iteration: evaluate the policy exactly, make it greedy, repeat until it is stable.

    Parameters
    ----------
    mdp : TabularMDP
    max_iter : int, default 1_000
        The most improvement steps; a ``RuntimeError`` is raised when they run out.
    policy : array of shape (S, A), optional
        The initial policy; by default the uniform random policy (proper in an episodic task
        where random moves reach a terminal state, as :math:`\gamma = 1` requires).

    Returns
    -------
    v : array of shape (S,)
        :math:`v_*`, the value of the returned policy.
    policy : array of shape (S, A)
        An optimal deterministic (one-hot) policy, greedy in :math:`q_*` with ties broken towards the
        lowest action index (as :func:`value_iteration` returns it).

    Notes
    -----
    Each step evaluates :math:`v_{\pi_k}` by one linear solve and sets
    :math:`\pi_{k+1}(s) = \arg\max_a q_{\pi_k}(s, a)`, keeping the current action where it is among
    the maximisers (so ties cannot make the policy cycle). By the policy-improvement theorem
    :math:`v_{\pi_{k+1}} \ge v_{\pi_k}`; a finite MDP has finitely many deterministic policies, so
    the loop ends, and the final policy is greedy in its own value, i.e. satisfies the Bellman
    optimality equation.
    """
    mdp = _check_mdp(mdp)
    max_iter = _check_int(max_iter, "max_iter")
    S, A = mdp.n_states, mdp.n_actions
    pi = np.full((S, A), 1.0 / A) if policy is None else _check_policy(mdp, policy)
    for _ in range(max_iter):
        # region: policy iteration step
        v = policy_evaluation(mdp, pi, method="linear")
        q = q_from_v(mdp, v)
        is_max = _maximisers(q)                          # (S, A): the greedy actions, ties included
        current = np.argmax(pi, axis=1)
        keep = is_max[np.arange(S), current] & (pi.max(axis=1) == 1.0)
        actions = np.where(keep, current, np.argmax(is_max, axis=1))
        new_pi = np.eye(A)[actions]
        # endregion
        if np.array_equal(new_pi, pi):
            return v, greedy_policy(q)   # ties to the lowest action index, as value_iteration
        pi = new_pi
    raise RuntimeError(f"policy_iteration did not reach a stable policy in max_iter={max_iter} steps; "
                       "increase max_iter")


def corridor_mdp(n_cells: int = 6, left_reward: float = 100.0, right_reward: float = 40.0,
                 gamma: float = 0.9) -> TabularMDP:
    r"""The corridor: ``n_cells`` cells in a row, a reward at each end, actions 0 = left, 1 = right.

    Cells are numbered 1, ..., ``n_cells`` from left to right and state index ``i`` is cell ``i``;
    index 0 is an extra absorbing "episode over" state (zero reward), so the MDP has
    ``n_cells + 1`` states (``mdp.n_states == n_cells + 1``). Cells 1 and ``n_cells`` are the ends: any action there collects
    ``left_reward`` (cell 1) or ``right_reward`` (cell ``n_cells``) and ends the episode. In the
    inner cells a move earns 0 and goes one cell left or right.

    With the defaults, from cell 4 always going left visits cells 4, 3, 2, 1 and collects 100 on
    the fourth step, at time 3: a return of :math:`0.9^3 \cdot 100 = 72.9`; going right visits 4,
    5, 6 and collects :math:`0.9^2 \cdot 40 = 32.4`.

    Parameters
    ----------
    n_cells : int, default 6
        Number of cells, at least 2.
    left_reward, right_reward : float
        The rewards collected at cell 1 and cell ``n_cells``.
    gamma : float, default 0.9
    """
    n = _check_int(n_cells, "n_cells", minimum=2)
    for name, value in (("left_reward", left_reward), ("right_reward", right_reward)):
        if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)) or not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    S = n + 1
    P = np.zeros((S, 2, S))
    R = np.zeros((S, 2))
    P[0, :, 0] = 1.0                      # episode over: absorbing, zero reward
    for cell in range(1, n + 1):
        if cell == 1 or cell == n:
            P[cell, :, 0] = 1.0
            R[cell, :] = left_reward if cell == 1 else right_reward
        else:
            P[cell, 0, cell - 1] = 1.0
            P[cell, 1, cell + 1] = 1.0
    return TabularMDP(P, R, gamma)

"""The optimisers of deep learning on lists of NumPy arrays, with torch.optim's interface
and numbers (chapter 8, section 4).

Each optimiser is built from a list of parameter arrays (float, updated *in place*), or from
torch's parameter groups (a list of dicts ``{"params": [...], "weight_decay": λ}``), and
hyper-parameters named as in ``torch.optim``; ``step(grads)`` applies one update from a
list of gradients aligned with the parameters. A non-finite gradient raises
:class:`~mlbook.validation.DivergenceError`. With the same hyper-parameters every class
reproduces its torch counterpart step for step (tested in float64).
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..validation import DivergenceError, check_positive

__all__ = ["DivergenceError", "Optimizer", "SGD", "Momentum", "AdaGrad", "RMSProp", "Adam", "AdamW",
           "step_lr", "cosine_lr", "warmup_cosine_lr"]


def _check_nonneg(value: Any, name: str) -> float:
    check_positive(value, name, strict=False)
    return float(value)


def _check_fraction(value: Any, name: str) -> float:
    check_positive(value, name, strict=False)
    if not value < 1:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return float(value)


class Optimizer:
    """Base class: holds the parameters, checks the gradients, counts steps.

    Parameters
    ----------
    params : list of ndarray, or list of dict
        Float arrays updated in place by :meth:`step`; or parameter groups as in torch,
        ``[{"params": [w1, w2], "weight_decay": 1e-4}, {"params": [b1, b2], "weight_decay": 0.0}]``,
        where a group's ``weight_decay`` replaces the optimiser's (the only per-group setting).
        The gradients passed to :meth:`step` follow the groups' parameters in order.
    lr : float
        Learning rate η (may be changed between steps, e.g. by a schedule).
    weight_decay : float, default 0
        Coefficient λ; :class:`SGD` and the others add λθ to the gradient (L2, torch's
        convention), :class:`AdamW` shrinks θ directly.

    Attributes
    ----------
    decays : list of float
        The weight decay of each parameter: its group's, or the optimiser's ``weight_decay`` for a
        parameter whose group sets none (read at every step, so changing ``weight_decay`` between
        steps acts, as changing ``lr`` does).
    """

    def __init__(self, params: Sequence[Any], lr: float, weight_decay: float = 0.0):
        self.weight_decay = _check_nonneg(weight_decay, "weight_decay")
        params, self._group_decays = self._flatten_groups(list(params))
        if not params:
            raise ValueError("the optimiser got an empty parameter list")
        for i, p in enumerate(params):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                raise TypeError(f"parameter {i} must be a float NumPy array (updated in place), got "
                                f"{type(p).__name__}{'' if not isinstance(p, np.ndarray) else ' of dtype ' + str(p.dtype)}")
        check_positive(lr, "lr")
        self.params = params
        self.lr = float(lr)
        self.t = 0  # number of steps taken
        self.state: list[dict[str, np.ndarray]] = [{} for _ in params]

    @property
    def decays(self) -> list[float]:
        return [self.weight_decay if wd is None else wd for wd in self._group_decays]

    def _flatten_groups(self, params: list[Any]) -> tuple[list[Any], list[float | None]]:
        """The flat parameter list, and each parameter's group decay (None: the optimiser's)."""
        if not any(isinstance(p, dict) for p in params):
            return params, [None] * len(params)
        if not all(isinstance(p, dict) for p in params):
            raise TypeError("pass either a list of arrays or a list of parameter groups (dicts), not a mix")
        flat: list[Any] = []
        decays: list[float | None] = []
        for i, group in enumerate(params):
            unknown = set(group) - {"params", "weight_decay"}
            if "params" not in group or unknown:
                raise ValueError(f"parameter group {i} must have a 'params' list and may set 'weight_decay' only; "
                                 f"got keys {sorted(group)}")
            members = group["params"]
            members = [members] if isinstance(members, np.ndarray) else list(members)
            wd = (_check_nonneg(group["weight_decay"], f"weight_decay of group {i}")
                  if "weight_decay" in group else None)
            flat += members
            decays += [wd] * len(members)
        return flat, decays

    def _grads(self, grads: Sequence[Any], *, add_l2: bool = True) -> list[np.ndarray]:
        """Check the gradients against the parameters; add λθ (the L2 term) unless ``add_l2`` is False."""
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"step got {len(grads)} gradients for {len(self.params)} parameters")
        out = []
        for i, (p, g, wd) in enumerate(zip(self.params, grads, self.decays)):
            g = np.asarray(g, dtype=p.dtype)
            if g.shape != p.shape:
                raise ValueError(f"gradient {i} has shape {g.shape}, but its parameter has shape {p.shape}")
            if not np.all(np.isfinite(g)):
                raise DivergenceError(f"gradient {i} contains NaN or infinite values: training has diverged")
            out.append(g + wd * p if add_l2 and wd else g)
        return out

    def step(self, grads: Sequence[Any]) -> None:
        """Update every parameter in place from its gradient."""
        self.t += 1
        for p, g, s in zip(self.params, self._grads(grads), self.state):
            self._update(p, g, s)

    def _update(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        hp = {k: v for k, v in vars(self).items() if k not in ("params", "state", "t", "_group_decays")}
        return f"{type(self).__name__}({', '.join(f'{k}={v}' for k, v in hp.items())})"


class SGD(Optimizer):
    """Plain (stochastic) gradient descent: θ ← θ − η g."""

    def __init__(self, params: Sequence[Any], lr: float = 0.01, weight_decay: float = 0.0):
        super().__init__(params, lr, weight_decay)

    def _update(self, p, g, s):
        p -= self.lr * g


class Momentum(Optimizer):
    """SGD with (heavy-ball or Nesterov) momentum, as ``torch.optim.SGD(momentum=β)``.

    Notes
    -----
    .. math:: v_t = \\beta v_{t-1} + (1-\\tau) g_t \\;(v_1 = g_1), \\qquad \\theta_t = \\theta_{t-1} - \\eta v_t

    (τ: ``dampening``). Nesterov uses g_t + β v_t in place of v_t.
    """

    def __init__(self, params: Sequence[Any], lr: float = 0.01, momentum: float = 0.9,
                 dampening: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0):
        super().__init__(params, lr, weight_decay)
        self.momentum = _check_fraction(momentum, "momentum")
        self.dampening = _check_fraction(dampening, "dampening")
        if nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError("Nesterov momentum needs momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)

    def _update(self, p, g, s):
        if "v" not in s:
            s["v"] = g.copy()
        else:
            s["v"] = self.momentum * s["v"] + (1 - self.dampening) * g
        d = g + self.momentum * s["v"] if self.nesterov else s["v"]
        p -= self.lr * d


class AdaGrad(Optimizer):
    """AdaGrad (Duchi et al., 2011): per-coordinate steps shrink with the summed squared gradients.

    Notes
    -----
    .. math:: s_t = s_{t-1} + g_t^2, \\qquad \\theta_t = \\theta_{t-1} - \\frac{\\eta}{\\sqrt{s_t} + \\epsilon} g_t
    """

    def __init__(self, params: Sequence[Any], lr: float = 0.01, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0, eps: float = 1e-10):
        super().__init__(params, lr, weight_decay)
        self.lr_decay = _check_nonneg(lr_decay, "lr_decay")
        self.initial_accumulator_value = _check_nonneg(initial_accumulator_value, "initial_accumulator_value")
        check_positive(eps, "eps")
        self.eps = float(eps)

    def _update(self, p, g, s):
        if "sum" not in s:
            s["sum"] = np.full_like(p, self.initial_accumulator_value)
        s["sum"] += g * g
        lr = self.lr / (1 + (self.t - 1) * self.lr_decay)
        p -= lr * g / (np.sqrt(s["sum"]) + self.eps)


class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton, 2012): AdaGrad with a leaky (exponential) average.

    Notes
    -----
    .. math:: s_t = \\alpha s_{t-1} + (1-\\alpha) g_t^2, \\qquad
              \\theta_t = \\theta_{t-1} - \\frac{\\eta}{\\sqrt{s_t} + \\epsilon} g_t
    """

    def __init__(self, params: Sequence[Any], lr: float = 0.01, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0):
        super().__init__(params, lr, weight_decay)
        self.alpha = _check_fraction(alpha, "alpha")
        check_positive(eps, "eps")
        self.eps = float(eps)
        self.momentum = _check_fraction(momentum, "momentum")

    def _update(self, p, g, s):
        if "sq" not in s:
            s["sq"] = np.zeros_like(p)
        s["sq"] = self.alpha * s["sq"] + (1 - self.alpha) * g * g
        d = g / (np.sqrt(s["sq"]) + self.eps)
        if self.momentum > 0:
            s["buf"] = self.momentum * s.get("buf", np.zeros_like(p)) + d
            d = s["buf"]
        p -= self.lr * d


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): momentum and RMSProp with bias correction.

    Notes
    -----
    .. math:: m_t = \\beta_1 m_{t-1} + (1-\\beta_1) g_t, \\quad v_t = \\beta_2 v_{t-1} + (1-\\beta_2) g_t^2, \\quad
              \\theta_t = \\theta_{t-1} - \\eta \\frac{m_t/(1-\\beta_1^t)}{\\sqrt{v_t/(1-\\beta_2^t)} + \\epsilon}

    ``weight_decay`` adds λθ to the gradient (L2); see :class:`AdamW` for the decoupled form.
    """

    def __init__(self, params: Sequence[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0):
        super().__init__(params, lr, weight_decay)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (_check_fraction(betas[0], "betas[0]"), _check_fraction(betas[1], "betas[1]"))
        check_positive(eps, "eps")
        self.eps = float(eps)

    def _update(self, p, g, s):
        # region: adam update
        b1, b2 = self.betas
        if "m" not in s:
            s["m"], s["v"] = np.zeros_like(p), np.zeros_like(p)
        s["m"] = b1 * s["m"] + (1 - b1) * g
        s["v"] = b2 * s["v"] + (1 - b2) * g * g
        m_hat = s["m"] / (1 - b1 ** self.t)
        v_hat = s["v"] / (1 - b2 ** self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        # endregion


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019): θ ← (1 − ηλ)θ, then the Adam step.

    Unlike Adam's L2 term, the decay is not divided by sqrt(v̂): every weight shrinks by the
    same factor.

    Notes
    -----
    This is torch's convention, in which the decay is multiplied by the learning rate η, so
    changing ``lr`` changes the strength of the decay as well. Loshchilov & Hutter write
    ``θ ← θ − η_t(α m̂/(√v̂ + ε) + λθ)``, with α the base step size and η_t the schedule's
    multiplier: there the decay follows the schedule but not α.
    """

    def __init__(self, params: Sequence[Any], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.01):
        super().__init__(params, lr, betas, eps, weight_decay)

    def step(self, grads: Sequence[Any]) -> None:
        gs = self._grads(grads, add_l2=False)  # the decay acts on θ directly, not through the gradient
        self.t += 1
        for p, g, s, wd in zip(self.params, gs, self.state, self.decays):
            p *= 1 - self.lr * wd
            self._update(p, g, s)


# ---- learning-rate schedules: the rate to use at step (or epoch) t, counted from 0 ----

def step_lr(lr: float, t: int, *, step_size: int, gamma: float = 0.1) -> float:
    """Step decay: ``lr · gamma^⌊t / step_size⌋`` (as ``torch.optim.lr_scheduler.StepLR``)."""
    check_positive(step_size, "step_size", integer=True)
    check_positive(t, "t", strict=False, integer=True)
    return lr * gamma ** (t // step_size)


def cosine_lr(lr: float, t: int, *, total_steps: int, min_lr: float = 0.0) -> float:
    """Cosine annealing from ``lr`` at t = 0 to ``min_lr`` at t = total_steps (``CosineAnnealingLR``).

    .. math:: \\eta_t = \\eta_{min} + \\tfrac12(\\eta - \\eta_{min})(1 + \\cos(\\pi t / T))
    """
    check_positive(total_steps, "total_steps", integer=True)
    check_positive(t, "t", strict=False, integer=True)
    t = min(t, total_steps)
    return min_lr + 0.5 * (lr - min_lr) * (1 + math.cos(math.pi * t / total_steps))


def warmup_cosine_lr(lr: float, t: int, *, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> float:
    """Linear warm-up from lr/warmup_steps to lr over ``warmup_steps`` steps, then cosine decay."""
    check_positive(warmup_steps, "warmup_steps", integer=True)
    if total_steps <= warmup_steps:
        raise ValueError(f"total_steps ({total_steps}) must exceed warmup_steps ({warmup_steps})")
    check_positive(t, "t", strict=False, integer=True)
    if t < warmup_steps:
        return lr * (t + 1) / warmup_steps
    return cosine_lr(lr, t - warmup_steps, total_steps=total_steps - warmup_steps, min_lr=min_lr)

"""Weight initialisation for fully connected layers: Xavier (Glorot) and He (Kaiming).

Every function returns a NumPy array of shape ``(fan_in, fan_out)``, the layout of
:class:`mlbook.nn.Linear` (``o = x @ W + b``). PyTorch stores the transpose,
``(fan_out, fan_in)``; the fans, and so the distributions, are the same.
The derivations are in chapter 8, section 3 (numerical stability and initialisation).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .validation import check_positive

__all__ = ["xavier_uniform", "xavier_normal", "he_normal", "he_uniform", "normal", "xavier_std", "he_std",
           "draw_weights", "as_generator"]


def as_generator(random_state: Any = None) -> np.random.Generator:
    """Turn ``None``, an int seed or a ``np.random.Generator`` into a generator."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or (isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool)):
        return np.random.default_rng(random_state)
    raise TypeError(
        f"random_state must be None, an int or a np.random.Generator, got {type(random_state).__name__}"
    )


def _check_fans(fan_in: Any, fan_out: Any) -> tuple[int, int]:
    check_positive(fan_in, "fan_in", integer=True)
    check_positive(fan_out, "fan_out", integer=True)
    return int(fan_in), int(fan_out)


def xavier_std(fan_in: int, fan_out: int, *, gain: float = 1.0) -> float:
    """Standard deviation of Xavier (Glorot) initialisation, ``gain · sqrt(2 / (n_in + n_out))``.

    The compromise ``½ (n_in + n_out) σ² = gain²`` between keeping the forward variance
    (``n_in σ² = 1``) and the backward variance (``n_out σ² = 1``); chapter 8, section 3.
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    check_positive(gain, "gain")
    return float(gain * np.sqrt(2.0 / (fan_in + fan_out)))  # ½(n_in + n_out)σ² = gain²


def he_std(fan_in: int) -> float:
    """Standard deviation of He (Kaiming) initialisation for ReLU layers, ``sqrt(2 / n_in)``.

    A ReLU halves the second moment, so keeping it needs ``½ n_in σ² = 1`` (torch's
    ``kaiming_normal_(w, nonlinearity="relu")`` with mode ``fan_in``). Pass n_out instead for
    the backward condition ``½ n_out σ² = 1`` (mode ``fan_out``).
    """
    check_positive(fan_in, "fan_in", integer=True)
    return float(np.sqrt(2.0 / int(fan_in)))  # ½ n_in σ² = 1


def draw_weights(fan_in: int, fan_out: int, std: float, *, uniform: bool = False,
                 random_state: Any = None) -> np.ndarray:
    """Zero-mean weights of standard deviation ``std``, shape (fan_in, fan_out).

    ``N(0, std²)``, or with ``uniform=True`` the uniform law of the same variance: ``U(-a, a)``
    has variance ``a²/3``, so ``a = sqrt(3)·std``. Every initialiser of this module is one
    standard deviation and one call of this function.
    """
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    check_positive(std, "std")
    rng = as_generator(random_state)
    if uniform:
        a = np.sqrt(3.0) * std
        return rng.uniform(-a, a, size=(fan_in, fan_out))
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def xavier_uniform(fan_in: int, fan_out: int, *, gain: float = 1.0, random_state: Any = None) -> np.ndarray:
    """Glorot & Bengio (2010) uniform initialisation, ``U(-a, a)``.

    Parameters
    ----------
    fan_in, fan_out : int
        Number of inputs and outputs of the layer.
    gain : float, default 1.0
        Multiplies the bound (torch's ``gain``; e.g. 5/3 for tanh).
    random_state : int, Generator or None

    Returns
    -------
    ndarray of shape (fan_in, fan_out)

    Notes
    -----
    Keeping the variance of the forward signal (``n_in σ² = 1``) and of the backward
    gradient (``n_out σ² = 1``) is impossible at once when ``n_in ≠ n_out``; the compromise

    .. math:: \\tfrac12 (n_\\text{in} + n_\\text{out})\\, \\sigma^2 = 1

    gives ``σ² = 2 / (n_in + n_out)``, and ``U(-a, a)`` has variance ``a²/3``, so
    ``a = gain · sqrt(6 / (n_in + n_out))``.
    """
    return draw_weights(fan_in, fan_out, xavier_std(fan_in, fan_out, gain=gain), uniform=True,
                        random_state=random_state)


def xavier_normal(fan_in: int, fan_out: int, *, gain: float = 1.0, random_state: Any = None) -> np.ndarray:
    """Glorot & Bengio (2010) normal initialisation, ``N(0, σ²)`` with ``σ = gain·sqrt(2/(n_in+n_out))``.

    Returns
    -------
    ndarray of shape (fan_in, fan_out)
    """
    return draw_weights(fan_in, fan_out, xavier_std(fan_in, fan_out, gain=gain), random_state=random_state)


def _he_fan(fan_in: Any, fan_out: Any, mode: str) -> int:
    fan_in, fan_out = _check_fans(fan_in, fan_out)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    return fan_in if mode == "fan_in" else fan_out


def he_normal(fan_in: int, fan_out: int, *, mode: str = "fan_in", random_state: Any = None) -> np.ndarray:
    """He et al. (2015) normal initialisation for ReLU layers, ``N(0, 2 / n)`` with n the chosen fan.

    Parameters
    ----------
    fan_in, fan_out : int
    mode : {"fan_in", "fan_out"}, default "fan_in"
        ``"fan_in"`` (n = n_in) keeps the forward second moment ``E[h²]`` constant through the
        layers; ``"fan_out"`` (n = n_out) keeps the variance of the backward gradients constant.
    random_state : int, Generator or None

    Returns
    -------
    ndarray of shape (fan_in, fan_out)

    Notes
    -----
    A ReLU passes on half of the second moment of a symmetric input, so keeping ``E[h²]``
    constant forward needs ``n_in σ² / 2 = 1``; backward, with independent zero-mean upstream
    gradients, the condition is ``n_out σ² / 2 = 1``. With either choice the other pass changes
    by the factor ∏ n_in/n_out over the layers, which telescopes to (input width)/(output
    width): bounded, not exponential in depth. As torch's
    ``kaiming_normal_(w, mode=mode, nonlinearity="relu")``.
    """
    return draw_weights(fan_in, fan_out, he_std(_he_fan(fan_in, fan_out, mode)), random_state=random_state)


def he_uniform(fan_in: int, fan_out: int, *, mode: str = "fan_in", random_state: Any = None) -> np.ndarray:
    """He et al. (2015) uniform initialisation for ReLU layers, ``U(-a, a)`` with ``a = sqrt(6 / n)``.

    ``mode`` chooses n = n_in (``"fan_in"``, default) or n = n_out (``"fan_out"``), as in
    :func:`he_normal` and torch's ``kaiming_uniform_``.

    Returns
    -------
    ndarray of shape (fan_in, fan_out)
    """
    return draw_weights(fan_in, fan_out, he_std(_he_fan(fan_in, fan_out, mode)), uniform=True,
                        random_state=random_state)


def normal(fan_in: int, fan_out: int, *, std: float = 1.0, random_state: Any = None) -> np.ndarray:
    """Plain ``N(0, std²)`` weights, ignoring the fans (the naive baseline of section 3).

    Returns
    -------
    ndarray of shape (fan_in, fan_out)
    """
    return draw_weights(fan_in, fan_out, float(std), random_state=random_state)

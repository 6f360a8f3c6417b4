"""Attention in NumPy: kernel regression as attention, scaled dot-product attention, masks and the
sinusoidal positional encoding (chapter 10).

Shapes follow PyTorch: queries ``(..., T_q, d_k)``, keys ``(..., T_k, d_k)``, values
``(..., T_k, d_v)``; a boolean mask is True where a query may attend to a key (the convention of
``torch.nn.functional.scaled_dot_product_attention``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..validation import as_float_array, check_positive

__all__ = ["scaled_dot_product_attention", "additive_attention", "causal_mask", "padding_mask",
           "positional_encoding", "nadaraya_watson"]


def _masked_softmax(scores: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """Softmax over the last axis, with the entries where ``mask`` is False set to weight 0 exactly."""
    if mask is not None:
        if not mask.any(axis=-1).all():
            raise ValueError("the mask leaves some query with no key to attend to (a row of the mask is all "
                             "False); its softmax would be 0/0. Allow at least one key per query")
        scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)  # the largest allowed score becomes 0
    e = np.exp(scores)                                     # exp(-inf) = 0 for masked keys
    return e / e.sum(axis=-1, keepdims=True)


def _as_mask(mask: Any, shape: tuple[int, ...]) -> np.ndarray:
    m = np.asarray(mask.detach().cpu() if hasattr(mask, "detach") else mask)
    if m.dtype != bool:
        raise TypeError(f"mask must be boolean (True where attention is allowed), got dtype {m.dtype}")
    try:
        return np.broadcast_to(m, shape)
    except ValueError:
        raise ValueError(f"mask of shape {m.shape} does not broadcast to the scores' shape {shape} "
                         "(..., T_q, T_k)") from None


def scaled_dot_product_attention(q: Any, k: Any, v: Any, mask: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """``softmax(q kᵀ / √d_k) v``, with an optional boolean mask.

    Parameters
    ----------
    q : array of shape (..., T_q, d_k)
    k : array of shape (..., T_k, d_k)
    v : array of shape (..., T_k, d_v)
    mask : bool array broadcastable to (..., T_q, T_k), optional
        True where query i may attend to key j. A masked key gets weight exactly 0.

    Returns
    -------
    output : array of shape (..., T_q, d_v)
    weights : array of shape (..., T_q, T_k)
        Each row is a probability vector over the keys.

    Notes
    -----
    If the components of q and k are independent with mean 0 and variance 1, then
    ``q·k = Σ_j q_j k_j`` has mean 0 and variance ``d_k``; dividing by ``√d_k`` gives the scores
    variance 1 whatever the width, so the softmax does not saturate as ``d_k`` grows
    (Vaswani et al., 2017). Equal to ``torch.nn.functional.scaled_dot_product_attention``.
    """
    q, k, v = as_float_array(q, "q"), as_float_array(k, "k"), as_float_array(v, "v")
    for name, a in (("q", q), ("k", k), ("v", v)):
        if a.ndim < 2:
            raise ValueError(f"{name} must have shape (..., T, d), got {a.shape}")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"queries and keys must have the same width d_k: q has {q.shape[-1]}, k has {k.shape[-1]}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"keys and values must be as many: k has {k.shape[-2]}, v has {v.shape[-2]}")
    # region: attention
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])   # (..., T_q, T_k)
    m = None if mask is None else _as_mask(mask, scores.shape)
    weights = _masked_softmax(scores, m)                           # each row sums to 1
    return weights @ v, weights                                    # (..., T_q, d_v)
    # endregion


def additive_attention(q: Any, k: Any, v: Any, W_q: Any, W_k: Any, w_v: Any,
                       mask: Any = None) -> tuple[np.ndarray, np.ndarray]:
    r"""Additive attention (Bahdanau, Cho & Bengio, 2015): scores ``w_vᵀ tanh(W_q q + W_k k)``.

    .. math:: a(\mathbf q, \mathbf k) = \mathbf w_v^\top \tanh(\mathbf W_q \mathbf q + \mathbf W_k \mathbf k),
              \qquad \text{output}_i = \sum_j \operatorname{softmax}_j\big(a(\mathbf q_i, \mathbf k_j)\big)\, \mathbf v_j .

    Unlike the dot product, queries and keys may have different widths; the score is a one-hidden-layer
    network of width ``d_a`` with ``d_a (d_q + d_k + 1)`` parameters, and it is not a matrix product:
    the tanh sits between the query and the key, so an ``(..., T_q, T_k, d_a)`` intermediate is built.

    Parameters
    ----------
    q : array of shape (..., T_q, d_q)
    k : array of shape (..., T_k, d_k)
    v : array of shape (..., T_k, d_v)
    W_q : array of shape (d_a, d_q) ; W_k : array of shape (d_a, d_k) ; w_v : array of shape (d_a,)
    mask : bool array broadcastable to (..., T_q, T_k), optional
        True where query i may attend to key j.

    Returns
    -------
    output : array of shape (..., T_q, d_v)
    weights : array of shape (..., T_q, T_k), each row a probability vector.
    """
    q, k, v = as_float_array(q, "q"), as_float_array(k, "k"), as_float_array(v, "v")
    W_q, W_k = as_float_array(W_q, "W_q", ndim=2), as_float_array(W_k, "W_k", ndim=2)
    w_v = as_float_array(w_v, "w_v", ndim=1)
    for name, a in (("q", q), ("k", k), ("v", v)):
        if a.ndim < 2:
            raise ValueError(f"{name} must have shape (..., T, d), got {a.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"keys and values must be as many: k has {k.shape[-2]}, v has {v.shape[-2]}")
    d_a = w_v.shape[0]
    if W_q.shape != (d_a, q.shape[-1]) or W_k.shape != (d_a, k.shape[-1]):
        raise ValueError(f"W_q must have shape (d_a, d_q) = ({d_a}, {q.shape[-1]}) and W_k (d_a, d_k) = "
                         f"({d_a}, {k.shape[-1]}), got {W_q.shape} and {W_k.shape}")
    # region: additive
    hidden = np.tanh((q @ W_q.T)[..., :, None, :] + (k @ W_k.T)[..., None, :, :])  # (..., T_q, T_k, d_a)
    scores = hidden @ w_v                                                          # (..., T_q, T_k)
    m = None if mask is None else _as_mask(mask, scores.shape)
    weights = _masked_softmax(scores, m)                                           # each row sums to 1
    return weights @ v, weights                                                    # (..., T_q, d_v)
    # endregion


def causal_mask(T: int) -> np.ndarray:
    """The (T, T) boolean mask that lets position i attend to positions j ≤ i only (lower triangle)."""
    check_positive(T, "T", integer=True)
    return np.tril(np.ones((int(T), int(T)), dtype=bool))


def padding_mask(lengths: Any, T: int) -> np.ndarray:
    """(B, 1, T) mask that is True on the first ``lengths[b]`` keys of sequence b (the rest is padding).

    It broadcasts against scores of shape (B, T_q, T) and, after ``[:, None]``, (B, h, T_q, T).
    """
    check_positive(T, "T", integer=True)
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or lengths.dtype.kind not in "iu" or (lengths < 1).any() or (lengths > T).any():
        raise ValueError(f"lengths must be a 1-D array of integers in [1, T={T}], got {lengths!r}")
    return (np.arange(int(T))[None, :] < lengths[:, None])[:, None, :]


def positional_encoding(n_positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """The sinusoidal positional encoding of Vaswani et al. (2017), shape (n_positions, d_model).

    .. math:: PE_{t, 2i} = \\sin(t\\,\\omega_i), \\quad PE_{t, 2i+1} = \\cos(t\\,\\omega_i),
              \\quad \\omega_i = \\text{base}^{-2i/d_{\\text{model}}}.

    Each pair of columns is a point on the unit circle turning at its own frequency, so
    ``PE[t + k]`` is ``PE[t]`` with every pair rotated by the angle ``k ω_i``: a linear map that
    depends on k only (chapter 10, section 4).
    """
    check_positive(n_positions, "n_positions", integer=True)
    check_positive(d_model, "d_model", integer=True)
    check_positive(base, "base")
    if d_model % 2:
        raise ValueError(f"d_model must be even (sine and cosine come in pairs), got {d_model}")
    # region: positional encoding
    t = np.arange(int(n_positions))[:, None]                    # (n_positions, 1)
    omega = base ** (-np.arange(0, d_model, 2) / d_model)       # (d_model/2,): from 1 down to ~1/base
    pe = np.empty((int(n_positions), int(d_model)))
    pe[:, 0::2] = np.sin(t * omega)
    pe[:, 1::2] = np.cos(t * omega)
    return pe
    # endregion


def nadaraya_watson(x_query: Any, x_train: Any, y_train: Any, bandwidth: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Nadaraya–Watson kernel regression with a Gaussian kernel, written as attention.

    The query is ``x``, the keys are the training inputs ``x_i`` and the values their targets ``y_i``:

    .. math:: \\hat f(x) = \\sum_i \\alpha(x, x_i)\\, y_i, \\qquad
              \\alpha(x, x_i) = \\operatorname{softmax}_i\\!\\left(-\\frac{(x - x_i)^2}{2h^2}\\right).

    Parameters
    ----------
    x_query : array of shape (m,) ; x_train, y_train : arrays of shape (n,)
    bandwidth : float
        The kernel width h > 0.

    Returns
    -------
    predictions : array of shape (m,)
    weights : array of shape (m, n), each row a probability vector.
    """
    xq = as_float_array(x_query, "x_query", ndim=1)
    xt = as_float_array(x_train, "x_train", ndim=1)
    yt = as_float_array(y_train, "y_train", ndim=1)
    if xt.shape != yt.shape:
        raise ValueError(f"x_train and y_train must have the same length, got {xt.shape} and {yt.shape}")
    check_positive(bandwidth, "bandwidth")
    # region: kernel regression
    scores = -((xq[:, None] - xt[None, :]) ** 2) / (2 * bandwidth ** 2)  # (m, n): closer keys score higher
    weights = _masked_softmax(scores, None)                                # each row sums to 1
    return weights @ yt, weights                                           # a weighted average of the values
    # endregion

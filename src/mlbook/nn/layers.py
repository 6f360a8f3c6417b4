"""NumPy layers with a hand-written backward pass (chapter 8, sections 2 and 5).

Each layer has ``forward(x)`` (also reached by calling the layer, ``layer(x)``) and
``backward(grad_out)``. As in torch, the mode is state: a layer is in training mode after
construction, ``layer.eval()`` switches it to inference and ``layer.train()`` back, and
``layer.training`` says which. In training mode ``forward`` keeps in ``cache`` exactly what
``backward`` will need; in inference mode it keeps nothing, dropout is the identity and batch
normalisation uses its running statistics. ``forward(x, training=False)`` overrides the mode
for one call. ``backward`` receives ∂L/∂(output), stores the gradients of the layer's own
parameters in ``grads`` (same keys as ``params``) and returns ∂L/∂(input). Arrays are batches:
rows are samples; the activations and dropout work element-wise on arrays of any shape.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from scipy.special import erf

from .. import init as _init
from ..validation import as_float_array, check_positive

__all__ = ["Layer", "Linear", "ReLU", "Tanh", "Sigmoid", "GELU", "Dropout", "BatchNorm1d",
           "SoftmaxCrossEntropy"]

_INITS: dict[str, Callable[..., np.ndarray]] = {
    "xavier_uniform": _init.xavier_uniform, "xavier_normal": _init.xavier_normal,
    "he_normal": _init.he_normal, "he_uniform": _init.he_uniform,
}


def check_dropout_probability(p: Any, name: str = "p") -> float:
    """Refuse a dropout probability outside [0, 1) (p = 1 would drop every unit and divide by 0)."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)) or not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability {name} must be a number in [0, 1), got {p!r}")
    return float(p)


def resolve_mode(training: Any, state: bool) -> bool:
    """The mode of one forward call: ``state`` when ``training`` is None, else ``training``."""
    if training is None:
        return state
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training must be True, False or None, got {training!r}")
    return bool(training)


class Layer:
    """Base class: no parameters, nothing cached."""

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.cache: dict[str, np.ndarray] = {}
        self.training = True

    def train(self, mode: bool = True) -> "Layer":
        """Set training mode (``mode=True``) or inference mode (``mode=False``); returns the layer."""
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"mode must be True or False, got {mode!r}")
        self.training = bool(mode)
        return self

    def eval(self) -> "Layer":
        """Set inference mode, as ``train(False)``; returns the layer."""
        return self.train(False)

    def _mode(self, training: bool | None) -> bool:
        """The mode of one forward call: the layer's state unless the call overrides it."""
        return resolve_mode(training, self.training)

    def __call__(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        return self.forward(x, training=training)

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _need_cache(self) -> None:
        if not self.cache:
            raise RuntimeError(f"{type(self).__name__}.backward needs a forward call in training mode first")

    def cached_floats(self) -> int:
        """How many numbers this layer keeps for the backward pass."""
        return int(sum(np.size(v) for v in self.cache.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Linear(Layer):
    """Fully connected layer ``o = x @ W + b``.

    Parameters
    ----------
    in_features, out_features : int
    init : str, float or callable, default "torch"
        ``"xavier_uniform"``, ``"xavier_normal"``, ``"he_normal"``, ``"he_uniform"``; ``"torch"``
        for ``U(−1/√n_in, 1/√n_in)`` (PyTorch's default); a float ``s`` for ``N(0, s²)``; or a callable
        ``f(fan_in, fan_out, random_state=rng)``. With ``"torch"`` the bias is drawn from the same
        ``U(−1/√n_in, 1/√n_in)``, as ``torch.nn.Linear`` does; with every other init it starts at zero.
    random_state : int, Generator or None

    Notes
    -----
    With x of shape (n, d_in) and upstream gradient G = ∂L/∂o of shape (n, d_out):

    .. math:: \\partial L/\\partial W = x^\\top G, \\quad \\partial L/\\partial b = \\mathbf 1^\\top G,
              \\quad \\partial L/\\partial x = G W^\\top.
    """

    def __init__(self, in_features: int, out_features: int, *, init: Any = "torch",
                 random_state: Any = None):
        super().__init__()
        check_positive(in_features, "in_features", integer=True)
        check_positive(out_features, "out_features", integer=True)
        rng = _init.as_generator(random_state)
        b = np.zeros(out_features)
        if callable(init):
            W = np.asarray(init(in_features, out_features, random_state=rng), dtype=float)
        elif isinstance(init, str):
            if init == "torch":  # weights, then bias, from U(−1/√n_in, 1/√n_in), as torch.nn.Linear
                a = 1.0 / np.sqrt(in_features)
                W = rng.uniform(-a, a, size=(in_features, out_features))
                b = rng.uniform(-a, a, size=out_features)
            elif init in _INITS:
                W = _INITS[init](in_features, out_features, random_state=rng)
            else:
                raise ValueError(f"unknown init {init!r}; use one of {['torch', *_INITS]}, a float std or a callable")
        elif isinstance(init, (int, float)) and not isinstance(init, bool):
            W = _init.normal(in_features, out_features, std=float(init), random_state=rng)
        else:
            raise TypeError(f"init must be a string, a float std or a callable, got {type(init).__name__}")
        if W.shape != (in_features, out_features):
            raise ValueError(f"init returned shape {W.shape}, expected {(in_features, out_features)}")
        self.params = {"W": W, "b": b}

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = as_float_array(x, "x", ndim=2)
        W = self.params["W"]
        if x.shape[1] != W.shape[0]:
            raise ValueError(f"x has {x.shape[1]} features, but this Linear layer expects {W.shape[0]}")
        self.cache = {"x": x} if training else {}
        return x @ W + self.params["b"]  # (n, d_out)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        x = self.cache["x"]
        self.grads = {"W": x.T @ grad_out, "b": grad_out.sum(axis=0)}
        return grad_out @ self.params["W"].T  # (n, d_in)

    def __repr__(self) -> str:
        d_in, d_out = self.params["W"].shape
        return f"Linear({d_in}, {d_out})"


class ReLU(Layer):
    """``max(0, x)``; derivative 1 where x > 0 and 0 elsewhere (0 at x = 0, as torch)."""

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = as_float_array(x, "x")
        self.cache = {"mask": x > 0} if training else {}
        return np.maximum(x, 0.0)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        return grad_out * self.cache["mask"]


class Tanh(Layer):
    """``tanh(x)``; derivative ``1 − tanh(x)²``, computed from the cached output."""

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        out = np.tanh(as_float_array(x, "x"))
        self.cache = {"out": out} if training else {}
        return out

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        return grad_out * (1.0 - self.cache["out"] ** 2)


class Sigmoid(Layer):
    """``σ(x) = 1 / (1 + e^{−x})``; derivative ``σ(x)(1 − σ(x))`` ≤ 1/4."""

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = as_float_array(x, "x")
        out = np.exp(-np.logaddexp(0.0, -x))  # stable for large |x|
        self.cache = {"out": out} if training else {}
        return out

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        s = self.cache["out"]
        return grad_out * s * (1.0 - s)


class GELU(Layer):
    """``x Φ(x)`` with Φ the standard normal CDF (exact form, as ``torch.nn.GELU()``).

    Derivative: ``Φ(x) + x φ(x)``.
    """

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = as_float_array(x, "x")
        cdf = 0.5 * (1.0 + erf(x / np.sqrt(2.0)))
        self.cache = {"x": x, "cdf": cdf} if training else {}
        return x * cdf

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        x, cdf = self.cache["x"], self.cache["cdf"]
        pdf = np.exp(-0.5 * x**2) / np.sqrt(2.0 * np.pi)
        return grad_out * (cdf + x * pdf)


class Dropout(Layer):
    """Inverted dropout: zero each unit with probability ``p`` and scale survivors by ``1/(1−p)``.

    Parameters
    ----------
    p : float in [0, 1)
    random_state : int, Generator or None

    Notes
    -----
    With ``m_i ~ Bernoulli(1 − p)``, ``h'_i = m_i h_i / (1 − p)`` so ``E[h'_i] = h_i``. At
    inference (``training=False``) the layer is the identity: no rescaling is needed then.
    """

    def __init__(self, p: float = 0.5, *, random_state: Any = None):
        super().__init__()
        self.p = check_dropout_probability(p, "p")
        self.rng = _init.as_generator(random_state)

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = as_float_array(x, "x")
        if not training or self.p == 0.0:
            self.cache = {"scale": np.ones_like(x)} if training else {}
            return x
        scale = (self.rng.random(x.shape) >= self.p) / (1.0 - self.p)  # 0 or 1/(1−p)
        self.cache = {"scale": scale}
        return x * scale

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        return grad_out * self.cache["scale"]

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g})"


class BatchNorm1d(Layer):
    """Batch normalisation (Ioffe & Szegedy, 2015) over the batch axis of (n, d) inputs.

    Training: ``x̂ = (x − μ_B)/sqrt(σ²_B + eps)``, ``y = γ x̂ + β`` with the batch mean and the
    biased batch variance; running averages (unbiased variance, ``momentum`` as torch) are
    used at inference.

    Notes
    -----
    Backward pass, with g = ∂L/∂x̂ = γ ∂L/∂y and s = sqrt(σ²_B + eps):

    .. math:: \\partial L/\\partial x = \\frac{1}{n s}\\Big(n g - \\textstyle\\sum_i g_i
              - \\hat x \\sum_i g_i \\hat x_i\\Big).
    """

    def __init__(self, num_features: int, *, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        check_positive(num_features, "num_features", integer=True)
        check_positive(eps, "eps")
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"momentum must lie in [0, 1], got {momentum!r}")
        self.eps, self.momentum = float(eps), float(momentum)
        self.params = {"gamma": np.ones(num_features), "beta": np.zeros(num_features)}
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = as_float_array(x, "x", ndim=2)
        if x.shape[1] != self.running_mean.size:
            raise ValueError(f"x has {x.shape[1]} features, BatchNorm1d expects {self.running_mean.size}")
        if training:
            n = x.shape[0]
            if n < 2:
                raise ValueError("batch normalisation in training mode needs at least 2 samples per batch")
            mu, var = x.mean(axis=0), x.var(axis=0)
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mu
            self.running_var = (1 - m) * self.running_var + m * var * n / (n - 1)
        else:
            mu, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = (x - mu) * inv_std
        self.cache = {"x_hat": x_hat, "inv_std": inv_std} if training else {}
        return self.params["gamma"] * x_hat + self.params["beta"]

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        x_hat, inv_std = self.cache["x_hat"], self.cache["inv_std"]
        n = x_hat.shape[0]
        self.grads = {"gamma": (grad_out * x_hat).sum(axis=0), "beta": grad_out.sum(axis=0)}
        g = grad_out * self.params["gamma"]
        return inv_std / n * (n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0))


class SoftmaxCrossEntropy(Layer):
    """Mean cross-entropy of softmax(logits) against integer labels, fused for stability.

    ``forward(logits, y)`` returns the scalar loss; ``backward()`` returns ∂L/∂logits.

    Notes
    -----
    With p = softmax(o) and one-hot labels Y over a batch of n,

    .. math:: L = \\frac1n \\sum_i \\big(\\operatorname{logsumexp}(o_i) - o_{i y_i}\\big),
              \\qquad \\partial L/\\partial o = (p - Y)/n.
    """

    def forward(self, logits: Any, y: Any = None, *, training: bool | None = None) -> float:  # type: ignore[override]
        training = self._mode(training)
        o = as_float_array(logits, "logits", ndim=2)
        if y is None:
            raise TypeError("SoftmaxCrossEntropy.forward needs the labels: forward(logits, y)")
        y = np.asarray(y)
        if y.shape != (o.shape[0],) or y.dtype.kind not in "iu":
            raise ValueError(f"y must be integer labels of shape ({o.shape[0]},), got dtype {y.dtype} and shape {y.shape}")
        if y.min() < 0 or y.max() >= o.shape[1]:
            raise ValueError(f"labels must lie in 0..{o.shape[1] - 1}, got values from {y.min()} to {y.max()}")
        shifted = o - o.max(axis=1, keepdims=True)  # subtract the max: no overflow
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.cache = {"p": np.exp(log_p), "y": y} if training else {}
        return float(-log_p[np.arange(len(y)), y].mean())

    def backward(self, grad_out: float = 1.0) -> np.ndarray:  # type: ignore[override]
        self._need_cache()
        p, y = self.cache["p"], self.cache["y"]
        grad = p.copy()
        grad[np.arange(len(y)), y] -= 1.0
        return grad_out * grad / len(y)

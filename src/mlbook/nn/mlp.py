"""A multilayer perceptron assembled from the NumPy layers (chapter 8, section 2)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import init as _init
from ..validation import DivergenceError, as_float_array, check_positive
from .layers import GELU, resolve_mode, check_dropout_probability, BatchNorm1d, Dropout, Layer, Linear, ReLU, Sigmoid, SoftmaxCrossEntropy, Tanh

_ACTIVATIONS = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid, "gelu": GELU}


class MLP:
    """Linear → activation → ... → Linear, trained with softmax cross-entropy.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``(d_in, h_1, ..., h_L, n_classes)``; at least an input and an output size.
    activation : {"relu", "tanh", "sigmoid", "gelu"}, default "relu"
    init : str, float or callable, default "torch"
        Weight initialisation of every :class:`Linear` layer (see there).
    dropout : float, default 0.0
        Dropout probability after each hidden activation (0: no dropout layer).
    batch_norm : bool, default False
        Insert :class:`BatchNorm1d` between each hidden Linear layer and its activation. The
        Linear layer keeps its bias, although BN's shift β makes it redundant (the batch mean
        removes it, so its gradient is zero): a few wasted parameters, kept so that the
        layers match ``nn.Sequential(nn.Linear, nn.BatchNorm1d, ...)`` in torch.
    random_state : int, Generator or None

    Attributes
    ----------
    layers : list of Layer
    loss_fn : SoftmaxCrossEntropy
    training : bool
        The mode, as in torch: True after construction; :meth:`eval` and :meth:`train` switch it
        for every layer. ``forward`` and ``loss`` use it; ``predict``, ``predict_proba`` and
        ``score`` always run in inference mode and ``train_step`` in training mode, whatever it is.
    """

    def __init__(self, layer_sizes: Sequence[int], *, activation: str = "relu", init: Any = "torch",
                 dropout: float = 0.0, batch_norm: bool = False, random_state: Any = None):
        sizes = list(layer_sizes)
        if len(sizes) < 2:
            raise ValueError(f"layer_sizes needs at least an input and an output size, got {sizes}")
        for s in sizes:
            check_positive(s, "every layer size", integer=True)
        dropout = check_dropout_probability(dropout, "dropout")
        if activation not in _ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {sorted(_ACTIVATIONS)}")
        rng = _init.as_generator(random_state)
        self.layer_sizes, self.activation = sizes, activation
        self.layers: list[Layer] = []
        for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            self.layers.append(Linear(d_in, d_out, init=init, random_state=rng))
            if i < len(sizes) - 2:  # hidden layer
                if batch_norm:
                    self.layers.append(BatchNorm1d(d_out))
                self.layers.append(_ACTIVATIONS[activation]())
                if dropout > 0:
                    self.layers.append(Dropout(dropout, random_state=rng))
        self.loss_fn = SoftmaxCrossEntropy()
        self.training = True

    def train(self, mode: bool = True) -> "MLP":
        """Put every layer in training mode (``mode=True``) or inference mode; returns the network."""
        for layer in [*self.layers, self.loss_fn]:
            layer.train(mode)
        self.training = bool(mode)
        return self

    def eval(self) -> "MLP":
        """Inference mode for every layer, as ``train(False)``; returns the network."""
        return self.train(False)

    def forward(self, X: Any, *, training: bool | None = None) -> np.ndarray:
        """Logits of shape (n_samples, n_classes), in the network's mode unless ``training`` is given.

        Raises :class:`~mlbook.validation.DivergenceError` if an activation stops being finite.
        """
        mode = resolve_mode(training, self.training)
        h = as_float_array(X, "X", ndim=2)
        for layer in self.layers:
            h = layer.forward(h, training=mode)
            if not np.all(np.isfinite(h)):
                raise DivergenceError(f"the output of {layer!r} is not finite: the network has diverged")
        return h

    def loss(self, X: Any, y: Any, *, training: bool | None = None) -> float:
        """Forward pass and mean cross-entropy against integer labels ``y``, in the network's mode
        unless ``training`` is given."""
        mode = resolve_mode(training, self.training)
        value = self.loss_fn.forward(self.forward(X, training=mode), y, training=mode)
        if not np.isfinite(value):
            raise DivergenceError(f"the loss is {value}: the network has diverged")
        return value

    def backward(self) -> np.ndarray:
        """Backpropagate from the last ``loss`` call; fills each layer's ``grads``; returns ∂L/∂X."""
        g = self.loss_fn.backward()
        for layer in reversed(self.layers):
            g = layer.backward(g)
        return g

    def parameters(self) -> list[np.ndarray]:
        """The parameter arrays, in layer order (the optimisers update them in place)."""
        return [p for layer in self.layers for p in layer.params.values()]

    def param_groups(self, weight_decay: float) -> list[dict[str, Any]]:
        """Parameter groups for the optimisers, with weight decay on the Linear weights only.

        Biases and batch normalisation's γ and β get ``weight_decay = 0``: decaying a bias or a
        scale pulls it towards a value (0) with no special meaning, and does not limit how
        sharply the network can bend (Goodfellow et al., 2016, §7.1). The groups hold the
        parameters in the order of :meth:`parameters`, so :meth:`gradients` lines up with them.
        """
        check_positive(weight_decay, "weight_decay", strict=False)
        groups: list[dict[str, Any]] = []
        for layer in self.layers:
            for key, p in layer.params.items():
                wd = float(weight_decay) if isinstance(layer, Linear) and key == "W" else 0.0
                if groups and groups[-1]["weight_decay"] == wd:
                    groups[-1]["params"].append(p)
                else:
                    groups.append({"params": [p], "weight_decay": wd})
        return groups

    def gradients(self) -> list[np.ndarray]:
        """The gradients of the last ``backward`` call, aligned with :meth:`parameters`."""
        out = []
        for layer in self.layers:
            for k in layer.params:
                if k not in layer.grads:
                    raise RuntimeError("no gradients yet: call loss(X, y) and backward() first")
                out.append(layer.grads[k])
        return out

    def train_step(self, X: Any, y: Any, optimizer: Any) -> float:
        """One update: loss, backward, ``optimizer.step(gradients)``; returns the loss."""
        value = self.loss(X, y, training=True)
        self.backward()
        optimizer.step(self.gradients())
        return value

    def predict_proba(self, X: Any) -> np.ndarray:
        """Softmax probabilities, shape (n_samples, n_classes), in inference mode."""
        o = self.forward(X, training=False)
        o = o - o.max(axis=1, keepdims=True)
        p = np.exp(o)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        """Most probable class for each row of ``X``."""
        return np.argmax(self.forward(X, training=False), axis=1)

    def score(self, X: Any, y: Any) -> float:
        """Accuracy on ``(X, y)``."""
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def cached_floats(self) -> int:
        """Numbers held for the backward pass after the last forward call (0 after inference)."""
        return sum(layer.cached_floats() for layer in self.layers) + self.loss_fn.cached_floats()

    def n_parameters(self) -> int:
        """Total number of trainable numbers."""
        return int(sum(p.size for p in self.parameters()))

    def __repr__(self) -> str:
        return "MLP(" + " → ".join(repr(layer) for layer in self.layers) + ")"


def relu_interpolant(knots: Any, values: Any) -> MLP:
    """A one-hidden-layer ReLU network equal to the piecewise-linear interpolant of ``(knots, values)``.

    The constructive half of the universal-approximation demonstration (chapter 8, section 1).

    Parameters
    ----------
    knots : array-like of shape (K + 1,)
        Strictly increasing x-positions x_0 < ... < x_K.
    values : array-like of shape (K + 1,)
        The function values f(x_k).

    Returns
    -------
    MLP
        ``[1, K, 1]`` ReLU network; ``model.forward(x.reshape(-1, 1))`` evaluates it.

    Notes
    -----
    With slopes s_k = (f(x_{k+1}) − f(x_k)) / (x_{k+1} − x_k), hidden unit k computes
    ReLU(x − x_k) and the output weights are the changes of slope:

    .. math:: g(x) = f(x_0) + s_0 (x - x_0)_+ + \\sum_{k=1}^{K-1} (s_k - s_{k-1}) (x - x_k)_+ .

    For x ≥ x_0 it equals the interpolant; below x_0 it is the constant f(x_0).
    """
    x = as_float_array(knots, "knots", ndim=1)
    f = as_float_array(values, "values", ndim=1)
    if x.size < 2 or x.size != f.size:
        raise ValueError(f"need at least 2 knots and one value per knot, got {x.size} knots and {f.size} values")
    if np.any(np.diff(x) <= 0):
        raise ValueError("knots must be strictly increasing")
    slopes = np.diff(f) / np.diff(x)  # (K,)
    model = MLP([1, len(slopes), 1], activation="relu")
    hidden, out = model.layers[0], model.layers[2]
    hidden.params["W"][:] = 1.0
    hidden.params["b"][:] = -x[:-1]  # unit k: ReLU(x − x_k)
    out.params["W"][:, 0] = np.r_[slopes[0], np.diff(slopes)]
    out.params["b"][:] = f[0]
    return model

"""A multilayer perceptron assembled from the NumPy layers (chapter 8, section 2)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import init as _init
from ..validation import as_float_array, check_positive
from .layers import GELU, check_dropout_probability, BatchNorm1d, Dropout, Layer, Linear, ReLU, Sigmoid, SoftmaxCrossEntropy, Tanh

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
        Insert :class:`BatchNorm1d` between each hidden Linear layer and its activation.
    random_state : int, Generator or None

    Attributes
    ----------
    layers : list of Layer
    loss_fn : SoftmaxCrossEntropy
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

    def forward(self, X: Any, *, training: bool = True) -> np.ndarray:
        """Logits of shape (n_samples, n_classes)."""
        h = as_float_array(X, "X", ndim=2)
        for layer in self.layers:
            h = layer.forward(h, training=training)
        return h

    def loss(self, X: Any, y: Any, *, training: bool = True) -> float:
        """Forward pass and mean cross-entropy against integer labels ``y``."""
        return self.loss_fn.forward(self.forward(X, training=training), y, training=training)

    def backward(self) -> np.ndarray:
        """Backpropagate from the last ``loss`` call; fills each layer's ``grads``; returns ∂L/∂X."""
        g = self.loss_fn.backward()
        for layer in reversed(self.layers):
            g = layer.backward(g)
        return g

    def parameters(self) -> list[np.ndarray]:
        """The parameter arrays, in layer order (the optimisers update them in place)."""
        return [p for layer in self.layers for p in layer.params.values()]

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

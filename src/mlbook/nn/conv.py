"""Convolution and pooling in NumPy, with a hand-written backward pass (chapter 9).

Arrays use PyTorch's layout: a batch of images is ``(N, C, H, W)`` (samples, channels,
height, width) and a bank of kernels is ``(C_out, C_in, k_h, k_w)``. Like every deep-learning
library, the "convolution" here is a cross-correlation, the kernel is not flipped:

.. math:: y_{n,o,i,j} = b_o + \\sum_{c}\\sum_{u}\\sum_{v} w_{o,c,u,v}\\,
          x^{\\text{pad}}_{n,c,\\,s i + d u,\\, s j + d v},

with stride ``s``, dilation ``d`` and ``x^pad`` the input with ``p`` zeros added on every side.

The fast path is *im2col*: every receptive-field patch is copied into one column of a matrix,
so that the whole layer is one matrix product ``W @ cols``; its backward pass is the adjoint
copy *col2im*, which adds each column back where it came from.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from .. import init as _init
from ..validation import as_float_array, check_positive
from .layers import _INITS, Layer

__all__ = ["conv_output_size", "receptive_field", "im2col", "col2im", "conv2d", "conv2d_loops",
           "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten"]


def _pair(value: Any, name: str, *, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints, checked to be integers ≥ ``minimum``."""
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2:
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    for v in pair:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < minimum:
            raise ValueError(f"{name} must be an integer ≥ {minimum} (or a pair of them), got {value!r}")
    return int(pair[0]), int(pair[1])


def conv_output_size(n: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output length of a convolution (or pooling) along one axis.

    .. math:: n_{\\text{out}} = \\left\\lfloor \\frac{n + 2p - d(k-1) - 1}{s} \\right\\rfloor + 1.

    A kernel of size k with dilation d spans ``d(k − 1) + 1`` inputs; the padded input has
    ``n + 2p``; the first window starts at 0 and the last at most at ``n + 2p − d(k − 1) − 1``,
    with starts ``s`` apart. PyTorch's ``Conv2d`` documents the same formula.

    Raises
    ------
    ValueError
        If an argument is not a positive integer (``padding`` may be 0) or the kernel does not
        fit in the padded input.
    """
    for value, name, minimum in ((n, "n", 1), (kernel_size, "kernel_size", 1), (stride, "stride", 1),
                                 (padding, "padding", 0), (dilation, "dilation", 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
            raise ValueError(f"{name} must be an integer ≥ {minimum}, got {value!r}")
    # region: output size
    span = dilation * (kernel_size - 1) + 1          # inputs covered by one dilated kernel
    if span > n + 2 * padding:
        raise ValueError(f"the kernel spans {span} inputs (kernel_size={kernel_size}, dilation={dilation}) but the "
                         f"padded input has only {n + 2 * padding} (n={n}, padding={padding})")
    return (n + 2 * padding - span) // stride + 1    # window starts 0, s, 2s, ... up to n + 2p - span
    # endregion


def _layer_geometry(layer: Any) -> tuple[int, int, int]:
    """(kernel, stride, dilation) of a tuple or of a layer object (this module's or torch's)."""
    if isinstance(layer, (tuple, list)):
        if len(layer) not in (2, 3):
            raise ValueError(f"a layer must be (kernel_size, stride) or (kernel_size, stride, dilation), got {layer!r}")
        k, s, d = (*layer, 1) if len(layer) == 2 else layer
    elif hasattr(layer, "kernel_size"):
        k, s, d = layer.kernel_size, getattr(layer, "stride", 1), getattr(layer, "dilation", 1)
        s = k if s is None else s
    else:
        raise TypeError(f"cannot read a kernel size and stride from {type(layer).__name__}; pass (kernel_size, stride)")
    out = []
    for value, name in ((k, "kernel_size"), (s, "stride"), (d, "dilation")):
        a, b = _pair(value, name)
        if a != b:
            raise ValueError(f"receptive_field handles square geometry only; {name} is {value!r}")
        out.append(a)
    return out[0], out[1], out[2]


def receptive_field(layers: Iterable[Any]) -> int:
    """Side of the input window that one output unit of a stack of layers sees.

    Each layer is ``(kernel_size, stride)``, ``(kernel_size, stride, dilation)``, or an object with
    ``kernel_size`` and ``stride`` attributes (:class:`Conv2d`, :class:`MaxPool2d`, torch's layers).
    With ``j_l = s_1 ⋯ s_l`` the distance in input pixels between neighbouring units of layer l,

    .. math:: r_0 = 1, \\qquad r_l = r_{l-1} + d_l (k_l - 1)\\, j_{l-1}.

    Layers without a kernel (activations) do not change it; leave them out.
    """
    # region: receptive field
    r, jump = 1, 1
    for layer in layers:
        k, s, d = _layer_geometry(layer)
        r += d * (k - 1) * jump  # the new kernel reaches d(k-1) more units, each `jump` pixels apart
        jump *= s
    return r
    # endregion


def _check_images(x: Any, name: str = "x") -> np.ndarray:
    x = as_float_array(x, name, ndim=4)
    return x


def im2col(x: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0, dilation: Any = 1) -> np.ndarray:
    """Copy every receptive-field patch of ``x`` into a column.

    Parameters
    ----------
    x : array of shape (N, C, H, W)
    kernel_size, stride, padding, dilation : int or pair of ints

    Returns
    -------
    cols : array of shape (C·k_h·k_w, N·H_out·W_out)
        Row ``(c, u, v)`` (in that order, as ``W.reshape(C_out, -1)`` orders a kernel bank) and
        column ``(n, i, j)`` hold ``x_pad[n, c, s·i + d·u, s·j + d·v]``. A convolution is then
        ``W.reshape(C_out, -1) @ cols``.
    """
    x = _check_images(x)
    (kh, kw), (sh, sw) = _pair(kernel_size, "kernel_size"), _pair(stride, "stride")
    (ph, pw), (dh, dw) = _pair(padding, "padding", minimum=0), _pair(dilation, "dilation")
    N, C, H, W = x.shape
    Ho, Wo = conv_output_size(H, kh, sh, ph, dh), conv_output_size(W, kw, sw, pw, dw)
    # region: im2col
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((C, kh, kw, N, Ho, Wo))
    for u in range(kh):          # one strided slice per kernel tap: k_h·k_w copies in all
        for v in range(kw):
            rows = slice(dh * u, dh * u + sh * (Ho - 1) + 1, sh)
            columns = slice(dw * v, dw * v + sw * (Wo - 1) + 1, sw)
            cols[:, u, v] = xp[:, :, rows, columns].transpose(1, 0, 2, 3)  # (C, N, Ho, Wo)
    return cols.reshape(C * kh * kw, N * Ho * Wo)
    # endregion


def col2im(cols: Any, x_shape: Sequence[int], kernel_size: Any, *, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1) -> np.ndarray:
    """The adjoint of :func:`im2col`: add every column back onto the patch it was copied from.

    Where patches overlap their contributions add up, which is exactly what the chain rule asks
    of the input gradient: ``col2im(∂L/∂cols)`` is ``∂L/∂x``. Padding cells are dropped.
    """
    if len(x_shape) != 4:
        raise ValueError(f"x_shape must be (N, C, H, W), got {tuple(x_shape)}")
    N, C, H, W = (int(v) for v in x_shape)
    (kh, kw), (sh, sw) = _pair(kernel_size, "kernel_size"), _pair(stride, "stride")
    (ph, pw), (dh, dw) = _pair(padding, "padding", minimum=0), _pair(dilation, "dilation")
    Ho, Wo = conv_output_size(H, kh, sh, ph, dh), conv_output_size(W, kw, sw, pw, dw)
    cols = as_float_array(cols, "cols", ndim=2)
    if cols.shape != (C * kh * kw, N * Ho * Wo):
        raise ValueError(f"cols has shape {cols.shape}; for x_shape {tuple(x_shape)} and this geometry "
                         f"it must be {(C * kh * kw, N * Ho * Wo)}")
    cols = cols.reshape(C, kh, kw, N, Ho, Wo)
    xp = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    for u in range(kh):
        for v in range(kw):
            rows = slice(dh * u, dh * u + sh * (Ho - 1) + 1, sh)
            columns = slice(dw * v, dw * v + sw * (Wo - 1) + 1, sw)
            xp[:, :, rows, columns] += cols[:, u, v].transpose(1, 0, 2, 3)
    return xp[:, :, ph:ph + H, pw:pw + W]


def _check_kernel(x: np.ndarray, w: Any, b: Any) -> tuple[np.ndarray, np.ndarray | None]:
    w = as_float_array(w, "w", ndim=4)
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"x has {x.shape[1]} channels but the kernels expect {w.shape[1]} "
                         f"(w has shape {w.shape} = (C_out, C_in, k_h, k_w))")
    if b is not None:
        b = as_float_array(b, "b", ndim=1)
        if b.shape[0] != w.shape[0]:
            raise ValueError(f"b has {b.shape[0]} entries but there are {w.shape[0]} output channels")
    return w, b


def conv2d(x: Any, w: Any, b: Any = None, *, stride: Any = 1, padding: Any = 0, dilation: Any = 1) -> np.ndarray:
    """2-D convolution (cross-correlation) of a batch, as one matrix product on :func:`im2col`.

    Parameters
    ----------
    x : array of shape (N, C_in, H, W)
    w : array of shape (C_out, C_in, k_h, k_w)
    b : array of shape (C_out,), optional
    stride, padding, dilation : int or pair of ints

    Returns
    -------
    array of shape (N, C_out, H_out, W_out)
        Equal to ``torch.nn.functional.conv2d`` with the same arguments.
    """
    x = _check_images(x)
    w, b = _check_kernel(x, w, b)
    N, _, H, W = x.shape
    C_out, _, kh, kw = w.shape
    (sh, sw), (ph, pw) = _pair(stride, "stride"), _pair(padding, "padding", minimum=0)
    dh, dw = _pair(dilation, "dilation")
    Ho, Wo = conv_output_size(H, kh, sh, ph, dh), conv_output_size(W, kw, sw, pw, dw)
    # region: conv2d
    cols = im2col(x, (kh, kw), stride=stride, padding=padding, dilation=dilation)  # (C_in·kh·kw, N·Ho·Wo)
    out = w.reshape(C_out, -1) @ cols                                             # (C_out, N·Ho·Wo)
    out = out.reshape(C_out, N, Ho, Wo).transpose(1, 0, 2, 3)                      # (N, C_out, Ho, Wo)
    if b is not None:
        out = out + b[None, :, None, None]
    return np.ascontiguousarray(out)
    # endregion


def conv2d_loops(x: Any, w: Any, b: Any = None, *, stride: int = 1, padding: int = 0) -> np.ndarray:
    """The definition of :func:`conv2d` written as loops: slow, and the reference the fast path is checked by.

    Same arguments and result as :func:`conv2d` (square stride and padding, no dilation).
    """
    x = _check_images(x)
    w, b = _check_kernel(x, w, b)
    (s, _), (p, _) = _pair(stride, "stride"), _pair(padding, "padding", minimum=0)
    N, C, H, W = x.shape
    C_out, _, kh, kw = w.shape
    Ho, Wo = conv_output_size(H, kh, s, p), conv_output_size(W, kw, s, p)
    # region: loops
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    out = np.zeros((N, C_out, Ho, Wo))
    for n in range(N):
        for o in range(C_out):
            for i in range(Ho):
                for j in range(Wo):
                    patch = xp[n, :, s * i:s * i + kh, s * j:s * j + kw]  # (C, kh, kw): all input channels
                    out[n, o, i, j] = np.sum(patch * w[o])
    # endregion
    if b is not None:
        out += b[None, :, None, None]
    return out


class Conv2d(Layer):
    """Convolutional layer on batches of shape (N, C_in, H, W), with a hand-written backward pass.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size : int or pair of ints
    stride, padding, dilation : int or pair of ints, default 1, 0, 1
    init : str, float or callable, default "torch"
        As :class:`~mlbook.nn.Linear`, with ``fan_in = C_in·k_h·k_w`` and ``fan_out = C_out·k_h·k_w``
        (PyTorch's convention): ``"torch"`` draws ``U(−1/√fan_in, 1/√fan_in)``; ``"he_normal"``
        and the other named schemes, a float std, or ``f(fan_in, fan_out, random_state=rng)``
        returning ``fan_in × C_out`` weights. The bias starts at zero.
    random_state : int, Generator or None

    Attributes
    ----------
    params : ``{"W": (C_out, C_in, k_h, k_w), "b": (C_out,)}``, as torch stores them.

    Notes
    -----
    Write ``X = im2col(x)`` (shape ``(C_in k_h k_w, N H_out W_out)``), ``W̃`` for ``W`` reshaped to
    ``(C_out, C_in k_h k_w)`` and ``G`` for ``∂L/∂y`` arranged as ``(C_out, N H_out W_out)``. The layer
    is ``Y = W̃ X + b``, a linear layer applied to every patch, so

    .. math:: \\partial L/\\partial \\tilde W = G X^\\top, \\quad \\partial L/\\partial b_o = \\sum G_{o,\\cdot},
              \\quad \\partial L/\\partial x = \\operatorname{col2im}(\\tilde W^\\top G).

    For stride 1 the last one equals a "full" convolution of ``∂L/∂y`` (padded by ``k − 1 − p``) with
    the kernel flipped in both spatial axes and its channel axes swapped (chapter 9, section 3).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, *, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, init: Any = "torch", random_state: Any = None):
        super().__init__()
        check_positive(in_channels, "in_channels", integer=True)
        check_positive(out_channels, "out_channels", integer=True)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.padding = _pair(padding, "padding", minimum=0)
        self.dilation = _pair(dilation, "dilation")
        kh, kw = self.kernel_size
        fan_in, fan_out = in_channels * kh * kw, out_channels * kh * kw
        rng = _init.as_generator(random_state)
        if callable(init):
            W = np.asarray(init(fan_in, fan_out, random_state=rng), dtype=float)
            if W.shape != (fan_in, out_channels):
                raise ValueError(f"init returned shape {W.shape}, expected (fan_in, C_out) = {(fan_in, out_channels)}")
            W = W.T.reshape(out_channels, in_channels, kh, kw)
        elif isinstance(init, str):
            if init == "torch":
                a = 1.0 / np.sqrt(fan_in)
                W = rng.uniform(-a, a, size=(out_channels, in_channels, kh, kw))
            elif init in _INITS:
                std = (_init.he_std(fan_in) if init.startswith("he") else _init.xavier_std(fan_in, fan_out))
                W = _init.draw_weights(fan_in, out_channels, std, uniform=init.endswith("uniform"),
                                       random_state=rng).T.reshape(out_channels, in_channels, kh, kw)
            else:
                raise ValueError(f"unknown init {init!r}; use one of {['torch', *_INITS]}, a float std or a callable")
        elif isinstance(init, (int, float)) and not isinstance(init, bool):
            W = _init.draw_weights(fan_in, out_channels, float(init),
                                   random_state=rng).T.reshape(out_channels, in_channels, kh, kw)
        else:
            raise TypeError(f"init must be a string, a float std or a callable, got {type(init).__name__}")
        self.params = {"W": W, "b": np.zeros(out_channels)}

    def _geometry(self) -> dict[str, tuple[int, int]]:
        return {"stride": self.stride, "padding": self.padding, "dilation": self.dilation}

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = _check_images(x)
        W = self.params["W"]
        if x.shape[1] != W.shape[1]:
            raise ValueError(f"x has {x.shape[1]} channels, but this Conv2d layer expects {W.shape[1]}")
        # region: forward
        N, _, H, Wd = x.shape
        C_out = W.shape[0]
        Ho = conv_output_size(H, self.kernel_size[0], self.stride[0], self.padding[0], self.dilation[0])
        Wo = conv_output_size(Wd, self.kernel_size[1], self.stride[1], self.padding[1], self.dilation[1])
        cols = im2col(x, self.kernel_size, **self._geometry())
        out = (W.reshape(C_out, -1) @ cols).reshape(C_out, N, Ho, Wo).transpose(1, 0, 2, 3)
        # endregion
        self.cache = {"cols": cols, "x_shape": np.array(x.shape)} if training else {}
        return np.ascontiguousarray(out + self.params["b"][None, :, None, None])

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        W, cols = self.params["W"], self.cache["cols"]
        x_shape = tuple(int(v) for v in self.cache["x_shape"])
        C_out = W.shape[0]
        grad_out = np.asarray(grad_out, dtype=float)
        expected = (x_shape[0], C_out, cols.shape[1] // x_shape[0])
        if grad_out.ndim != 4 or grad_out.shape[:2] != expected[:2] or grad_out[0, 0].size != expected[2]:
            raise ValueError(f"grad_out has shape {grad_out.shape}, which does not match this layer's output")
        # region: backward
        G = grad_out.transpose(1, 0, 2, 3).reshape(C_out, -1)      # (C_out, N·Ho·Wo)
        self.grads = {"W": (G @ cols.T).reshape(W.shape),           # every patch contributes to every kernel
                      "b": grad_out.sum(axis=(0, 2, 3))}
        dcols = W.reshape(C_out, -1).T @ G                          # (C_in·kh·kw, N·Ho·Wo)
        return col2im(dcols, x_shape, self.kernel_size, **self._geometry())
        # endregion

    def cached_floats(self) -> int:
        return int(self.cache["cols"].size) if self.cache else 0

    def __repr__(self) -> str:
        C_out, C_in = self.params["W"].shape[:2]
        return (f"Conv2d({C_in}, {C_out}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}, dilation={self.dilation})")


class _Pool2d(Layer):
    """Shared code of the pooling layers: windows are read with :func:`im2col`, channel by channel."""

    def __init__(self, kernel_size: Any, stride: Any = None):
        super().__init__()
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride")

    def _windows(self, x: np.ndarray) -> tuple[np.ndarray, tuple[int, ...]]:
        N, C, H, W = x.shape
        Ho = conv_output_size(H, self.kernel_size[0], self.stride[0])
        Wo = conv_output_size(W, self.kernel_size[1], self.stride[1])
        # each channel pooled on its own: treat the N·C maps as a batch of one-channel images
        cols = im2col(x.reshape(N * C, 1, H, W), self.kernel_size, stride=self.stride)  # (kh·kw, N·C·Ho·Wo)
        return cols, (N, C, Ho, Wo)

    def _unwindow(self, dcols: np.ndarray) -> np.ndarray:
        N, C, H, W = (int(v) for v in self.cache["x_shape"])
        return col2im(dcols, (N * C, 1, H, W), self.kernel_size, stride=self.stride).reshape(N, C, H, W)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class MaxPool2d(_Pool2d):
    """Max pooling: the largest value of each ``k_h × k_w`` window of each channel.

    ``stride`` defaults to ``kernel_size`` (non-overlapping windows), as in torch. The backward pass
    sends each output's gradient to the input that was the maximum of its window (the first one
    on a tie) and zero to the others: ``∂ max(a)/∂a_i = 1[i = argmax a]``.
    """

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = _check_images(x)
        cols, (N, C, Ho, Wo) = self._windows(x)
        idx = cols.argmax(axis=0)
        out = cols[idx, np.arange(cols.shape[1])]
        self.cache = {"argmax": idx, "x_shape": np.array(x.shape)} if training else {}
        return out.reshape(N, C, Ho, Wo)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        idx = self.cache["argmax"]
        g = np.asarray(grad_out, dtype=float).ravel()
        if g.size != idx.size:
            raise ValueError(f"grad_out has {g.size} entries, but this layer produced {idx.size}")
        dcols = np.zeros((self.kernel_size[0] * self.kernel_size[1], idx.size))
        dcols[idx, np.arange(idx.size)] = g
        return self._unwindow(dcols)


class AvgPool2d(_Pool2d):
    """Average pooling: the mean of each ``k_h × k_w`` window of each channel.

    The backward pass spreads each output's gradient equally, ``1/(k_h k_w)`` to every input of
    its window (inputs shared by overlapping windows receive the sum).
    """

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = _check_images(x)
        cols, (N, C, Ho, Wo) = self._windows(x)
        self.cache = {"x_shape": np.array(x.shape)} if training else {}
        return cols.mean(axis=0).reshape(N, C, Ho, Wo)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        k = self.kernel_size[0] * self.kernel_size[1]
        g = np.asarray(grad_out, dtype=float).ravel()
        N, C, H, W = (int(v) for v in self.cache["x_shape"])
        Ho = conv_output_size(H, self.kernel_size[0], self.stride[0])
        Wo = conv_output_size(W, self.kernel_size[1], self.stride[1])
        if g.size != N * C * Ho * Wo:
            raise ValueError(f"grad_out has {g.size} entries, but this layer produced {N * C * Ho * Wo}")
        return self._unwindow(np.broadcast_to(g / k, (k, g.size)))


class Flatten(Layer):
    """Reshape ``(N, C, H, W)`` (or any ``(N, ...)``) to ``(N, C·H·W)``, in torch's order."""

    def forward(self, x: Any, *, training: bool | None = None) -> np.ndarray:
        training = self._mode(training)
        x = as_float_array(x, "x")
        if x.ndim < 2:
            raise ValueError(f"x must have a batch axis and at least one more, got shape {x.shape}")
        self.cache = {"x_shape": np.array(x.shape)} if training else {}
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        self._need_cache()
        return np.asarray(grad_out, dtype=float).reshape(tuple(int(v) for v in self.cache["x_shape"]))

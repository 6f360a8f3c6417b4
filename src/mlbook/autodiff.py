"""A small reverse-mode automatic differentiation engine on scalars.

Each :class:`Value` holds a number (``.data``), the derivative of the final output with
respect to it (``.grad``), the values it was computed from and a closure that applies the
chain rule one step backwards. Every operation computes its forward value and defines its
local derivative right beside it; ``backward()`` visits the graph in reverse topological
order. The derivation is in Chapter 1, "The chain rule and automatic differentiation".
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Union

import numpy as np

Number = Union[int, float]


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


class Value:
    """A scalar that remembers how it was computed, so that its gradient can be back-propagated.

    Parameters
    ----------
    data : int or float
        The (finite) number this node holds.

    Attributes
    ----------
    data : float
        The forward value.
    grad : float
        d(output)/d(this value) after ``output.backward()``; starts at 0.
    inputs : tuple of Value
        The nodes this value was computed from (empty for a leaf); read-only.
    op : str
        The operation that produced it (``"+"``, ``"*"``, ``"tanh"``, ...; ``""`` for a leaf); read-only.

    Notes
    -----
    For a node :math:`v` and its consumers :math:`c` (the nodes computed from it), the chain rule gives

    .. math:: \\bar v = \\sum_{c} \\bar c \\, \\frac{\\partial c}{\\partial v},

    where :math:`\\bar v = \\partial L / \\partial v`. Each operation stores the local derivatives
    :math:`\\partial c / \\partial v` in its ``_backward`` closure. Like PyTorch, the gradients of
    leaves accumulate across ``backward()`` calls; reset them with ``zero_grad()``.

    Examples
    --------
    >>> x, w, b = Value(1.0), Value(2.0), Value(3.0)
    >>> y = w * x + b
    >>> y.backward()
    >>> x.grad, w.grad, b.grad
    (2.0, 1.0, 1.0)
    """

    __array_ufunc__ = None  # numpy scalars defer to Value's reflected operators

    def __init__(self, data: Number, *, _inputs: tuple["Value", ...] = (), _op: str = "") -> None:
        if isinstance(data, Value):
            raise TypeError("Value(data) needs a number, got a Value; use the Value itself")
        if not _is_number(data):
            raise TypeError(f"Value holds a real number (int or float), got {type(data).__name__}: {data!r}")
        data = float(data)
        if not math.isfinite(data):
            raise ValueError(f"Value must be finite, got {data}")
        self.data = data
        self.grad = 0.0
        self._backward: Callable[[], None] = lambda: None
        self._prev = tuple(_inputs)  # keyword-only: Value(1.0, (a, b)) is refused
        self._op = _op

    @property
    def inputs(self) -> tuple["Value", ...]:
        """The nodes this value was computed from (empty for a leaf)."""
        return self._prev

    @property
    def op(self) -> str:
        """The operation that produced this value (``""`` for a leaf)."""
        return self._op

    # ----------------------------------------------------------------- helpers
    @staticmethod
    def _lift(other: Any, op: str) -> "Value":
        if isinstance(other, Value):
            return other
        if _is_number(other):
            return Value(other)
        raise TypeError(f"unsupported operand for {op}: Value and {type(other).__name__}; "
                        "use a Value or a real number")

    def __repr__(self) -> str:
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # -------------------------------------------------------------- primitives
    def __add__(self, other: Any) -> "Value":
        other = self._lift(other, "+")
        out = Value(self.data + other.data, _inputs=(self, other), _op="+")

        def _backward() -> None:  # d(a+b)/da = 1, d(a+b)/db = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other: Any) -> "Value":
        other = self._lift(other, "*")
        out = Value(self.data * other.data, _inputs=(self, other), _op="*")

        def _backward() -> None:  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent: Any) -> "Value":
        if isinstance(exponent, Value) or not _is_number(exponent):
            raise TypeError(f"Value ** k needs a real-number exponent k, got {type(exponent).__name__}; "
                            "for a variable exponent write (k * x.log()).exp()")
        k = float(exponent)
        if self.data == 0.0 and k < 0:
            raise ZeroDivisionError(f"0 ** {k:g} is undefined (division by zero)")
        if self.data < 0 and not k.is_integer():
            raise ValueError(f"({self.data:g}) ** {k:g} is not a real number (negative base, fractional exponent)")
        out = Value(self.data ** k, _inputs=(self,), _op=f"**{k:g}")

        def _backward() -> None:  # d(a^k)/da = k a^(k-1)
            if k == 0.0:  # a^0 = 1 is constant
                return
            if self.data == 0.0 and k < 1:
                raise ZeroDivisionError(f"the derivative of x ** {k:g} at x = 0 is infinite")
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def exp(self) -> "Value":
        """e ** self."""
        try:
            value = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data:g}) overflows a float") from None
        out = Value(value, _inputs=(self,), _op="exp")

        def _backward() -> None:  # d(e^a)/da = e^a
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self) -> "Value":
        """Natural logarithm; refuses non-positive input."""
        if self.data <= 0:
            raise ValueError(f"log is defined only for positive numbers, got {self.data:g}")
        out = Value(math.log(self.data), _inputs=(self,), _op="log")

        def _backward() -> None:  # d(ln a)/da = 1/a
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def tanh(self) -> "Value":
        """Hyperbolic tangent."""
        t = math.tanh(self.data)
        out = Value(t, _inputs=(self,), _op="tanh")

        def _backward() -> None:  # d(tanh a)/da = 1 - tanh(a)^2
            self.grad += (1.0 - t * t) * out.grad
        out._backward = _backward
        return out

    def relu(self) -> "Value":
        """max(0, self); its derivative at 0 is taken as 0 (as in PyTorch)."""
        out = Value(self.data if self.data > 0 else 0.0, _inputs=(self,), _op="relu")

        def _backward() -> None:  # d(relu a)/da = 1 if a > 0 else 0
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self) -> "Value":
        """Logistic sigmoid 1 / (1 + e^(-self)), computed without overflow."""
        a = self.data
        s = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
        out = Value(s, _inputs=(self,), _op="sigmoid")

        def _backward() -> None:  # d(sigma a)/da = sigma (1 - sigma)
            self.grad += s * (1.0 - s) * out.grad
        out._backward = _backward
        return out

    # ------------------------------------------- derived from the primitives
    def __neg__(self) -> "Value":
        return self * -1

    def __sub__(self, other: Any) -> "Value":
        return self + (-self._lift(other, "-"))

    def __truediv__(self, other: Any) -> "Value":
        return self * self._lift(other, "/") ** -1

    def __radd__(self, other: Any) -> "Value":
        return self + other

    def __rmul__(self, other: Any) -> "Value":
        return self * other

    def __rsub__(self, other: Any) -> "Value":
        return self._lift(other, "-") + (-self)

    def __rtruediv__(self, other: Any) -> "Value":
        return self._lift(other, "/") * self ** -1

    # ----------------------------------------------------------- backward pass
    def zero_grad(self) -> None:
        """Set this node's gradient to 0 (call it on the leaves between backward passes)."""
        self.grad = 0.0

    def backward(self) -> None:
        """Back-propagate d(self)/d(node) to every node of the graph that produced ``self``.

        The nodes are visited in reverse topological order, so each node's gradient is complete
        (summed over all its uses) before it is passed on. Intermediate gradients are recomputed
        from zero on every call; the leaves' gradients accumulate, as in PyTorch.
        """
        order = topological_order(self)
        for node in order:
            if node.inputs:  # intermediate results start from zero on every pass
                node.grad = 0.0
        self.grad += 1.0  # d(self)/d(self)
        for node in reversed(order):
            node._backward()


def topological_order(root: Value) -> list[Value]:
    """The nodes of the graph below ``root``, each after all the nodes it was computed from.

    Parameters
    ----------
    root : Value

    Returns
    -------
    list of Value
        Leaves first, ``root`` last; every node appears once even when it is used many times.
    """
    if not isinstance(root, Value):
        raise TypeError(f"topological_order needs a Value, got {type(root).__name__}")
    order: list[Value] = []
    visited: set[int] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:  # iterative depth-first search: deep graphs do not hit the recursion limit
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for inp in node.inputs:
            if id(inp) not in visited:
                stack.append((inp, False))
    return order

"""mlbook.autodiff.Value against torch.autograd in float64."""
import math

import numpy as np
import pytest
import torch

from mlbook.autodiff import Value, topological_order

UNARY = ["exp", "log", "tanh", "relu", "sigmoid", "neg", "square", "sqrt", "inv"]
BINARY = ["add", "sub", "mul", "div", "radd", "rsub", "rmul", "rdiv"]


def _unary(op, a, lib):
    if op == "exp":
        return (a * 0.3).exp() if lib == "v" else torch.exp(a * 0.3)
    if op == "log":  # log of a positive argument
        return (a * a + 1).log() if lib == "v" else torch.log(a * a + 1)
    if op == "tanh":
        return a.tanh() if lib == "v" else torch.tanh(a)
    if op == "relu":
        return a.relu() if lib == "v" else torch.relu(a)
    if op == "sigmoid":
        return a.sigmoid() if lib == "v" else torch.sigmoid(a)
    if op == "neg":
        return -a
    if op == "square":
        return a ** 2
    if op == "sqrt":
        return (a * a + 0.5) ** 0.5
    return 1 / (a * a + 1)  # inv


def _binary(op, a, b):
    return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
            "div": lambda: a / (b * b + 1), "radd": lambda: 2.5 + a, "rsub": lambda: 1.5 - b,
            "rmul": lambda: -0.7 * a, "rdiv": lambda: 3.0 / (a * a + 2)}[op]()


def _random_program(rng, n_inputs, n_ops):
    """A random program: each step applies a unary or binary op to earlier results (reused often)."""
    prog = []
    for k in range(n_ops):
        n_avail = n_inputs + k
        if rng.random() < 0.5:
            prog.append(("u", str(rng.choice(UNARY)), int(rng.integers(n_avail)), None))
        else:
            prog.append(("b", str(rng.choice(BINARY)), int(rng.integers(n_avail)), int(rng.integers(n_avail))))
    return prog


def _run(prog, inputs, lib):
    vals = list(inputs)
    for kind, op, i, j in prog:
        vals.append(_unary(op, vals[i], lib) if kind == "u" else _binary(op, vals[i], vals[j]))
    out = vals[len(inputs)]
    for v in vals[len(inputs) + 1:]:  # the output uses every intermediate
        out = out + v * 0.1
    return out


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("n_ops", [3, 15])
def test_random_expressions_match_torch(seed, n_ops):
    rng = np.random.default_rng(seed)
    n_inputs = 3
    xs = rng.normal(size=n_inputs)
    prog = _random_program(rng, n_inputs, n_ops)
    vs = [Value(x) for x in xs]
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out_v, out_t = _run(prog, vs, "v"), _run(prog, ts, "t")
    out_v.backward()
    out_t.backward()
    np.testing.assert_allclose(out_v.data, out_t.item(), rtol=1e-12, atol=1e-12)
    for v, t in zip(vs, ts):  # an input the program never used has no torch gradient: 0
        expected = 0.0 if t.grad is None else t.grad.item()
        np.testing.assert_allclose(v.grad, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("op", UNARY)
@pytest.mark.parametrize("x", [-1.3, 0.4, 2.0])
def test_each_unary_op(op, x):
    v, t = Value(x), torch.tensor(x, dtype=torch.float64, requires_grad=True)
    yv, yt = _unary(op, v, "v"), _unary(op, t, "t")
    yv.backward()
    yt.backward()
    np.testing.assert_allclose(yv.data, yt.item(), rtol=1e-13)
    np.testing.assert_allclose(v.grad, t.grad.item(), rtol=1e-12, atol=1e-15)


def test_shared_subexpression_sums_all_paths():
    a = Value(1.5)
    b = a * a          # used three times below
    c = b + b * a + b.tanh()
    c.backward()
    ta = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    tb = ta * ta
    tc = tb + tb * ta + torch.tanh(tb)
    tc.backward()
    np.testing.assert_allclose(a.grad, ta.grad.item(), rtol=1e-13)
    # each node appears once in the order, inputs first, output last
    order = topological_order(c)
    assert len(order) == len({id(n) for n in order})
    assert order[-1] is c and order.index(a) < order.index(b)


def test_linear_example_from_text():
    x, w, b = Value(1.0), Value(2.0), Value(3.0)
    y = w * x + b
    y.backward()
    assert (y.data, x.grad, w.grad, b.grad) == (5.0, 2.0, 1.0, 1.0)


def test_leaf_gradients_accumulate_like_torch():
    x = Value(1.0)
    (x * 1).backward()
    assert x.grad == 1.0
    (x ** 2).backward()
    assert x.grad == 3.0
    # backward twice on the same graph: leaves accumulate, intermediates are recomputed
    w = Value(2.0)
    y = (w * w + 1).tanh()
    y.backward()
    g1 = w.grad
    y.backward()
    np.testing.assert_allclose(w.grad, 2 * g1, rtol=1e-14)
    w.zero_grad()
    assert w.grad == 0.0


def test_deep_chain_no_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    np.testing.assert_allclose(x.grad, 1.0001 ** 5000, rtol=1e-10)


def test_numpy_scalars_work_on_either_side():
    x = Value(2.0)
    y = np.float64(3.0) * x + np.int64(1)
    y.backward()
    assert isinstance(y, Value) and y.data == 7.0 and x.grad == 3.0


def test_power_edge_cases():
    x = Value(0.0)
    (x ** 0).backward()
    assert x.grad == 0.0
    y = Value(0.0)
    (y ** 2).backward()
    assert y.grad == 0.0
    z = Value(0.0) ** 0.5
    assert z.data == 0.0
    with pytest.raises(ZeroDivisionError, match="infinite"):
        z.backward()
    n = Value(-2.0)
    (n ** 3).backward()
    assert n.grad == 12.0


def test_sigmoid_is_stable_for_large_inputs():
    for a in (-800.0, 800.0):
        v = Value(a)
        s = v.sigmoid()
        s.backward()
        assert 0.0 <= s.data <= 1.0 and v.grad == 0.0


@pytest.mark.parametrize("bad", [0.0, -2.0])
def test_log_refuses_non_positive(bad):
    with pytest.raises(ValueError, match="positive"):
        Value(bad).log()


def test_bad_inputs_refused():
    with pytest.raises(TypeError, match="real number"):
        Value("3")
    with pytest.raises(TypeError):
        Value(True)
    with pytest.raises(ValueError, match="finite"):
        Value(math.nan)
    with pytest.raises(TypeError, match="exponent"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError, match="unsupported operand"):
        Value(1.0) + "a"
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / Value(0.0)
    with pytest.raises(ValueError, match="not a real number"):
        Value(-1.0) ** 0.5
    with pytest.raises(OverflowError):
        Value(1000.0).exp()
    with pytest.raises(TypeError):
        topological_order(3.0)


def test_inputs_and_op_are_public_and_read_only():
    x, w, b = Value(1.0), Value(2.0), Value(3.0)
    u = w * x
    y = u + b
    assert y.inputs == (u, b) and y.op == "+"
    assert u.inputs == (w, x) and u.op == "*"
    assert x.inputs == () and x.op == ""
    assert y.tanh().op == "tanh"
    with pytest.raises(AttributeError):
        y.op = "-"
    with pytest.raises(AttributeError):
        y.inputs = ()
    # every node comes after all the nodes it was computed from
    order = topological_order(y)
    position = {id(v): i for i, v in enumerate(order)}
    assert all(position[id(inp)] < position[id(v)] for v in order for inp in v.inputs)
    assert order[-1] is y and len(order) == 5


def test_inputs_are_keyword_only():
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(TypeError):
        Value(1.0, (a, b))                   # would silently build a node without a backward rule
    c = a * b
    assert c.inputs == (a, b) and c.op == "*"

"""mlbook.calculus against analytic derivatives and torch.autograd."""
import numpy as np
import pytest
import torch

from mlbook.calculus import default_step, hessian, numerical_derivative, numerical_gradient, numerical_jacobian

FUNCS = [  # f, f'
    (np.sin, np.cos),
    (np.exp, np.exp),
    (lambda x: x ** 3 - 2 * x, lambda x: 3 * x ** 2 - 2),
    (lambda x: np.log1p(x ** 2), lambda x: 2 * x / (1 + x ** 2)),
]


@pytest.mark.parametrize("f, df", FUNCS)
@pytest.mark.parametrize("method, rtol", [("central", 1e-9), ("forward", 1e-6), ("backward", 1e-6)])
@pytest.mark.parametrize("x", [-1.7, 0.3, 2.5])
def test_derivative_matches_analytic(f, df, method, rtol, x):
    np.testing.assert_allclose(numerical_derivative(f, x, method=method), df(x), rtol=rtol, atol=rtol)


def test_derivative_vectorised_over_points():
    x = np.linspace(-2, 2, 7)
    np.testing.assert_allclose(numerical_derivative(np.tanh, x), 1 - np.tanh(x) ** 2, atol=1e-10)


@pytest.mark.parametrize("method, order", [("forward", 1), ("backward", 1), ("central", 2)])
def test_truncation_error_order(method, order):
    # halving h divides the error by 2**order while truncation dominates
    x = 0.7
    errs = [abs(numerical_derivative(np.sin, x, h=h, method=method) - np.cos(x)) for h in (1e-2, 5e-3)]
    np.testing.assert_allclose(errs[0] / errs[1], 2.0 ** order, rtol=0.05)


def test_default_steps():
    assert default_step("central") == pytest.approx(np.finfo(float).eps ** (1 / 3))
    assert default_step("forward", 100.0) == pytest.approx(100 * np.finfo(float).eps ** 0.5)


def _torch_quartic(t):
    return (t[0] ** 2 * t[1] + torch.sin(t[1] * t[2]) + torch.exp(0.3 * t[0]) * t[2] ** 2
            + 0.25 * (t ** 4).sum())


def _np_quartic(x):
    return (x[0] ** 2 * x[1] + np.sin(x[1] * x[2]) + np.exp(0.3 * x[0]) * x[2] ** 2 + 0.25 * (x ** 4).sum())


@pytest.mark.parametrize("seed", range(4))
def test_gradient_and_hessian_match_torch(seed):
    x = np.random.default_rng(seed).normal(size=3)
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    g_t = torch.autograd.grad(_torch_quartic(t), t)[0].numpy()
    H_t = torch.autograd.functional.hessian(_torch_quartic, torch.tensor(x)).numpy()
    np.testing.assert_allclose(numerical_gradient(_np_quartic, x), g_t, rtol=1e-8, atol=1e-8)
    H = hessian(_np_quartic, x)
    np.testing.assert_allclose(H, H_t, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(H, H.T)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_quadratic_form_identities(n):
    rng = np.random.default_rng(n)
    A, x = rng.normal(size=(n, n)), rng.normal(size=n)
    np.testing.assert_allclose(numerical_gradient(lambda v: v @ A @ v, x), (A + A.T) @ x, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(hessian(lambda v: v @ A @ v, x), A + A.T, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("m, n", [(1, 3), (4, 2), (3, 3)])
def test_jacobian_of_linear_map_is_matrix(m, n):
    A = np.random.default_rng(m * 10 + n).normal(size=(m, n))
    x = np.arange(n, dtype=float)
    np.testing.assert_allclose(numerical_jacobian(lambda v: A @ v, x), A, rtol=1e-9, atol=1e-10)


def test_jacobian_matches_torch():
    def f_np(v):
        return np.array([v[0] * v[1], np.sin(v[0]) + v[1] ** 2, np.exp(v[1])])

    def f_t(v):
        return torch.stack([v[0] * v[1], torch.sin(v[0]) + v[1] ** 2, torch.exp(v[1])])

    x = np.array([0.4, -1.1])
    J_t = torch.autograd.functional.jacobian(f_t, torch.tensor(x)).numpy()
    np.testing.assert_allclose(numerical_jacobian(f_np, x), J_t, rtol=1e-9, atol=1e-10)


def test_gradient_keeps_shape_of_matrix_input():
    W = np.arange(6.0).reshape(2, 3) / 5
    g = numerical_gradient(lambda M: np.sum(M ** 2), W)
    assert g.shape == (2, 3)
    np.testing.assert_allclose(g, 2 * W, atol=1e-9)


def test_bad_inputs_refused():
    with pytest.raises(ValueError, match="method"):
        numerical_derivative(np.sin, 1.0, method="centre")
    with pytest.raises(ValueError, match="> 0"):
        numerical_derivative(np.sin, 1.0, h=0.0)
    with pytest.raises(TypeError, match="callable"):
        numerical_derivative(3.0, 1.0)
    with pytest.raises(ValueError, match="NaN"):
        numerical_gradient(np.sum, [1.0, np.nan])
    with pytest.raises(ValueError, match="scalar"):
        numerical_gradient(lambda v: v * 2, [1.0, 2.0])
    with pytest.raises(ValueError, match="scalar"):
        hessian(lambda v: v * 2, [1.0, 2.0])
    with pytest.raises(ValueError, match="scalar"):
        hessian(lambda v: v, np.ones((2, 2)))
    with pytest.raises(ValueError, match="one number per point"):
        numerical_derivative(lambda x: np.array([x, x]), 1.0)
    with pytest.raises(TypeError, match="numeric"):
        numerical_gradient(np.sum, ["a", "b"])


def test_default_step_is_exactly_representable():
    for method in ("central", "forward"):
        for x in (0.1, 1.0 / 3.0, 7.3, -123.456, 1e6):
            h = default_step(method, x)
            assert (x + h) - x == h
    xs = np.array([0.1, 2.0 / 3.0, 1e3])
    hs = default_step("central", xs)
    np.testing.assert_array_equal((xs + hs) - xs, hs)


def test_jacobian_and_hessian_accept_matrices_like_the_gradient():
    A = np.array([[1.0, -2.0], [0.5, 3.0]])
    J = numerical_jacobian(lambda X: (X ** 2).sum(axis=0), A)        # 2 outputs, 4 inputs (C order)
    expected = np.array([[2 * A[0, 0], 0, 2 * A[1, 0], 0], [0, 2 * A[0, 1], 0, 2 * A[1, 1]]])
    np.testing.assert_allclose(J, expected, atol=1e-8)
    H = hessian(lambda X: float((X ** 2).sum() + X[0, 1] * X[1, 0]), A)
    expected_H = 2 * np.eye(4)
    expected_H[1, 2] = expected_H[2, 1] = 1.0
    np.testing.assert_allclose(H, expected_H, atol=1e-5)


def test_hessian_uses_one_step_per_coordinate():
    # coordinates of very different sizes: one global step would be far too large for the small one
    f = lambda v: np.sin(v[0] / 1e6) + np.exp(v[1])                   # noqa: E731
    x = np.array([1e6, 0.5])
    H = hessian(f, x)
    np.testing.assert_allclose(H[1, 1], np.exp(0.5), rtol=1e-5)

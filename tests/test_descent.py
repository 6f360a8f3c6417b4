"""mlbook.optim.gradient_descent and newton: closed forms on quadratics, Rosenbrock, bad input."""
import numpy as np
import pytest
from scipy.optimize import minimize, rosen, rosen_der, rosen_hess

from mlbook.optim import gradient_descent, newton


def _quadratic(seed, dim, cond):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    lam = np.geomspace(1.0, cond, dim)
    return Q @ np.diag(lam) @ Q.T, lam


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("dim", [1, 2, 5])
def test_gd_on_quadratic_matches_closed_form(seed, dim):
    A, lam = _quadratic(seed, dim, 10.0)
    b = np.random.default_rng(seed + 100).normal(size=dim)
    x_star = np.linalg.solve(A, b)
    x0 = np.zeros(dim)
    lr, steps = 1.5 / lam.max(), 25
    path = gradient_descent(lambda x: A @ x - b, x0, lr, steps)
    assert path.shape == (steps + 1, dim)
    np.testing.assert_array_equal(path[0], x0)
    M = np.eye(dim) - lr * A  # x_t - x* = (I - lr A)^t (x0 - x*)
    expected = np.array([x_star + np.linalg.matrix_power(M, t) @ (x0 - x_star) for t in range(steps + 1)])
    np.testing.assert_allclose(path, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("factor, converges", [(0.5, True), (1.9, True), (2.1, False), (3.0, False)])
def test_stability_threshold_two_over_lambda_max(factor, converges):
    A, lam = _quadratic(0, 3, 20.0)
    path = gradient_descent(lambda x: A @ x, np.ones(3), factor / lam.max(), 400)
    final = np.linalg.norm(path[-1])
    assert (final < 1e-3) == converges


def test_newton_solves_quadratic_in_one_step():
    A, _ = _quadratic(1, 4, 1e4)
    b = np.arange(4.0)
    path = newton(lambda x: A @ x - b, lambda x: A, np.ones(4), 3)
    assert path.shape == (4, 4)
    np.testing.assert_allclose(path[1], np.linalg.solve(A, b), rtol=1e-9)
    np.testing.assert_allclose(path[1:], np.tile(path[1], (3, 1)), rtol=1e-9)


def test_newton_on_rosenbrock_matches_scipy():
    x0 = np.array([-1.2, 1.0])
    path = newton(rosen_der, rosen_hess, x0, 8)
    ref = minimize(rosen, x0, jac=rosen_der, hess=rosen_hess, method="Newton-CG", tol=1e-12).x
    np.testing.assert_allclose(path[-1], ref, atol=1e-8)
    np.testing.assert_allclose(path[-1], [1.0, 1.0], atol=1e-10)


def test_damped_newton_and_scalar_problems():
    # f(x) = x^4 / 4: Newton with lr = 1 multiplies x by 2/3 every step
    path = newton(lambda x: x ** 3, lambda x: 3 * x ** 2, 3.0, 5)
    np.testing.assert_allclose(path[:, 0], 3.0 * (2 / 3) ** np.arange(6), rtol=1e-12)
    half = newton(lambda x: x ** 3, lambda x: 3 * x ** 2, 3.0, 1, lr=0.5)
    np.testing.assert_allclose(half[1, 0], 3.0 - 0.5 * 1.0, rtol=1e-12)
    gd = gradient_descent(lambda x: 2 * x, 1.0, 0.25, 3)
    np.testing.assert_allclose(gd[:, 0], 0.5 ** np.arange(4))


def test_zero_steps_returns_start():
    path = gradient_descent(lambda x: x, [1.0, 2.0], 0.1, 0)
    np.testing.assert_array_equal(path, [[1.0, 2.0]])


def test_divergence_is_reported_not_hidden():
    path = gradient_descent(lambda x: 2 * x, [1.0], 1.5, 2000)
    assert not np.isfinite(path[-1]).all() or abs(path[-1, 0]) > 1e100


def test_bad_inputs_refused():
    g = lambda x: x  # noqa: E731
    with pytest.raises(ValueError, match="> 0"):
        gradient_descent(g, [1.0], 0.0, 3)
    with pytest.raises(ValueError, match="> 0"):
        gradient_descent(g, [1.0], -0.1, 3)
    with pytest.raises(ValueError, match=">= 0"):
        gradient_descent(g, [1.0], 0.1, -1)
    with pytest.raises(TypeError, match="integer"):
        gradient_descent(g, [1.0], 0.1, 2.5)
    with pytest.raises(TypeError, match="callable"):
        gradient_descent(None, [1.0], 0.1, 2)
    with pytest.raises(ValueError, match="shape"):
        gradient_descent(lambda x: np.ones(3), [1.0, 2.0], 0.1, 2)
    with pytest.raises(ValueError, match="x0 must be"):
        gradient_descent(g, np.ones((2, 2)), 0.1, 2)
    with pytest.raises(ValueError, match="shape"):
        newton(g, lambda x: np.eye(3), [1.0, 2.0], 1)
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        newton(g, lambda x: np.zeros((2, 2)), [1.0, 2.0], 1)
    with pytest.raises(ValueError, match="NaN"):
        newton(g, lambda x: np.eye(1), [np.nan], 1)


def test_the_chapter_shows_newtons_loop_through_a_marked_region():
    from mlbook.source import source_text

    shown = source_text(newton, "newton step")
    assert shown.startswith("for t in range(steps):")
    assert "np.linalg.solve(H, g)" in shown and "x = x - lr * step" in shown

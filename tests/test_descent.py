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


def test_damped_newton_descends_where_pure_newton_climbs_to_a_saddle():
    from mlbook.optim import damped_newton
    f = lambda v: v[0] ** 2 - v[1] ** 2 + 0.25 * v[1] ** 4          # noqa: E731  saddle at 0, minima at y = ±√2
    g = lambda v: np.array([2 * v[0], -2 * v[1] + v[1] ** 3])        # noqa: E731
    H = lambda v: np.diag([2.0, -2 + 3 * v[1] ** 2])                 # noqa: E731
    start = [0.5, 0.3]
    pure = newton(g, H, start, 20)
    np.testing.assert_allclose(pure[-1], [0.0, 0.0], atol=1e-10)     # pure Newton converges to the saddle
    path, t = damped_newton(f, g, H, start, 50, tol=1e-20)
    np.testing.assert_allclose(np.abs(path[-1]), [0.0, np.sqrt(2)], atol=1e-8)   # one of the two minima
    fs = [f(p) for p in path]
    assert all(b < a for a, b in zip(fs, fs[1:]))                   # every step decreases f


def test_damped_newton_on_rosenbrock_takes_full_steps_at_the_end():
    from scipy.optimize import rosen, rosen_der, rosen_hess
    from mlbook.optim import damped_newton
    path, t = damped_newton(rosen, rosen_der, rosen_hess, [-1.2, 1.0], 100, tol=1e-24)
    np.testing.assert_allclose(path[-1], [1.0, 1.0], atol=1e-10)
    assert t[-3:].tolist() == [1.0, 1.0, 1.0] and len(t) < 40
    assert (np.diff([rosen(p) for p in path]) < 0).all()


def test_damped_newton_refuses_bad_input():
    from mlbook.optim import damped_newton
    f, g, H = (lambda v: float(v @ v)), (lambda v: 2 * v), (lambda v: 2 * np.eye(2))
    with pytest.raises(ValueError, match="alpha"):
        damped_newton(f, g, H, [1.0, 1.0], 5, alpha=0.7)
    with pytest.raises(ValueError, match="beta"):
        damped_newton(f, g, H, [1.0, 1.0], 5, beta=1.0)
    with pytest.raises(TypeError, match="f must be callable"):
        damped_newton(None, g, H, [1.0, 1.0], 5)
    with pytest.raises(FloatingPointError, match="line search"):
        damped_newton(f, lambda v: -2 * v, H, [1.0, 1.0], 5)       # a gradient that does not match f

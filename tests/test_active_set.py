"""mlbook.optim.kkt_by_active_sets against cvxpy and closed forms."""
from __future__ import annotations

import numpy as np
import pytest

from mlbook.optim import kkt_by_active_sets


def chapter_example():
    # min (x1 - 2)^2 + (x2 - 1)^2  s.t.  x1 + x2 <= 2, x1 >= 0, x2 >= 0  (times 1/2 of the Hessian 2I)
    P, q = 2 * np.eye(2), np.array([-4.0, -2.0])
    A, b = np.array([[1.0, 1.0], [-1.0, 0.0], [0.0, -1.0]]), np.array([2.0, 0.0, 0.0])
    return P, q, A, b


def test_the_only_kkt_point_is_the_hand_solution():
    cases = kkt_by_active_sets(*chapter_example())
    assert len(cases) == 8
    kkt = [c for c in cases if c.is_kkt_point]
    assert len(kkt) == 1 and kkt[0].active == [0]
    np.testing.assert_allclose(kkt[0].x, [1.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(kkt[0].alpha, [1.0, 0.0, 0.0], atol=1e-12)
    assert [c.x is None for c in cases].count(True) == 1          # all three active: singular


@pytest.mark.parametrize("seed", range(4))
def test_agrees_with_cvxpy_on_random_convex_qps(seed):
    cp = pytest.importorskip("cvxpy")
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(3, 3))
    P, q = M @ M.T + np.eye(3), rng.normal(size=3)
    A, b = rng.normal(size=(4, 3)), rng.uniform(0.1, 1.0, size=4)      # x = 0 is strictly feasible
    kkt = [c for c in kkt_by_active_sets(P, q, A, b) if c.is_kkt_point]
    assert len(kkt) == 1
    x = cp.Variable(3)
    con = A @ x <= b
    cp.Problem(cp.Minimize(0.5 * cp.quad_form(x, P) + q @ x), [con]).solve(solver=cp.CLARABEL)
    np.testing.assert_allclose(kkt[0].x, x.value, atol=1e-6)
    np.testing.assert_allclose(kkt[0].alpha, con.dual_value, atol=1e-6)


def test_refuses_bad_shapes_and_too_many_constraints():
    P, q, A, b = chapter_example()
    with pytest.raises(ValueError, match="shapes do not fit"):
        kkt_by_active_sets(P, q, A[:, :1], b)
    with pytest.raises(ValueError, match="symmetric"):
        kkt_by_active_sets(np.array([[1.0, 1.0], [0.0, 1.0]]), q, A, b)
    with pytest.raises(ValueError, match="2\\^21"):
        kkt_by_active_sets(np.eye(1), [0.0], np.ones((21, 1)), np.ones(21))


def test_degenerate_problems_report_one_point_from_several_cases():
    # x1 <= 1 is active with a zero multiplier: two cases report the same minimiser
    cases = kkt_by_active_sets(2 * np.eye(2), np.array([-2.0, 0.0]), np.eye(2), np.array([1.0, 5.0]))
    kkt = [c for c in cases if c.is_kkt_point]
    assert len(kkt) == 2 and all(np.allclose(c.x, [1.0, 0.0]) for c in kkt)
    # three constraints through (1, 1) (LICQ fails): several multiplier vectors, one point
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    cases = kkt_by_active_sets(2 * np.eye(2), np.array([-4.0, -4.0]), A, np.array([1.0, 1.0, 2.0]))
    kkt = [c for c in cases if c.is_kkt_point]
    assert len(kkt) >= 2 and all(np.allclose(c.x, [1.0, 1.0]) for c in kkt)
    assert len({tuple(np.round(c.alpha, 9)) for c in kkt}) >= 2
    assert any(c.singular for c in cases)


def test_indefinite_p_gives_kkt_points_that_are_not_all_minima():
    # min -x^2 on [-1, 1]: three KKT points, x = 0 is the maximum
    cases = kkt_by_active_sets(np.array([[-2.0]]), np.array([0.0]), np.array([[1.0], [-1.0]]), np.array([1.0, 1.0]))
    xs = sorted(float(c.x[0]) for c in cases if c.is_kkt_point)
    assert xs == [-1.0, 0.0, 1.0]

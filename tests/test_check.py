"""mlbook.check: comparisons that assert, with the criterion of numpy.testing.assert_allclose."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from mlbook import check


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("rtol, atol", [(1e-7, 0.0), (1e-3, 1e-9), (0.0, 1e-6)])
def test_close_agrees_with_numpy_testing(seed, rtol, atol):
    rng = np.random.default_rng(seed)
    desired = rng.normal(size=(4, 5))
    for scale in (1e-9, 1e-7, 1e-5, 1e-3, 1e-1):
        actual = desired + scale * rng.normal(size=desired.shape)
        try:
            np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol)
            expected_ok = True
        except AssertionError:
            expected_ok = False
        if expected_ok:
            diff = check.close(actual, desired, rtol=rtol, atol=atol, quiet=True)
            assert diff == pytest.approx(np.abs(actual - desired).max())
        else:
            with pytest.raises(AssertionError, match="not close at index"):
                check.close(actual, desired, rtol=rtol, atol=atol, quiet=True)


def test_close_prints_the_measured_difference(capsys):
    check.close(torch.tensor([1.0, 2.0], dtype=torch.float64), np.array([1.0, 2.0 + 1e-12]), rtol=1e-9,
                what="tensor vs array")
    out = capsys.readouterr().out
    assert out.startswith("tensor vs array: max |Δ| = 1e-12") and "✓" in out


def test_close_accepts_a_scalar_reference_and_matching_infinities():
    check.close(np.zeros(3) + 1e-13, 0.0, atol=1e-12, quiet=True)
    check.close([np.inf, 1.0], [np.inf, 1.0], quiet=True)


@pytest.mark.parametrize("actual, desired, match", [
    ([1.0, 2.0], [1.0, 2.0, 3.0], "shapes differ"),
    ([1.0, np.nan], [1.0, 1.0], "non-finite"),
    ([np.inf], [1.0], "non-finite"),
    ([np.inf], [-np.inf], "non-finite"),
    ([], [], "nothing to compare"),
])
def test_close_refuses_what_is_not_close(actual, desired, match):
    with pytest.raises(AssertionError, match=match):
        check.close(actual, desired, quiet=True)


def test_close_refuses_bad_arguments():
    with pytest.raises(ValueError, match="non-negative"):
        check.close(1.0, 1.0, rtol=-1)
    with pytest.raises(TypeError, match="numeric"):
        check.close(["a"], [1.0])
    with pytest.raises(TypeError, match="real"):
        check.close(np.array([1j]), np.array([1j]))


def test_equal_is_exact(capsys):
    check.equal(np.array([1, 2, 3]), torch.tensor([1, 2, 3]), what="labels")
    assert "labels: identical (shape (3,))" in capsys.readouterr().out
    check.equal([np.nan, 1.0], [np.nan, 1.0], quiet=True)
    with pytest.raises(AssertionError, match=r"1 of 3 elements differ; first at index \(2,\): 3 against 4"):
        check.equal([1, 2, 3], [1, 2, 4])
    with pytest.raises(AssertionError, match="shapes differ"):
        check.equal([1, 2], [[1, 2]])
    with pytest.raises(AssertionError):
        check.equal([1.0], [1.0 + 1e-15])

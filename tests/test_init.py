"""mlbook.init against the variance formulas and torch.nn.init's bounds."""
import math

import numpy as np
import pytest
import torch

from mlbook import init


@pytest.mark.parametrize("fan_in,fan_out", [(200, 300), (500, 100), (64, 64)])
@pytest.mark.parametrize("seed", [0, 1])
def test_empirical_variance_matches_formula(fan_in, fan_out, seed):
    n = fan_in * fan_out
    tol = 4 * math.sqrt(2 / n)  # a few standard errors of a sample variance (relative)
    cases = {
        init.xavier_uniform: 2 / (fan_in + fan_out),
        init.xavier_normal: 2 / (fan_in + fan_out),
        init.he_normal: 2 / fan_in,
        init.he_uniform: 2 / fan_in,
    }
    for f, var in cases.items():
        W = f(fan_in, fan_out, random_state=seed)
        assert W.shape == (fan_in, fan_out)
        assert W.dtype == np.float64
        np.testing.assert_allclose(W.var(), var, rtol=tol)
        np.testing.assert_allclose(W.mean(), 0.0, atol=4 * math.sqrt(var / n))


@pytest.mark.parametrize("fan_in,fan_out", [(30, 70), (256, 10)])
def test_uniform_bounds_equal_torch(fan_in, fan_out):
    # torch stores (fan_out, fan_in); its bound for xavier_uniform_ is gain*sqrt(6/(fi+fo)),
    # for kaiming_uniform_(relu) sqrt(2)*sqrt(3/fan_in)
    t = torch.empty(fan_out, fan_in, dtype=torch.float64)
    for ours, fill, bound in [
        (init.xavier_uniform(fan_in, fan_out, random_state=0), torch.nn.init.xavier_uniform_,
         math.sqrt(6 / (fan_in + fan_out))),
        (init.he_uniform(fan_in, fan_out, random_state=0),
         lambda w: torch.nn.init.kaiming_uniform_(w, nonlinearity="relu"), math.sqrt(6 / fan_in)),
    ]:
        fill(t)
        torch_max = t.abs().max().item()
        assert torch_max <= bound + 1e-12 and np.abs(ours).max() <= bound + 1e-12
        # both come close to the same bound
        assert torch_max > 0.9 * bound and np.abs(ours).max() > 0.9 * bound


def test_normal_std_equals_torch_std():
    fan_in, fan_out = 400, 600
    t = torch.empty(fan_out, fan_in, dtype=torch.float64)
    torch.manual_seed(0)
    torch.nn.init.xavier_normal_(t)
    np.testing.assert_allclose(init.xavier_normal(fan_in, fan_out, random_state=0).std(), t.std().item(), rtol=0.01)
    torch.nn.init.kaiming_normal_(t, nonlinearity="relu")  # mode fan_in: in = t.shape[1]
    np.testing.assert_allclose(init.he_normal(fan_in, fan_out, random_state=0).std(), t.std().item(), rtol=0.01)


def test_gain_and_reproducibility():
    a = init.xavier_uniform(50, 50, gain=2.0, random_state=3)
    b = init.xavier_uniform(50, 50, random_state=3)
    np.testing.assert_allclose(a, 2 * b, rtol=1e-12)
    rng = np.random.default_rng(5)
    c = init.he_normal(3, 4, random_state=rng)
    d = init.he_normal(3, 4, random_state=np.random.default_rng(5))
    np.testing.assert_array_equal(c, d)


@pytest.mark.parametrize("f", [init.xavier_uniform, init.xavier_normal, init.he_normal, init.he_uniform])
@pytest.mark.parametrize("fans", [(0, 3), (3, -1), (2.5, 3), (True, 3)])
def test_bad_fans_refused(f, fans):
    with pytest.raises((ValueError, TypeError)):
        f(*fans)


def test_bad_random_state_refused():
    with pytest.raises(TypeError):
        init.xavier_normal(3, 3, random_state="seed")
    with pytest.raises(ValueError):
        init.normal(3, 3, std=-1.0)


def test_std_formulas_and_draw_weights():
    # the standard deviations against torch's own computation of them
    assert math.isclose(init.xavier_std(300, 500), torch.nn.init.calculate_gain("linear") * math.sqrt(2 / 800))
    assert math.isclose(init.xavier_std(30, 70, gain=5 / 3), 5 / 3 * math.sqrt(2 / 100))
    assert math.isclose(init.he_std(256), torch.nn.init.calculate_gain("relu") / math.sqrt(256))
    W = init.draw_weights(400, 500, 0.1, uniform=True, random_state=0)
    assert W.shape == (400, 500) and np.abs(W).max() <= math.sqrt(3) * 0.1
    np.testing.assert_allclose(W.std(), 0.1, rtol=0.01)
    np.testing.assert_array_equal(init.xavier_normal(20, 30, random_state=4),
                                  init.draw_weights(20, 30, init.xavier_std(20, 30), random_state=4))
    for bad in [dict(std=0.0), dict(std=-1.0)]:
        with pytest.raises(ValueError):
            init.draw_weights(3, 3, **bad)
    with pytest.raises((ValueError, TypeError)):
        init.he_std(0)
    with pytest.raises(ValueError):
        init.xavier_std(3, 3, gain=-1.0)

"""mlbook.optim's optimisers reproduce torch.optim step for step (float64)."""
import math

import numpy as np
import pytest
import torch

from mlbook.optim import SGD, AdaGrad, Adam, AdamW, Momentum, RMSProp, cosine_lr, step_lr, warmup_cosine_lr

CASES = [
    (SGD, torch.optim.SGD, dict(lr=0.05)),
    (SGD, torch.optim.SGD, dict(lr=0.05, weight_decay=0.1)),
    (Momentum, torch.optim.SGD, dict(lr=0.02, momentum=0.9)),
    (Momentum, torch.optim.SGD, dict(lr=0.02, momentum=0.5, dampening=0.3, weight_decay=0.01)),
    (Momentum, torch.optim.SGD, dict(lr=0.02, momentum=0.9, nesterov=True)),
    (AdaGrad, torch.optim.Adagrad, dict(lr=0.1)),
    (AdaGrad, torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.05)),
    (RMSProp, torch.optim.RMSprop, dict(lr=0.01)),
    (RMSProp, torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-6, momentum=0.5, weight_decay=0.01)),
    (Adam, torch.optim.Adam, dict(lr=0.01)),
    (Adam, torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    (AdamW, torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1)),
]


def _loss_grad(p):
    # a non-quadratic loss so the gradients change along the path: sum(cos(p) + 0.1 p^4)
    return -np.sin(p) + 0.4 * p**3


@pytest.mark.parametrize("ours,theirs,kw", CASES, ids=lambda c: c.__name__ if isinstance(c, type) else str(c))
@pytest.mark.parametrize("shapes", [[(5,)], [(3, 4), (4,)]])
@pytest.mark.parametrize("seed", [0, 1])
def test_matches_torch_optim(ours, theirs, kw, shapes, seed):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s) for s in shapes]
    tparams = [torch.tensor(p.copy(), dtype=torch.float64, requires_grad=True) for p in params]
    opt, topt = ours(params, **kw), theirs(tparams, **kw)
    for _ in range(60):
        opt.step([_loss_grad(p) for p in params])
        for tp in tparams:
            tp.grad = torch.as_tensor(_loss_grad(tp.detach().numpy()))
        topt.step()
    for p, tp in zip(params, tparams):
        np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_updates_in_place_and_counts_steps():
    p = np.ones(3)
    ref = p
    opt = SGD([p], lr=0.5)
    opt.step([np.ones(3)])
    assert ref is p and opt.t == 1
    np.testing.assert_allclose(p, 0.5, rtol=1e-15)


def test_adamw_differs_from_adam_with_l2():
    p1, p2 = np.array([1.0, 100.0]), np.array([1.0, 100.0])
    a, w = Adam([p1], lr=0.1, weight_decay=0.1), AdamW([p2], lr=0.1, weight_decay=0.1)
    for _ in range(5):
        a.step([np.array([1.0, 0.0])])
        w.step([np.array([1.0, 0.0])])
    assert not np.allclose(p1, p2)


@pytest.mark.parametrize("make", [
    lambda p: SGD(p, lr=-1.0), lambda p: SGD(p, lr=0.0), lambda p: Momentum(p, momentum=1.0),
    lambda p: Momentum(p, momentum=0.0, nesterov=True), lambda p: RMSProp(p, alpha=1.5),
    lambda p: Adam(p, betas=(0.9,)), lambda p: Adam(p, eps=0.0), lambda p: AdaGrad(p, weight_decay=-0.1),
    lambda p: SGD([], lr=0.1), lambda p: SGD([[1.0, 2.0]], lr=0.1), lambda p: SGD([np.arange(3)], lr=0.1),
])
def test_bad_hyper_parameters_refused(make):
    with pytest.raises((ValueError, TypeError)):
        make([np.zeros(2)])


def test_bad_gradients_refused():
    opt = Adam([np.zeros(2), np.zeros(3)])
    with pytest.raises(ValueError, match="2 parameters"):
        opt.step([np.zeros(2)])
    with pytest.raises(ValueError, match="shape"):
        opt.step([np.zeros(2), np.zeros(4)])
    with pytest.raises(ValueError, match="NaN"):
        opt.step([np.zeros(2), np.array([0.0, np.nan, 0.0])])


def _torch_schedule(make_sched, epochs, lr=0.1):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = make_sched(opt)
    out = []
    for _ in range(epochs):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(out)


def test_schedules_match_torch():
    steplr = _torch_schedule(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5), 30)
    np.testing.assert_allclose([step_lr(0.1, t, step_size=7, gamma=0.5) for t in range(30)], steplr, rtol=1e-12)
    cos = _torch_schedule(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=20, eta_min=0.01), 21)
    np.testing.assert_allclose([cosine_lr(0.1, t, total_steps=20, min_lr=0.01) for t in range(21)], cos, rtol=1e-10)
    warm = _torch_schedule(lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.2, total_iters=4), 5)
    np.testing.assert_allclose([warmup_cosine_lr(0.1, t, warmup_steps=5, total_steps=20) for t in range(5)], warm,
                               rtol=1e-10)
    assert math.isclose(warmup_cosine_lr(0.1, 19 + 1, warmup_steps=5, total_steps=20), 0.0, abs_tol=1e-15)


def test_schedules_refuse_bad_input():
    with pytest.raises(ValueError):
        warmup_cosine_lr(0.1, 0, warmup_steps=10, total_steps=5)
    with pytest.raises((ValueError, TypeError)):
        cosine_lr(0.1, -1, total_steps=10)
    with pytest.raises((ValueError, TypeError)):
        step_lr(0.1, 3, step_size=0)

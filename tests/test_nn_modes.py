"""Chapter 8's package after its review: the mode as state, torch's Linear bias, parameter groups,
the divergence error, He's fan_out mode and the mean-reduction check of the training helpers."""
import numpy as np
import pytest
import torch

from mlbook import init
from mlbook.nn import MLP, BatchNorm1d, Dropout, Linear, ReLU, Sigmoid, Tanh
from mlbook.optim import SGD, AdamW, DivergenceError, Momentum
from mlbook.training import evaluate, make_loader, train_epoch


# ---- the mode is state, as torch's train()/eval() ----

def test_layers_start_in_training_mode_and_switch_with_eval_and_train():
    drop = Dropout(0.5, random_state=0)
    x = np.ones((4, 6))
    assert drop.training and not np.array_equal(drop(x), x)
    assert drop.eval() is drop and not drop.training
    np.testing.assert_array_equal(drop(x), x)          # the identity in inference mode
    assert drop.cached_floats() == 0                     # and nothing kept for backward
    drop.train()
    assert drop.training and not np.array_equal(drop(x), x)
    np.testing.assert_array_equal(drop(x, training=False), x)  # a call can still override the mode
    assert drop.training                                 # without changing it


def test_mlp_eval_freezes_dropout_and_batchnorm_statistics():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, 5))
    net = MLP([5, 8, 3], dropout=0.5, batch_norm=True, random_state=0)
    bn = next(layer for layer in net.layers if isinstance(layer, BatchNorm1d))
    net.loss(X, rng.integers(0, 3, 32))                  # training mode: running statistics move
    moved = bn.running_mean.copy()
    assert not np.allclose(moved, 0)
    assert net.eval() is net and not net.training
    assert all(not layer.training for layer in net.layers)
    out1, out2 = net.forward(X), net.forward(X)
    np.testing.assert_array_equal(out1, out2)            # deterministic
    np.testing.assert_array_equal(bn.running_mean, moved)  # no side effect on the statistics
    net.train()
    assert all(layer.training for layer in net.layers)


def test_predict_and_score_do_not_change_the_mode():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(20, 4)), rng.integers(0, 2, 20)
    net = MLP([4, 6, 2], dropout=0.3, random_state=0)
    p1 = net.predict_proba(X)
    assert net.training                                   # still training after predict
    np.testing.assert_allclose(p1, net.eval().predict_proba(X))
    net.score(X, y)
    assert not net.training


@pytest.mark.parametrize("bad", [1, "yes", 0.0])
def test_a_mode_that_is_not_a_bool_is_refused(bad):
    with pytest.raises(TypeError, match="True, False or None"):
        ReLU().forward(np.ones((2, 2)), training=bad)
    with pytest.raises(TypeError, match="True or False"):
        MLP([2, 2]).train(bad)


@pytest.mark.parametrize("layer", [ReLU(), Tanh(), Sigmoid(), Dropout(0.2)])
def test_activations_refuse_nan_input(layer):
    with pytest.raises(ValueError, match="NaN or infinite"):
        layer(np.array([[0.0, np.nan]]))


# ---- Linear(init="torch") matches torch.nn.Linear, bias included ----

def test_torch_init_draws_the_bias_like_torch():
    n_in, n_out = 50, 4000
    layer = Linear(n_in, n_out, init="torch", random_state=0)
    b, bound = layer.params["b"], 1 / np.sqrt(n_in)
    assert np.all(np.abs(b) <= bound) and b.std() > 0
    torch.manual_seed(0)
    tb = torch.nn.Linear(n_in, n_out).bias.detach().numpy()
    # same law: U(-1/√n_in, 1/√n_in), whose standard deviation is bound/√3
    assert abs(b.std() - bound / np.sqrt(3)) < 0.03 * bound and abs(tb.std() - bound / np.sqrt(3)) < 0.03 * bound
    assert np.all(Linear(n_in, 3, init="he_normal", random_state=0).params["b"] == 0)


# ---- divergence has its own error ----

def test_non_finite_gradient_raises_divergence_not_a_plain_value_error():
    w = np.zeros(3)
    opt = SGD([w], lr=0.1)
    with pytest.raises(DivergenceError):
        opt.step([np.array([1.0, np.inf, 0.0])])
    assert issubclass(DivergenceError, FloatingPointError) and issubclass(DivergenceError, ValueError)
    with pytest.raises(ValueError) as info:              # a shape bug is not divergence
        opt.step([np.zeros(4)])
    assert not isinstance(info.value, DivergenceError)


def test_mlp_reports_divergence_when_activations_overflow():
    net = MLP([3, 4, 2], init=1e200, random_state=0)
    X = np.ones((2, 3))
    with pytest.raises(DivergenceError, match="diverged"), np.errstate(over="ignore", invalid="ignore"):
        net.loss(X, np.array([0, 1]))
    with pytest.raises(ValueError) as info:              # wrong labels: a plain ValueError
        MLP([3, 4, 2], random_state=0).loss(X, np.array([0, 5]))
    assert not isinstance(info.value, DivergenceError)


# ---- parameter groups, as torch.optim ----

def _torch_twin(arrays):
    return [torch.tensor(a.copy(), requires_grad=True) for a in arrays]


@pytest.mark.parametrize("make, tmake", [
    (lambda g: Momentum(g, lr=0.1, momentum=0.9, weight_decay=0.05),
     lambda g: torch.optim.SGD(g, lr=0.1, momentum=0.9, weight_decay=0.05)),
    (lambda g: AdamW(g, lr=0.01, weight_decay=0.1), lambda g: torch.optim.AdamW(g, lr=0.01, weight_decay=0.1)),
])
def test_parameter_groups_match_torch(make, tmake):
    rng = np.random.default_rng(2)
    W, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    tW, tb = _torch_twin([W, b])
    opt = make([{"params": [W]}, {"params": [b], "weight_decay": 0.0}])
    topt = tmake([{"params": [tW]}, {"params": [tb], "weight_decay": 0.0}])
    assert opt.decays[1] == 0.0 and opt.decays[0] > 0
    for _ in range(5):
        gW, gb = rng.normal(size=W.shape), rng.normal(size=b.shape)
        opt.step([gW, gb])
        tW.grad, tb.grad = torch.tensor(gW), torch.tensor(gb)
        topt.step()
    np.testing.assert_allclose(W, tW.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(b, tb.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_changing_weight_decay_between_steps_acts_on_parameters_without_a_group_decay():
    w, b = np.ones(2), np.ones(2)
    opt = SGD([{"params": [w]}, {"params": [b], "weight_decay": 0.0}], lr=0.1, weight_decay=0.0)
    opt.weight_decay = 0.5
    opt.step([np.zeros(2), np.zeros(2)])
    np.testing.assert_allclose(w, 1 - 0.1 * 0.5)       # the optimiser's new decay
    np.testing.assert_array_equal(b, 1.0)               # the group's own decay stays 0


def test_a_bias_in_a_no_decay_group_is_not_shrunk():
    b = np.array([1.0, -2.0])
    AdamW([{"params": [b], "weight_decay": 0.0}], lr=0.1, weight_decay=0.5).step([np.zeros(2)])
    np.testing.assert_array_equal(b, [1.0, -2.0])


def test_mlp_param_groups_follow_parameters_and_decay_weights_only():
    net = MLP([4, 5, 5, 3], batch_norm=True, random_state=0)
    groups = net.param_groups(1e-3)
    flat = [p for g in groups for p in g["params"]]
    assert len(flat) == len(net.parameters()) and all(a is b for a, b in zip(flat, net.parameters()))
    decayed = {id(p) for g in groups if g["weight_decay"] > 0 for p in g["params"]}
    weights = {id(layer.params["W"]) for layer in net.layers if isinstance(layer, Linear)}
    assert decayed == weights
    opt = SGD(groups, lr=0.1)
    assert opt.decays == [1e-3 if id(p) in weights else 0.0 for p in net.parameters()]


@pytest.mark.parametrize("groups, err", [
    ([{"params": [np.zeros(2)], "lr": 0.1}], ValueError),
    ([{"weight_decay": 0.1}], ValueError),
    ([{"params": [np.zeros(2)]}, np.zeros(2)], TypeError),
    ([{"params": [np.zeros(2)], "weight_decay": -1.0}], ValueError),
])
def test_bad_parameter_groups_are_refused(groups, err):
    with pytest.raises(err):
        SGD(groups, lr=0.1)


# ---- He initialisation with fan_out ----

@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_he_modes_match_torch(mode):
    fan_in, fan_out = 300, 40
    W = init.he_normal(fan_in, fan_out, mode=mode, random_state=0)
    t = torch.empty(fan_out, fan_in, dtype=torch.float64)   # torch stores (out, in)
    torch.manual_seed(0)
    torch.nn.init.kaiming_normal_(t, mode=mode, nonlinearity="relu")
    target = 2.0 / (fan_in if mode == "fan_in" else fan_out)
    assert abs(W.var() / target - 1) < 0.05 and abs(float(t.var()) / target - 1) < 0.05
    U = init.he_uniform(fan_in, fan_out, mode=mode, random_state=0)
    assert np.abs(U).max() <= np.sqrt(3 * target) and abs(U.var() / target - 1) < 0.05
    with pytest.raises(ValueError, match="mode"):
        init.he_normal(3, 4, mode="fan_avg")


# ---- the training helpers average per sample and refuse a summed loss ----

def test_training_helpers_refuse_a_summed_loss():
    torch.manual_seed(0)
    X, y = torch.randn(20, 3), torch.randint(0, 2, (20,))
    loader = make_loader(X, y, batch_size=8, shuffle=False)
    model = torch.nn.Linear(3, 2)
    with pytest.raises(ValueError, match="reduction"):
        evaluate(model, loader, torch.nn.CrossEntropyLoss(reduction="sum"))
    with pytest.raises(ValueError, match="reduction"):
        train_epoch(model, loader, torch.optim.SGD(model.parameters(), lr=0.1),
                    torch.nn.CrossEntropyLoss(reduction="sum"))
    res = evaluate(model, loader, torch.nn.CrossEntropyLoss())
    with torch.no_grad():
        full = float(torch.nn.functional.cross_entropy(model(X), y))
        acc = int((model(X).argmax(1) == y).sum()) / len(y)
    assert abs(res["loss"] - full) < 1e-6 and abs(res["accuracy"] - acc) < 1e-12

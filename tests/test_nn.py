"""mlbook.nn: layers and MLP against torch.autograd and finite differences; the perceptron
against scikit-learn."""
import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Perceptron as SkPerceptron

import mlbook
from mlbook import nn

ACTS = [(nn.ReLU, torch.relu), (nn.Tanh, torch.tanh), (nn.Sigmoid, torch.sigmoid),
        (nn.GELU, torch.nn.functional.gelu)]


@pytest.mark.parametrize("layer,tfun", ACTS)
@pytest.mark.parametrize("shape", [(4, 3), (7, 5)])
def test_activations_match_autograd(layer, tfun, shape):
    rng = np.random.default_rng(0)
    x = rng.normal(scale=2.0, size=shape)
    G = rng.normal(size=shape)
    lay = layer()
    out = lay.forward(x)
    gx = lay.backward(G)
    tx = torch.tensor(x, requires_grad=True)
    tout = tfun(tx)
    tout.backward(torch.tensor(G))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("n,d_in,d_out", [(1, 3, 2), (8, 5, 4)])
def test_linear_matches_autograd(n, d_in, d_out):
    rng = np.random.default_rng(1)
    lay = nn.Linear(d_in, d_out, init="xavier_normal", random_state=0)
    x, G = rng.normal(size=(n, d_in)), rng.normal(size=(n, d_out))
    out = lay.forward(x)
    gx = lay.backward(G)
    W = torch.tensor(lay.params["W"], requires_grad=True)
    b = torch.tensor(lay.params["b"], requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    tout = tx @ W + b
    tout.backward(torch.tensor(G))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-12)
    for ours, theirs in [(gx, tx.grad), (lay.grads["W"], W.grad), (lay.grads["b"], b.grad)]:
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("n,k", [(5, 3), (12, 10)])
def test_softmax_cross_entropy_matches_torch(n, k):
    rng = np.random.default_rng(2)
    o = rng.normal(scale=3, size=(n, k))
    o[0, 0] = 800.0  # a large logit must not overflow
    y = rng.integers(0, k, size=n)
    ce = nn.SoftmaxCrossEntropy()
    loss = ce.forward(o, y)
    g = ce.backward()
    to = torch.tensor(o, requires_grad=True)
    tl = torch.nn.functional.cross_entropy(to, torch.tensor(y))
    tl.backward()
    np.testing.assert_allclose(loss, tl.item(), rtol=1e-12)
    np.testing.assert_allclose(g, to.grad.numpy(), rtol=1e-10, atol=1e-14)


def _torch_mlp_loss(model, X, y):
    """Rebuild the numpy MLP's forward pass in torch, sharing its weights."""
    h = torch.tensor(X)
    tparams = []
    for layer in model.layers:
        if isinstance(layer, nn.Linear):
            W = torch.tensor(layer.params["W"], requires_grad=True)
            b = torch.tensor(layer.params["b"], requires_grad=True)
            tparams += [W, b]
            h = h @ W + b
        else:
            h = {"ReLU": torch.relu, "Tanh": torch.tanh, "Sigmoid": torch.sigmoid,
                 "GELU": torch.nn.functional.gelu}[type(layer).__name__](h)
    loss = torch.nn.functional.cross_entropy(h, torch.tensor(y))
    loss.backward()
    return loss.item(), [p.grad.numpy() for p in tparams]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "gelu"])
@pytest.mark.parametrize("sizes", [[4, 3], [4, 8, 3], [6, 5, 7, 4]])
def test_mlp_gradients_match_autograd(activation, sizes):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(10, sizes[0]))
    y = rng.integers(0, sizes[-1], size=10)
    model = nn.MLP(sizes, activation=activation, init="xavier_uniform", random_state=0)
    loss = model.loss(X, y)
    model.backward()
    tloss, tgrads = _torch_mlp_loss(model, X, y)
    np.testing.assert_allclose(loss, tloss, rtol=1e-12)
    for g, tg in zip(model.gradients(), tgrads):
        np.testing.assert_allclose(g, tg, rtol=1e-9, atol=1e-12)


def test_mlp_gradients_match_finite_differences():
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 2, size=6)
    model = nn.MLP([3, 4, 2], activation="tanh", random_state=1)
    model.loss(X, y)
    model.backward()
    for p, g in zip(model.parameters(), model.gradients()):
        num = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + 1e-6
            up = model.loss(X, y, training=False)
            p[idx] = old - 1e-6
            down = model.loss(X, y, training=False)
            p[idx] = old
            num[idx] = (up - down) / 2e-6
        np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-9)


def test_inference_keeps_no_cache():
    model = nn.MLP([5, 16, 3], random_state=0)
    X = np.ones((4, 5))
    model.forward(X, training=True)
    assert model.cached_floats() > 0
    model.forward(X, training=False)
    assert model.cached_floats() == 0
    with pytest.raises(RuntimeError):
        model.layers[0].backward(np.ones((4, 16)))


@pytest.mark.parametrize("p", [0.0, 0.3, 0.8])
def test_dropout_scaling_and_eval(p):
    drop = nn.Dropout(p, random_state=0)
    x = np.ones((2000, 50))
    out = drop.forward(x, training=True)
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / (1 - p), rtol=1e-12)
    np.testing.assert_allclose(kept.mean(), 1 - p, atol=0.01)
    np.testing.assert_allclose(out.mean(), 1.0, atol=0.03)  # E[h'] = h
    np.testing.assert_array_equal(drop.forward(x, training=False), x)
    # torch's dropout: the same two values (0 and 1/(1-p)), the same share kept, identity in eval mode
    tdrop = torch.nn.Dropout(p)
    t = tdrop(torch.ones(2000, 50, dtype=torch.float64)).numpy()
    assert set(np.unique(t).round(12)) <= {0.0, round(1 / (1 - p), 12)}
    np.testing.assert_allclose((t != 0).mean(), kept.mean(), atol=0.02)
    tdrop.eval()
    np.testing.assert_array_equal(tdrop(torch.tensor(x)).numpy(), x)


def test_dropout_backward_uses_the_same_mask():
    drop = nn.Dropout(0.5, random_state=1)
    x = np.arange(12.0).reshape(3, 4) + 1
    out = drop.forward(x)
    g = drop.backward(np.ones_like(x))
    np.testing.assert_allclose(g, out / x, rtol=1e-12)


@pytest.mark.parametrize("n,d", [(8, 3), (32, 6)])
def test_batchnorm_matches_torch(n, d):
    rng = np.random.default_rng(5)
    x, G = rng.normal(2.0, 3.0, size=(n, d)), rng.normal(size=(n, d))
    bn = nn.BatchNorm1d(d)
    bn.params["gamma"] = rng.normal(size=d)
    bn.params["beta"] = rng.normal(size=d)
    tbn = torch.nn.BatchNorm1d(d).double()
    with torch.no_grad():
        tbn.weight.copy_(torch.tensor(bn.params["gamma"]))
        tbn.bias.copy_(torch.tensor(bn.params["beta"]))
    tx = torch.tensor(x, requires_grad=True)
    out, tout = bn.forward(x), tbn(tx)
    tout.backward(torch.tensor(G))
    gx = bn.backward(G)
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(bn.grads["gamma"], tbn.weight.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(bn.running_var, tbn.running_var.numpy(), rtol=1e-12)
    tbn.eval()
    np.testing.assert_allclose(bn.forward(x, training=False), tbn(tx).detach().numpy(), rtol=1e-10, atol=1e-12)


def test_mlp_learns_xor():
    X, y = mlbook.data.make_xor(200, random_state=0)
    model = nn.MLP([2, 16, 2], activation="tanh", init="xavier_normal", random_state=0)
    opt = mlbook.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(200):
        model.train_step(X, y, opt)
    assert model.score(X, y) > 0.97


@pytest.mark.parametrize("epochs", [1, 3, 20])
def test_perceptron_matches_sklearn(epochs):
    X, y = mlbook.data.make_blobs(60, centers=((-1.0, 0.5), (1.0, -0.5)), std=0.8, random_state=2)
    ours = nn.Perceptron(max_epochs=epochs).fit(X, y)
    sk = SkPerceptron(shuffle=False, tol=None, max_iter=epochs, eta0=1.0).fit(X, y)
    np.testing.assert_allclose(ours.coef_, sk.coef_.ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, sk.intercept_[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))


def test_perceptron_converges_on_separable_but_not_on_xor():
    X, y = mlbook.data.make_blobs(100, std=0.5, random_state=0)
    p = nn.Perceptron(max_epochs=50).fit(X, y)
    assert p.converged_ and p.score(X, y) == 1.0
    Xx, yx = mlbook.data.make_xor(100, random_state=0)
    q = nn.Perceptron(max_epochs=50).fit(Xx, yx)
    assert not q.converged_ and q.score(Xx, yx) < 0.8


def test_bad_input_refused():
    with pytest.raises(ValueError):
        nn.Linear(3, 2).forward(np.ones((4, 5)))
    with pytest.raises(ValueError):
        nn.Linear(3, 2, init="bogus")
    with pytest.raises((ValueError, TypeError)):
        nn.Linear(0, 2)
    with pytest.raises(ValueError):
        nn.Dropout(1.0)
    with pytest.raises(ValueError):
        nn.MLP([3])
    with pytest.raises(ValueError):
        nn.MLP([3, 2], activation="swish")
    with pytest.raises(ValueError):
        nn.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError):
        nn.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(ValueError):
        nn.BatchNorm1d(3).forward(np.ones((1, 3)))
    with pytest.raises(ValueError):
        nn.Perceptron().fit(np.ones((3, 2)), [0, 1, 2])
    with pytest.raises(NotFittedError, match="not fitted"):
        nn.Perceptron().predict(np.ones((3, 2)))
    with pytest.raises(ValueError):
        nn.Perceptron().fit(np.ones((4, 2)), [0, 1, 0, 1]).predict(np.ones((2, 3)))
    with pytest.raises(ValueError):
        nn.MLP([2, 3]).forward(np.array([[np.nan, 1.0]]))


@pytest.mark.parametrize("k", [2, 7, 30])
def test_relu_interpolant_equals_np_interp(k):
    knots = np.linspace(-2, 2, k + 1)
    f = np.sin(3 * knots)
    model = nn.relu_interpolant(knots, f)
    x = np.linspace(-2, 2, 401)
    np.testing.assert_allclose(model.forward(x[:, None], training=False).ravel(), np.interp(x, knots, f),
                               rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError):
        nn.relu_interpolant([0.0, 0.0, 1.0], [1.0, 2.0, 3.0])


def test_mlp_predict_proba_and_dropout_layers():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(9, 4))
    model = nn.MLP([4, 6, 6, 3], dropout=0.3, batch_norm=True, random_state=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear"]
    model.forward(X)  # one training pass fills the running statistics
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X), proba.argmax(axis=1))
    np.testing.assert_allclose(model.predict_proba(X), proba, rtol=1e-12)  # inference is deterministic
    for bad in (-0.1, 1.0, "0.5"):
        with pytest.raises(ValueError):
            nn.MLP([4, 3], dropout=bad)


@pytest.mark.parametrize("p", [0.0, 0.25, np.float64(0.5)])
def test_dropout_probability_shared_check(p):
    # Dropout and MLP use one check: any number in [0, 1), NumPy scalars included
    assert nn.Dropout(p).p == float(p)
    kinds = [type(layer).__name__ for layer in nn.MLP([3, 4, 2], dropout=p).layers]
    assert ("Dropout" in kinds) == (p > 0)
    for bad in (1.0, -0.5, True, None):
        with pytest.raises(ValueError, match="dropout probability"):
            nn.Dropout(bad)

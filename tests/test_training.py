"""mlbook.training: the torch loop, gradient accumulation, and CPU/CUDA agreement."""
import numpy as np
import pytest
import torch

import mlbook
from mlbook import training


def _data(n=96, d=5, k=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int)
    return X, y


def _model(d=5, k=3, seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(d, 16), torch.nn.ReLU(), torch.nn.Linear(16, k))


def test_fit_history_and_learning():
    X, y = _data()
    model = _model()
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    tr = training.make_loader(X, y, batch_size=16)
    va = training.make_loader(X, y, batch_size=64, shuffle=False)
    h = training.fit(model, tr, opt, epochs=15, val_loader=va, device="cpu", show_progress=False)
    assert set(h) == {"lr", "train_loss", "train_accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 15 for v in h.values())
    assert h["train_loss"][-1] < h["train_loss"][0]
    assert h["val_accuracy"][-1] > 0.9
    ev = training.evaluate(model, va, device="cpu")
    np.testing.assert_allclose(ev["loss"], h["val_loss"][-1], rtol=1e-6)


def test_regression_targets_give_no_accuracy():
    X, _ = _data()
    y = X[:, 0] * 2.0
    model = torch.nn.Linear(5, 1)
    loss = lambda out, t: torch.nn.functional.mse_loss(out.squeeze(1), t)  # noqa: E731
    h = training.fit(model, training.make_loader(X, y), torch.optim.SGD(model.parameters(), lr=0.05),
                     epochs=3, loss_fn=loss, device="cpu", show_progress=False)
    assert "train_accuracy" not in h and h["train_loss"][-1] < h["train_loss"][0]


@pytest.mark.parametrize("k,b", [(4, 32), (2, 16)])
def test_gradient_accumulation_equals_large_batch(k, b):
    X, y = _data(n=k * b)
    torch.set_default_dtype(torch.float64)
    try:
        m1, m2 = _model(), _model()
        m1.double(), m2.double()
        o1 = torch.optim.SGD(m1.parameters(), lr=0.1)
        o2 = torch.optim.SGD(m2.parameters(), lr=0.1)
        big = [(torch.tensor(X), torch.tensor(y))]
        small = [(torch.tensor(X[i:i + b]), torch.tensor(y[i:i + b])) for i in range(0, k * b, b)]
        training.train_epoch(m1, big, o1, device="cpu")
        training.train_epoch(m2, small, o2, device="cpu", accumulation_steps=k)
        for p1, p2 in zip(m1.parameters(), m2.parameters()):
            np.testing.assert_allclose(p1.detach().numpy(), p2.detach().numpy(), rtol=1e-12, atol=1e-14)
    finally:
        torch.set_default_dtype(torch.float32)


def test_bad_input_refused():
    X, y = _data()
    with pytest.raises(ValueError):
        training.make_loader(X, y[:-1])
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        training.make_loader(X_nan, y)
    with pytest.raises((ValueError, TypeError)):
        training.make_loader(X, y, batch_size=0)
    model = _model()
    with pytest.raises((ValueError, TypeError)):
        training.fit(model, training.make_loader(X, y), torch.optim.SGD(model.parameters(), lr=0.1),
                     epochs=0, device="cpu")
    with pytest.raises(ValueError):
        training.evaluate(model, [], device="cpu")


def _one_step(device):
    X, y = _data(n=64)
    model = _model(seed=1).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loader = training.make_loader(X, y, batch_size=64, shuffle=False)
    training.train_epoch(model, loader, opt, device=device)
    training.train_epoch(model, loader, opt, device=device)
    return [p.detach().cpu().numpy() for p in model.parameters()]


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cpu_and_cuda_agree():
    cpu, cuda = _one_step("cpu"), _one_step("cuda")
    for a, b in zip(cpu, cuda):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)  # float32, different kernels


def test_integer_features_stay_token_ids_and_sequence_accuracy_counts_positions():
    X = np.array([[1, 2, 3], [3, 2, 1]])
    xb, yb = next(iter(training.make_loader(X, X[:, ::-1], batch_size=2, shuffle=False)))
    assert xb.dtype == torch.int64 and yb.dtype == torch.int64

    class Echo(torch.nn.Module):  # predicts every input token unchanged: logits (B, n_symbols, T)
        def forward(self, tokens):
            return torch.nn.functional.one_hot(tokens, 4).float().transpose(1, 2)

    loader = training.make_loader(X, X[:, ::-1], batch_size=2, shuffle=False)
    assert training.evaluate(Echo(), loader, device="cpu")["accuracy"] == pytest.approx(2 / 6)  # the middle tokens

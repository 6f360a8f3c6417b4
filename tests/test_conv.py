"""mlbook.nn convolution and pooling (NumPy) and mlbook.convnets (PyTorch), checked against torch."""
import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import mlbook
from mlbook import nn as mnn
from mlbook.convnets import ConvBlock, DeepConvNet, LeNet

RNG = np.random.default_rng(0)

# (N, C_in, H, W, C_out, kernel, stride, padding, dilation)
SETTINGS = [
    (2, 3, 7, 6, 4, 3, 1, 0, 1),
    (3, 2, 9, 9, 5, 3, 2, 1, 1),
    (2, 3, 8, 10, 2, (2, 3), (2, 1), (1, 2), 1),
    (2, 2, 11, 11, 3, 3, 1, 2, 2),
    (1, 1, 5, 5, 1, 5, 1, 0, 1),
    (4, 1, 8, 8, 6, 1, 1, 0, 1),
    (2, 4, 10, 7, 3, (3, 1), 3, (0, 1), (2, 1)),
    (1, 2, 6, 6, 2, 4, 2, 3, 1),
]


def _kernel_shape(k):
    return (k, k) if isinstance(k, int) else tuple(k)


def _torch_reference(x, w, b, g, **geometry):
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True)
    y = F.conv2d(xt, wt, bt, **geometry)
    y.backward(torch.tensor(g))
    return y.detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


@pytest.mark.parametrize("setting", SETTINGS)
def test_conv2d_and_layer_match_torch_forward_and_gradients(setting):
    n, c, h, w_, o, k, s, p, d = setting
    x = RNG.normal(size=(n, c, h, w_))
    w = RNG.normal(size=(o, c, *_kernel_shape(k)))
    b = RNG.normal(size=o)
    geometry = dict(stride=s, padding=p, dilation=d)
    y_fn = mnn.conv2d(x, w, b, **geometry)
    layer = mnn.Conv2d(c, o, k, **geometry)
    layer.params["W"], layer.params["b"] = w, b
    y = layer.forward(x)
    g = RNG.normal(size=y.shape)
    y_ref, dx_ref, dw_ref, db_ref = _torch_reference(x, w, b, g, **geometry)
    dx = layer.backward(g)
    np.testing.assert_allclose(y_fn, y_ref, atol=1e-10, rtol=0)
    np.testing.assert_allclose(y, y_ref, atol=1e-10, rtol=0)
    np.testing.assert_allclose(dx, dx_ref, atol=1e-10, rtol=0)
    np.testing.assert_allclose(layer.grads["W"], dw_ref, atol=1e-10, rtol=0)
    np.testing.assert_allclose(layer.grads["b"], db_ref, atol=1e-10, rtol=0)
    assert np.abs(dx).max() > 0.1  # the comparison is not between zeros


def test_conv2d_loops_is_the_definition():
    x, w, b = RNG.normal(size=(2, 3, 6, 7)), RNG.normal(size=(4, 3, 3, 2)), RNG.normal(size=4)
    for s, p in itertools.product((1, 2), (0, 1, 2)):
        np.testing.assert_allclose(mnn.conv2d_loops(x, w, b, stride=s, padding=p),
                                   F.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), stride=s,
                                            padding=p).numpy(), atol=1e-12)


def test_the_4x4x3_input_with_a_3x3x3_kernel_gives_2x2():
    x, w = RNG.normal(size=(1, 3, 4, 4)), RNG.normal(size=(1, 3, 3, 3))
    y = mnn.conv2d(x, w)
    assert y.shape == (1, 1, 2, 2)
    assert y[0, 0, 1, 0] == pytest.approx(np.sum(x[0, :, 1:4, 0:3] * w[0]), abs=1e-12)


def test_im2col_and_col2im_are_adjoint():
    x = RNG.normal(size=(2, 3, 7, 8))
    for k, s, p, d in [(3, 1, 1, 1), (2, 2, 0, 1), ((3, 2), (1, 2), (2, 0), (1, 2))]:
        cols = mnn.im2col(x, k, stride=s, padding=p, dilation=d)
        c = RNG.normal(size=cols.shape)
        back = mnn.col2im(c, x.shape, k, stride=s, padding=p, dilation=d)
        assert np.sum(cols * c) == pytest.approx(np.sum(x * back), rel=1e-12)


def test_im2col_layout_matches_torch_unfold():
    x = RNG.normal(size=(2, 3, 6, 5))
    cols = mnn.im2col(x, 3, stride=2, padding=1)
    unfold = F.unfold(torch.tensor(x), 3, stride=2, padding=1).numpy()  # (N, C·k·k, L)
    np.testing.assert_allclose(cols, unfold.transpose(1, 0, 2).reshape(cols.shape[0], -1), atol=0)


@pytest.mark.parametrize("pool,reference", [
    (mnn.MaxPool2d(2), torch.nn.MaxPool2d(2)),
    (mnn.MaxPool2d(3, 1), torch.nn.MaxPool2d(3, 1)),
    (mnn.MaxPool2d((2, 3), (1, 2)), torch.nn.MaxPool2d((2, 3), (1, 2))),
    (mnn.AvgPool2d(2), torch.nn.AvgPool2d(2)),
    (mnn.AvgPool2d(3, 2), torch.nn.AvgPool2d(3, 2)),
])
def test_pooling_matches_torch(pool, reference):
    x = RNG.normal(size=(2, 3, 9, 8))
    y = pool.forward(x)
    g = RNG.normal(size=y.shape)
    xt = torch.tensor(x, requires_grad=True)
    yt = reference(xt)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(y, yt.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(pool.backward(g), xt.grad.numpy(), atol=1e-12)


def test_flatten_round_trip_and_torch_order():
    x = RNG.normal(size=(3, 2, 4, 5))
    f = mnn.Flatten()
    y = f.forward(x)
    np.testing.assert_array_equal(y, torch.nn.Flatten()(torch.tensor(x)).numpy())
    np.testing.assert_array_equal(f.backward(y), x)


def test_a_numpy_cnn_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    layers = [mnn.Conv2d(1, 2, 3, padding=1, random_state=0), mnn.ReLU(), mnn.MaxPool2d(2), mnn.Flatten(),
              mnn.Linear(8, 3, random_state=1)]
    loss = mnn.SoftmaxCrossEntropy()
    x, y = rng.normal(size=(4, 1, 4, 4)), np.array([0, 1, 2, 1])

    def value():
        h = x
        for layer in layers:
            h = layer.forward(h)
        return loss.forward(h, y)

    value()
    g = loss.backward()
    for layer in reversed(layers):
        g = layer.backward(g)
    W, analytic = layers[0].params["W"], layers[0].grads["W"].copy()
    eps = 1e-6
    for idx in [(0, 0, 0, 0), (1, 0, 1, 2), (0, 0, 2, 1)]:
        old = W[idx]
        W[idx] = old + eps
        up = value()
        W[idx] = old - eps
        down = value()
        W[idx] = old
        assert (up - down) / (2 * eps) == pytest.approx(analytic[idx], abs=1e-7)


@pytest.mark.parametrize("n,k,s,p,d", list(itertools.product((5, 8, 11), (1, 2, 3, 5), (1, 2, 3), (0, 1, 2), (1, 2))))
def test_conv_output_size_matches_torch(n, k, s, p, d):
    if d * (k - 1) + 1 > n + 2 * p:
        with pytest.raises(ValueError, match="padded input"):
            mnn.conv_output_size(n, k, s, p, d)
        return
    out = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
    assert out.shape[-1] == mnn.conv_output_size(n, k, s, p, d)


def test_receptive_field_matches_a_gradient_experiment():
    stack = [torch.nn.Conv2d(1, 1, 3), torch.nn.AvgPool2d(2),  # max pooling would route to one cell per window
             torch.nn.Conv2d(1, 1, 3, dilation=2),
             torch.nn.Conv2d(1, 1, 3, stride=2)]
    for m in stack:
        if isinstance(m, torch.nn.Conv2d):
            torch.nn.init.constant_(m.weight, 1.0)
    x = torch.ones(1, 1, 40, 40, requires_grad=True)
    y = torch.nn.Sequential(*stack)(x)
    y[0, 0, 1, 1].backward()
    rows = torch.nonzero(x.grad[0, 0].sum(dim=1)).flatten()
    assert int(rows.max() - rows.min() + 1) == mnn.receptive_field(stack) == 16
    assert mnn.receptive_field([(3, 1), (3, 1), (3, 1)]) == 7
    assert mnn.receptive_field([(3, 1, 2), (3, 1, 4)]) == 13


def test_conv2d_layer_init_options():
    fan_in = 3 * 5 * 5
    layer = mnn.Conv2d(3, 200, 5, init="he_normal", random_state=0)
    assert layer.params["W"].shape == (200, 3, 5, 5)
    assert layer.params["W"].std() == pytest.approx(np.sqrt(2 / fan_in), rel=0.05)
    torch_like = mnn.Conv2d(3, 200, 5, random_state=0).params["W"]
    assert np.abs(torch_like).max() <= 1 / np.sqrt(fan_in)
    assert torch_like.std() == pytest.approx(1 / np.sqrt(3 * fan_in), rel=0.05)
    custom = mnn.Conv2d(2, 4, 3, init=lambda fi, fo, random_state: np.ones((fi, 4)))
    assert np.all(custom.params["W"] == 1)
    assert repr(mnn.Conv2d(1, 2, 3, stride=2)).startswith("Conv2d(1, 2, kernel_size=(3, 3), stride=(2, 2)")


@pytest.mark.parametrize("call,match", [
    (lambda: mnn.conv2d(np.zeros((2, 3, 5)), np.zeros((1, 3, 3, 3))), "4-D"),
    (lambda: mnn.conv2d(np.zeros((1, 2, 5, 5)), np.zeros((1, 3, 3, 3))), "channels"),
    (lambda: mnn.conv2d(np.zeros((1, 3, 5, 5)), np.zeros((2, 3, 3, 3)), np.zeros(3)), "output channels"),
    (lambda: mnn.conv2d(np.zeros((1, 3, 2, 2)), np.zeros((1, 3, 3, 3))), "padded input"),
    (lambda: mnn.conv2d(np.full((1, 1, 4, 4), np.nan), np.zeros((1, 1, 3, 3))), "NaN|nan|finite"),
    (lambda: mnn.conv2d(np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 3, 3)), stride=0), "stride"),
    (lambda: mnn.conv2d(np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 3, 3)), padding=-1), "padding"),
    (lambda: mnn.conv2d(np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 3, 3)), stride=1.5), "stride"),
    (lambda: mnn.Conv2d(0, 2, 3), "in_channels"),
    (lambda: mnn.Conv2d(1, 2, (3, 3, 3)), "pair"),
    (lambda: mnn.Conv2d(1, 2, 3, init="glorot"), "unknown init"),
    (lambda: mnn.Conv2d(1, 2, 3).forward(np.zeros((1, 3, 5, 5))), "channels"),
    (lambda: mnn.Conv2d(1, 2, 3).backward(np.zeros((1, 2, 3, 3))), "forward"),
    (lambda: mnn.MaxPool2d(2).forward(np.zeros((4, 4))), "4-D"),
    (lambda: mnn.MaxPool2d(5).forward(np.zeros((1, 1, 4, 4))), "padded input"),
    (lambda: mnn.conv_output_size(5, 0), "kernel_size"),
    (lambda: mnn.receptive_field(["conv"]), "kernel size"),
    (lambda: mnn.receptive_field([(3, 1, 1, 1)]), "kernel_size, stride"),
    (lambda: mnn.receptive_field([torch.nn.Conv2d(1, 1, (3, 5))]), "square"),
    (lambda: mnn.col2im(np.zeros((9, 5)), (1, 1, 4, 4), 3), "cols has shape"),
])
def test_bad_input_is_refused_with_a_clear_message(call, match):
    with pytest.raises((ValueError, TypeError, RuntimeError), match=match):
        call()


def test_backward_refuses_a_gradient_of_the_wrong_shape():
    layer = mnn.Conv2d(1, 2, 3)
    layer.forward(np.zeros((2, 1, 5, 5)))
    with pytest.raises(ValueError, match="grad_out"):
        layer.backward(np.zeros((2, 2, 4, 4)))
    pool = mnn.MaxPool2d(2)
    pool.forward(np.zeros((2, 1, 4, 4)))
    with pytest.raises(ValueError, match="grad_out"):
        pool.backward(np.zeros((2, 1, 3, 3)))


def test_lenet_shapes_parameters_and_errors():
    torch.manual_seed(0)
    net = LeNet()
    assert net(torch.zeros(5, 1, 8, 8)).shape == (5, 10)
    by_hand = (1 * 9 * 32 + 32) + (32 * 9 * 64 + 64) + (64 * 4 * 128 + 128) + (128 * 10 + 10)
    assert sum(p.numel() for p in net.parameters()) == by_hand == 53002
    assert mnn.receptive_field([m for m in net.features if hasattr(m, "kernel_size")]) == 10
    with pytest.raises(ValueError, match="reshape"):
        net(torch.zeros(5, 64))
    with pytest.raises(ValueError, match="8 × 8"):
        net(torch.zeros(5, 1, 12, 12))
    with pytest.raises(TypeError, match="Tensor"):
        net(np.zeros((5, 1, 8, 8)))
    for kwargs, match in [({"image_size": 10}, "divisible"), ({"channels": (4,)}, "pair"),
                          ({"dropout": 1.0}, "dropout"), ({"hidden": 0}, "hidden")]:
        with pytest.raises(ValueError, match=match):
            LeNet(**kwargs)
    assert LeNet(3, 5, image_size=12)(torch.zeros(2, 3, 12, 12)).shape == (2, 5)


def test_residual_block_is_identity_plus_body():
    torch.manual_seed(0)
    x = torch.randn(2, 4, 6, 6)
    res, plain = ConvBlock(4, residual=True), ConvBlock(4, residual=False)
    plain.load_state_dict(res.state_dict())
    torch.testing.assert_close(res(x), torch.relu(res.body(x) + x))
    torch.testing.assert_close(plain(x), torch.relu(res.body(x)))
    with torch.no_grad():
        for p in res.body.parameters():
            p.zero_()
    torch.testing.assert_close(res(torch.relu(x)), torch.relu(x))  # a zero body leaves the block the identity


def test_deep_conv_net_depth_and_batch_norm():
    net = DeepConvNet(3, 8, residual=False, batch_norm=True)
    assert len(net.weight_layers()) == 2 * 3 + 2
    assert sum(isinstance(m, torch.nn.BatchNorm2d) for m in net.modules()) == 6
    assert net(torch.zeros(2, 1, 8, 8)).shape == (2, 10)
    with pytest.raises(ValueError, match="n_blocks"):
        DeepConvNet(0)
    with pytest.raises(ValueError, match=r"\(N, 1, H, W\)"):
        net(torch.zeros(2, 3, 8, 8))


def _one_training_step(device):
    mlbook.seed_everything(0)
    x, y = torch.randn(16, 1, 8, 8), torch.randint(0, 10, (16,))
    params = []
    for build in (LeNet, lambda: DeepConvNet(2, 8, residual=True, batch_norm=True)):
        torch.manual_seed(0)
        model = build().to(device)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        F.cross_entropy(model(x.to(device)), y.to(device)).backward()
        opt.step()
        params.append([p.detach().cpu().numpy() for p in model.parameters()])
    return params


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_convnets_agree_on_cpu_and_cuda():
    for cpu, cuda in zip(_one_training_step("cpu"), _one_training_step("cuda")):
        for a, b in zip(cpu, cuda):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)

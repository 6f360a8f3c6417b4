"""mlbook.attention: NumPy attention against torch, the PyTorch blocks against torch.nn's, the tiny transformer."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import mlbook
from mlbook import attention as A
from mlbook import training

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("shape_q,shape_k,d_v", [((5, 8), (6, 8), 4), ((2, 3, 5, 8), (2, 3, 6, 8), 3),
                                                  ((1, 4, 16), (1, 9, 16), 16)])
def test_scaled_dot_product_attention_matches_torch(shape_q, shape_k, d_v):
    q, k = RNG.normal(size=shape_q), RNG.normal(size=shape_k)
    v = RNG.normal(size=(*shape_k[:-1], d_v))
    out, w = A.scaled_dot_product_attention(q, k, v)
    ref = F.scaled_dot_product_attention(torch.tensor(q), torch.tensor(k), torch.tensor(v)).numpy()
    np.testing.assert_allclose(out, ref, atol=1e-12, rtol=0)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=1e-12)


def test_causal_and_padding_masks_match_torch():
    x = RNG.normal(size=(2, 3, 6, 8))
    out, w = A.scaled_dot_product_attention(x, x, x, A.causal_mask(6))
    ref = F.scaled_dot_product_attention(*(torch.tensor(x),) * 3, is_causal=True).numpy()
    np.testing.assert_allclose(out, ref, atol=1e-12, rtol=0)
    assert np.all(w[..., np.triu_indices(6, 1)[0], np.triu_indices(6, 1)[1]] == 0)
    pad = A.padding_mask(np.array([6, 3]), 6)  # (2, 1, 6)
    out, w = A.scaled_dot_product_attention(x, x, x, pad[:, None])
    ref = F.scaled_dot_product_attention(*(torch.tensor(x),) * 3, attn_mask=torch.tensor(pad[:, None])).numpy()
    np.testing.assert_allclose(out, ref, atol=1e-12, rtol=0)
    assert np.all(w[1, ..., 3:] == 0)


def test_scaling_keeps_unit_variance_scores():
    d = 256
    q, k = RNG.normal(size=(4000, d)), RNG.normal(size=(4000, d))
    assert np.var(np.sum(q * k, axis=1)) == pytest.approx(d, rel=0.1)
    assert np.var(np.sum(q * k, axis=1) / np.sqrt(d)) == pytest.approx(1.0, rel=0.1)


def test_positional_encoding_formula_and_relative_rotation():
    pe = A.positional_encoding(50, 16)
    t, i = 7, 3
    assert pe[t, 2 * i] == pytest.approx(np.sin(t / 10000 ** (2 * i / 16)))
    assert pe[t, 2 * i + 1] == pytest.approx(np.cos(t / 10000 ** (2 * i / 16)))
    k = 5
    omega = 10000.0 ** (-np.arange(0, 16, 2) / 16)
    M = np.zeros((16, 16))
    for j, w in enumerate(omega):  # PE(t + k) = M_k PE(t): a rotation by k·ω_j in each (sin, cos) pair
        c, s = np.cos(k * w), np.sin(k * w)
        M[2 * j:2 * j + 2, 2 * j:2 * j + 2] = [[c, s], [-s, c]]
    np.testing.assert_allclose(pe[k:] , pe[:-k] @ M.T, atol=1e-12)


def test_nadaraya_watson_is_a_weighted_average():
    x = np.linspace(0, 5, 40)
    y = np.sin(x)
    pred, w = A.nadaraya_watson(np.array([1.0, 2.5]), x, y, bandwidth=0.3)
    kernel = np.exp(-(1.0 - x) ** 2 / (2 * 0.3 ** 2))
    assert pred[0] == pytest.approx(np.sum(kernel * y) / kernel.sum(), rel=1e-12)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)


def test_additive_attention_equals_a_loop_and_torch_autograd_through_it():
    rng = np.random.default_rng(0)
    q, k, v = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 6)), rng.normal(size=(2, 5, 2))
    W_q, W_k, w_v = rng.normal(size=(7, 4)), rng.normal(size=(7, 6)), rng.normal(size=7)
    mask = np.ones((3, 5), bool)
    mask[0, 3:] = False
    out, w = A.additive_attention(q, k, v, W_q, W_k, w_v, mask=mask)
    for b in range(2):
        for i in range(3):
            s = np.array([w_v @ np.tanh(W_q @ q[b, i] + W_k @ k[b, j]) for j in range(5)])
            s = np.where(mask[i], s, -np.inf)
            a = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
            np.testing.assert_allclose(w[b, i], a, atol=1e-14)
            np.testing.assert_allclose(out[b, i], a @ v[b], atol=1e-13)
    assert (w[:, 0, 3:] == 0).all()
    # the same computation in torch
    t = [torch.tensor(a) for a in (q, k, v, W_q, W_k, w_v)]
    scores = torch.tanh((t[0] @ t[3].T)[:, :, None] + (t[1] @ t[4].T)[:, None]) @ t[5]
    scores = scores.masked_fill(~torch.tensor(mask), float("-inf"))
    np.testing.assert_allclose(out, (torch.softmax(scores, -1) @ t[2]).numpy(), atol=1e-13)


@pytest.mark.parametrize("call,match", [
    (lambda: A.scaled_dot_product_attention(np.ones((3, 4)), np.ones((3, 5)), np.ones((3, 5))), "width"),
    (lambda: A.scaled_dot_product_attention(np.ones((3, 4)), np.ones((3, 4)), np.ones((2, 4))), "as many"),
    (lambda: A.scaled_dot_product_attention(np.ones(4), np.ones(4), np.ones(4)), r"\(\.\.\., T, d\)"),
    (lambda: A.scaled_dot_product_attention(np.ones((3, 4)), np.ones((3, 4)), np.ones((3, 4)), np.ones((3, 3))), "boolean"),
    (lambda: A.scaled_dot_product_attention(np.ones((3, 4)), np.ones((3, 4)), np.ones((3, 4)), np.ones((2, 2), bool)), "broadcast"),
    (lambda: A.scaled_dot_product_attention(np.ones((2, 4)), np.ones((2, 4)), np.ones((2, 4)),
                                            np.array([[True, False], [False, False]])), "no key"),
    (lambda: A.scaled_dot_product_attention(np.full((2, 4), np.nan), np.ones((2, 4)), np.ones((2, 4))), "NaN|nan|finite"),
    (lambda: A.additive_attention(np.ones((3, 4)), np.ones((5, 6)), np.ones((4, 2)), np.ones((7, 4)),
                                  np.ones((7, 6)), np.ones(7)), "as many"),
    (lambda: A.additive_attention(np.ones((3, 4)), np.ones((5, 6)), np.ones((5, 2)), np.ones((7, 6)),
                                  np.ones((7, 6)), np.ones(7)), "W_q must have shape"),
    (lambda: A.causal_mask(0), "T"),
    (lambda: A.padding_mask(np.array([0, 2]), 3), "lengths"),
    (lambda: A.positional_encoding(10, 7), "even"),
    (lambda: A.nadaraya_watson(np.ones(2), np.ones(3), np.ones(4)), "same length"),
    (lambda: A.nadaraya_watson(np.ones(2), np.ones(3), np.ones(3), bandwidth=0), "bandwidth"),
    (lambda: A.make_sequence_task("add", 5, 4), "unknown task"),
    (lambda: A.MultiHeadAttention(10, 3), "divide"),
    (lambda: A.MultiHeadAttention(8, 2, dropout=1.0), "dropout"),
    (lambda: A.MultiHeadAttention(8, 2)(torch.ones(2, 3, 4), torch.ones(2, 3, 4), torch.ones(2, 3, 4)), r"\(B, T, 8\)"),
    (lambda: A.MultiHeadAttention(8, 2)(*(torch.ones(2, 3, 8),) * 3, mask=torch.ones(3, 3)), "boolean"),
    (lambda: A.MultiHeadAttention(8, 2)(*(torch.ones(2, 3, 8),) * 3, mask=torch.zeros(3, 3, dtype=torch.bool)), "no key"),
    (lambda: A.TinyTransformer(10)(torch.ones(2, 3)), "integer"),
    (lambda: A.TinyTransformer(10, max_len=4)(torch.ones(2, 5, dtype=torch.long)), "max_len"),
    (lambda: A.TinyTransformer(10)(torch.full((2, 5), 10)), r"\[0, 9\]"),
    (lambda: A.TinyTransformer(10, positions="rotary"), "positions"),
])
def test_bad_input_is_refused_with_a_clear_message(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_multi_head_attention_equals_torch_with_the_same_weights():
    torch.manual_seed(0)
    ref = torch.nn.MultiheadAttention(32, 4, batch_first=True).double()
    mine = A.MultiHeadAttention.from_torch(ref)
    assert mine.q_proj.weight.dtype == torch.float64
    x, y = torch.randn(2, 7, 32, dtype=torch.float64), torch.randn(2, 5, 32, dtype=torch.float64)
    expected, expected_w = ref(x, y, y, average_attn_weights=False)
    out, w = mine(x, y, y, return_weights=True)
    torch.testing.assert_close(out, expected, atol=1e-12, rtol=0)
    torch.testing.assert_close(w, expected_w, atol=1e-12, rtol=0)
    causal = torch.tensor(A.causal_mask(7))
    expected = ref(x, x, x, attn_mask=~causal)[0]  # torch's attn_mask: True means blocked
    torch.testing.assert_close(mine(x, x, x, causal), expected, atol=1e-12, rtol=0)
    assert sum(p.numel() for p in mine.parameters()) == sum(p.numel() for p in ref.parameters()) == 4 * 32 * 33


@pytest.mark.parametrize("norm_first", [False, True])
def test_blocks_equal_torch_layers(norm_first):
    torch.manual_seed(0)
    enc = torch.nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True, norm_first=norm_first).double().eval()
    dec = torch.nn.TransformerDecoderLayer(32, 4, 64, dropout=0.0, batch_first=True, norm_first=norm_first).double().eval()
    my_enc = A.TransformerEncoderBlock.from_torch(enc).eval()  # float64 copies of float64 layers
    my_dec = A.TransformerDecoderBlock.from_torch(dec).eval()
    assert all(p.dtype == torch.float64 for p in [*my_enc.parameters(), *my_dec.parameters()])
    x, memory = torch.randn(3, 6, 32, dtype=torch.float64), torch.randn(3, 4, 32, dtype=torch.float64)
    causal = torch.tensor(A.causal_mask(6))
    torch.testing.assert_close(my_enc(x), enc(x), atol=1e-12, rtol=0)
    torch.testing.assert_close(my_enc(x, causal), enc(x, src_mask=~causal), atol=1e-12, rtol=0)
    torch.testing.assert_close(my_dec(x, memory, causal), dec(x, memory, tgt_mask=~causal), atol=1e-12, rtol=0)


def test_bert_base_sized_encoder_block_has_torchs_parameter_count():
    d, h, d_ff = 768, 12, 3072
    by_hand = (4 * d * d + 4 * d) + (d * d_ff + d_ff + d_ff * d + d) + 2 * (2 * d)
    ref = torch.nn.TransformerEncoderLayer(d, h, d_ff, batch_first=True)
    mine = A.TransformerEncoderBlock(d, h, d_ff)
    assert sum(p.numel() for p in mine.parameters()) == sum(p.numel() for p in ref.parameters()) == by_hand == 7087872


def test_self_attention_without_positions_is_permutation_equivariant():
    torch.manual_seed(0)
    model = A.TinyTransformer(10, positions="none", max_len=8).eval()
    tokens = torch.randint(0, 10, (2, 8))
    perm = torch.randperm(8)
    with torch.no_grad():
        torch.testing.assert_close(model(tokens[:, perm]), model(tokens)[:, :, perm], atol=1e-5, rtol=0)


def test_make_sequence_task():
    X, Y = A.make_sequence_task("reverse", 5, 4, random_state=0)
    assert X.dtype == np.int64 and X.shape == (5, 4)
    np.testing.assert_array_equal(Y, X[:, ::-1])
    X, Y = A.make_sequence_task("sort", 5, 4, n_symbols=3, random_state=0)
    assert X.max() < 3 and np.all(np.diff(Y, axis=1) >= 0)


def test_tiny_transformer_learns_to_reverse_with_the_books_training_loop():
    mlbook.seed_everything(0)
    X, Y = A.make_sequence_task("reverse", 128 * 25, 6, random_state=0)
    Xt, Yt = A.make_sequence_task("reverse", 500, 6, random_state=1)
    model = A.TinyTransformer(10, d_model=32, n_heads=2, max_len=6)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    history = training.fit(model, training.make_loader(X, Y, batch_size=128), opt, epochs=6, show_progress=False,
                           device="cpu")
    assert 0 <= history["train_accuracy"][-1] <= 1  # accuracy per token, not per sequence
    exact, per_token = A.sequence_accuracy(model, Xt, Yt, device="cpu")
    assert exact >= 0.95 and per_token >= exact
    maps = model.attention_maps(torch.as_tensor(Xt[:4]))
    assert len(maps) == 2 and maps[0].shape == (4, 2, 6, 6)
    torch.testing.assert_close(maps[0].sum(dim=-1), torch.ones(4, 2, 6))


def _one_step(device):
    mlbook.seed_everything(0)
    model = A.TinyTransformer(10, d_model=16, n_heads=2, max_len=6).to(device)
    tokens = torch.randint(0, 10, (8, 6))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    F.cross_entropy(model(tokens.to(device)), tokens.to(device)).backward()
    opt.step()
    return [p.detach().cpu().numpy() for p in model.parameters()]


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_tiny_transformer_agrees_on_cpu_and_cuda():
    for a, b in zip(_one_step("cpu"), _one_step("cuda")):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)

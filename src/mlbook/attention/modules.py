"""Multi-head attention and transformer blocks as PyTorch modules, batch first (chapter 10).

Inputs have shape ``(B, T, d_model)``. Masks are boolean and True where attention is allowed, the
convention of :func:`mlbook.attention.scaled_dot_product_attention` and of
``torch.nn.functional.scaled_dot_product_attention`` (``torch.nn.MultiheadAttention``'s ``attn_mask``
uses the opposite one: True there means *blocked*). Each module has ``from_torch`` to copy the weights of
the corresponding ``torch.nn`` module, so the two can be compared output for output.
"""
from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from ..validation import check_positive

__all__ = ["MultiHeadAttention", "TransformerEncoderBlock", "TransformerDecoderBlock"]


def _check_dropout(p: Any) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p < 1.0:
        raise ValueError(f"dropout must be a number in [0, 1), got {p!r}")
    return float(p)


def _as_4d_mask(mask: torch.Tensor, B: int, h: int, Tq: int, Tk: int) -> torch.Tensor:
    """A boolean mask of shape (T_q, T_k), (B, T_q, T_k), (B, 1, T_k) or (B, h, T_q, T_k) as (·, ·, T_q, T_k)."""
    if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool:
        raise TypeError("mask must be a boolean torch.Tensor, True where attention is allowed "
                        f"(got {type(mask).__name__}{'' if not isinstance(mask, torch.Tensor) else ' of ' + str(mask.dtype)})")
    m = mask.unsqueeze(1) if mask.ndim == 3 else mask       # (B, T_q, T_k) -> (B, 1, T_q, T_k)
    try:
        m = torch.broadcast_to(m, (B, h, Tq, Tk))
    except RuntimeError:
        raise ValueError(f"mask of shape {tuple(mask.shape)} does not broadcast to (B, h, T_q, T_k) = "
                         f"{(B, h, Tq, Tk)}") from None
    if not m.any(dim=-1).all():
        raise ValueError("the mask leaves some query with no key to attend to (a row of the mask is all False); "
                         "its softmax would be 0/0")
    return m


class MultiHeadAttention(nn.Module):
    """Multi-head attention, ``h`` heads of width ``d_model / h`` (Vaswani et al., 2017).

    Parameters
    ----------
    d_model : int
    n_heads : int
        Must divide ``d_model``.
    dropout : float, default 0.0
        Dropout on the attention weights (as torch does).
    bias : bool, default True

    Notes
    -----
    ``head_i = softmax(Q W_i^Q (K W_i^K)ᵀ / √d_h) V W_i^V`` and the output is
    ``concat(head_1, …, head_h) W^O``. The four projections are ``d_model × d_model`` matrices: the
    heads are slices of one projection, so the layer has ``4 d_model² (+ 4 d_model)`` parameters
    whatever ``h``.
    """

    def __init__(self, d_model: int, n_heads: int, dropout: float = 0.0, bias: bool = True):
        super().__init__()
        check_positive(d_model, "d_model", integer=True)
        check_positive(n_heads, "n_heads", integer=True)
        if d_model % n_heads:
            raise ValueError(f"n_heads={n_heads} must divide d_model={d_model}")
        self.d_model, self.n_heads, self.d_head = int(d_model), int(n_heads), int(d_model) // int(n_heads)
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)
        self.dropout = nn.Dropout(_check_dropout(dropout))

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None = None,
                *, return_weights: bool = False) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """Attend from ``query`` (B, T_q, d_model) to ``key``/``value`` (B, T_k, d_model).

        Returns the output (B, T_q, d_model) and, with ``return_weights=True``, also the attention
        weights (B, h, T_q, T_k).
        """
        for name, t in (("query", query), ("key", key), ("value", value)):
            if not isinstance(t, torch.Tensor) or t.ndim != 3 or t.shape[-1] != self.d_model:
                raise ValueError(f"{name} must be a tensor of shape (B, T, {self.d_model}), got "
                                 f"{tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__}")
        if key.shape[:2] != value.shape[:2] or query.shape[0] != key.shape[0]:
            raise ValueError(f"query {tuple(query.shape)}, key {tuple(key.shape)} and value {tuple(value.shape)} "
                             "must share the batch size, and key and value the length")
        B, Tq, _ = query.shape
        Tk, h, dh = key.shape[1], self.n_heads, self.d_head
        # region: multi-head
        q = self.q_proj(query).view(B, Tq, h, dh).transpose(1, 2)   # (B, h, T_q, d_h): split into heads
        k = self.k_proj(key).view(B, Tk, h, dh).transpose(1, 2)     # (B, h, T_k, d_h)
        v = self.v_proj(value).view(B, Tk, h, dh).transpose(1, 2)   # (B, h, T_k, d_h)
        scores = q @ k.transpose(-2, -1) / math.sqrt(dh)            # (B, h, T_q, T_k)
        if mask is not None:
            scores = scores.masked_fill(~_as_4d_mask(mask, B, h, Tq, Tk), float("-inf"))
        weights = torch.softmax(scores, dim=-1)                     # each row sums to 1
        heads = self.dropout(weights) @ v                           # (B, h, T_q, d_h)
        out = self.out_proj(heads.transpose(1, 2).reshape(B, Tq, h * dh))  # concatenate heads: (B, T_q, d_model)
        # endregion
        return (out, weights) if return_weights else out

    @classmethod
    def from_torch(cls, mha: nn.MultiheadAttention) -> "MultiHeadAttention":
        """A copy of a batch-first ``torch.nn.MultiheadAttention`` (its ``in_proj_weight`` stacks W^Q, W^K, W^V)."""
        if not isinstance(mha, nn.MultiheadAttention) or not mha._qkv_same_embed_dim:
            raise TypeError("from_torch expects a torch.nn.MultiheadAttention with equal query, key and value widths")
        d = mha.embed_dim
        new = cls(d, mha.num_heads, dropout=mha.dropout, bias=mha.in_proj_bias is not None)
        new.to(device=mha.in_proj_weight.device, dtype=mha.in_proj_weight.dtype)  # no rounding of float64 weights
        with torch.no_grad():
            for i, proj in enumerate((new.q_proj, new.k_proj, new.v_proj)):
                proj.weight.copy_(mha.in_proj_weight[i * d:(i + 1) * d])
                if proj.bias is not None:
                    proj.bias.copy_(mha.in_proj_bias[i * d:(i + 1) * d])
            new.out_proj.load_state_dict(mha.out_proj.state_dict())
        return new


class _FeedForward(nn.Sequential):
    """Position-wise feed-forward network: Linear(d_model, d_ff) → ReLU → Dropout → Linear(d_ff, d_model)."""

    def __init__(self, d_model: int, d_ff: int, dropout: float):
        super().__init__(nn.Linear(d_model, d_ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ff, d_model))


def _check_block_args(d_model: int, n_heads: int, d_ff: int, dropout: Any) -> float:
    check_positive(d_model, "d_model", integer=True)
    check_positive(n_heads, "n_heads", integer=True)
    check_positive(d_ff, "d_ff", integer=True)
    return _check_dropout(dropout)


def _block_from_torch(cls: type, layer: nn.Module, norms: tuple[str, ...]) -> nn.Module:
    """A block of class ``cls`` holding copies of a torch layer's self-attention, feed-forward and norms."""
    attn = MultiHeadAttention.from_torch(layer.self_attn)
    new = cls(attn.d_model, attn.n_heads, layer.linear1.out_features, layer.dropout.p, layer.norm_first)
    new.to(device=layer.linear1.weight.device, dtype=layer.linear1.weight.dtype)
    new.self_attn = attn
    new.ffn[0].load_state_dict(layer.linear1.state_dict())
    new.ffn[3].load_state_dict(layer.linear2.state_dict())
    for name in norms:
        getattr(new, name).load_state_dict(getattr(layer, name).state_dict())
    return new


class TransformerEncoderBlock(nn.Module):
    """Self-attention and a feed-forward network, each with a residual connection and layer normalisation.

    Post-normalisation (``norm_first=False``, the original transformer and torch's default)::

        x = LayerNorm(x + Dropout(SelfAttention(x)))
        x = LayerNorm(x + Dropout(FFN(x)))

    Pre-normalisation (``norm_first=True``) normalises the input of each sub-layer instead,
    ``x = x + Dropout(SelfAttention(LayerNorm(x)))``, which keeps an identity path from input to
    output and trains deep stacks without warm-up (Xiong et al., 2020). Same parameters as
    ``torch.nn.TransformerEncoderLayer(d_model, n_heads, d_ff, batch_first=True)``.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0, norm_first: bool = False):
        super().__init__()
        dropout = _check_block_args(d_model, n_heads, d_ff, dropout)
        self.norm_first = bool(norm_first)
        self.self_attn = MultiHeadAttention(d_model, n_heads, dropout)
        self.ffn = _FeedForward(d_model, d_ff, dropout)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.dropout1, self.dropout2 = nn.Dropout(dropout), nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        # region: encoder block
        if self.norm_first:
            y = self.norm1(x)
            x = x + self.dropout1(self.self_attn(y, y, y, mask))
            x = x + self.dropout2(self.ffn(self.norm2(x)))
        else:
            x = self.norm1(x + self.dropout1(self.self_attn(x, x, x, mask)))
            x = self.norm2(x + self.dropout2(self.ffn(x)))
        return x
        # endregion

    @classmethod
    def from_torch(cls, layer: nn.TransformerEncoderLayer) -> "TransformerEncoderBlock":
        """A copy of a batch-first ``torch.nn.TransformerEncoderLayer`` with ReLU activation."""
        return _block_from_torch(cls, layer, ("norm1", "norm2"))


class TransformerDecoderBlock(nn.Module):
    """Masked self-attention, cross-attention to the encoder's output, and a feed-forward network.

    Each sub-layer has a residual connection and layer normalisation (post- or pre-normalisation as
    in :class:`TransformerEncoderBlock`). ``forward(x, memory, self_mask, memory_mask)``: ``x`` is the
    target sequence (B, T, d_model), ``memory`` the encoder's output (B, S, d_model); ``self_mask``
    is usually :func:`mlbook.attention.causal_mask` (position t sees positions ≤ t only, which is what
    makes teacher forcing honest). Same parameters as ``torch.nn.TransformerDecoderLayer``.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0, norm_first: bool = False):
        super().__init__()
        dropout = _check_block_args(d_model, n_heads, d_ff, dropout)
        self.norm_first = bool(norm_first)
        self.self_attn = MultiHeadAttention(d_model, n_heads, dropout)
        self.cross_attn = MultiHeadAttention(d_model, n_heads, dropout)
        self.ffn = _FeedForward(d_model, d_ff, dropout)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.dropout1, self.dropout2, self.dropout3 = nn.Dropout(dropout), nn.Dropout(dropout), nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, memory: torch.Tensor, self_mask: torch.Tensor | None = None,
                memory_mask: torch.Tensor | None = None) -> torch.Tensor:
        # region: decoder block
        if self.norm_first:
            y = self.norm1(x)
            x = x + self.dropout1(self.self_attn(y, y, y, self_mask))
            x = x + self.dropout2(self.cross_attn(self.norm2(x), memory, memory, memory_mask))
            x = x + self.dropout3(self.ffn(self.norm3(x)))
        else:
            x = self.norm1(x + self.dropout1(self.self_attn(x, x, x, self_mask)))
            x = self.norm2(x + self.dropout2(self.cross_attn(x, memory, memory, memory_mask)))  # queries from x
            x = self.norm3(x + self.dropout3(self.ffn(x)))
        return x
        # endregion

    @classmethod
    def from_torch(cls, layer: nn.TransformerDecoderLayer) -> "TransformerDecoderBlock":
        """A copy of a batch-first ``torch.nn.TransformerDecoderLayer`` with ReLU activation."""
        new = _block_from_torch(cls, layer, ("norm1", "norm2", "norm3"))
        new.cross_attn = MultiHeadAttention.from_torch(layer.multihead_attn)
        return new

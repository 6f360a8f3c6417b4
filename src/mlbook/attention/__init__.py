"""Attention and transformers (chapter 10).

* :mod:`~mlbook.attention.core` (NumPy): :func:`scaled_dot_product_attention`, :func:`additive_attention`, :func:`causal_mask`,
  :func:`padding_mask`, :func:`positional_encoding` and :func:`nadaraya_watson` (kernel regression
  written as attention).
* :mod:`~mlbook.attention.modules` (PyTorch, batch first): :class:`MultiHeadAttention`,
  :class:`TransformerEncoderBlock` and :class:`TransformerDecoderBlock`, each with ``from_torch``.
* :mod:`~mlbook.attention.models` (PyTorch): :class:`TinyTransformer`, :func:`make_sequence_task`
  and :func:`sequence_accuracy`, for the toy tasks of section 6; :func:`make_sequence_task`
  (:mod:`~mlbook.attention.tasks`, NumPy) makes them.

The NumPy functions import without torch; the PyTorch names import torch when first used.
"""
from __future__ import annotations

from .._lazy import lazy_getattr
from .core import additive_attention, causal_mask, nadaraya_watson, padding_mask, positional_encoding, scaled_dot_product_attention
from .tasks import make_sequence_task

_TORCH_NAMES = {"MultiHeadAttention": "modules", "TransformerEncoderBlock": "modules",
                "TransformerDecoderBlock": "modules", "TinyTransformer": "models",
                "sequence_accuracy": "models"}

__all__ = ["scaled_dot_product_attention", "additive_attention", "causal_mask", "padding_mask", "positional_encoding", "nadaraya_watson",
           "make_sequence_task", *_TORCH_NAMES]


__getattr__ = lazy_getattr(__name__, _TORCH_NAMES, globals())

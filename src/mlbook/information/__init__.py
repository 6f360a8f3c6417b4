"""Information theory: entropy, cross-entropy, divergences, mutual information, codes and Gaussians.

Chapter 3 derives each quantity and checks it against SciPy, scikit-learn and PyTorch.

* :mod:`~mlbook.information.discrete`: :func:`entropy`, :func:`cross_entropy`, :func:`kl_divergence`,
  :func:`js_divergence`, :func:`total_variation`, :func:`conditional_entropy`,
  :func:`mutual_information`, :func:`conditional_mutual_information`,
  :func:`mutual_information_of_counts`, :func:`entropy_of_counts` (the book's one entropy formula,
  used by Chapter 6's trees) and :func:`perplexity`. Discrete results are in **bits** by default
  (``base=2``); pass ``base=np.e`` for nats, the unit of SciPy, scikit-learn and PyTorch.
* :mod:`~mlbook.information.coding`: :func:`huffman_code`, :func:`prefix_code_from_lengths`,
  :func:`is_prefix_free`, :func:`expected_code_length`, :func:`encode`, :func:`decode`.
* :mod:`~mlbook.information.gaussian`: :func:`gaussian_kl`, :func:`gaussian_entropy` and
  :func:`fit_gaussian_kl`, all in **nats**.
"""
from __future__ import annotations

from .coding import decode, encode, expected_code_length, huffman_code, is_prefix_free, prefix_code_from_lengths
from .discrete import (conditional_entropy, conditional_mutual_information, cross_entropy, entropy, entropy_of_counts,
                       js_divergence, kl_divergence, mutual_information, mutual_information_of_counts, perplexity,
                       total_variation)
from .gaussian import fit_gaussian_kl, gaussian_entropy, gaussian_kl

__all__ = ["entropy", "entropy_of_counts", "cross_entropy", "kl_divergence", "js_divergence", "total_variation",
           "conditional_entropy", "mutual_information", "conditional_mutual_information",
           "mutual_information_of_counts", "perplexity", "huffman_code", "prefix_code_from_lengths",
           "is_prefix_free", "expected_code_length", "encode", "decode", "gaussian_kl", "gaussian_entropy",
           "fit_gaussian_kl"]

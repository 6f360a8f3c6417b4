"""Source coding: prefix codes, the Kraft inequality, Huffman codes, encoding and decoding.

Chapter 3, section 1 ("Entropy and source coding"): the expected length L of the best prefix code
satisfies H ≤ L < H + 1 bits per symbol.
"""
from __future__ import annotations

import heapq
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._common import check_distribution

__all__ = ["huffman_code", "prefix_code_from_lengths", "is_prefix_free", "expected_code_length", "encode", "decode"]


def huffman_code(probs: Any) -> list[str]:
    """An optimal binary prefix code for the symbols with probabilities ``probs`` (Huffman, 1952).

    Parameters
    ----------
    probs : array-like of shape (k,)
        A probability vector; zero probabilities are allowed (such a symbol never gets a shorter
        codeword than a symbol of positive probability).

    Returns
    -------
    list of str
        The codeword of each symbol, in the order of ``probs``; a single symbol gets ``"0"``.
        Ties are broken by symbol order, so the code is deterministic.

    Notes
    -----
    Repeatedly merge the two least probable nodes; each merge adds one bit to every codeword below
    it. The expected length :math:`L = \\sum_i p_i \\ell_i` satisfies :math:`H \\le L < H + 1` bits.
    """
    p = check_distribution(probs, "probs")
    if p.ndim != 1:
        raise ValueError(f"probs must be one probability vector (1-D), got shape {p.shape}")
    k = p.size
    if k == 1:
        return ["0"]
    codes = [""] * k
    # region: huffman
    # heap entries: (probability, tie-breaker, the symbols under this node)
    heap = [(float(pi), i, [i]) for i, pi in enumerate(p)]
    heapq.heapify(heap)
    counter = k
    while len(heap) > 1:
        p0, _, left = heapq.heappop(heap)      # the two least probable nodes
        p1, _, right = heapq.heappop(heap)
        for i in left:
            codes[i] = "0" + codes[i]
        for i in right:
            codes[i] = "1" + codes[i]
        heapq.heappush(heap, (p0 + p1, counter, left + right))
        counter += 1
    # endregion
    return codes


def prefix_code_from_lengths(lengths: Any) -> list[str]:
    """A binary prefix code with the given codeword lengths: the converse of the Kraft inequality.

    Parameters
    ----------
    lengths : sequence of positive int
        Lengths :math:`\\ell_i` with :math:`\\sum_i 2^{-\\ell_i} \\le 1`; others are refused.

    Returns
    -------
    list of str
        The codeword of each symbol, in the order of ``lengths``.

    Notes
    -----
    Take the lengths in increasing order; codeword :math:`i` is the first :math:`\\ell_i` bits of the
    binary expansion of :math:`F_i = \\sum_{j<i} 2^{-\\ell_j}` (Chapter 3, section 1). The arithmetic
    is exact, in integer units of :math:`2^{-\\max_i \\ell_i}`.
    """
    arr = np.asarray(lengths)
    if (arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iuf" or not np.all(np.isfinite(arr))
            or np.any(arr < 1) or np.any(arr != np.round(arr))):
        raise ValueError(f"lengths must be a non-empty sequence of positive whole numbers, got {lengths!r}")
    lens = [int(v) for v in arr]
    top = max(lens)
    if sum(2 ** (top - v) for v in lens) > 2 ** top:
        raise ValueError(f"lengths {lens} violate the Kraft inequality (sum of 2^-l > 1): no prefix code has them")
    codes, F = [""] * len(lens), 0
    # region: kraft-converse
    for i in sorted(range(len(lens)), key=lambda i: lens[i]):
        codes[i] = format(F >> (top - lens[i]), f"0{lens[i]}b")   # the first l_i bits of F_i
        F += 2 ** (top - lens[i])                                   # F_{i+1} = F_i + 2^-l_i
    # endregion
    return codes


def is_prefix_free(codes: Sequence[str]) -> bool:
    """True when no codeword is a prefix of (or equal to) another."""
    return all(not b.startswith(a) for a, b in itertools.permutations(codes, 2))


def expected_code_length(probs: Any, codes: Sequence[str]) -> float:
    """The expected codeword length :math:`L = \\sum_i p_i \\ell_i` in bits per symbol."""
    p = check_distribution(probs, "probs")
    if p.ndim != 1 or p.size != len(codes):
        raise ValueError(f"probs must be one probability per codeword ({len(codes)}), got shape {p.shape}")
    return float(p @ np.array([len(c) for c in codes], dtype=np.float64))


def encode(symbols: Sequence[int], codes: Sequence[str]) -> str:
    """The concatenated codewords of ``symbols`` (indices into ``codes``)."""
    idx = np.asarray(symbols)
    if idx.size and (idx.dtype.kind not in "iu" or idx.min() < 0 or idx.max() >= len(codes)):
        raise ValueError(f"symbols must be integer indices into the {len(codes)} codewords (0 to {len(codes) - 1})")
    return "".join(codes[int(s)] for s in idx.ravel())


def decode(bits: str, codes: Sequence[str]) -> list[int]:
    """Decode a prefix code left to right: each codeword is recognised as soon as it is complete.

    Raises ``ValueError`` for a code that is not prefix-free, a character other than 0/1, or bits
    that end inside a codeword.
    """
    if not is_prefix_free(codes):
        raise ValueError("codes must be prefix-free to be decoded left to right")
    lookup, symbols, word = {c: i for i, c in enumerate(codes)}, [], ""
    # region: decode
    for bit in bits:
        if bit not in "01":
            raise ValueError(f"bits must contain only '0' and '1', got {bit!r}")
        word += bit
        if word in lookup:                 # no codeword is a prefix of another: this one is complete
            symbols.append(lookup[word])
            word = ""
    # endregion
    if word:
        raise ValueError(f"the bits end inside a codeword ({word!r} left over)")
    return symbols

"""Where code runs and how it is made repeatable: device choice, seeding, progress bars."""
from __future__ import annotations

import os
import random
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

import numpy as np

T = TypeVar("T")

_VALID_DEVICES = ("cpu", "cuda", "mps")


def device(name: str | None = None) -> "torch.device":  # noqa: F821 (torch imported lazily)
    """Return the ``torch.device`` the book's code should run on.

    Parameters
    ----------
    name : {"cpu", "cuda", "cuda:N", "mps"}, optional
        Force a device. When omitted, the environment variable ``MLBOOK_DEVICE`` is read,
        and when that is unset too, CUDA is used if available and the CPU otherwise.

    Raises
    ------
    ValueError
        If the device type (the part before any ``:``) is not ``cpu``, ``cuda`` or ``mps``: the book's
        code is written for these three, so other types are refused even where torch knows them
        (``"xpu"``, ``"meta"``).
    RuntimeError
        If CUDA (or MPS) is requested explicitly but is not available on this machine.
    """
    import torch

    requested = name if name is not None else os.environ.get("MLBOOK_DEVICE", "").strip()
    if not requested:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    kind = requested.split(":", 1)[0].lower()
    if kind not in _VALID_DEVICES:
        source = "argument" if name is not None else "MLBOOK_DEVICE"
        raise ValueError(
            f"unknown device {requested!r} (from the {source}); expected one of "
            f"'cpu', 'cuda', 'cuda:N' or 'mps'"
        )
    if kind == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            f"device {requested!r} was requested but CUDA is not available here; "
            "unset MLBOOK_DEVICE or use 'cpu'"
        )
    if kind == "mps" and not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
        raise RuntimeError(f"device {requested!r} was requested but MPS is not available here")
    return torch.device(requested.lower())


def seed_everything(seed: int, *, deterministic: bool = False) -> None:
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and every CUDA device).

    Parameters
    ----------
    seed : int
        A non-negative integer below 2**32.
    deterministic : bool, default False
        Also ask torch for deterministic algorithms (slower on GPU; some operations refuse).

    Notes
    -----
    The package's own estimators never read the global generators: they take a
    ``random_state`` and make a local ``np.random.default_rng``. Seeding the globals is for
    the notebooks' own code (``torch.randn``, ``np.random.rand``, data loaders ...).

    torch is seeded when it has been imported (import it before seeding, as the notebooks do) or
    when ``deterministic`` is set; a notebook that never uses torch does not pay for importing it.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= int(seed) < 2**32:
        raise ValueError(f"seed must lie in [0, 2**32), got {seed}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    if "torch" not in sys.modules and not deterministic:
        return
    import torch

    torch.manual_seed(seed)  # also seeds every CUDA device
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    if deterministic:
        torch.use_deterministic_algorithms(True)
        torch.backends.cudnn.benchmark = False


def progress(iterable: Iterable[T], *, desc: str | None = None, total: int | None = None,
             leave: bool = True, disable: bool | None = None) -> Iterator[T]:
    """Wrap an iterable in a progress bar (``tqdm.auto``: a widget in Jupyter, text elsewhere).

    The bar is switched off when ``MLBOOK_PROGRESS=0`` is set, e.g. for quiet test runs.
    """
    from tqdm.auto import tqdm

    if disable is None:
        disable = os.environ.get("MLBOOK_PROGRESS", "1") == "0"
    return iter(tqdm(iterable, desc=desc, total=total, leave=leave, disable=disable))

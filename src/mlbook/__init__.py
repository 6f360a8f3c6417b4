"""mlbook: the reference implementations of the bilingual machine-learning textbook.

Every algorithm the book derives is implemented once here, readably, and checked
against scikit-learn, PyTorch or SciPy in the book's tests. The chapters import it.

Core helpers used by every chapter::

    import mlbook
    mlbook.seed_everything(0)      # random, numpy, torch (and CUDA)
    device = mlbook.device()       # cuda when available, else cpu; MLBOOK_DEVICE overrides
    mlbook.use_style()             # the book's plotting style

Topic modules (``mlbook.data``, ``mlbook.widgets``, ``mlbook.calculus`` ...) are imported
on demand, so ``import mlbook`` stays fast.
"""
from __future__ import annotations

import importlib
from typing import Any

from .plotting import use_style
from .runtime import device, progress, seed_everything

__version__ = "0.1.0"

__all__ = ["device", "seed_everything", "use_style", "progress", "__version__"]


def __getattr__(name: str) -> Any:
    """Import topic submodules lazily: ``mlbook.data`` works without an explicit import."""
    try:
        module = importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{name}":
            raise AttributeError(f"module 'mlbook' has no attribute {name!r}") from None
        raise
    globals()[name] = module
    return module

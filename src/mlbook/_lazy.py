"""Module-level ``__getattr__`` that imports a package's PyTorch submodules only when a name is first used."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_getattr(package: str, names: dict[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A ``__getattr__`` for ``package`` that loads ``names[name]`` (a submodule) on first access.

    The value is stored in ``namespace`` (the package's globals), so the import happens once.
    """
    def __getattr__(name: str) -> Any:
        if name in names:
            value = getattr(importlib.import_module(f".{names[name]}", package), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    return __getattr__

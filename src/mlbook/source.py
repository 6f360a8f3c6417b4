"""Show the package's own code in a chapter, by whole object or by a marked region.

A chapter that walks through an implementation shows the lines that matter, not a slice of
``inspect.getsource`` cut at string offsets (which breaks silently on the next edit). The lines
to show are marked in the source with comments::

    def fit(self, X, y):
        X, y = check_X_y(X, y)
        # region: normal equations
        A = X1.T @ X1
        w = np.linalg.solve(A, X1.T @ y)
        # endregion
        ...

and the chapter calls ``show_source(LinearRegression.fit, "normal equations")``. A missing or
repeated marker raises ``LookupError`` naming the object and the regions it has, so an edit that
breaks a chapter's display fails the book's tests instead of printing the wrong lines.
Marker lines are never shown; the region is dedented.
"""
from __future__ import annotations

import ast
import inspect
import re
import textwrap
from typing import Any

__all__ = ["show_source", "source_text", "regions"]

_START = re.compile(r"^\s*#\s*region:\s*(?P<name>\S.*?)\s*$")
_END = re.compile(r"^\s*#\s*endregion\b.*$")


def _lines(obj: Any) -> list[str]:
    try:
        return inspect.getsource(obj).splitlines()
    except (TypeError, OSError) as exc:
        raise TypeError(f"cannot read the source of {obj!r}: {exc}") from None


def _name(obj: Any) -> str:
    return getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)


def regions(obj: Any) -> list[str]:
    """The names of the regions marked in the source of ``obj``, in order."""
    return [m["name"] for line in _lines(obj) if (m := _START.match(line))]


def _strip_docstring(lines: list[str]) -> list[str]:
    """Remove the docstring of the function or class whose source ``lines`` are."""
    tree = ast.parse(textwrap.dedent("\n".join(lines)))
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or not node.body:
        return lines
    first = node.body[0]
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
            and first.lineno != node.lineno):
        return lines[:first.lineno - 1] + lines[first.end_lineno:]
    return lines


def source_text(obj: Any, region: str | None = None, *, docstring: bool = False) -> str:
    """The source of ``obj`` (a function, method or class), or of one region of it, as a string.

    Parameters
    ----------
    obj : function, method or class
    region : str, optional
        The name after ``# region:``. Without it the whole object is returned.
    docstring : bool, default False
        Keep the docstring (whole objects only; a region never contains one).

    Raises
    ------
    LookupError
        When ``region`` is not marked exactly once, or a region is not closed by ``# endregion``.
    """
    lines = _lines(obj)
    if region is None:
        if not docstring:
            lines = _strip_docstring(lines)
        kept = [line for line in lines if not (_START.match(line) or _END.match(line))]
        return textwrap.dedent("\n".join(kept))

    starts = [i for i, line in enumerate(lines) if (m := _START.match(line)) and m["name"] == region]
    if len(starts) != 1:
        have = regions(obj)
        how = "is not marked" if not starts else f"is marked {len(starts)} times"
        raise LookupError(f"region {region!r} {how} in {_name(obj)}; its regions are {have or 'none'}. "
                          f"Mark it with '# region: {region}' ... '# endregion'.")
    depth, body = 0, []
    for line in lines[starts[0] + 1:]:
        if _START.match(line):
            depth += 1
            continue
        if _END.match(line):
            if depth == 0:
                return textwrap.dedent("\n".join(body))
            depth -= 1
            continue
        body.append(line)
    raise LookupError(f"region {region!r} in {_name(obj)} has no '# endregion'")


def show_source(obj: Any, region: str | None = None, *, docstring: bool = False) -> None:
    """Print the source of ``obj``, or of one marked region of it (see :func:`source_text`)."""
    print(source_text(obj, region, docstring=docstring))

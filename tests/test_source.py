"""mlbook.source: show marked regions of the package's code, and fail loudly when a marker is missing."""
from __future__ import annotations

import pytest

from mlbook import widgets
from mlbook.source import regions, show_source, source_text


def sample(x, y):
    """A docstring
    over two lines."""
    a = x + 1
    # region: core
    b = a * y
    if b > 0:
        # region: inner
        b = -b
        # endregion
    # endregion
    return b


def test_whole_function_without_docstring_or_markers():
    text = source_text(sample)
    assert text.startswith("def sample(x, y):\n    a = x + 1")
    assert "docstring" not in text and "region" not in text and "return b" in text
    assert '"""A docstring' in source_text(sample, docstring=True)


def test_regions_are_dedented_and_nested_markers_stripped():
    assert source_text(sample, "core") == "b = a * y\nif b > 0:\n    b = -b"
    assert source_text(sample, "inner") == "b = -b"
    assert regions(sample) == ["core", "inner"]


def test_missing_or_unclosed_regions_raise():
    with pytest.raises(LookupError, match=r"'update' is not marked in sample; its regions are \['core', 'inner'\]"):
        source_text(sample, "update")

    def unclosed():
        # region: open
        return 1

    with pytest.raises(LookupError, match="no '# endregion'"):
        source_text(unclosed, "open")

    def twice():
        # region: a
        x = 1
        # endregion
        # region: a
        return x
        # endregion

    with pytest.raises(LookupError, match="marked 2 times"):
        source_text(twice, "a")


def test_show_source_prints_a_region_of_the_package(capsys):
    show_source(widgets.flipbook, "static form")
    out = capsys.readouterr().out
    assert out.startswith("controls = ") and "jslink" in out and "# region" not in out


def test_objects_without_source_are_refused():
    with pytest.raises(TypeError, match="cannot read the source"):
        source_text(len)


def test_package_source_compiles_without_escape_warnings():
    """A LaTeX docstring that is not raw turns ``\\t`` in ``\\tanh`` into a tab and ``\\m`` into a warning."""
    import pathlib
    import warnings

    import mlbook

    root = pathlib.Path(mlbook.__file__).parent
    files = sorted(root.rglob("*.py"))
    assert files
    for path in files:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            compile(path.read_text(encoding="utf-8"), str(path), "exec")

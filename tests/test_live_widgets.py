"""Every widget works in a live kernel after "Run All", as a reader in Jupyter or Colab would use it.

Each notebook that builds a flipbook is executed from top to bottom in a kernel with
``MLBOOK_WIDGETS=live`` (as in Jupyter), and then, with the notebook's final state in memory,
every control of every flipbook is moved to its lowest value, its highest, one step above the
lowest and a value in between (:func:`mlbook.widgets.exercise`). Any failed redraw fails the test,
naming the notebook, the drawing function and the setting.

This execution also stands in for nbval on these notebooks (an error in any cell fails it), so the
root ``conftest.py`` keeps nbval from running them a second time.
"""
from __future__ import annotations

import json
import os

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import builds_widgets, notebook_paths, rel

WIDGET_NOTEBOOKS = [p for p in notebook_paths() if builds_widgets(p)]

DRIVE = """
import json as _json
import mlbook.widgets as _w
_report = []
for _box in _w.built():
    if _box.live:
        _report.append({"draw": _box.draw.__name__, "controls": list(_box.controls),
                        "settings": len(_w.exercise(_box))})
print("MLBOOK-LIVE-REPORT " + _json.dumps(_report))
"""


def test_there_are_widget_notebooks():
    assert len(WIDGET_NOTEBOOKS) >= 5, [rel(p) for p in WIDGET_NOTEBOOKS]


@pytest.mark.parametrize("path", WIDGET_NOTEBOOKS, ids=rel)
def test_every_control_redraws_after_run_all(path, monkeypatch):
    monkeypatch.setenv("MLBOOK_WIDGETS", "live")
    monkeypatch.setenv("MLBOOK_PROGRESS", "0")
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(DRIVE))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    line = next(ln for ln in text.splitlines() if ln.startswith("MLBOOK-LIVE-REPORT "))
    report = json.loads(line.removeprefix("MLBOOK-LIVE-REPORT "))
    assert report, f"{rel(path)} builds no live flipbook"
    for entry in report:
        assert entry["settings"] >= 2 * len(entry["controls"]), entry
    print(rel(path), report)

"""Collection rules for the whole repository.

`make test-fast` runs nbval over chapters/ (`make test` lets the site build execute the notebooks).
Notebooks that build widgets are executed from top to bottom, and then with every control moved,
by tests/test_live_widgets.py; nbval does not execute them a second time.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("_book_tests_conftest", Path(__file__).parent / "tests" / "conftest.py")
_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tests)


def pytest_ignore_collect(collection_path: Path, config):
    if collection_path.suffix == ".ipynb" and config.getoption("nbval_lax", default=False):
        if _tests.builds_widgets(collection_path):
            return True
    return None

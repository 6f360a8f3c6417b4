"""Shared fixtures and helpers for the book's tests."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("MLBOOK_PROGRESS", "0")


def notebook_paths() -> list[Path]:
    """Every notebook of the book, in a stable order."""
    return sorted(p for p in CHAPTERS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def builds_widgets(path: Path) -> bool:
    """Whether a notebook's code builds a flipbook (tests/test_live_widgets.py executes those)."""
    nb = load_notebook(path)
    return any(c["cell_type"] == "code" and "flipbook(" in cell_source(c) for c in nb["cells"])


def load_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def cell_tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags") or [])


def repository_url() -> str:
    """The one repository URL, read from _config.yml."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"].rstrip("/")


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(params=notebook_paths(), ids=lambda p: rel(p))
def notebook(request) -> tuple[Path, dict]:
    return request.param, load_notebook(request.param)


HEADING = re.compile(r"^#{1,6}\s", re.M)

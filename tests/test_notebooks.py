"""The shape of every notebook and of the table of contents."""
from __future__ import annotations

import re

import yaml

from conftest import CHAPTERS, ROOT, cell_source, cell_tags, notebook_paths, rel, repository_url


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", []))
    return found


def test_toc_lists_every_notebook_and_nothing_missing():
    listed = set(toc_files())
    notebooks = {rel(p).removesuffix(".ipynb") for p in notebook_paths()}
    assert notebooks - listed == set(), "notebooks missing from _toc.yml"
    pages = {rel(p).rsplit(".", 1)[0] for p in CHAPTERS.rglob("*") if p.suffix in (".ipynb", ".md")}
    assert listed - pages == set(), "_toc.yml lists files that do not exist"


def test_first_code_cell_installs_mlbook_on_colab_only(notebook):
    path, nb = notebook
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, f"{rel(path)} has no code cell"
    first = cell_source(code[0])
    assert 'if "google.colab" in sys.modules:' in first
    urls = re.findall(r"git\+(https://\S+?)\"", first)
    assert urls == [repository_url()], f"the install cell must use the repository URL in _config.yml, got {urls}"
    assert "remove-cell" in cell_tags(code[0]), "the Colab cell is hidden on the site (tag remove-cell)"


def test_notebooks_seed_and_pick_a_device(notebook):
    path, nb = notebook
    code = "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    uses_randomness = re.search(r"np\.random|torch\.|random_state|rng|mlbook\.data", code)
    if uses_randomness:
        assert "mlbook.seed_everything(" in code, f"{rel(path)} draws random numbers without seeding"
    if "torch" in code:
        assert "mlbook.device()" in code, f"{rel(path)} uses torch without mlbook.device()"


def test_notebooks_download_nothing(notebook):
    path, nb = notebook
    code = "\n".join(cell_source(c) for c in nb["cells"][1:] if c["cell_type"] == "code")
    for pattern in (r"fetch_openml", r"urlretrieve", r"requests\.get", r"download=True", r"wget ", r"curl "):
        assert not re.search(pattern, code), f"{rel(path)} downloads data ({pattern})"


def test_references_appendix_is_up_to_date():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "references.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr

"""The shape of every notebook and of the table of contents."""
from __future__ import annotations

import re
import sys

from conftest import CHAPTERS, HEADING, ROOT, cell_source, cell_tags, load_notebook, notebook_paths, rel, repository_url

sys.path.insert(0, str(ROOT / "tools"))
from execute_book import toc_files  # noqa: E402  (the one reader of _toc.yml)


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
    assert "output.enable_custom_widget_manager()" in first, "Colab needs its manager for ipywidgets 8"
    urls = re.findall(r"git\+(https://\S+?)\"", first)
    assert urls == [repository_url()], f"the install cell must use the repository URL in _config.yml, got {urls}"
    assert "remove-cell" in cell_tags(code[0]), "the Colab cell is hidden on the site (tag remove-cell)"


def test_notebooks_seed_and_pick_a_device_only_when_used(notebook):
    path, nb = notebook
    code = "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    uses_randomness = re.search(r"np\.random|torch\.|random_state|rng|mlbook\.data", code)
    if uses_randomness:
        assert "mlbook.seed_everything(" in code, f"{rel(path)} draws random numbers without seeding"
    # The variable `device` read anywhere (not a keyword `device=` or an attribute `.device`) must come from
    # mlbook.device() (or mlbook.device("cpu") where a notebook keeps to the CPU on purpose); a notebook
    # that picks a device and never reads it pays for nothing (REVIEW.md, 11).
    uses_device = re.search(r"(?<![\w.\"'])device\b(?!\s*=(?!=))(?!\()", code)
    if uses_device:
        assert re.search(r"mlbook\.device\((\"cpu\")?\)", code), f"{rel(path)} uses `device` without mlbook.device()"
    if re.search(r"^device = mlbook\.device\((\"cpu\")?\)", code, re.M):
        assert uses_device, f"{rel(path)} calls mlbook.device() but never uses `device`: drop it"


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


COMPARISONS = {"allclose", "isclose", "array_equal", "array_equiv", "equal", "assert_allclose"}


def _code_for_ast(source: str) -> str:
    """A code cell without IPython magics and shell escapes, so that ``ast`` can parse it."""
    return "\n".join("" if line.startswith(("%", "!")) else line for line in source.splitlines())


def unasserted_comparisons(source: str) -> list[str]:
    """Comparisons a cell computes without asserting: they cannot fail under nbval.

    A call to ``allclose``/``isclose``/``array_equal``/``torch.equal`` must sit inside an ``assert``
    (or be replaced by ``mlbook.check``); a ``print`` must not print a comparison (``a == b``, a
    call to one of those functions), since a printed ``False`` fails nothing.
    """
    import ast

    tree = ast.parse(_code_for_ast(source))
    inside_assert: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            inside_assert.update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            owner = getattr(getattr(node.func, "value", None), "id", "")
            is_comparison = name in COMPARISONS and not (name == "equal" and owner not in ("torch", "np", "numpy"))
            if is_comparison and name != "assert_allclose" and id(node) not in inside_assert:
                found.append(f"line {node.lineno}: {ast.unparse(node)[:80]}")
            if name == "print":
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    for sub in ast.walk(arg):
                        if isinstance(sub, ast.Compare) and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in sub.ops):
                            found.append(f"line {node.lineno}: prints {ast.unparse(sub)[:80]}")
    return sorted(set(found))


def test_the_detector_finds_print_only_checks():
    assert unasserted_comparisons("print(np.allclose(a, b))")
    assert unasserted_comparisons("ok = torch.allclose(a, b)\nprint(ok)")
    assert unasserted_comparisons('print("same:", (a == b).all())')
    assert not unasserted_comparisons("assert np.allclose(a, b), 'differ'")
    assert not unasserted_comparisons("assert all(np.array_equal(x, y) for x, y in pairs)")
    assert not unasserted_comparisons("check.close(a, b, rtol=1e-9, what='x')\nprint(a.max())")
    assert not unasserted_comparisons("np.testing.assert_allclose(a, b)")


def test_every_comparison_in_a_notebook_is_asserted(notebook):
    path, nb = notebook
    problems = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            problems += [f"cell {i} {p}" for p in unasserted_comparisons(cell_source(cell))]
    assert not problems, (f"{rel(path)} compares without asserting (use mlbook.check.close/equal or assert):\n"
                          + "\n".join(problems))


def test_notebooks_show_code_through_the_region_helper(notebook):
    """No slicing of inspect.getsource at string offsets, and no private names of mlbook."""
    path, nb = notebook
    code = "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert "inspect.getsource" not in code, f"{rel(path)}: show code with mlbook.source.show_source"
    private = re.findall(r"\b(?:mlbook|trees|metrics|calculus|linear|nn|optim|init|model|net|[A-Z]\w*)\.(_[a-z]\w*)", code)
    assert not private, f"{rel(path)} uses private names: {sorted(set(private))}"


def test_every_exercise_has_a_collapsed_solution(notebook):
    """An exercise (a "### Exercise N" heading) is followed, before the next heading, by its solution:
    a <details> block in both languages, or a code cell tagged `solution` (collapsed everywhere)."""
    path, nb = notebook
    cells = nb["cells"]
    starts = [i for i, c in enumerate(cells)
              if c["cell_type"] == "markdown" and re.match(r"#{1,6}\s+Exercise \d+", cell_source(c))]
    for i in starts:
        end = next((j for j in range(i + 1, len(cells))
                    if cells[j]["cell_type"] == "markdown" and HEADING.match(cell_source(cells[j]))), len(cells))
        block = cells[i + 1:end]
        text = "\n".join(cell_source(c) for c in block if c["cell_type"] == "markdown")
        code = [c for c in block if c["cell_type"] == "code" and "solution" in cell_tags(c)]
        both = "<summary>Solution</summary>" in text and "<summary>解答</summary>" in text
        title = cell_source(cells[i]).splitlines()[0]
        assert both or code, f"{rel(path)}: '{title}' has no solution in both languages"
        for c in code:
            assert "hide-cell" in cell_tags(c), f"{rel(path)}: the solution of '{title}' must be tagged hide-cell"


def test_exercises_are_numbered_through_each_chapter():
    for chapter in sorted(p for p in CHAPTERS.iterdir() if p.is_dir()):
        numbers = []
        for path in sorted(chapter.glob("*.ipynb")):
            for c in load_notebook(path)["cells"]:
                m = re.match(r"#{1,6}\s+Exercise (\d+)", cell_source(c)) if c["cell_type"] == "markdown" else None
                if m:
                    numbers.append(int(m.group(1)))
        assert numbers == list(range(1, len(numbers) + 1)), f"{chapter.name}: exercises numbered {numbers}"

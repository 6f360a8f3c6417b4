#!/usr/bin/env python3
"""Collect the references of every chapter into the appendix page chapters/appendix/references.ipynb.

Each chapter lists its references in its own notebooks (a "References | 参考文献" section in the
chapter's index, the preface's full list); this script gathers the bullet items of those lists,
merges the entries that name the same work, and writes the appendix in both languages.

    python tools/references.py          # rewrite the appendix
    python tools/references.py --check  # exit 1 if the appendix is out of date (used by the tests)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "chapters" / "appendix" / "references.ipynb"
# A list item runs to the next item, a blank line or the end of the cell (a paragraph after the list is not part of it).
ITEM = re.compile(r"^[-*]\s+(.*?)(?=^[-*]\s|\n[ \t]*\n|\Z)", re.M | re.S)
# A pointer into a book that one chapter adds to the entry ("*Deep Learning*, Chapter 4 ... and Section 6.5").
POINTER = re.compile(r"\*,? (?:Chapters?|Sections?) \d")
KEY = re.compile(r"^(.*?)\((\d{4}[a-z]?)\)")   # a letter after the year (1933a, 1933b) tells two works apart
COLAB = ("# Colab only: install the book's package and turn on Colab's manager for ipywidgets 8\n"
         "# (does nothing elsewhere).\nimport sys\n"
         'if "google.colab" in sys.modules:\n'
         '    get_ipython().run_line_magic("pip", "install -q git+{url}")\n'
         "    from google.colab import output\n"
         "    output.enable_custom_widget_manager()")


def source(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def lang(cell: dict) -> str | None:
    tags = [t for t in cell.get("metadata", {}).get("tags", []) if t in ("en", "zh")]
    return tags[0] if len(tags) == 1 else None


def items(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", m.group(1)).strip() for m in ITEM.finditer(text)]


def key(item: str) -> str:
    """Authors' surnames and the year: the same work cited by two chapters gets one key."""
    m = KEY.match(item)
    head = m.group(1) if m else item[:40]
    names = re.findall(r"[A-Z][A-Za-z'\-]+(?=,)", head) or [head.strip()]
    return (" ".join(names) + " " + (m.group(2) if m else "")).lower()


def place(nb_path: Path) -> tuple[str, str, int]:
    """How a notebook is named in the list, in English and Chinese, and its sort order."""
    folder = nb_path.parent.name
    if nb_path.stem == "notation":
        return "Notation", "符号说明", 100
    if folder == "00_front":
        return "Preface", "前言", 0
    number = int(folder.split("_", 1)[0])
    return f"Chapter {number}", f"第 {number} 章", number


def reference_cells(nb: dict) -> list[tuple[dict, dict]]:
    """The (en, zh) cell pairs that hold reference lists."""
    cells, found, heading = nb["cells"], [], ""
    for i, cell in enumerate(cells):
        text = source(cell)
        if cell["cell_type"] == "markdown" and lang(cell) is None and text.lstrip().startswith("#"):
            heading = text
        if lang(cell) == "en" and i + 1 < len(cells) and lang(cells[i + 1]) == "zh":
            if "References" in heading or text.lstrip().startswith("The full references"):
                found.append((cell, cells[i + 1]))
    return found


def collect() -> list[dict]:
    refs: dict[tuple[str, str], dict] = {}
    for path in sorted((ROOT / "chapters").glob("*/*.ipynb")):
        if path.parent.name == "appendix" and path.stem != "notation":
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        for en, zh in reference_cells(nb):
            en_items, zh_items = items(source(en)), items(source(zh))
            if len(zh_items) != len(en_items):
                zh_items = en_items
            for e, z in zip(en_items, zh_items):
                # One entry per work and wording: a chapter that adds its own pointer into a work
                # ("Chapter 4 and Section 6.5") gets its own entry, cited in that chapter only.
                pointer = POINTER.search(e)
                ref = refs.setdefault((key(e), e if pointer else ""), {"en": e, "zh": z, "where": set()})
                if not pointer and len(e) > len(ref["en"]):
                    ref["en"], ref["zh"] = e, z  # the fullest wording of the plain entry
                ref["where"].add(place(path))
    return sorted(refs.values(), key=lambda r: (r["en"].lower(), len(r["en"])))


def render(refs: list[dict], url: str) -> dict:
    def cited(ref, i):
        return ", ".join(p[i] for p in sorted(ref["where"], key=lambda p: p[2]))

    en_list = "\n".join(f"* {r['en']} — cited in: {cited(r, 0)}" for r in refs)
    zh_list = "\n".join(f"* {r['zh']} ——引用于：{cited(r, 1).replace(', ', '、')}" for r in refs)
    md = lambda text, tags=None: {"cell_type": "markdown", "metadata": {"tags": tags} if tags else {},
                                  "source": text}
    cells = [
        {"cell_type": "code", "execution_count": None, "metadata": {"tags": ["remove-cell"]},
         "outputs": [], "source": COLAB.format(url=url)},
        md("# References | 参考文献"),
        md(f"Every work cited in the book, gathered from the chapters' own reference lists ({len(refs)} "
           "entries, sorted by first author; a chapter that points into a book with its own wording has its own entry). After each entry comes where it is cited. The list is "
           "generated by `tools/references.py` from the chapters, so it never disagrees with them.", ["en"]),
        md(f"全书引用的所有文献，汇集自各章自己的参考文献列表（共 {len(refs)} 条，按第一作者排序）。"
           "某一章若以自己的措辞指向一本书中的具体章节，则单列一条。每条之后注明它在何处被引用。该列表由 `tools/references.py` 根据各章内容生成，因此与各章始终一致。",
           ["zh"]),
        md(en_list, ["en"]),
        md(zh_list, ["zh"]),
    ]
    for i, c in enumerate(cells):
        c["id"] = f"references-{i}"
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                        "name": "python3"}, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check that the appendix is up to date")
    args = ap.parse_args()
    import yaml

    url = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]
    text = json.dumps(render(collect(), url), indent=1, ensure_ascii=False) + "\n"
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python tools/references.py")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

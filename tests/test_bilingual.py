"""Bilingual rules for every notebook: one language tag per prose cell, complete en→zh pairs,
identical display math within a pair, Chinese only where it belongs, glossary terms, no outputs."""
from __future__ import annotations

import re

import pytest

from conftest import cell_source, cell_tags
from mlbook import glossary

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$|\\begin\{(\w+\*?)\}(.+?)\\end\{\2\}", re.S)
INLINE_MATH = re.compile(r"\$[^$\n]+\$")
INLINE_CODE = re.compile(r"`[^`\n]*`")
FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$", re.S | re.M)
HEADING_LINE = re.compile(r"^#{1,6}\s+(.*)$", re.M)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
CITATION = re.compile(r"^[-*]\s.*\(\d{4}[a-z]?\)\..*$", re.M)  # a bibliography entry keeps its original title
TERMS = glossary.load()


def language(cell: dict) -> str | None:
    langs = [t for t in cell_tags(cell) if t in ("en", "zh")]
    return langs[0] if len(langs) == 1 else None


def without_code(text: str) -> str:
    return INLINE_CODE.sub(" ", FENCED.sub(" ", text))


def prose(text: str) -> str:
    """Text with code, math and link targets removed: what a reader reads as words."""
    text = DISPLAY_MATH.sub(" ", without_code(text))
    text = INLINE_MATH.sub(" ", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def display_math(text: str) -> list[str]:
    return [re.sub(r"\s+", "", m.group(1) if m.group(1) is not None else m.group(3))
            for m in DISPLAY_MATH.finditer(without_code(text))]


def pairs(nb: dict) -> list[tuple[int, dict, dict]]:
    cells = nb["cells"]
    return [(i, c, cells[i + 1]) for i, c in enumerate(cells[:-1])
            if c["cell_type"] == "markdown" and language(c) == "en"]


def test_prose_cells_carry_exactly_one_language_tag(notebook):
    _, nb = notebook
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        langs = [t for t in cell_tags(cell) if t in ("en", "zh")]
        assert len(langs) <= 1, f"cell {i} has both language tags"
        if not langs:
            body = HEADING_LINE.sub("", cell_source(cell))
            words = len(WORD.findall(prose(body)))
            assert words <= 12 and len(CJK.findall(body)) <= 20, \
                f"cell {i} is prose without a language tag (tag it en or zh)"


def test_every_en_cell_is_followed_by_its_zh_cell(notebook):
    _, nb = notebook
    cells = nb["cells"]
    for i, cell in enumerate(cells):
        lang = language(cell) if cell["cell_type"] == "markdown" else None
        if lang == "en":
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            assert nxt is not None and nxt["cell_type"] == "markdown" and language(nxt) == "zh", \
                f"en cell {i} is not followed by a zh cell"
        if lang == "zh":
            prev = cells[i - 1] if i else None
            assert prev is not None and prev["cell_type"] == "markdown" and language(prev) == "en", \
                f"zh cell {i} has no en cell before it"


def test_display_math_is_identical_within_a_pair(notebook):
    _, nb = notebook
    for i, en, zh in pairs(nb):
        assert display_math(cell_source(en)) == display_math(cell_source(zh)), \
            f"display math differs between en cell {i} and its zh cell"


def test_chinese_only_in_zh_cells(notebook):
    _, nb = notebook
    for i, en, zh in pairs(nb):
        en_text, zh_text = prose(cell_source(en)), cell_source(zh)
        assert not CJK.search(en_text), f"en cell {i} contains Chinese: {CJK.findall(en_text)[:10]}"
        assert zh_text.strip(), f"the zh cell after en cell {i} is empty"
        assert CJK.search(prose(zh_text)), f"the zh cell after en cell {i} holds no Chinese"


def test_headings_are_shared_and_bilingual(notebook):
    _, nb = notebook
    h1 = 0
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = without_code(cell_source(cell))
        heads = HEADING_LINE.findall(text)
        if language(cell) is not None:
            assert not heads, f"cell {i} is a prose cell with a heading; headings go in shared cells"
            continue
        for head in heads:
            assert " | " in head, f"heading {head!r} (cell {i}) must read 'English | 中文'"
            en, zh = head.split(" | ", 1)
            assert not CJK.search(en) and CJK.search(zh), f"heading {head!r}: English first, then Chinese"
        h1 += len(re.findall(r"^#\s", text, re.M))
    assert h1 == 1, f"a notebook has exactly one title (# heading), found {h1}"


def test_no_stored_outputs(notebook):
    _, nb = notebook
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"code cell {i} has stored outputs"
            assert cell.get("execution_count") is None, f"code cell {i} has an execution count"


def test_glossary_terms_are_translated_consistently(notebook):
    _, nb = notebook
    problems = []
    for i, en, zh in pairs(nb):
        en_text, zh_text = CITATION.sub(" ", prose(cell_source(en))), cell_source(zh)
        for term in TERMS:
            if term.used_in(en_text) and not term.translated_in(zh_text):
                problems.append(f"cell {i}: '{term.en}' should be '{term.zh}' in the Chinese cell")
    assert not problems, "\n".join(problems)

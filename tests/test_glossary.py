"""The glossary data file and its renderings."""
from __future__ import annotations

import re

import pytest

from mlbook import glossary

TERMS = glossary.load()
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_glossary_is_sorted_and_unique():
    names = [t.en.lower() for t in TERMS]
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    assert len({t.zh for t in TERMS}) == len(TERMS), "two concepts share one Chinese term"


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.en)
def test_every_entry_is_complete_and_bilingual(term):
    assert term.en_def.strip() and term.zh_def.strip()
    assert CJK.search(term.zh_def), f"the Chinese definition of {term.en!r} has no Chinese"
    assert not CJK.search(term.en_def), f"the English definition of {term.en!r} has Chinese in it"
    assert term.english_pattern().search(term.en)


def test_pattern_matches_plurals_and_hyphenation_but_not_substrings():
    term = next(t for t in TERMS if t.en == "gradient")
    assert term.english_pattern().search("the gradients of f")
    assert not term.english_pattern().search("a gradiently thing")
    lr = next(t for t in TERMS if t.en == "learning rate")
    assert lr.english_pattern().search("Learning-rate widget")


def test_html_table_lists_every_term():
    html = glossary.to_html()
    assert html.count("<tr id=") == len(TERMS)
    assert "梯度下降" in html and "gradient descent" in html


def test_ignored_phrases_are_other_concepts():
    precision = next(t for t in TERMS if t.en == "precision")
    assert precision.used_in("precision and recall")
    assert not precision.used_in("to machine precision in single precision")

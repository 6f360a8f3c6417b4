"""The book's glossary: one data file (``glossary.yml``) of English and Chinese terms.

The glossary appendix page is rendered from it, and the bilingual tests use it to check that
an English cell naming a term is matched by a Chinese cell using the book's Chinese term.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from importlib import resources


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    en: str
    zh: str
    en_def: str
    zh_def: str
    en_alt: tuple[str, ...] = field(default_factory=tuple)
    zh_alt: tuple[str, ...] = field(default_factory=tuple)
    en_ignore: tuple[str, ...] = field(default_factory=tuple)

    def used_in(self, text: str) -> bool:
        """Whether English ``text`` uses this term (phrases listed in ``en_ignore``, such as
        "machine precision" for the metric *precision*, are other concepts and do not count)."""
        for phrase in self.en_ignore:
            text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
        return bool(self.english_pattern().search(text))

    def english_pattern(self) -> re.Pattern[str]:
        """A case-insensitive whole-word pattern for the term, its alternates and their plurals."""
        forms = sorted({self.en, *self.en_alt}, key=len, reverse=True)
        alts = "|".join(re.escape(f).replace(r"\ ", r"[\s-]+") + r"(?:s|es)?" for f in forms)
        return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)

    def chinese_forms(self) -> tuple[str, ...]:
        """The Chinese term and its accepted alternates."""
        return (self.zh, *self.zh_alt)


_REQUIRED = ("en", "zh", "en_def", "zh_def")


def load() -> list[Term]:
    """Read ``glossary.yml`` and return its terms, sorted by English term (case-insensitive)."""
    import yaml

    text = resources.files(__package__).joinpath("glossary.yml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text) or []
    terms = []
    for i, entry in enumerate(raw):
        missing = [k for k in _REQUIRED if not str(entry.get(k, "")).strip()]
        if missing:
            raise ValueError(f"glossary entry {i} ({entry.get('en', '?')!r}) lacks {', '.join(missing)}")
        terms.append(Term(en=entry["en"], zh=entry["zh"], en_def=entry["en_def"], zh_def=entry["zh_def"],
                          en_alt=tuple(entry.get("en_alt", ())), zh_alt=tuple(entry.get("zh_alt", ())),
                          en_ignore=tuple(entry.get("en_ignore", ()))))
    return sorted(terms, key=lambda t: t.en.lower())


def to_html(terms: list[Term] | None = None) -> str:
    """The glossary as an HTML table (English term, 中文, definition in both languages)."""
    terms = load() if terms is None else terms
    rows = []
    for t in terms:
        anchor = re.sub(r"[^a-z0-9]+", "-", t.en.lower()).strip("-")
        rows.append(
            f'<tr id="term-{anchor}"><td><strong>{html.escape(t.en)}</strong></td>'
            f"<td><strong>{html.escape(t.zh)}</strong></td>"
            f'<td><div class="lang-en">{html.escape(t.en_def)}</div>'
            f'<div class="lang-zh">{html.escape(t.zh_def)}</div></td></tr>'
        )
    head = "<tr><th>English</th><th>中文</th><th>Definition · 定义</th></tr>"
    return f'<table class="glossary-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'

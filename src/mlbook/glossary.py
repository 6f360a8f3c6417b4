"""The book's glossary: one data file (``glossary.yml``) of English and Chinese terms.

The glossary appendix page is rendered from it, and the bilingual tests use it to check that
an English cell naming a term is matched by a Chinese cell using the book's Chinese term.

Each entry has one Chinese term (``zh``). Two kinds of alternates are kept apart:

- ``zh_alt``: other forms the book's own text may use (a short form such as 树桩 for 决策树桩);
  the bilingual test accepts them.
- ``zh_other``: names a reader meets in other books, each with the book it comes from
  (``{term: 查准率, source: 周志华《机器学习》}``). The glossary page shows them so that a reader
  recognises them; the bilingual test does not accept them, so one concept keeps one name in the book.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from importlib import resources

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# whitespace between a Latin letter or digit and a Chinese character ("softmax 回归", "KL 散度")
_MIXED_SPACE = re.compile(rf"(?<=[A-Za-z0-9{_CJK}])\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+(?=[A-Za-z0-9])")
_QUALIFIER = re.compile(r"\s*\([^)]*\)$")


def squeeze(text: str) -> str:
    """``text`` without the whitespace between Latin letters (or digits) and Chinese characters, so
    that "softmax 回归" and "softmax回归", "P-R 曲线" and "P-R曲线" compare equal."""
    return _MIXED_SPACE.sub("", text)


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    An ``en`` that ends in a parenthesised qualifier, such as "bias (parameter)", names one sense of a
    word with several; the bare word is then not matched in the text, only the ``en_alt`` forms are.
    """

    en: str
    zh: str
    en_def: str
    zh_def: str
    en_alt: tuple[str, ...] = field(default_factory=tuple)
    zh_alt: tuple[str, ...] = field(default_factory=tuple)
    zh_other: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (term, source)
    en_ignore: tuple[str, ...] = field(default_factory=tuple)
    zh_ignore: tuple[str, ...] = field(default_factory=tuple)

    @property
    def qualified(self) -> bool:
        """Whether ``en`` carries a qualifier ("bias (parameter)") and is matched by ``en_alt`` only."""
        return bool(_QUALIFIER.search(self.en))

    def english_forms(self) -> tuple[str, ...]:
        """The English forms searched for in the text."""
        forms = set(self.en_alt) if self.qualified else {self.en, *self.en_alt}
        return tuple(sorted(forms, key=len, reverse=True))

    def used_in(self, text: str) -> bool:
        """Whether English ``text`` uses this term (phrases listed in ``en_ignore``, such as
        "machine precision" for the metric *precision*, are other concepts and do not count)."""
        for phrase in self.en_ignore:
            text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
        return bool(self.english_pattern().search(text))

    def english_pattern(self) -> re.Pattern[str]:
        """A case-insensitive whole-word pattern for the term, its alternates and their plurals.

        A form written in capitals only (an acronym such as BLUE or RSS) matches case-sensitively, so
        that the colour blue is not the best linear unbiased estimator."""
        def alternative(form: str) -> str:
            core = re.escape(form).replace(r"\ ", r"[\s-]+") + r"(?:s|es)?"
            acronym = len(form) > 1 and form.isupper() and not any(c.isspace() for c in form)
            return f"(?-i:{core})" if acronym else core
        alts = "|".join(alternative(f) for f in self.english_forms())
        return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE)

    def chinese_forms(self) -> tuple[str, ...]:
        """The Chinese term and the alternates the book's text may use (not ``zh_other``)."""
        return (self.zh, *self.zh_alt)

    def translated_in(self, text: str) -> bool:
        """Whether Chinese ``text`` uses the book's term or an accepted alternate. Words listed in
        ``zh_ignore`` contain a form but are other words (轮流, 轮廓 for 轮) and do not count; the
        whitespace between Latin letters and Chinese characters is ignored."""
        text = squeeze(text)
        for word in self.zh_ignore:
            text = text.replace(squeeze(word), " ")
        return any(squeeze(form) in text for form in self.chinese_forms())


_REQUIRED = ("en", "zh", "en_def", "zh_def")
_KNOWN = set(_REQUIRED) | {"en_alt", "zh_alt", "zh_other", "en_ignore", "zh_ignore"}


def load() -> list[Term]:
    """Read ``glossary.yml`` and return its terms, sorted by English term (case-insensitive)."""
    import yaml

    text = resources.files(__package__).joinpath("glossary.yml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text) or []
    terms = []
    for i, entry in enumerate(raw):
        name = entry.get("en", "?")
        missing = [k for k in _REQUIRED if not str(entry.get(k, "")).strip()]
        if missing:
            raise ValueError(f"glossary entry {i} ({name!r}) lacks {', '.join(missing)}")
        unknown = sorted(set(entry) - _KNOWN)
        if unknown:
            raise ValueError(f"glossary entry {i} ({name!r}) has unknown fields {unknown}; "
                             f"the fields are {sorted(_KNOWN)}")
        others = []
        for other in entry.get("zh_other", ()):
            if not isinstance(other, dict) or not other.get("term") or not other.get("source"):
                raise ValueError(f"glossary entry {i} ({name!r}): each zh_other item needs a term and "
                                 f"a source, e.g. {{term: 查准率, source: 周志华《机器学习》}}; got {other!r}")
            others.append((str(other["term"]), str(other["source"])))
        terms.append(Term(en=entry["en"], zh=str(entry["zh"]), en_def=entry["en_def"], zh_def=entry["zh_def"],
                          en_alt=tuple(entry.get("en_alt", ())), zh_alt=tuple(map(str, entry.get("zh_alt", ()))),
                          zh_other=tuple(others), en_ignore=tuple(entry.get("en_ignore", ())),
                          zh_ignore=tuple(entry.get("zh_ignore", ()))))
    return sorted(terms, key=lambda t: t.en.lower())


def _anchor(term: Term) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.en.lower()).strip("-")


def to_html(terms: list[Term] | None = None) -> str:
    """The glossary as an HTML table: the English term, the book's Chinese term with the alternates
    its text also uses, the names used in other books (with their sources), and the definition in
    both languages."""
    terms = load() if terms is None else terms
    rows = []
    for t in terms:
        zh = f"<strong>{html.escape(t.zh)}</strong>"
        if t.zh_alt:
            zh += f'<div class="glossary-alt">{"、".join(html.escape(a) for a in t.zh_alt)}</div>'
        other = "".join(
            f'<li><span class="glossary-other-term">{html.escape(term)}</span> '
            f'<span class="glossary-source">（{html.escape(source)}）</span></li>'
            for term, source in t.zh_other)
        other = f'<ul class="glossary-other">{other}</ul>' if other else ""
        rows.append(
            f'<tr id="term-{_anchor(t)}"><td><strong>{html.escape(t.en)}</strong></td>'
            f"<td>{zh}</td><td>{other}</td>"
            f'<td><div class="lang-en">{html.escape(t.en_def)}</div>'
            f'<div class="lang-zh">{html.escape(t.zh_def)}</div></td></tr>'
        )
    head = ("<tr><th>English</th><th>中文（本书）</th><th>Other names · 其他书中的译名</th>"
            "<th>Definition · 定义</th></tr>")
    return f'<table class="glossary-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'

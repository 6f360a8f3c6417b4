"""Sphinx extension for the bilingual book.

* Wraps every notebook prose cell tagged ``en`` or ``zh`` in a ``<div class="lang-en">`` /
  ``<div class="lang-zh">`` container (myst-nb passes markdown cells through without their tags).
* Adds the language switch (``_ext/static/bilingual.js`` and ``.css``): English / 中文 / both, remembered
  in ``localStorage``, defaulting to the browser's language; it also splits "English | 中文" titles in
  the page, sidebar, outline and browser tab.
* Makes the notebooks' widgets precompute their frames (``MLBOOK_WIDGETS=static``), so that they
  respond on the website with no kernel.
* Chinese search: the site's search index is built by Sphinx's Chinese language (jieba segments
  Chinese text; English words are still indexed and stemmed), with every Chinese term of the
  glossary added to jieba's dictionary so that a term such as 梯度下降 is indexed as one word.
  ``bilingual.js`` cuts a Chinese query into the index's words, and searches a glossary term as the
  English words of the same concept (the search page loads the map, ``search-terms-zh.js``).
"""
from __future__ import annotations

import json
import os
import shutil
from typing import Any

from sphinx.application import Sphinx

LANGS = ("en", "zh")
# Longer than any colon fence an author writes inside a cell (e.g. ":::{dropdown}").
FENCE = ":" * 12

# Runs in <head> before the body is drawn, so the page never flashes the other language.
EARLY_JS = """(function(){try{var m=localStorage.getItem('mlbook-lang');}catch(e){var m=null;}
if(m!=='en'&&m!=='zh'&&m!=='both'){m=((navigator.languages&&navigator.languages[0])||navigator.language||'en')
.toLowerCase().indexOf('zh')===0?'zh':'en';}
document.documentElement.setAttribute('data-lang',m);
document.documentElement.setAttribute('lang',m==='zh'?'zh-CN':'en');})();"""


def cell_language(cell: dict[str, Any]) -> str | None:
    """The language tag of a markdown cell (``en``/``zh``), or None for shared cells."""
    tags = [t for t in (cell.get("metadata", {}).get("tags") or []) if t in LANGS]
    return tags[0] if len(tags) == 1 else None


def wrap_notebook(text: str) -> str:
    """Return the notebook JSON with each tagged prose cell wrapped in a language container."""
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        lang = cell_language(cell)
        if lang is None:
            continue
        src = cell.get("source", "")
        body = "".join(src) if isinstance(src, list) else src
        cell["source"] = f"{FENCE}{{container}} lang-{lang}\n{body}\n{FENCE}\n"
    return json.dumps(nb, ensure_ascii=False)


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        # A notebook whose output depends on a data file (the glossary page on glossary.yml) lists it
        # in its metadata ("mlbook": {"depends_on": [...]}) and runs with myst-nb's execution_mode
        # "force": a changed data file then rebuilds the page, although no code cell changed.
        for dep in json.loads(source[0]).get("metadata", {}).get("mlbook", {}).get("depends_on", []):
            app.env.note_dependency(os.path.join(app.srcdir, dep))
        source[0] = wrap_notebook(source[0])


def add_static_path(app: Sphinx) -> None:
    """Serve this extension's own JavaScript and CSS from the site's ``_static``."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
    if here not in app.config.html_static_path:
        app.config.html_static_path.append(here)


def jieba_dictionary(app: Sphinx) -> None:
    """Give the Chinese search the book's own terms: every Chinese term and accepted alternate of the
    glossary becomes one word for jieba (one per line, the format of ``jieba.load_userdict``)."""
    if app.config.html_search_language != "zh":
        return
    from mlbook import glossary

    words = sorted({w.replace(" ", "") for t in glossary.load() for w in t.chinese_forms()
                    if any("\u3400" <= ch <= "\u9fff" for ch in w)})
    path = os.path.join(app.doctreedir, "search-terms-zh.txt")
    os.makedirs(app.doctreedir, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(f"{w}\n" for w in words))
    app.config.html_search_options = {**(app.config.html_search_options or {}), "dict": path}


def chinese_search_language() -> type:
    """Sphinx's Chinese search, extended in two ways for a bilingual book.

    * Every dictionary word of a Chinese run is indexed. Sphinx indexes jieba's search mode, which
      keeps a long word whole and adds only the two- and three-character words inside it, so
      随机梯度下降 would yield 梯度 but not 梯度下降; jieba's full mode adds every dictionary word.
    * A page whose English text (code, comments, outputs, which are not translated) names a glossary
      term is indexed under the term's Chinese too, so a Chinese search finds what an English one finds.
    """
    import re

    from sphinx.search.zh import SearchChinese

    class BookChinese(SearchChinese):
        def init(self, options: dict[str, str]) -> None:
            super().init(options)
            from mlbook import glossary

            self.expansions = []
            for term in glossary.load():
                forms = term.english_forms()
                zh = [term.zh, *self.chinese_words(term.zh)]
                ignore = [re.compile(re.escape(p), re.IGNORECASE) for p in term.en_ignore]
                self.expansions.append(({f.lower()[:4] for f in forms}, ignore, term.english_pattern(), zh))

        @staticmethod
        def chinese_words(text: str) -> list[str]:
            try:
                import jieba
            except ImportError:  # Sphinx then indexes the English words only
                return []
            return [w for w in jieba.cut(text, cut_all=True) if len(w) > 1]

        def split(self, input: str) -> list[str]:
            words = super().split(input)
            seen = set(words)
            extra = [w for w in self.chinese_words(input) if w not in seen]
            low = input.lower()
            for prefixes, ignore, pattern, zh in self.expansions:
                if any(p in low for p in prefixes):
                    text = input
                    for phrase in ignore:
                        text = phrase.sub(" ", text)
                    if pattern.search(text):
                        extra += zh
            return words + extra

    return BookChinese


def glossary_query_map() -> dict[str, str]:
    """Chinese term (and accepted alternate, without spaces) -> the English words of its concept."""
    import re

    from mlbook import glossary

    out = {}
    for term in glossary.load():
        english = re.sub(r"\s*\(.*?\)\s*", " ", term.en).strip()  # "bias (parameter)" -> "bias"
        for form in term.chinese_forms():
            key = glossary.squeeze(form).replace(" ", "")
            if any("\u3400" <= ch <= "\u9fff" for ch in key):
                out[key] = english
    return out


def search_page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The search page (only) gets the glossary's Chinese -> English map for the query splitter."""
    if pagename == "search":
        app.add_js_file("search-terms-zh.js")


def refresh_static(app: Sphinx, exception: Exception | None) -> None:
    """Sphinx neither overwrites a static file already in the output nor copies anything when no
    page changed, so copy this extension's files after every build: an edited switch is served."""
    if exception is not None or app.builder.format != "html":
        return
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
    target = os.path.join(app.outdir, "_static")
    os.makedirs(target, exist_ok=True)
    for name in os.listdir(here):
        shutil.copy2(os.path.join(here, name), os.path.join(target, name))
    with open(os.path.join(target, "search-terms-zh.js"), "w", encoding="utf-8") as f:
        f.write("/* The glossary's Chinese terms and the English words of each (generated by _ext/bilingual.py). */\n")
        f.write("window.MLBOOK_ZH_TERMS = " + json.dumps(glossary_query_map(), ensure_ascii=False, sort_keys=True) + ";\n")


def drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Remove sphinx-thebe's scripts: the book runs notebooks on Colab or locally, not through
    Thebe, and its inline configuration (added twice per page) names a CDN and throws in the console."""
    files = context.get("script_files")
    if files:
        context["script_files"] = [
            js for js in files
            if "thebe" not in str(getattr(js, "filename", js) or "")
            and "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
        ]


def setup(app: Sphinx) -> dict[str, Any]:
    # The kernels that execute the notebooks inherit this: widgets precompute their frames.
    os.environ["MLBOOK_WIDGETS"] = "static"
    # Figures are shown inline. Not setdefault: `make` exports MPLBACKEND=Agg for the tests, and a
    # kernel with the Agg backend shows no figure at all.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    from sphinx.search import languages

    languages["zh"] = chinese_search_language()
    app.connect("source-read", on_source_read)
    app.connect("builder-inited", add_static_path)
    app.connect("builder-inited", jieba_dictionary)
    app.connect("build-finished", refresh_static)
    app.connect("html-page-context", drop_thebe, priority=900)
    app.connect("html-page-context", search_page_scripts)
    app.add_js_file(None, body=EARLY_JS, priority=1)
    app.add_js_file("bilingual.js", priority=900)
    app.add_css_file("bilingual.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

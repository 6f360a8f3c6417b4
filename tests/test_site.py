"""The website: built with warnings as errors, offline, and working in a real browser.

The build executes every notebook (through the execution cache, filled two notebooks at a time by
tools/execute_book.py) exactly as ``make book`` does; a failing cell fails the build, naming its notebook.
The browser part drives Debian's Chromium headless through Playwright: no browser is downloaded.
With ``CI`` set, a missing Chromium fails the test instead of skipping it.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT

pytestmark = pytest.mark.site

HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("MLBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BUDGET_S = 60.0


@pytest.fixture(scope="module")
def site() -> Path:
    """Build the book once for this module (warnings are errors; a failing cell names its notebook)."""
    subprocess.run([sys.executable, str(ROOT / "tools" / "vendor_assets.py")], check=True)
    # fill the execution cache two notebooks at a time; the build then renders (and re-runs a failure)
    subprocess.run([sys.executable, str(ROOT / "tools" / "execute_book.py")], check=True)
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    (ROOT / "_build").mkdir(exist_ok=True)
    (ROOT / "_build" / "build.log").write_text(log, encoding="utf-8")
    if proc.returncode != 0 or "build succeeded" not in log:
        problems = [line for line in log.splitlines()
                    if re.search(r"WARNING|ERROR|Error|Traceback", line) and "IPKernelApp" not in line]
        pytest.fail("jupyter-book build failed:\n" + "\n".join(problems[-40:] or log.splitlines()[-60:]))
    return HTML


def test_front_matter_pages_exist(site):
    for page in ("chapters/00_front/preface", "chapters/00_front/running_the_code",
                 "chapters/appendix/notation", "chapters/appendix/glossary"):
        assert (site / f"{page}.html").exists(), page


def test_notebook_pages_have_a_colab_button_for_this_repository(site):
    from conftest import repository_url

    repo = repository_url().removeprefix("https://github.com/")
    page = (site / "chapters/00_front/running_the_code.html").read_text(encoding="utf-8")
    expected = f"https://colab.research.google.com/github/{repo}/blob/main/chapters/00_front/running_the_code.ipynb"
    assert expected in page


def test_every_notebook_runs_within_budget(site):
    """60 s a notebook, on its kernel's CPU seconds (wall-clock time under make test's load varies)."""
    sys.path.insert(0, str(ROOT / "tools"))
    from nbtime import budgeted_times, cpu_times, execution_times

    times = execution_times(ROOT / "_build" / ".jupyter_cache")
    assert times, "the build recorded no execution times"
    cpu = cpu_times()
    # a fresh build executes every notebook through tools/execute_book.py, which records their CPU time; a
    # notebook that failed there twice was executed by the build itself, and its wall-clock time stands in
    assert len(set(times) & set(cpu)) >= 0.9 * len(times), f"no CPU time recorded for {sorted(set(times) - set(cpu))}"
    assert all(0 < s <= 1.5 * times[p] + 5 for p, s in cpu.items() if p in times), \
        "a kernel's CPU seconds should be positive and, single-threaded, not far above its wall-clock seconds"
    budgeted = budgeted_times(ROOT / "_build" / ".jupyter_cache")
    slow = {p: round(s, 1) for p, s in budgeted.items() if s > BUDGET_S}
    walls = {p: round(times[p], 1) for p in slow}
    assert not slow, f"notebooks over the {BUDGET_S:g} s budget (CPU s): {slow}; wall-clock s: {walls}"


class _Assets(HTMLParser):
    """Collect every URL a page would load: scripts, styles, fonts, images, frames."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and (a.get("rel") or "").lower() in (
                "stylesheet", "preload", "icon", "shortcut icon", "modulepreload", "prefetch"):
            self.urls.append(a["href"])


def external(url: str) -> bool:
    return urlparse(url).scheme in ("http", "https") or url.startswith("//")


def test_no_page_loads_anything_from_another_host(site):
    offenders = []
    for page in site.rglob("*.html"):
        parser = _Assets()
        text = page.read_text(encoding="utf-8", errors="replace")
        parser.feed(text)
        offenders += [f"{page.relative_to(site)}: {u}" for u in parser.urls if external(u)]
        offenders += [f"{page.relative_to(site)}: @import {u}" for u in re.findall(r"@import\s+url\(([^)]+)\)", text)
                      if external(u.strip("'\""))]
    for css in site.rglob("*.css"):
        for u in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8", errors="replace")):
            if external(u.strip("'\" ")):
                offenders.append(f"{css.relative_to(site)}: {u}")
    assert not offenders, "loaded from other hosts:\n" + "\n".join(offenders[:30])


def test_vendored_scripts_are_served_by_the_site(site):
    for f in ("_static/mathjax/tex-chtml.js", "_static/require.js", "_static/html-manager/embed-amd.js",
              "_static/bilingual.js", "_static/widgets-config.js"):
        assert (site / f).exists(), f


def static_flipbook_problems(state: dict) -> tuple[int, list[str]]:
    """Check the saved widget state of one page: every precomputed frame exists and is reachable.

    Each ``Stack`` of frames must be linked (``jslink``) to a control with exactly as many options
    as the stack has children, and every frame must be a non-empty PNG. Returns the number of
    frames and the problems found.
    """
    models = state.get("state", {})
    ref = lambda x: x.removeprefix("IPY_MODEL_")  # noqa: E731
    linked = {}
    for m in models.values():
        if m["model_name"] == "LinkModel":
            src, dst = m["state"]["source"], m["state"]["target"]
            linked[ref(dst[0])] = ref(src[0])
    frames, problems = 0, []
    for key, m in models.items():
        if m["model_name"] != "StackModel":
            continue
        children = [ref(c) for c in m["state"]["children"]]
        control = models.get(linked.get(key, ""), {})
        options = control.get("state", {}).get("_options_labels")
        if options is None:
            problems.append(f"stack {key[:8]} is not linked to a control with options")
        elif len(options) != len(children):
            problems.append(f"stack {key[:8]}: {len(children)} frames for {len(options)} options {options}")
        for c in children:
            child = models.get(c)
            if child is None:
                problems.append(f"stack {key[:8]}: frame {c[:8]} is missing from the page")
            elif child["model_name"] == "ImageModel":
                frames += 1
                data = "".join(b.get("data", "") for b in child.get("buffers", []) if b.get("path") == ["value"])
                if not data.startswith("iVBOR"):
                    problems.append(f"stack {key[:8]}: frame {c[:8]} has no PNG image")
    return frames, problems


def test_figures_are_on_the_pages(site):
    """Every notebook that shows a figure has it on its page (a kernel with the Agg backend shows none)."""
    from conftest import cell_source, load_notebook, notebook_paths, rel

    missing, total = [], 0
    for path in notebook_paths():
        code = "\n".join(cell_source(c) for c in load_notebook(path)["cells"] if c["cell_type"] == "code")
        shown = code.count("plt.show()")
        page = (site / rel(path)).with_suffix(".html")
        if not shown or not page.exists():
            continue
        images = len(re.findall(r'<img[^>]+src="[^"]*_images/[^"]+\.png"', page.read_text(encoding="utf-8")))
        total += images
        if images < shown:
            missing.append(f"{rel(path)}: {images} images for {shown} plt.show() calls")
    assert not missing, "\n".join(missing)
    assert total >= 60, total
    print(f"{total} figures on the pages")


def test_every_static_widget_frame_exists(site):
    pattern = re.compile(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S)
    total, pages, problems = 0, 0, []
    for page in sorted(site.rglob("*.html")):
        for block in pattern.findall(page.read_text(encoding="utf-8")):
            import json

            n, found = static_flipbook_problems(json.loads(block))
            total += n
            pages += n > 0
            problems += [f"{page.relative_to(site)}: {p}" for p in found]
    assert not problems, "\n".join(problems[:20])
    assert pages >= 6 and total >= 50, (pages, total)
    print(f"{total} static frames on {pages} pages, all present and linked")


# ----------------------------------------------------------------------------- browser


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                              headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A browser page that records console errors and every request's host."""

    def __init__(self, browser, locale="en-US"):
        self.context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("request", self._record)

    def _record(self, request):
        url = urlparse(request.url)
        if url.scheme not in ("data", "blob", "about"):  # those never leave the page
            self.hosts.add(url.hostname or request.url)

    def open(self, url: str):
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function("() => window.mlbookLanguage !== undefined")
        self.page.wait_for_timeout(300)
        return self.page

    def close(self):
        self.context.close()


def visible(page, selector: str) -> int:
    return page.evaluate(
        "(s) => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).length", selector)


def test_pages_load_without_console_errors_or_foreign_requests(server, browser):
    p = Page(browser)
    for path in ("chapters/00_front/preface.html", "chapters/00_front/running_the_code.html",
                 "chapters/appendix/notation.html", "chapters/appendix/glossary.html"):
        p.open(f"{server}/{path}")
        p.page.wait_for_timeout(700)
    assert not p.errors, p.errors
    assert p.hosts <= {"127.0.0.1"}, f"requests to other hosts: {p.hosts}"
    p.close()


def test_mathjax_renders(server, browser):
    p = Page(browser)
    page = p.open(f"{server}/chapters/appendix/notation.html")
    page.wait_for_selector("mjx-container", timeout=15000)
    assert page.locator("mjx-container").count() > 0
    assert page.locator("mjx-merror").count() == 0, "MathJax reported a TeX error"
    p.close()


def test_language_switch_shows_hides_and_persists(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    p = Page(browser, locale="en-US")
    page = p.open(f"{server}/chapters/00_front/preface.html")
    assert page.evaluate("document.documentElement.dataset.lang") == "en"  # from the browser language
    assert visible(page, "div.lang-en") > 0 and visible(page, "div.lang-zh") == 0
    assert " | " not in page.title() and not re.search(r"[\u4e00-\u9fff]", page.title())
    page.screenshot(path=str(SHOTS / "preface-en.png"), full_page=False)

    page.click("#lang-btn-zh")
    assert visible(page, "div.lang-zh") > 0 and visible(page, "div.lang-en") == 0
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert re.search(r"[\u4e00-\u9fff]", page.title()) and " | " not in page.title()
    h1 = page.locator("article h1").first.inner_text()
    assert re.search(r"[\u4e00-\u9fff]", h1) and not re.search(r"[A-Za-z]{3}", h1), h1
    sidebar = page.evaluate(
        "() => [...document.querySelectorAll('.bd-sidebar-primary a')].filter(a => a.offsetParent)"
        ".map(a => a.innerText).join(' ')")
    assert "|" not in sidebar, sidebar
    page.screenshot(path=str(SHOTS / "preface-zh.png"), full_page=False)

    # the choice survives navigation to another page and a new visit
    page.goto(f"{server}/chapters/appendix/notation.html")
    page.wait_for_function("() => window.mlbookLanguage !== undefined")
    assert page.evaluate("document.documentElement.dataset.lang") == "zh"
    assert visible(page, "div.lang-en") == 0 and visible(page, "div.lang-zh") > 0
    page.click("#lang-btn-both")
    assert visible(page, "div.lang-en") > 0 and visible(page, "div.lang-zh") > 0
    page.screenshot(path=str(SHOTS / "notation-both.png"), full_page=False)
    page.reload()
    page.wait_for_function("() => window.mlbookLanguage !== undefined")
    assert page.evaluate("document.documentElement.dataset.lang") == "both"
    assert not p.errors, p.errors
    p.close()


def test_default_language_follows_the_browser(server, browser):
    p = Page(browser, locale="zh-CN")
    page = p.open(f"{server}/chapters/00_front/preface.html")
    assert page.evaluate("document.documentElement.dataset.lang") == "zh"
    assert visible(page, "div.lang-en") == 0
    p.close()


def test_widget_slider_flips_frames_without_a_kernel(server, browser):
    p = Page(browser)
    page = p.open(f"{server}/chapters/00_front/running_the_code.html")
    page.wait_for_selector(".widget-slider .noUi-handle", timeout=20000)
    frame = ("() => { const imgs = [...document.querySelectorAll('.jupyter-widgets img')]"
             ".filter(i => i.offsetParent !== null); return imgs.length ? imgs[0].src : null; }")
    before = page.evaluate(frame)
    assert before, "no widget frame is visible"
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "widget-before.png"), full_page=False)
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    after = page.evaluate(frame)
    page.screenshot(path=str(SHOTS / "widget-after.png"), full_page=False)
    assert after and after != before, "moving the slider did not change the frame"
    assert not p.errors, p.errors
    p.close()


SEARCHES = [("gradient descent", "梯度下降"), ("cross-entropy", "交叉熵"), ("decision tree", "决策树"),
            ("learning rate", "学习率"), ("information gain", "信息增益")]


def search_count(page, server: str, query: str) -> int:
    from urllib.parse import quote

    page.goto(f"{server}/search.html?q={quote(query)}", wait_until="load")
    page.wait_for_function(  # Sphinx writes "Search finished, found N pages ..." once every result is listed
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && /finished|did not match|搜索完成|没有找到/i.test(s.textContent); }", timeout=30000)
    return page.locator("#search-results ul.search li").count()


def test_search_finds_chinese_terms_as_well_as_english(server, browser):
    p = Page(browser, locale="zh-CN")
    counts = {}
    for en, zh in SEARCHES:
        counts[en], counts[zh] = search_count(p.page, server, en), search_count(p.page, server, zh)
    print("search results:", counts)
    for en, zh in SEARCHES:
        assert counts[en] > 0, (en, counts)
        assert counts[zh] >= counts[en], f"{zh} finds {counts[zh]} pages, {en} finds {counts[en]}"
    # the results list shows clean titles in each language mode
    search_count(p.page, server, "梯度下降")
    p.page.wait_for_function("() => window.mlbookLanguage !== undefined")
    titles = p.page.evaluate("() => [...document.querySelectorAll('#search-results li a')]"
                             ".filter(a => a.offsetParent).map(a => a.innerText).join(' ')")
    assert titles and " | " not in titles and re.search(r"[\u4e00-\u9fff]", titles), titles
    summary = p.page.locator("#search-results .search-summary").inner_text()
    assert summary.startswith("搜索完成"), summary
    SHOTS.mkdir(parents=True, exist_ok=True)
    p.page.screenshot(path=str(SHOTS / "search-zh.png"), full_page=False)
    p.page.click("#lang-btn-en")
    titles = p.page.evaluate("() => [...document.querySelectorAll('#search-results li a')]"
                             ".filter(a => a.offsetParent).map(a => a.innerText).join(' ')")
    assert titles and not re.search(r"[\u4e00-\u9fff]", titles), titles
    assert p.page.locator("#search-results .search-summary").inner_text().startswith("Search finished")
    assert not p.errors, p.errors
    p.close()


def test_pages_read_on_a_phone(server, browser):
    """At 390 x 844 nothing widens the page: long display math scrolls in its own box, inline math
    stays inside the column, and the language switch keeps each label on one line."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for name, path in [("phone-impurity-zh", "chapters/06_trees/01_impurity.html"),
                       ("phone-notation-zh", "chapters/appendix/notation.html")]:
        page.goto(f"{server}/{path}", wait_until="load")
        page.wait_for_function("() => window.mlbookLanguage !== undefined")
        page.wait_for_selector("article mjx-container", state="attached", timeout=15000)
        page.wait_for_timeout(800)
        width = page.evaluate("() => document.documentElement.clientWidth")
        overflow = page.evaluate("""() => {
            const w = document.documentElement.clientWidth, bad = [];
            for (const m of document.querySelectorAll('article mjx-container')) {
                if (m.offsetParent === null) continue;
                let box = m, clipped = false;
                while (box && box !== document.body) {
                    const s = getComputedStyle(box);
                    if (/(auto|scroll|hidden)/.test(s.overflowX) && box.getBoundingClientRect().right <= w + 1) { clipped = true; break; }
                    box = box.parentElement;
                }
                const r = m.getBoundingClientRect();
                if (!clipped && r.right > w + 1) bad.push(m.textContent.slice(0, 40));
            }
            return bad; }""")
        assert not overflow, f"{path}: math runs past the right edge: {overflow[:5]}"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 1, path
        heights = page.evaluate("() => [...document.querySelectorAll('.lang-switch button')].map(b => b.offsetHeight)")
        assert heights and max(heights) - min(heights) <= 1 and max(heights) < 40, heights
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
    wide = [b for b in page.evaluate("() => [...document.querySelectorAll('article mjx-container[display=\"true\"]')]"
                                     ".map(m => m.scrollWidth > m.clientWidth)") if b]
    assert not errors, errors
    context.close()
    print(f"phone: {len(wide)} display equations scroll horizontally on the notation page")


def test_collapsed_cells_are_labelled_in_the_reader_s_language(server, browser):
    p = Page(browser, locale="zh-CN")
    page = p.open(f"{server}/chapters/06_trees/04_boosting.html")
    label = page.locator("details.hide summary .admonition-title.collapsed").first
    assert label.inner_text() == "显示代码", label.inner_text()
    page.click("#lang-btn-en")
    assert label.inner_text() == "Show code cell source"
    assert not p.errors, p.errors
    p.close()

/* The book's language switch: English / 中文 / both, on every page, with no kernel.
 * The choice is kept in localStorage ("mlbook-lang"); the default follows the browser's language.
 * Titles written "English | 中文" (headings, sidebar, outline, browser tab) are split so that each
 * mode shows one clean title. */
(function () {
  "use strict";
  var KEY = "mlbook-lang";
  var SEP = " | ";
  // [mode, label on wide screens, label on phones]
  var MODES = [["en", "English", "EN"], ["zh", "中文", "中"], ["both", "EN + 中文", "EN+中"]];
  var UI = { // theme strings, for the Chinese mode
    "Contents": "目录", "Skip to main content": "跳到正文", "previous": "上一页", "next": "下一页",
    "Search": "搜索", "Search...": "搜索……", "By": "作者", "Searching": "正在搜索",
    "Search Results": "搜索结果",
    // myst-nb's toggles of collapsed cells
    "Show code cell source": "显示代码", "Hide code cell source": "隐藏代码",
    "Show code cell content": "显示代码单元格", "Hide code cell content": "隐藏代码单元格",
    "Show code cell outputs": "显示输出", "Hide code cell outputs": "隐藏输出"
  };
  var originalTitle = document.title;

  // The ipywidgets HTML manager typesets widget labels with the MathJax 2 API (MathJax.Hub.Queue);
  // the site uses MathJax 3. Provide that one call, both on the configuration object (before
  // MathJax has loaded) and on the MathJax object that replaces it once MathJax is ready.
  var hub = {
    Queue: function (job) {
      var el = job && job[2];
      if (window.MathJax && window.MathJax.typesetPromise && el) {
        window.MathJax.typesetPromise([el]).catch(function () {});
      }
    }
  };
  window.MathJax = window.MathJax || {};
  if (!window.MathJax.version) {
    window.MathJax.Hub = hub;
    var startup = window.MathJax.startup = window.MathJax.startup || {};
    var userReady = startup.ready;
    startup.ready = function () {
      if (userReady) userReady(); else window.MathJax.startup.defaultReady();
      window.MathJax.Hub = hub;
    };
  } else if (!window.MathJax.Hub) {
    window.MathJax.Hub = hub;
  }

  // Chinese search. Sphinx's query splitter keeps a run of Chinese characters as one word, while the
  // index holds jieba's words. Each Chinese run of the query is cut, left to right, into
  //  * glossary terms (the longest that starts here), searched as the English words of the same
  //    concept: every page is bilingual, so 学习率 finds exactly the pages "learning rate" finds;
  //  * otherwise the shortest word the index knows (a last lone character joins the word before it),
  //    so that a Chinese query finds every page that has all its words, as an English query does.
  // Latin words pass through unchanged. The glossary map is loaded on the search page only.
  var CJK = /[\u3400-\u9fff]/;
  function segment(run, terms, glossary) {
    var has = function (w) { return Object.prototype.hasOwnProperty.call(terms, w); };
    var out = [], i = 0;
    while (i < run.length) {
      var g = 0;
      for (var k = run.length; k > i + 1; k--) {
        if (Object.prototype.hasOwnProperty.call(glossary, run.slice(i, k))) { g = k; break; }
      }
      if (g) {
        out.push.apply(out, glossary[run.slice(i, g)].split(/[^\p{Letter}\p{Number}_]+/u).filter(Boolean));
        i = g;
        continue;
      }
      var j = i + 2;
      while (j <= run.length && !has(run.slice(i, j))) j++;
      if (j > run.length) { i++; continue; }        // no indexed word starts here: skip a character
      if (run.length - j === 1 && has(run.slice(i, j + 1))) j++;
      out.push(run.slice(i, j));
      i = j;
    }
    return out.length ? out : [run];
  }
  window.splitQuery = function (query) {
    // searchtools.js declares `const Search` at the top level: a global name, not a property of window
    var index = typeof Search !== "undefined" ? Search._index : null;  // eslint-disable-line no-undef
    var terms = (index && index.terms) || {};
    var glossary = window.MLBOOK_ZH_TERMS || {};
    var out = [];
    query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter(Boolean).forEach(function (part) {
      part.match(/[\u3400-\u9fff]+|[^\u3400-\u9fff]+/g).forEach(function (run) {
        if (CJK.test(run) && run.length > 1) out.push.apply(out, segment(run, terms, glossary));
        else out.push(run);
      });
    });
    return out;
  };

  function current() {
    return document.documentElement.getAttribute("data-lang") || "en";
  }

  function pick(text, mode) {
    // "A | B" -> A, B or "A · B"; several such pieces may be joined by " — " (the tab title).
    return text.split(" — ").map(function (part) {
      var i = part.indexOf(SEP);
      if (i < 0) return part;
      var en = part.slice(0, i), zh = part.slice(i + SEP.length);
      return mode === "en" ? en : mode === "zh" ? zh : en + " · " + zh;
    }).join(" — ");
  }

  var TITLE_SCOPES = "h1, h2, h3, h4, h5, h6, nav, .navbar-brand, .logo__title, .prev-next-title, " +
    ".toctree-wrapper, p.caption, .rubric, .bd-header";

  function splitTitles(root, selector) {
    var scopes = root.querySelectorAll(selector || TITLE_SCOPES);
    var seen = new Set();
    scopes.forEach(function (scope) {
      var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, null);
      var nodes = [];
      while (walker.nextNode()) {
        var n = walker.currentNode;
        if (n.nodeValue.indexOf(SEP) < 0 || seen.has(n)) continue;
        if (n.parentElement.closest("pre, code, script, style, .math, mjx-container, .lang-en, .lang-zh")) continue;
        seen.add(n);
        nodes.push(n);
      }
      nodes.forEach(function (n) {
        var i = n.nodeValue.indexOf(SEP);
        var frag = document.createDocumentFragment();
        var en = document.createElement("span");
        en.className = "lang-en"; en.textContent = n.nodeValue.slice(0, i);
        var sep = document.createElement("span");
        sep.className = "lang-sep"; sep.textContent = " · ";
        var zh = document.createElement("span");
        zh.className = "lang-zh"; zh.lang = "zh-CN"; zh.textContent = n.nodeValue.slice(i + SEP.length);
        frag.appendChild(en); frag.appendChild(sep); frag.appendChild(zh);
        n.parentNode.replaceChild(frag, n);
      });
    });
  }

  function searchSummary(text) {
    // Sphinx's messages on the search page, in Chinese
    var found = /^Search finished, found (\d+) page\(s\) matching the search query\.$/.exec(text);
    if (found) return "搜索完成，找到 " + found[1] + " 个匹配的页面。";
    if (/^Your search did not match any documents/.test(text)) return "没有找到匹配的页面。请检查拼写，或换用其他词语。";
    return null;
  }

  function translateUI(mode) {
    document.querySelectorAll(
      ".bd-sidebar-secondary .onthispage, .prev-next-subtitle, .tocsection, .search-button__default-text, " +
      "#search-results .search-summary, #search-results h2, main h1, details.hide summary .admonition-title")
      .forEach(function (el) {
        // (re)read the English whenever the page itself changed the text (the search page does)
        var text = el.textContent.trim();
        if (el.dataset.en === undefined || text !== el.dataset.zh) el.dataset.en = text;
        var zh = UI[el.dataset.en] || searchSummary(el.dataset.en);
        if (!zh) return;
        el.dataset.zh = zh;
        var want = mode === "zh" ? zh : el.dataset.en;
        if (text !== want) el.textContent = want;
      });
    document.querySelectorAll("input[name='q']").forEach(function (el) {
      if (!el.dataset.en) el.dataset.en = el.getAttribute("placeholder") || "";
      var zh = UI[el.dataset.en];
      if (zh) el.setAttribute("placeholder", mode === "zh" ? zh : el.dataset.en);
    });
  }

  function apply(mode) {
    var html = document.documentElement;
    html.setAttribute("data-lang", mode);
    html.setAttribute("lang", mode === "zh" ? "zh-CN" : "en");
    document.title = pick(originalTitle, mode);
    document.querySelectorAll(".lang-switch button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.lang === mode));
    });
    translateUI(mode);
  }

  function set(mode) {
    try { localStorage.setItem(KEY, mode); } catch (e) { /* private mode: not remembered */ }
    apply(mode);
  }

  function makeSwitch() {
    var box = document.createElement("div");
    box.className = "lang-switch";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Language / 语言");
    MODES.forEach(function (m) {
      var b = document.createElement("button");
      b.type = "button";
      b.id = "lang-btn-" + m[0];
      b.dataset.lang = m[0];
      b.innerHTML = '<span class="label-long">' + m[1] + '</span><span class="label-short">' + m[2] + "</span>";
      b.title = m[1];
      b.addEventListener("click", function () { set(m[0]); });
      box.appendChild(b);
    });
    var host = document.querySelector(".article-header-buttons") ||
               document.querySelector(".header-article-items__end") ||
               document.querySelector(".bd-article");
    if (host) host.insertBefore(box, host.firstChild);
    else document.body.insertBefore(box, document.body.firstChild);
  }

  function watchSearchResults() {
    // Search results arrive after the page has loaded: split their "English | 中文" titles too.
    var results = document.getElementById("search-results");
    if (!results || !window.MutationObserver) return;
    new MutationObserver(function () {
      splitTitles(results, "a");
      translateUI(current());
    }).observe(results, { childList: true, subtree: true });
  }

  function init() {
    document.querySelectorAll("div.lang-zh").forEach(function (el) { el.lang = "zh-CN"; });
    splitTitles(document);
    watchSearchResults();
    makeSwitch();
    apply(current());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
  window.mlbookLanguage = { set: set, current: current };
})();

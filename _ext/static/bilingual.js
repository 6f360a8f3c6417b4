/* The book's language switch: English / 中文 / both, on every page, with no kernel.
 * The choice is kept in localStorage ("mlbook-lang"); the default follows the browser's language.
 * Titles written "English | 中文" (headings, sidebar, outline, browser tab) are split so that each
 * mode shows one clean title. */
(function () {
  "use strict";
  var KEY = "mlbook-lang";
  var SEP = " | ";
  var MODES = [["en", "English"], ["zh", "中文"], ["both", "EN + 中文"]];
  var UI = { // theme strings, for the Chinese mode
    "Contents": "目录", "Skip to main content": "跳到正文", "previous": "上一页", "next": "下一页",
    "Search": "搜索", "Search...": "搜索……", "By": "作者"
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
  // index holds jieba's words. Cut each Chinese run of the query into the longest words the index
  // knows (greedy longest match, as a dictionary segmenter does); Latin words pass through unchanged.
  var CJK = /[\u3400-\u9fff]/;
  window.splitQuery = function (query) {
    var terms = (window.Search && window.Search._index && window.Search._index.terms) || {};
    var out = [];
    query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter(Boolean).forEach(function (part) {
      part.match(/[\u3400-\u9fff]+|[^\u3400-\u9fff]+/g).forEach(function (run) {
        if (!CJK.test(run) || run.length < 2) { out.push(run); return; }
        var i = 0;
        while (i < run.length) {
          var j = Math.min(run.length, i + 12);
          while (j > i + 1 && !Object.prototype.hasOwnProperty.call(terms, run.slice(i, j))) j--;
          if (j > i + 1) out.push(run.slice(i, j));  // a lone character is not indexed: skip it
          i = j;
        }
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

  function translateUI(mode) {
    document.querySelectorAll(
      ".bd-sidebar-secondary .onthispage, .prev-next-subtitle, .tocsection, .search-button__default-text")
      .forEach(function (el) {
        if (!el.dataset.en) el.dataset.en = el.textContent.trim();
        var zh = UI[el.dataset.en];
        if (zh) el.textContent = mode === "zh" ? zh : el.dataset.en;
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
      b.textContent = m[1];
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
    new MutationObserver(function () { splitTitles(results, "a"); }).observe(results, { childList: true, subtree: true });
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

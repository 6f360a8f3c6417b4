/* Loaded between require.js and the ipywidgets HTML manager on pages with widgets: resolve the
 * manager's own module path to the copy served by this site, so that its fonts (and anything else
 * it loads relative to itself) come from here rather than from a CDN. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-content_root") || "";
  if (window.require && window.require.config) {
    window.require.config({ paths: { "@jupyter-widgets/html-manager/dist": root + "_static/html-manager" } });
  }
})();

// The widgets' own files (their icon fonts) come from the book too: require.js resolves the
// modules that embed-amd.js defines, and so the fonts beside them, to this folder (_static/)
// instead of to a folder beside each page. Loaded after require.js, before embed-amd.js.
(function () {
  var here = document.currentScript.src.replace(/\/[^\/]*$/, "");
  require.config({paths: {"@jupyter-widgets": here, "@jupyter-widgets/html-manager/dist": here}});
})();

// The book shows each activity as a static picture of its saved state: there is no Python
// behind it, so its controls cannot check anything. Make that visible: every control inside
// an activity is disabled (greyed, not focusable, no tick that seems to work) as soon as the
// widgets library draws it, and says why when pointed at.
(function () {
  "use strict";
  var WHY = "A static picture: open this notebook in JupyterLite or on Binder to do the activity";
  function disable(root) {
    root.querySelectorAll(".tc-widget input, .tc-widget button, .tc-widget select, " +
                          ".tc-widget textarea").forEach(function (el) {
      if (el.disabled) { return; }
      el.disabled = true;
      el.setAttribute("aria-disabled", "true");
      el.title = WHY;
    });
    root.querySelectorAll(".tc-widget").forEach(function (w) {
      w.classList.add("tc-static");
    });
  }
  function start() {
    disable(document);
    new MutationObserver(function () { disable(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

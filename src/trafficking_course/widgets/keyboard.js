// Keyboard use of the course's widgets inside JupyterLab (installed once per page).
// 1. No keystroke in a widget reaches JupyterLab's notebook shortcuts: JupyterLab listens for
//    keydown on the document while bubbling (lumino, bubblingKeydown), so the event stops at
//    <body> when its target is inside a widget (.tc-widget). Focus on a checkbox, radio button
//    or button is not ":read-write", so JupyterLab's own jp-mod-readWrite guard does not apply.
// 2. The radio buttons of one question are one group: one Tab stop, the arrow keys move within
//    it (ipywidgets renders radio inputs without a shared name).
(function () {
  if (window.__tcWidgetKeys) { return; }
  window.__tcWidgetKeys = true;
  var groups = 0;
  function radios(box) { return Array.prototype.slice.call(box.querySelectorAll('input[type="radio"]')); }
  function group(target) {
    var box = target && target.closest && target.closest('.tc-widget .widget-radio-box');
    if (!box) { return null; }
    if (!box.dataset.tcGroup) { box.dataset.tcGroup = 'tc-radio-' + (++groups); }
    radios(box).forEach(function (r) { r.name = box.dataset.tcGroup; });
    return box;
  }
  document.addEventListener('focusin', function (e) { group(e.target); }, true);
  document.addEventListener('mouseover', function (e) { group(e.target); }, true);
  document.body.addEventListener('keydown', function (e) {
    var t = e.target;
    if (!(t && t.closest && t.closest('.tc-widget'))) { return; }
    e.stopPropagation();
    var box = t.type === 'radio' ? group(t) : null;
    var step = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1}[e.key];
    if (!box || !step) { return; }
    var all = radios(box), next = all[(all.indexOf(t) + step + all.length) % all.length];
    e.preventDefault();
    next.focus();
    next.click();  // ipywidgets listens for click: the model's value follows
  });
})();

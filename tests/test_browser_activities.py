"""The activities on a laptop screen (1366x768) in JupyterLab, driven by mouse and keyboard.

Each test runs a module's notebook in `make lab` (Debian's Chromium under Playwright), takes a
screenshot of every activity into test-artifacts/ (on every run, for a person to look at), and
checks what a student needs: no label or option cut off by its box and no control drawn over
another, in every activity of every module; after a toggle in the element explorer its verdict
is on screen; after Check in the classifier the result line is on screen and a missed element
is marked at its own checkbox; a quiz's radio options are one group for Tab and the arrow keys,
and no key pressed in a widget reaches JupyterLab's notebook shortcuts; no widget shows a code
name.
The measured heights go to test-artifacts/activity-sizes.json.
"""

from __future__ import annotations

import json
import re

import pytest

from trafficking_course.content.scenarios import load_scenarios
from trafficking_course.law import ELEMENT_NAMES

from .browser import ARTIFACTS, screenshot_on_failure
from .test_browser import browser, course_copy, lab, open_notebook, run_all_cells  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAPTOP = {"width": 1366, "height": 768}
CODE_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
TOP_WIDGETS = ".jp-OutputArea-output .tc-widget:not(.tc-widget .tc-widget)"

# the text of an element as read, without the page support's style sheet and script
TEXT_JS = """el => { const c = el.cloneNode(true);
    c.querySelectorAll('style, script').forEach(n => n.remove());
    return c.textContent; }"""


def _record(name: str, value) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "activity-sizes.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = value
    path.write_text(json.dumps(data, indent=1, sort_keys=True))


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= height


def _screens(page, widget, stem: str, height: int) -> None:
    """What a student sees of the activity, screen by screen (JupyterLab scrolls inside the
    notebook, so a tall activity takes more than one screen)."""
    widget.evaluate("e => e.scrollIntoView({block: 'start'})")
    step = page.viewport_size["height"] - 250   # the lab's bars take the rest
    for part in range(1, min(4, 1 + height // step) + 1):
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"{stem}-screen{part}.png"))
        widget.evaluate(f"e => e.closest('.jp-WindowedPanel-outer, .jp-Notebook')"
                        f".scrollBy(0, {step})")


# Text cut off by its box (a label or option a student cannot read in full) and controls drawn
# over each other, inside one activity. Elements hidden on purpose (zero size) are skipped.
LAYOUT_JS = """w => {
  const problems = [];
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const say = e => (e.textContent || e.value || e.tagName).trim().slice(0, 50);
  for (const e of w.querySelectorAll('label, .widget-label, .widget-label-basic, button, ' +
                                     'select, .widget-html-content, .widget-radio-box label')) {
    if (!visible(e) || e.closest('.tc-widget [style*="height: 0px"]')) continue;
    const s = getComputedStyle(e);
    const cut = v => v === 'hidden' || v === 'clip';
    if ((cut(s.overflowX) || s.textOverflow === 'ellipsis') && e.scrollWidth > e.clientWidth + 2)
      problems.push('cut off sideways: ' + say(e));
    if (cut(s.overflowY) && e.scrollHeight > e.clientHeight + 2)
      problems.push('cut off at the bottom: ' + say(e));
  }
  const controls = [...w.querySelectorAll('input, select, button, .widget-label, ' +
                                           '.widget-radio-box label, .widget-checkbox label')]
    .filter(visible);
  for (let i = 0; i < controls.length; i++) for (let j = i + 1; j < controls.length; j++) {
    const a = controls[i], b = controls[j];
    if (a.contains(b) || b.contains(a)) continue;
    const r = a.getBoundingClientRect(), q = b.getBoundingClientRect();
    const x = Math.min(r.right, q.right) - Math.max(r.left, q.left);
    const y = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
    if (x > 2 && y > 2) problems.push('drawn over each other: ' + say(a) + ' / ' + say(b));
  }
  return problems;
}"""


def _activities(page, module: str) -> list[str]:
    """Screenshot each activity; return each one's text; no code name in any of them."""
    widgets = page.locator(TOP_WIDGETS)
    count = widgets.count()
    assert count, f"{module}: no activity on the page"
    texts = []
    ARTIFACTS.mkdir(exist_ok=True)
    for i in range(count):
        widget = widgets.nth(i)
        widget.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        kind = next(c for c in widget.get_attribute("class").split()
                    if c.startswith("tc-") and c != "tc-widget")
        height = round(widget.bounding_box()["height"])
        _record(f"{module} {i + 1} {kind[3:]} height px", height)
        _screens(page, widget, f"lab-{module}-{i + 1}-{kind[3:]}", height)
        problems = widget.evaluate(LAYOUT_JS)
        assert not problems, f"{module}, activity {i + 1} ({kind}) at 1366x768: {problems[:5]}"
        text = widget.evaluate(TEXT_JS)
        found = sorted(set(CODE_NAME.findall(text)))
        assert not found, f"{module}, activity {i + 1} ({kind}) shows code names: {found}"
        texts.append(text)
    return texts


def _open(browser, lab, course_copy, module: str):  # noqa: F811 - fixtures
    page = open_notebook(browser, lab, f"{course_copy}/course/{module}.ipynb", LAPTOP)
    run_all_cells(page)
    page.locator(TOP_WIDGETS).first.wait_for(timeout=60_000)
    return page


def _check_explorer(page, name: str) -> None:
    explorer = page.locator(".tc-element-explorer").first
    explorer.scroll_into_view_if_needed()
    _record(f"{name} explorer height px", round(explorer.bounding_box()["height"]))
    verdict = explorer.locator(".tc-verdict .tc-result")
    boxes = explorer.locator(".widget-checkbox input[type=checkbox]")
    n = boxes.count()
    for i in (0, n // 2, n - 1):  # the first control, one in the middle, the last one
        box = boxes.nth(i)
        before = verdict.text_content()
        box.click()
        page.wait_for_timeout(400)
        assert _in_view(page, box), f"control {i} is not on screen after clicking it"
        assert _in_view(page, verdict), (f"{name}: after a toggle of control {i} the verdict is "
                                         f"off screen ({verdict.bounding_box()})")
        if verdict.text_content() != before:
            assert _in_view(page, explorer.locator(".tc-change"))
        box.click()  # back as it was
        page.wait_for_timeout(300)


def test_module_1_on_a_laptop_screen(browser, lab, course_copy):  # noqa: F811 - fixtures
    page = _open(browser, lab, course_copy, "01-definitions")
    with screenshot_on_failure(page, "laptop-module-1"):
        _activities(page, "01")
        _check_explorer(page, "01")

        # the classifier: a wrong answer with nothing ticked
        classifier = page.locator(".tc-scenario-classifier").first
        classifier.scroll_into_view_if_needed()
        title = classifier.locator("h3").first.text_content().split(":", 1)[1].strip()
        scenario = next(s for s in load_scenarios() if s.title == title)
        a = scenario.assessment
        met = [e.key for r in (a.trafficking, a.smuggling) for e in r.elements if e.met]
        assert met, "the first scenario of module 1 shows some element"
        wrong = next(o for o in ("Neither", "Both") if o != {"neither": "Neither",
                                                              "both": "Both"}.get(a.verdict))
        classifier.get_by_role("radio", name=wrong, exact=True).check()
        check = classifier.get_by_role("button", name="Check answer")
        check.click()
        result = classifier.locator(".tc-result-line .tc-result")
        result.wait_for(timeout=30_000)
        assert re.match(r"\s*✘ Not quite", result.text_content()), result.text_content()
        assert _in_view(page, result), f"the result line is off screen: {result.bounding_box()}"
        _record("01 classifier height px", round(classifier.bounding_box()["height"]))
        # the missed element is marked at its own checkbox: same row, on screen
        name = ELEMENT_NAMES[met[0]]
        checkbox = classifier.get_by_role("checkbox", name=name, exact=True)
        row = classifier.locator(".tc-element-line", has=page.get_by_role(
            "checkbox", name=name, exact=True))
        mark = row.locator(".tc-mark-wrong")
        assert "missed" in mark.text_content(), mark.text_content()
        cb, mk = checkbox.bounding_box(), mark.bounding_box()
        assert abs((cb["y"] + cb["height"] / 2) - (mk["y"] + mk["height"] / 2)) < 30, (cb, mk)
        # every element's mark sits on its checkbox's own line, none on a line of its own
        off_line = page.evaluate("""c => [...c.querySelectorAll('.tc-element-line')].filter(l => {
            const box = l.querySelector('input[type=checkbox]'), mark = l.querySelector('.tc-mark');
            if (!box || !mark) return false;
            const b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
            return Math.abs((b.top + b.height / 2) - (m.top + m.height / 2)) > 12;
          }).map(l => l.textContent.trim())""", classifier.element_handle())
        assert not off_line, f"marks on a line of their own: {off_line}"
        page.screenshot(path=str(ARTIFACTS / "lab-01-classifier-after-check.png"))
        heading = classifier.locator("h3").first
        total = re.match(r"Scenario 1 of (\d+):", heading.text_content()).group(1)
        classifier.get_by_role("button", name="Previous scenario").click()
        page.wait_for_timeout(500)
        assert heading.text_content().startswith(f"Scenario {total} of {total}:")

        _check_quiz_keyboard(page)


def _active_cell(page) -> int:
    return page.evaluate("""() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Cell')]
        .findIndex(c => c.classList.contains('jp-mod-active'))""")


def _cell_count(page) -> int:
    return page.locator(".jp-NotebookPanel .jp-Cell").count()


def _check_quiz_keyboard(page) -> None:
    quiz = page.locator(".tc-quiz").first
    question = quiz.locator(".tc-question", has=page.locator("input[type=radio]")).first
    question.scroll_into_view_if_needed()
    radios = question.locator("input[type=radio]")
    radios.nth(0).focus()
    radios.nth(0).press("Space")
    page.wait_for_timeout(300)
    cell, cells = _active_cell(page), _cell_count(page)
    assert radios.nth(0).is_checked()
    radios.nth(0).press("ArrowDown")
    page.wait_for_timeout(400)
    assert radios.nth(1).is_checked()
    assert radios.nth(1).evaluate("e => e === document.activeElement")
    assert _active_cell(page) == cell, "the arrow key moved JupyterLab's cell focus"
    radios.nth(1).press("ArrowUp")
    page.wait_for_timeout(300)
    assert radios.nth(0).is_checked()
    radios.nth(0).press("Tab")   # leaves the group: the next stop is the Check button
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Check", f"Tab went to {focused!r}, not out of the options to Check"
    for key in ("b", "a", "d", "m", "ArrowDown", "Enter"):   # notebook shortcuts in command mode
        page.keyboard.press(key)
        page.wait_for_timeout(200)
    assert _cell_count(page) == cells, "a key in the quiz reached the notebook's shortcuts"
    assert _active_cell(page) == cell
    feedback = question.locator(".tc-feedback .tc-result")
    feedback.wait_for(timeout=30_000)   # Enter on Check checked the answer
    assert _in_view(page, feedback)
    page.screenshot(path=str(ARTIFACTS / "lab-01-quiz-keyboard.png"))


# module 2 for its sorter (the one activity kind that modules 1, 4, 7 and 9 do not have)
# every module after the first (module 1 has its own test above): each activity of each one
@pytest.mark.parametrize("module", ["02-forced-and-vulnerable", "03-who-defines", "04-smuggling",
                                    "05-globalisation", "06-gender", "07-organisation",
                                    "08-policy", "09-case-nigeria-norway"])
def test_activities_of_a_module_on_a_laptop_screen(browser, lab, course_copy, module):  # noqa: F811
    page = _open(browser, lab, course_copy, module)
    with screenshot_on_failure(page, f"laptop-{module}"):
        _activities(page, module[:2])
        if page.locator(".tc-element-explorer").count():
            _check_explorer(page, module[:2])

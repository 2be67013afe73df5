"""JupyterLab in a real browser: `make lab` serves the course, Chromium (Debian's, driven by
Playwright) opens module 1, runs every cell and answers a scenario in the classifier by clicking,
as a learner would; axe-core checks the notebook's content for accessibility problems.

`make lab` serves the student's own copy of the course (MY_COURSE, here a temporary folder).
Each test opens its notebook from a fresh copy of course/ below it (browser-tests/<random>/), in
its own JupyterLab workspace, so that running it (outputs, autosave, the learner's progress
file) never changes the course's own files and tests do not meet.
Screenshots of failures go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from trafficking_course.content.scenarios import load_scenarios
from trafficking_course.law import (
    ELEMENT_NAMES,  # the checkboxes' labels
    VERDICTS,
)

from .browser import (
    LabServer,
    chromium_browser,
    screenshot_on_failure,
    unavailable,
)
from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODULE_1 = "course/01-definitions.ipynb"
AXE = ROOT / "node_modules/axe-core/axe.min.js"


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as b:
        yield b


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """`make lab` on a free loopback port with a random token."""
    server = LabServer(tmp_path_factory.mktemp("lab") / "lab.log")
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def course_copy(lab):
    """A fresh copy of course/ and notebooks/ in a folder under the served root (the student's
    copy `make lab` serves), so that each test starts with no saved answers."""
    copy = lab.root / "browser-tests" / secrets.token_hex(4)
    for d in ("course", "notebooks"):
        if (ROOT / d).is_dir():
            shutil.copytree(ROOT / d, copy / d, ignore=shutil.ignore_patterns(
                ".ipynb_checkpoints", "*.progress.json*"))
    yield copy.relative_to(lab.root).as_posix()
    shutil.rmtree(copy, ignore_errors=True)


def open_notebook(browser, lab, path: str, viewport: dict | None = None):
    """A new page with only this notebook open (a fresh, uniquely named JupyterLab workspace)."""
    page = browser.new_page(viewport=viewport or {"width": 1400, "height": 1000})
    page.goto(lab.url(f"lab/workspaces/t{secrets.token_hex(4)}/tree/{path}") + "&reset")
    page.locator(".jp-NotebookPanel").first.wait_for(timeout=90_000)
    return page


def _accept_kernel_dialog(page) -> None:
    """JupyterLab may ask which kernel to start; a learner keeps the proposed one."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        text = dialog.first.inner_text()
        assert "Select Kernel" in text, f"unexpected dialog: {text}"
        dialog.get_by_role("button", name="Select", exact=True).click()


def run_all_cells(page, timeout: float = 240) -> None:
    """Run > Run All Cells from the menu bar; wait until every code cell has run."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the kernel (or its dialog) comes up first
        _accept_kernel_dialog(page)
        if page.get_by_text(re.compile(r"\| Idle$")).count():
            break
        page.wait_for_timeout(500)
    _accept_kernel_dialog(page)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    done = """() => {
        const cells = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')];
        const prompts = cells.map(c => c.querySelector('.jp-InputPrompt')?.textContent || '');
        return cells.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p));
    }"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(done):
        assert time.monotonic() < deadline, f"the notebook did not finish within {timeout} s"
        _accept_kernel_dialog(page)
        page.wait_for_timeout(500)
    errors = page.locator(".jp-NotebookPanel .jp-OutputArea-output[data-mime-type="
                          "'application/vnd.jupyter.stderr'] .ansi-red-fg")
    assert errors.count() == 0, errors.first.text_content()


def test_answer_a_scenario_in_module_1_by_clicking(browser, lab, course_copy):
    if not (ROOT / MODULE_1).exists():
        pytest.fail(f"{MODULE_1} is missing: the browser test answers its first classifier")
    notebook = f"{course_copy}/{MODULE_1}"
    page = open_notebook(browser, lab, notebook)
    with screenshot_on_failure(page, "lab-module-1-classifier"):
        run_all_cells(page)
        classifier = page.locator(".tc-scenario-classifier").first
        classifier.wait_for(timeout=60_000)
        classifier.scroll_into_view_if_needed()

        # which scenario is shown: its title is in the widget's heading
        heading = classifier.locator("h3", has_text=re.compile(r"^Scenario \d+ of \d+:")).first
        heading.wait_for(timeout=30_000)
        # textContent, not innerText: JupyterLab skips rendering cells out of view
        # (content-visibility), and innerText of a skipped subtree is empty
        title = heading.text_content().split(":", 1)[1].strip()
        scenario = next(s for s in load_scenarios() if s.title == title)
        assessment = scenario.assessment

        # tick the elements the facts show (by the checkbox's own label), pick the verdict
        boxes = classifier.get_by_role("checkbox")
        assert boxes.count() == 7, "one checkbox per legal element"
        for key, name in ELEMENT_NAMES.items():
            element = next(e for r in (assessment.trafficking, assessment.smuggling)
                           for e in r.elements if e.key == key)
            if element.met:
                classifier.get_by_role("checkbox", name=name, exact=True).check()
        right = VERDICTS[assessment.verdict]
        classifier.get_by_role("radio", name=right, exact=True).check()
        classifier.get_by_role("button", name="Check answer").click()

        result = classifier.locator(".tc-result-line")
        feedback = classifier.locator(".tc-feedback")
        expect(result).to_have_text(re.compile(r"\S"), timeout=30_000)
        text = " ".join(result.text_content().split())
        assert text.startswith("✔ Correct") and right in text, text
        assert "Art. 3" in feedback.text_content()

        # a wrong verdict is marked as such
        wrong = next(label for key, label in VERDICTS.items() if key != assessment.verdict)
        classifier.get_by_role("radio", name=wrong, exact=True).check()
        classifier.get_by_role("button", name="Check answer").click()
        expect(result).to_have_text(re.compile(r"^\s*✘ Not quite"), timeout=30_000)
        text = " ".join(result.text_content().split())
        assert right in text and "Art. 3" in feedback.text_content(), text

    # the answer was saved beside the notebook, and comes back when the notebook is reopened
    saved = lab.root / notebook.replace(".ipynb", ".progress.json")
    assert saved.is_file(), f"no progress file beside the notebook: {saved.name}"
    assert scenario.id in saved.read_text(), saved.read_text()
    page.close()
    page = open_notebook(browser, lab, notebook)
    with screenshot_on_failure(page, "lab-module-1-restored"):
        run_all_cells(page)
        classifier = page.locator(".tc-scenario-classifier").first
        classifier.wait_for(timeout=60_000)
        expect(classifier.locator(".tc-score")).to_have_text(
            re.compile(r"\b1 of \d+ scenarios? answered"), timeout=30_000)


def _axe_source() -> str:
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(["make", "--no-print-directory", "axe"], cwd=ROOT, check=False,
                       capture_output=True, timeout=300)
    if not AXE.exists():
        unavailable("axe-core is not installed: run `make axe` (needs npm)")
    return AXE.read_text()


def _axe_report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {' '.join(n['target'])}: {n['failureSummary'].splitlines()[-1]}"
                     for n in v["nodes"][:5])
    return "\n".join(lines)


# the start page, module 1 (narrative and widgets) and an analysis notebook (tables, figures)
@pytest.mark.parametrize("path", ["course/00-start-here.ipynb", MODULE_1,
                                  "notebooks/01-how-much.ipynb"])
def test_accessibility_of_notebook_content(browser, lab, course_copy, path):
    """axe-core over the notebook's cells and outputs (narrative, widgets, figures).

    JupyterLab's own chrome (menus, side bars, toolbar, the editor's inner machinery) is
    excluded: it is not the project's content and cannot be fixed here; JupyterLab tracks its
    accessibility upstream. The notebook's rendered Markdown and outputs are ours.
    """
    axe = _axe_source()
    if not (ROOT / path).exists():
        pytest.fail(f"{path} is missing", pytrace=False)
    page = open_notebook(browser, lab, f"{course_copy}/{path}")
    with screenshot_on_failure(page, f"lab-axe-{path}"):
        run_all_cells(page)
        page.add_script_tag(content=axe)
        result = page.evaluate(
            """async () => {
                const context = {
                  include: [['.jp-NotebookPanel .jp-Cell .jp-MarkdownOutput'],
                            ['.jp-NotebookPanel .jp-Cell .jp-OutputArea-output']],
                  // pandas' own blank header cells (see tests/test_site.py)
                  exclude: [['table.dataframe > thead th:empty']],
                };
                return await axe.run(context, {
                  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                  'best-practice']},
                  resultTypes: ['violations', 'passes'],
                });
            }""")
        # the scan really covered the notebook: its cells were there and rules ran
        assert page.locator(".jp-NotebookPanel .jp-Cell .jp-MarkdownOutput").count() > 0
        passed = {r["id"] for r in result["passes"]}
        if page.locator(".jp-OutputArea-output .widget-button").count():
            # the widgets' controls were checked: buttons' names and inputs' labels
            assert {"button-name", "label"} <= passed, passed
        if page.locator(".jp-OutputArea-output img").count():
            assert "image-alt" in passed, passed  # the figures were checked for alt text
        if result["violations"]:
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            (ROOT / f"test-artifacts/axe-{Path(path).stem}.json").write_text(
                json.dumps(result["violations"], indent=1))
        assert not result["violations"], _axe_report(result["violations"])

        # and it would have seen a problem there: an image without alt text in a cell
        found = page.evaluate(
            """async () => {
                const img = document.createElement('img');
                img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
                document.querySelector('.jp-NotebookPanel .jp-MarkdownOutput').append(img);
                const r = await axe.run({include: [['.jp-NotebookPanel .jp-MarkdownOutput']]},
                                        {runOnly: ['image-alt']});
                img.remove();
                return r.violations.map(v => v.id);
            }""")
        assert found == ["image-alt"], found


def test_a_reopened_notebook_is_unmodified_and_shows_its_activities(browser, lab):
    """Opening a notebook leaves it unmodified (no save prompt); after running it, saving and
    reloading the page, its activities are shown as they were, never "model not found"."""
    notebook = "course/02-forced-and-vulnerable.ipynb"   # the copy `make lab` made
    page = open_notebook(browser, lab, notebook, {"width": 1366, "height": 768})
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    with screenshot_on_failure(page, "lab-reopened-notebook"):
        expect(page.get_by_text(re.compile(r"\| Idle$"))).to_have_count(1, timeout=90_000)
        page.wait_for_timeout(2000)   # the kernel's info has reached the notebook
        assert "jp-mod-dirty" not in (tab.get_attribute("class") or ""), \
            "opening the notebook marked it modified"
        run_all_cells(page)
        sorter = page.locator(".tc-category-sorter").first
        sorter.wait_for(timeout=60_000)
        page.keyboard.press("Control+s")
        expect(tab).not_to_have_class(re.compile(r"jp-mod-dirty"), timeout=30_000)
        page.reload()
        page.locator(".jp-NotebookPanel").first.wait_for(timeout=90_000)
        expect(page.locator(".tc-category-sorter").first).to_be_attached(timeout=60_000)
        page.wait_for_timeout(3000)
        assert page.get_by_text("model not found").count() == 0
        hint = page.locator(".tc-category-sorter .tc-restart-hint").first
        assert "run this cell again" in hint.text_content()
    page.close()

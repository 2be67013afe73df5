"""The actor-by-actor activity ("Which of these three people trafficked her?") in `make lab` at
1366x768: the cells a module inserts, run by a student; the evidence and each person's panel
render, a fact is found and a person judged by clicking, and the feedback names the evidence.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import nbformat
import pytest

from .browser import ARTIFACTS, screenshot_on_failure
from .test_browser import browser, course_copy, lab, open_notebook, run_all_cells  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAPTOP = {"width": 1366, "height": 768}
CODE_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
TEXT_JS = """el => { const c = el.cloneNode(true);
    c.querySelectorAll('style, script').forEach(n => n.remove());
    return c.textContent; }"""

#: The two cells the report proposes for a module (markdown intro, code), after its setup cell.
CELLS = [
    nbformat.v4.new_code_cell(
        'from trafficking_course.progress import ProgressStore\n\n'
        'progress = ProgressStore.for_notebook("activity-test")'),
    nbformat.v4.new_markdown_cell("### Activity: which of these three people trafficked her?"),
    nbformat.v4.new_code_cell(
        'from trafficking_course.widgets.actor_case import ActorCaseActivity\n\n'
        'ActorCaseActivity.load("who-trafficked-her", progress=progress)'),
]


def test_judge_the_driver_by_clicking(browser, lab, course_copy):  # noqa: F811 - fixtures
    nb = nbformat.v4.new_notebook()
    nb.cells = CELLS
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = f"{course_copy}/course/actor-case-test.ipynb"
    nbformat.write(nb, lab.root / path)
    page = open_notebook(browser, lab, path, LAPTOP)
    with screenshot_on_failure(page, "lab-actor-case"):
        run_all_cells(page)
        activity = page.locator(".tc-actor-case").first
        activity.wait_for(timeout=60_000)
        text = activity.evaluate(TEXT_JS)
        assert "The driver's statement to the police" in text
        assert not CODE_NAME.findall(text), CODE_NAME.findall(text)
        # step 1: the driver's knowledge, found established on his payment (wrongly)
        fact = activity.locator(".tc-finding").nth(4)
        fact.scroll_into_view_if_needed()
        fact.get_by_role("radio", name="Established", exact=True).check()
        fact.get_by_role("checkbox", name="A phone payment, 13 March").check()
        activity.get_by_role("button", name="Check the facts").click()
        fact.locator(".tc-feedback").get_by_text(
            re.compile("^Not quite: the answer is not established")).wait_for(timeout=30_000)
        ARTIFACTS.mkdir(exist_ok=True)
        fact.screenshot(path=str(ARTIFACTS / "lab-actor-case-finding.png"))
        driver = activity.locator(".tc-actor").nth(1)
        driver.scroll_into_view_if_needed()
        driver.get_by_role("checkbox", name=re.compile(r"^Act:")).check()
        driver.get_by_role("checkbox", name=re.compile(r"^Means:")).check()
        driver.get_by_role("radio", name="Trafficking in persons", exact=True).check()
        activity.get_by_role("button", name="Check my reasoning").click()
        feedback = driver.locator(".tc-feedback")
        feedback.get_by_text(re.compile("^The driver: not quite")).wait_for(timeout=30_000)
        assert "Against it: The driver's statement to the police (statement)." in \
            feedback.text_content()
        # step 2 notes the fact found wrongly in step 1 that the driver's purpose draws on
        assert "cannot carry the element Purpose of exploitation for the driver" in \
            feedback.text_content()
        driver.screenshot(path=str(ARTIFACTS / "lab-actor-case-driver.png"))
        activity.locator(".tc-evidence").screenshot(
            path=str(ARTIFACTS / "lab-actor-case-evidence.png"))

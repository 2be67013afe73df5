"""The explorer's "When were the means used?" control on a laptop screen (issue 24): its label
sits above its options, not under them, and no option's text is cut. Module 1 in `make lab`,
1366x768, Debian's Chromium under Playwright; a screenshot goes to test-artifacts/."""

from __future__ import annotations

import pytest

from .browser import ARTIFACTS, screenshot_on_failure
from .test_browser import browser, course_copy, lab, open_notebook, run_all_cells  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAPTOP = {"width": 1366, "height": 768}

CUT_JS = """e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1"""


def test_the_stage_label_is_above_its_options_and_no_option_is_cut(
        browser, lab, course_copy):  # noqa: F811 - fixtures
    page = open_notebook(browser, lab, f"{course_copy}/course/01-definitions.ipynb", LAPTOP)
    with screenshot_on_failure(page, "lab-01-explorer-stage"):
        run_all_cells(page)
        explorer = page.locator(".tc-element-explorer").first
        explorer.wait_for(timeout=60_000)
        stage = explorer.locator(".tc-stacked", has_text="When were the means used?").first
        stage.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        ARTIFACTS.mkdir(exist_ok=True)
        stage.screenshot(path=str(ARTIFACTS / "lab-01-explorer-stage.png"))
        label = stage.locator(".widget-label").first
        options = stage.locator(".widget-radio-box label")
        assert options.count() == 4, "not stated, and the three stages"
        below = label.bounding_box()
        first = options.first.bounding_box()
        assert below["y"] + below["height"] <= first["y"] + 1, (
            f"the label ({below}) runs under the first option ({first})")
        assert not label.evaluate(CUT_JS), "the label's text is cut"
        column = stage.bounding_box()
        for i in range(options.count()):
            option = options.nth(i)
            box = option.bounding_box()
            assert not option.evaluate(CUT_JS), f"option {option.text_content()!r} is cut"
            assert box["x"] + box["width"] <= column["x"] + column["width"] + 1, (
                f"option {option.text_content()!r} runs out of its column")
            # a long option wraps beside its radio button, never above it: the button sits on
            # the option's first line
            radio = option.locator("input").bounding_box()
            assert radio["y"] - box["y"] < 10, (
                f"option {option.text_content()!r} starts a line above its radio button")
            assert radio["x"] <= box["x"] + 4, f"option {option.text_content()!r}: the radio " \
                "button is not at the start of its line"

"""Feedback pages that read well: "Not answered" instead of a NameError traceback, the kind of
case a failed hidden test checks (a `# case:` comment in the hidden region), and a page that
asks the network for nothing. The whole page through nbgrader is tested in
tests/test_grading_cycle.py (check_pending_feedback)."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_output

from trafficking_course.grading.reports.feedback import (
    NOT_ANSWERED,
    ExplainTestOutputs,
    case_kind,
)

from .test_grading import _test_cell as graded_test_cell


def _test_cell(source: str, outputs: list) -> nbformat.NotebookNode:
    return graded_test_cell(source, outputs, grade_id="q4_tests")


def _answer(source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "q4_answer"}
    return cell


def _error(ename: str, evalue: str, *lines: int) -> dict:
    """An error in the form the trusted runner writes (grading/isolation/trusted.py)."""
    frames = [f"Cell In[1], line {n}\n----> {n} ..." for n in lines]
    return new_output("error", ename=ename, evalue=evalue,
                      traceback=["-" * 75, *frames, f"{ename}: {evalue}"])


HIDDEN = """assert f({"age": 30}) is False
### BEGIN HIDDEN TESTS
# case: a child
for age in (0, 5, 17):
    assert f({"age": age}) is True
# case: a case with no means
assert f({"means": []}) is False
assert f({}) is False
### END HIDDEN TESTS"""


def _explained(cells: list) -> str:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb, _ = ExplainTestOutputs().preprocess(nb, {})
    return nb.cells[-1].outputs[0]["text"]


def test_a_failed_hidden_test_names_the_kind_of_case_its_author_gave():
    lines = HIDDEN.splitlines()
    assert case_kind(lines, 2, 5) == "a child"
    assert case_kind(lines, 2, 7) == case_kind(lines, 2, 8) == "a case with no means"
    assert case_kind(lines, 2, 1) == ""   # a visible line has no kind
    answer = _answer("def f(case):\n    return None")
    text = _explained([answer, _test_cell(HIDDEN, [_error("AssertionError", "", 5)])])
    assert text.startswith("A hidden test in this cell failed for a case of this kind: "
                           "a child."), text
    text = _explained([answer, _test_cell(HIDDEN, [_error("AssertionError", "", 8)])])
    assert "for a case of this kind: a case with no means." in text
    text = _explained([answer, _test_cell(HIDDEN, [_error("KeyError", "'age'", 7, 2)])])
    assert text.startswith("Your code raised KeyError when a hidden test in this cell used it,"
                           " for a case of this kind: a case with no means: check"), text
    # without a `# case:` comment: the generic line, as before
    plain = HIDDEN.replace("# case: a child\n", "").replace("# case: a case with no means\n", "")
    text = _explained([answer, _test_cell(plain, [_error("AssertionError", "", 4)])])
    assert text.startswith("A hidden test in this cell failed (AssertionError)"), text
    assert "case:" not in text and "age" not in text   # nothing of the hidden test itself


def test_an_unanswered_question_says_not_answered_not_a_name_error():
    name_error = _error("NameError", "name 'f' is not defined", 1)
    empty = _answer("# YOUR CODE HERE")
    assert _explained([empty, _test_cell(HIDDEN, [name_error])]) == NOT_ANSWERED
    # a test cell without hidden tests loses its traceback too
    visible = _test_cell('assert f({"age": 30}) is False', [name_error])
    assert _explained([empty, visible]) == NOT_ANSWERED
    # written but broken (a syntax error): not "not answered"; the reason stays
    broken = _answer("def f(case)\n    return None")
    text = _explained([broken, _test_cell(HIDDEN, [name_error])])
    assert text != NOT_ANSWERED and "NameError" in text
    # defined somewhere in the student's code (a typo elsewhere): not "not answered" either
    text = _explained([_answer("f = None"), _test_cell(HIDDEN, [name_error])])
    assert text != NOT_ANSWERED


def test_the_course_feedback_template_loads_nothing_from_the_network():
    """The template's own text: no http(s) URL in a script or link (the rendered pages are
    checked in the cycle test), and nbgrader's CDN MathJax is replaced."""
    import re

    from trafficking_course.grading.reports.feedback import TEMPLATES

    text = (TEMPLATES / "course_feedback.html.j2").read_text()
    assert "replace(cdn_mathjax" in text
    assert not re.search(r"<(script|link)[^>]*https?://", text)


def test_an_assert_in_a_helper_of_the_test_cell_is_a_failed_test_not_an_error_of_the_student():
    source = ("def _check(case):\n    assert f(case) == (case['age'] < 18), case\n\n"
              "assert f({'age': 30}) is False\n### BEGIN HIDDEN TESTS\n# case: a child\n"
              "for _age in (0, 5, 17):\n    _check({'age': _age})\n### END HIDDEN TESTS")
    answer = _answer("def f(case):\n    return False")
    # the trusted runner's frames: the call in the hidden region, then the helper's assert
    text = _explained([answer, _test_cell(source, [_error("AssertionError", "{'age': 0}",
                                                          8, 2)])])
    assert text.startswith("A hidden test in this cell failed for a case of this kind: "
                           "a child."), text
    assert "'age'" not in text


def test_a_case_kind_too_long_to_be_safe_from_the_leak_scan_is_not_shown():
    long_kind = "a child recruited online by someone the family trusted"
    assert len(long_kind) > 50
    lines = ["### BEGIN HIDDEN TESTS", f"# case: {long_kind}", "assert f(1)"]
    assert case_kind(lines, 1, 3) == ""

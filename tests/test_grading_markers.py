"""nbgrader's markers come from the course's configuration, in every part of the pipeline.

A copy of the course whose nbgrader_config.py changes all six markers: the leak scan still
finds the secrets and a planted leak, the simulated cohort still fills in the model answers, and
the feedback preprocessor still hides the hidden tests' outputs. No kernel here.
"""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course
from trafficking_course.grading.markers import course_markers, markers_from_config
from trafficking_course.grading.reports import cohort, leaks
from trafficking_course.grading.reports.feedback import HideHiddenTestOutputs

from .conftest import FIXTURES, ROOT

NEW = {
    "BEGIN SOLUTION": "BEGIN MODEL ANSWER", "END SOLUTION": "END MODEL ANSWER",
    "BEGIN HIDDEN TESTS": "BEGIN LECTURER TESTS", "END HIDDEN TESTS": "END LECTURER TESTS",
    "BEGIN MARK SCHEME": "BEGIN RUBRIC", "END MARK SCHEME": "END RUBRIC",
}
CONFIG = """
c.ClearSolutions.begin_solution_delimeter = "BEGIN MODEL ANSWER"
c.ClearSolutions.end_solution_delimeter = "END MODEL ANSWER"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN LECTURER TESTS"
c.ClearHiddenTests.end_test_delimeter = "END LECTURER TESTS"
c.ClearMarkScheme.begin_mark_scheme_delimeter = "BEGIN RUBRIC"
c.ClearMarkScheme.end_mark_scheme_delimeter = "END RUBRIC"
"""


def _rewrite(text: str) -> str:
    for old, new in NEW.items():
        text = text.replace(old, new)
    return text


@pytest.fixture
def course(tmp_path) -> Course:
    """The fixture assignment with every marker renamed, and a config that says so."""
    config = (ROOT / "exercises" / "nbgrader_config.py").read_text() + CONFIG
    (tmp_path / "nbgrader_config.py").write_text(config)
    shutil.copytree(FIXTURES / "grading" / "source", tmp_path / "source")
    path = tmp_path / "source" / "fixture" / "fixture.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        cell.source = _rewrite(cell.source)
    nbformat.write(nb, str(path))
    return Course(tmp_path)


def _release(course: Course):
    """release/ made by nbgrader's own preprocessors under the course's configuration."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, ClearSolutions, LockCells

    cfg = course.load_config()
    nb = nbformat.read(str(course.root / "source/fixture/fixture.ipynb"), as_version=4)
    for pp in (LockCells(config=cfg), ClearSolutions(config=cfg), ClearHiddenTests(config=cfg),
               ClearMarkScheme(config=cfg)):
        nb, _ = pp.preprocess(nb, {})
    out = course.root / "release/fixture/fixture.ipynb"
    out.parent.mkdir(parents=True)
    nbformat.write(nb, str(out))
    return out, nb


def test_the_markers_are_read_through_nbgraders_config_classes(course):
    m = course_markers(course)
    assert m.solution == ("BEGIN MODEL ANSWER", "END MODEL ANSWER")
    assert m.hidden_tests == ("BEGIN LECTURER TESTS", "END LECTURER TESTS")
    assert m.mark_scheme == ("BEGIN RUBRIC", "END RUBRIC")
    default = markers_from_config()
    assert default.hidden_tests[0] == "BEGIN HIDDEN TESTS"
    assert default.solution == ("BEGIN SOLUTION", "END SOLUTION")


def test_the_scan_follows_the_markers_and_catches_a_planted_leak(course):
    secrets = leaks.secrets_of(course, "fixture")
    kinds = {(s.kind, s.cell) for s in secrets}
    assert {("solution", "q1_answer"), ("hidden test", "q2_tests"),
            ("mark scheme", "q3_markscheme")} <= kinds
    path, nb = _release(course)
    assert leaks.scan_release(course, "fixture") == []  # nbgrader removed them all
    nb.cells[-1].source += "\nassert count_means({}) == 0"  # a hidden test slips through
    nbformat.write(nb, str(path))
    with pytest.raises(GradingError, match="hidden test of fixture cell 'q2_tests'"):
        leaks.check(course, "fixture", where=("release",))


def test_the_simulated_cohort_strips_the_configured_markers(course):
    _, release_nb = _release(course)
    source = nbformat.read(str(course.root / "source/fixture/fixture.ipynb"), as_version=4)
    nb = cohort.build_case("correct", release_nb, source, course_markers(course))
    answer = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == "q1_answer")
    assert answer.source.strip() == 'offence = "trafficking"'


def test_feedback_hides_outputs_of_cells_with_the_configured_marker(course):
    cfg = course.load_config()
    test = nbformat.v4.new_code_cell("assert a\n### BEGIN LECTURER TESTS\nassert b, 'x1'\n"
                                     "### END LECTURER TESTS")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    answer = nbformat.v4.new_code_cell("# BEGIN LECTURER TESTS (a student's comment)\nprint(1)")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "a"}
    for cell in (test, answer):
        cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="x1",
                                               traceback=["assert b, 'x1'"])]
    nb = nbformat.v4.new_notebook(cells=[test, answer])
    nb, _ = HideHiddenTestOutputs(config=cfg).preprocess(nb, {})
    assert "x1" not in json.dumps(nb.cells[0].outputs)
    assert nb.cells[1].outputs[0]["output_type"] == "error"  # an answer cell is left alone

"""The cohort report a lecturer reads in a minute: question titles from the assignment, ties
named, words not booleans, pending written answers left out of the figures. The report built
from a real gradebook is tested in tests/test_grading_cycle.py."""

from __future__ import annotations

import pandas as pd

from trafficking_course.grading.course import Course
from trafficking_course.grading.reports.report import (
    CohortReport,
    heading_title,
    question_elements,
    question_titles,
    with_elements,
)

from .conftest import ROOT


def test_questions_are_named_as_the_assignment_names_them():
    course = Course(ROOT / "exercises")
    titles = question_titles(course, "definitions")
    assert titles[("definitions", "q1_means")] == "Question 1: the fruit farm"
    assert titles[("definitions", "q7_answer")] == "Question 7: trafficking or smuggling?"
    named = with_elements(titles, question_elements(course, "definitions"))
    assert named[("definitions", "q1_tests")] == \
        "Question 1: the fruit farm (act, means, purpose)"
    assert named[("definitions", "q2_benefit")] == \
        "Question 2: the lorry (illegal entry, benefit)"
    assert named[("definitions", "q6_answer")] == "Question 6: consent"  # tests no element
    assert heading_title("Question 6 (8 points, graded by hand): essay on assistance *or* "
                         "prosecution") == "Question 6: essay on assistance or prosecution"


def _report(missed: dict[str, float]) -> CohortReport:
    elements = pd.DataFrame([{"element": e, "questions": 1, "titles": "Question 1",
                              "missed": m} for e, m in missed.items()])
    elements = elements.sort_values(["missed", "element"], ascending=[False, True])
    students = pd.DataFrame([{"student": "s1", "score": 3.0, "max_score": 8.0,
                              "submitted": True, "pending": 1},
                             {"student": "s2", "score": 0.0, "max_score": 8.0,
                              "submitted": False, "pending": 0}])
    questions = pd.DataFrame([{"notebook": "a", "question": "q1_tests", "max_score": 2.0,
                               "mean": 1.0, "answers": 1, "pending": 0, "facility": 0.5,
                               "difficulty": 0.5, "title": "Question 1 (act)", "part": "act"}])
    return CohortReport("a", students, questions, elements.reset_index(drop=True), b"")


def test_ties_are_named_not_hidden():
    report = _report({"act": 2 / 3, "means": 2 / 3, "purpose": 2 / 3,
                      "not_national_or_resident": 2 / 3, "benefit": 0.2})
    assert report.most_missed_elements == ["act", "means", "not_national_or_resident",
                                           "purpose"]
    assert report.missed_most_text() == \
        "act, means, not national or resident and purpose (tied at 0.67)"
    assert "missed most:</strong> act, means, not national or resident and purpose (tied " \
        "at 0.67)" in report.to_html()
    assert _report({"means": 0.5, "act": 0.25}).missed_most_text() == "means (0.50)"


def test_tables_use_words_and_say_what_is_still_to_mark():
    page = _report({"act": 0.5}).to_html()
    assert ">True<" not in page and ">False<" not in page
    assert "<td>yes</td>" in page and "<td>no</td>" in page
    assert "Still to mark by hand: 1 written answer(s) of 1 student(s)" in page
    assert "<th>question</th>" in page and "<td>Question 1 (act)</td>" in page

"""Grades to the LMS: Canvas gradebook CSV and Moodle grade import CSV, from a real gradebook.

The columns checked are the ones each LMS documents for its import: Canvas's gradebook import
reads Student, ID, SIS User ID, SIS Login ID and Section before the assignment columns, with a
"Points Possible" row under the header (the layout of Canvas's own gradebook export); Moodle's
CSV grade import maps a user identifier column (here "ID number" -> useridnumber) and one
column per grade item.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course
from trafficking_course.grading.reports import lms

from .conftest import ROOT

ROSTER = """student_id,first_name,last_name,email,lms_id,section,login_id
s1,Ada,Example,s1@example.edu,S001,Seminar A,ada
s2,Ben,Example,s2@example.edu,S002,Seminar B,ben
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """A course root whose gradebook has two assignments and two students with known scores."""
    from nbgrader.api import Gradebook

    root = tmp_path_factory.mktemp("lms") / "course"
    root.mkdir()
    course = Course(root)
    with Gradebook(course.db_url) as gb:
        for name, points in (("definitions", 6), ("case", 4)):
            gb.add_assignment(name)
            gb.add_notebook(name, name)
            gb.add_grade_cell("q1", name, name, max_score=points, cell_type="code")
        for sid in ("s1", "s2"):
            gb.add_student(sid)
        for sid, name, score in (("s1", "definitions", 5), ("s2", "definitions", 2.5),
                                 ("s1", "case", 4)):  # s2 submitted no case: 0
            gb.add_submission(name, sid)
            grade = gb.find_grade("q1", name, name, sid)
            grade.auto_score = score
            gb.db.commit()
    (root / "roster.csv").write_text(ROSTER)
    return course


def read(path: Path) -> list[list[str]]:
    with path.open(newline="") as fh:
        return list(csv.reader(fh))


def test_canvas_export_has_canvas_columns_and_scores(course):
    rows = read(lms.export_lms(course, "canvas"))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                       "case", "definitions"]
    assert rows[1] == ["Points Possible", "", "", "", "", "4", "6"]
    assert rows[2] == ["Example, Ada", "", "S001", "ada", "Seminar A", "4", "5"]
    assert rows[3] == ["Example, Ben", "", "S002", "ben", "Seminar B", "0", "2.5"]


def test_moodle_export_has_moodle_columns_and_scores(course):
    path = lms.export_lms(course, "moodle")
    assert path == course.reports / "moodle-grades.csv"
    rows = read(path)
    assert rows[0] == ["ID number", "First name", "Last name", "Email address",
                       "case", "definitions"]
    assert rows[1:] == [["S001", "Ada", "Example", "s1@example.edu", "4", "5"],
                        ["S002", "Ben", "Example", "s2@example.edu", "0", "2.5"]]


def test_a_student_without_an_lms_id_is_named(course, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER.replace(",S002,", ",,"))
    with pytest.raises(GradingError, match=r"no LMS id .* s2; add an lms_id for each of "
                                           r"them on the roster") as err:
        lms.export_lms(course, "canvas", roster=roster, out=tmp_path / "out.csv")
    assert str(roster) in str(err.value)
    # a graded student missing from the roster altogether is named too
    roster.write_text("\n".join(ROSTER.splitlines()[:2]) + "\n")
    with pytest.raises(GradingError, match=r"1 student\(s\): s2"):
        lms.export_lms(course, "moodle", roster=roster, out=tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_roster_mistakes_name_the_row_and_field(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text("student_id,name\ns1,Ada\n")
    with pytest.raises(GradingError, match="no 'lms_id' column"):
        lms.read_roster(bad)
    bad.write_text(ROSTER + "s1,Ada,Again,,S009,,\n")
    with pytest.raises(GradingError, match=r"'s1' is listed twice \(row 4\)"):
        lms.read_roster(bad)
    with pytest.raises(GradingError, match="unknown LMS format 'blackboard'"):
        lms.export_lms(Course(tmp_path), "blackboard")


def test_the_example_roster_is_readable_and_complete():
    roster = lms.read_roster(ROOT / "exercises" / "roster.example.csv")
    assert set(roster) == {"student1", "student2", "student3"}
    assert all(entry.lms_id for entry in roster.values())


def test_the_command_line_names_the_student_without_an_id(course, tmp_path):
    import subprocess
    import sys

    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER.replace(",S001,", ",,"))
    proc = subprocess.run([sys.executable, "-m", "trafficking_course", "grading", "export-lms",
                           "moodle", "--root", str(course.root), "--roster", str(roster),
                           "--output", str(tmp_path / "m.csv")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "s1" in proc.stderr and "lms_id" in proc.stderr and len(proc.stderr.splitlines()) == 1
    proc = subprocess.run([sys.executable, "-m", "trafficking_course", "grading", "export-lms",
                           "canvas", "--root", str(course.root), "--output",
                           str(tmp_path / "c.csv")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert read(tmp_path / "c.csv")[2][2] == "S001"


def test_one_roster_feeds_the_gradebook_and_the_lms_export(tmp_path):
    """`make roster` puts roster.csv into nbgrader's gradebook (a student who never submits is
    then on the cohort's list with 0); the LMS export reads the same file."""
    import subprocess
    import sys

    from nbgrader.api import Gradebook

    from trafficking_course.grading.cycle import roster_of

    root = tmp_path / "course"
    root.mkdir()
    course = Course(root)
    with Gradebook(course.db_url) as gb:
        gb.add_assignment("definitions")
        gb.add_student("s1", first_name="Old")
        gb.add_student("walk-in")  # created by an autograde, not on the roster
    (root / "roster.csv").write_text(ROSTER.replace("s2,Ben,Example,s2@example.edu", "s2,,,"))
    proc = subprocess.run([sys.executable, "-m", "trafficking_course", "grading", "roster",
                           "--root", str(root)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "2 students from the roster" in proc.stdout
    assert "not on the roster: walk-in" in proc.stdout
    with Gradebook(course.db_url) as gb:
        s1, s2 = gb.find_student("s1"), gb.find_student("s2")
        assert (s1.first_name, s1.last_name, s1.email, s1.lms_user_id) == \
            ("Ada", "Example", "s1@example.edu", "S001")
        assert (s2.first_name, s2.lms_user_id) == (None, "S002")
        listed = [s.id for s in roster_of(gb, gb.find_assignment("definitions"))]
    assert listed == ["s1", "s2"]  # s2 has only an LMS id; walk-in is not on the list
    with pytest.raises(GradingError, match=r"1 student\(s\): walk-in"):
        lms.export_lms(course, "canvas")  # the same file: walk-in has no LMS id in it
    (root / "roster.csv").write_text(ROSTER + "s1,Ada,Again,,S009,,\n")
    with pytest.raises(GradingError, match=r"'s1' is listed twice \(row 4\)"):
        lms.import_roster(course)
    (root / "roster.csv").write_text("student_id,first_name\ns3,Chi\n")  # no lms_id: fine
    assert lms.import_roster(course)[0] == 1


@pytest.fixture()
def pending_course(tmp_path) -> Course:
    """s1's written answer (3 points) is answered but not marked by hand yet; s2's is marked."""
    from nbgrader.api import Gradebook

    root = tmp_path / "course"
    root.mkdir()
    course = Course(root)
    with Gradebook(course.db_url) as gb:
        gb.add_assignment("case")
        gb.add_notebook("case", "case")
        gb.add_grade_cell("q1", "case", "case", max_score=4, cell_type="code")
        gb.add_grade_cell("q7_answer", "case", "case", max_score=3, cell_type="markdown")
        for sid in ("s1", "s2"):
            gb.add_student(sid)
            gb.add_submission("case", sid)
            gb.find_grade("q1", "case", "case", sid).auto_score = 4
            # what nbgrader's SaveAutoGrades leaves for an answered written answer
            written = gb.find_grade("q7_answer", "case", "case", sid)
            written.auto_score, written.needs_manual_grade = None, True
        gb.find_grade("q7_answer", "case", "case", "s2").manual_score = 2
        gb.db.commit()
    (root / "roster.csv").write_text(ROSTER)
    return course


def test_an_unmarked_written_answer_is_never_sent_as_0(pending_course, tmp_path):
    """The LMS export refuses, naming the student and question; --allow-pending exports the
    partial total on purpose, with a column saying what is still to mark."""
    for fmt in lms.FORMATS:
        out = tmp_path / f"{fmt}.csv"
        with pytest.raises(GradingError, match=r"1 written answer\(s\) of 1 submission\(s\) "
                                               r"are not marked yet.*s1 \(case: q7_answer\)"):
            lms.export_lms(pending_course, fmt, out=out)
        assert not out.exists()
    rows = read(lms.export_lms(pending_course, "canvas", allow_pending=True))
    assert rows[0][-1] == "Pending manual grades" and rows[1][-1] == ""
    assert rows[2][-2:] == ["4", "case: q7_answer"]     # s1: partial total, marked pending
    assert rows[3][-2:] == ["6", ""]                    # s2: marked by hand, complete
    rows = read(lms.export_lms(pending_course, "moodle", allow_pending=True))
    assert rows[1][-2:] == ["4", "case: q7_answer"] and rows[2][-2:] == ["6", ""]


def test_the_command_line_refuses_pending_grades_and_exports_them_with_the_flag(
        pending_course, tmp_path):
    import subprocess
    import sys

    base = [sys.executable, "-m", "trafficking_course", "grading", "export-lms", "canvas",
            "--root", str(pending_course.root), "--output", str(tmp_path / "c.csv")]
    proc = subprocess.run(base, capture_output=True, text=True)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "s1 (case: q7_answer)" in proc.stderr and "--allow-pending" in proc.stderr
    proc = subprocess.run([*base, "--allow-pending"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert read(tmp_path / "c.csv")[2][-1] == "case: q7_answer"

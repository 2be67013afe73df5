"""The lecturer's whole cycle through the real nbgrader commands, on a simulated cohort.

generate -> release -> collect (exchange and LMS folder) -> parallel autograde -> manual grade
(as the formgrader stores it) -> re-run -> feedback -> export CSV -> cohort report, with the
leak scan after generate and feedback. One simulated student per robustness case; the exact
score of each is asserted. Each test builds its own course root in a temporary folder, so no
generated file lands in exercises/. Kernel-heavy: one test per assignment, so pytest-xdist
spreads them over the cores.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from trafficking_course.grading import cycle
from trafficking_course.grading.course import Course, tool_environ
from trafficking_course.grading.reports import cohort, leaks
from trafficking_course.grading.reports.lms import import_roster
from trafficking_course.grading.reports.report import cohort_report, question_elements
from trafficking_course.grading.run.autograde import autograde

from .conftest import FIXTURES, ROOT

pytestmark = [pytest.mark.slow]

CELL_TIMEOUT = 20  # generous: a loaded CI machine must not time out honest cells

REASONS = {
    "empty_file": "is an empty file",
    "corrupt_notebook": "is not a valid notebook",
    "kernel_dies": "the kernel died",
    "missing_submission": "no submission",
}
NOTES = {
    "infinite_loop": f"timed out after {CELL_TIMEOUT} s",
    "syntax_error": "syntax error in answer cell",
    "deleted_answer_cell": "deleted answer cell",
    "deleted_test_cell": "deleted test cell",
    "edited_test_cell": "edited read-only cell",
    "colab_stripped": "recovered by matching them to the student version",
    "answers_stripped": "recovered by matching them to the student version",
    "deleted_written_answer": "deleted written answer",
    "copied_cell": "copied cell",
}


def make_root(tmp_path: Path, source: Path) -> Course:
    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy2(ROOT / "exercises" / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(source, root / "source" / source.name)
    return Course(root)


def grade_cohort(course: Course, assignment: str, tmp_path: Path, extra=None):
    """generate, simulate, import the roster, collect the LMS folder, autograde."""
    release = cycle.generate(course, assignment)
    assert (release / f"{assignment}.ipynb").is_file()
    lms = tmp_path / "lms-export"
    roster = cohort.simulate(course, assignment, lms)
    if extra:
        extra(course, lms, roster)
    import_roster(course, lms / "roster.csv")
    collected = cycle.collect_folder(course, assignment, lms)
    assert collected.notes["sim-renamed-notebook-1"] == [
        f"renamed notebook '{assignment}-final-version.ipynb' to '{assignment}.ipynb'"]
    report = autograde(course, assignment, workers=2, cell_timeout=CELL_TIMEOUT,
                       progress=False)
    return roster, report


def check_scores_and_reasons(course, assignment, roster, report):
    got = report.by_student()
    wrong = {s.student: (s.expected, got[s.student].score) for s in roster
             if got[s.student].score != s.expected}
    assert not wrong, f"expected vs autograded score: {wrong}\n{report.summary()}"
    for s in roster:
        r = got[s.student]
        if s.case in REASONS:
            assert r.status in ("failed", "missing"), (s.case, r)
            assert REASONS[s.case] in r.reason, (s.case, r.reason)
        else:
            assert r.status == "graded", (s.case, r)
        if s.case in NOTES:
            assert any(NOTES[s.case] in n for n in r.notes), (s.case, r.notes)
    # every student by name and reason in the printed summary
    summary = report.summary()
    for case in REASONS:
        assert f"sim-{case.replace('_', '-')}-1: " in summary
    # one writer: no worker ever met a locked database
    logs = course.logs / "autograde" / assignment
    for log in logs.glob("*.log"):
        assert "database is locked" not in log.read_text(errors="replace"), log


def check_honest_feedback(course: Course, assignment: str) -> None:
    """Pages of the honest cases: made, and no cell reported as failed."""
    base = course.root / "feedback"
    for case in ("delimiter-comment", "stderr-warning", "colab-stripped", "shadowed-names"):
        page = leaks.html_text(base / f"sim-{case}-1" / assignment / f"{assignment}.html")
        for phrase in ("in this cell failed", "Your code raised", "ran out of time"):
            assert phrase not in page, (case, phrase)
        assert "All tests in this cell passed" in page, case
    page = leaks.html_text(base / "sim-delimiter-comment-1" / assignment / f"{assignment}.html")
    assert "# BEGIN HIDDEN TESTS? I could not see any" in page  # the student's text, as written


def check_report_by_hand(course: Course, assignment: str, report) -> None:
    """The cohort report's figures, computed again by hand from the exported CSV files."""
    with (course.root / "reports" / "grades.csv").open(newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["assignment"] == assignment]
    submitted = [float(r["score"]) for r in rows if r["timestamp"]]
    mean = sum(submitted) / len(submitted)
    assert abs(report.mean - mean) < 1e-9, (report.mean, mean)
    assert f"mean {mean:.1f} of" in report.path.read_text()       # the histogram's alt text
    assert int(report.students["submitted"].sum()) == len(submitted)
    per_q = list(csv.DictReader(cycle.export_questions(course, assignment).open()))
    tags = question_elements(course, assignment)
    by_element: dict[str, list[bool]] = {}
    for r in per_q:
        element = tags.get((r["notebook"], r["question"]))
        if element and r["submitted"] == "True":
            by_element.setdefault(element, []).append(float(r["score"]) < float(r["max_score"]))
    got = dict(zip(report.elements["element"], report.elements["missed"], strict=True))
    want = {e: sum(v) / len(v) for e, v in by_element.items()}
    assert got.keys() == want.keys() and all(abs(got[e] - want[e]) < 1e-9 for e in want)
    if want:
        top = max(want.values())
        assert report.most_missed_element == min(e for e in want if want[e] == top)


def exported_scores(path: Path, assignment: str) -> dict[str, float]:
    with path.open(newline="") as fh:
        return {r["student_id"]: float(r["score"]) for r in csv.DictReader(fh)
                if r["assignment"] == assignment}


class FixtureCycle:
    """The fixture course as the lecturer's cycle leaves it, stage after stage.

    Each stage is its own test, so an early failure hides no later stage. A stage that needs an
    earlier one's result asks for it (exchange(), rerun()): done once per test process, so the
    stages are right in any order and on any pytest-xdist worker.
    """

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.course = make_root(tmp_path, FIXTURES / "grading" / "source" / "fixture")
        self.a = "fixture"
        cycle.validate(self.course, self.a)  # nbgrader validate: the solution form passes
        self.roster, self.report = grade_cohort(self.course, self.a, tmp_path)
        self.expected = {s.student: s.expected for s in self.roster}
        self._exchange_student: str | None = None
        self._again = None

    def exchange(self) -> str:
        """Release; one student fetches and submits; collect: the exchange student's id."""
        if self._exchange_student is None:
            exchange = cycle.release(self.course, self.a)
            assert (exchange / "trafficking-course" / "outbound" / self.a /
                    f"{self.a}.ipynb").is_file()
            home = self.tmp_path / "student-home"
            home.mkdir()
            flags = [f"--Exchange.root={exchange}",
                     "--CourseDirectory.course_id=trafficking-course"]
            for cmd in (["fetch_assignment", self.a], ["submit", self.a]):
                subprocess.run(["nbgrader", *cmd, *flags], cwd=home, env=tool_environ(),
                               check=True, capture_output=True)
            students = cycle.collect_exchange(self.course, self.a)
            new = sorted(set(students) - set(self.expected))
            assert len(new) == 1, new  # the account that ran fetch/submit
            self._exchange_student = new[0]
        return self._exchange_student

    def rerun(self):
        """A manual grade (as the formgrader stores it), two changed submissions, a re-run."""
        if self._again is None:
            from nbgrader.api import Gradebook

            self.exchange()
            with Gradebook(self.course.db_url) as gb:
                grade = gb.find_grade("q3_written", self.a, self.a, "sim-correct-1")
                grade.manual_score = 2.5
                gb.db.commit()
            _change_two_submissions(self.course.root / "submitted", self.a)
            self._again = autograde(self.course, self.a, workers=2, cell_timeout=CELL_TIMEOUT,
                                    progress=False)
        return self._again


@pytest.fixture(scope="module")
def fixture_cycle(tmp_path_factory) -> FixtureCycle:
    return FixtureCycle(tmp_path_factory.mktemp("fixture-cycle"))


def test_fixture_cycle_1_autograde_scores_every_case_exactly(fixture_cycle):
    c = fixture_cycle
    check_scores_and_reasons(c.course, c.a, c.roster, c.report)
    huge = c.course.root / "autograded/sim-huge-output-1/fixture/fixture.ipynb"
    assert huge.stat().st_size < 100_000  # 50 000 printed lines cut to nbgrader's limit


def test_fixture_cycle_2_release_fetch_submit_collect_through_the_exchange(fixture_cycle):
    c = fixture_cycle
    student = c.exchange()
    assert (c.course.root / "submitted" / student / c.a / f"{c.a}.ipynb").is_file()


def _change_two_submissions(submitted: Path, a: str) -> None:
    """A partly correct student hands in the correct notebook; the correct one adds a cell."""
    partly = submitted / "sim-partly-correct-1" / a / f"{a}.ipynb"
    partly.chmod(0o644)
    shutil.copyfile(submitted / "sim-correct-1" / a / f"{a}.ipynb", partly)
    mine = submitted / "sim-correct-1" / a / f"{a}.ipynb"
    nb = nbformat.read(str(mine), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Added after the deadline."))
    nbformat.write(nb, str(mine))
    stamp = dt.datetime.now(dt.UTC).strftime(cycle.TIMESTAMP_FORMAT)
    (submitted / "sim-correct-1" / a / "timestamp.txt").write_text(stamp)


def test_fixture_cycle_3_rerun_grades_only_changes_and_keeps_manual_grades(fixture_cycle):
    from nbgrader.api import Gradebook

    c = fixture_cycle
    again = c.rerun()
    status = {r.student: r.status for r in again.results}
    assert status["sim-partly-correct-1"] == "graded"
    assert status["sim-correct-1"] == "graded"
    assert status[c.exchange()] == "graded"
    assert status["sim-wrong-1"] == "unchanged" and status["sim-huge-output-1"] == "unchanged"
    assert status["sim-empty-file-1"] == "failed"  # reported again, never silently dropped
    with Gradebook(c.course.db_url) as gb:
        grade = gb.find_grade("q3_written", c.a, c.a, "sim-correct-1")
        assert grade.manual_score == 2.5 and grade.needs_manual_grade  # kept, to review
    scores = {r.student: r.score for r in again.results}
    assert scores["sim-correct-1"] == c.expected["sim-correct-1"] + 2.5
    assert scores["sim-partly-correct-1"] == c.expected["sim-correct-1"]
    assert scores["sim-wrong-1"] == c.expected["sim-wrong-1"]


def test_fixture_cycle_4_the_formgrader_shows_autograde_and_manual_scores(fixture_cycle):
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    c = fixture_cycle
    c.rerun()
    cfg = c.course.load_config()
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    shown = api.get_submission(c.a, "sim-correct-1")
    assert shown["autograded"] and shown["needs_manual_grade"]
    assert shown["score"] == c.expected["sim-correct-1"] + 2.5
    assert api.get_submission(c.a, "sim-kernel-dies-1")["score"] == 0


def test_fixture_cycle_5_feedback_holds_no_hidden_test_or_mark_scheme(fixture_cycle):
    c = fixture_cycle
    again = c.rerun()
    made = cycle.feedback(c.course, c.a)
    assert made.failed == {} and made.withheld == {}, made.summary()
    graded = [r for r in again.results if r.status in ("graded", "unchanged")]
    assert len(made.pages) == len(graded)
    wrong_page = leaks.html_text(c.course.root / "feedback/sim-wrong-1/fixture/fixture.html")
    assert "A visible test in this cell failed: AssertionError: offence should be a string" \
        in wrong_page
    assert "A visible test in this cell failed: AssertionError" in wrong_page.split("q2_tests")[1]
    check_honest_feedback(c.course, c.a)
    assert "fraud" not in wrong_page and "MARK SCHEME" not in wrong_page
    assert "Award 2 points" not in wrong_page
    assert 'assert count_means({"means": []}) == 0' in wrong_page  # visible tests stay
    check_pending_feedback(c.course, c.a)


def check_pending_feedback(course: Course, a: str) -> None:
    """A written answer not marked by hand reads "awaiting your lecturer's mark", never a 0;
    one marked (sim-correct-1: 2.5) shows its score; no page asks the network for anything."""
    base = course.root / "feedback"
    page = leaks.html_text(base / "sim-wrong-1" / a / f"{a}.html")
    assert "Written response (Awaiting your lecturer's mark (3.0 points))" in page
    assert "Written response (Score: 0.0 / 3.0)" not in page
    assert "Student's answer Awaiting your lecturer's mark (3.0 points)" in page
    assert "3.0 of these points awaiting your lecturer's mark on 1 written answer" in page
    marked = leaks.html_text(base / "sim-correct-1" / a / f"{a}.html")
    assert "Written response (Score: 2.5 / 3.0)" in marked and "awaiting" not in marked
    assert "In [" not in page
    for html_page in base.glob(f"*/{a}/*.html"):
        assert_no_external_requests(html_page.read_text())


def assert_no_external_requests(html_text: str) -> None:
    """No script, link, img or iframe that loads from http(s) or a protocol-relative URL."""
    import re

    found = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*['\"]?"
                       r"((?:https?:)?//[^'\" >]+)", html_text, flags=re.I)
    assert not found, found


def test_fixture_cycle_6_plain_nbgrader_feedback_leaks_and_the_scan_catches_it(fixture_cycle):
    c = fixture_cycle  # nbgrader issues #917 and #1363
    c.rerun()
    c.course.nbgrader("generate_feedback", c.a, "--student", "sim-wrong-1", "--force",
                      "--GenerateFeedback.preprocessors=['nbgrader.preprocessors.GetGrades',"
                      "'nbconvert.preprocessors.CSSHTMLHeaderPreprocessor']")
    found = leaks.scan_feedback(c.course, c.a)
    assert {f.secret.kind for f in found} == {"hidden test", "mark scheme"}
    assert {Path(f.file).parts[-3] for f in found} == {"sim-wrong-1"}


def check_exports_refuse_pending(c: FixtureCycle) -> set[str]:
    """grades.csv, Canvas and Moodle refuse while written answers are unmarked, naming each
    student and question; with allow_pending they mark the rows. The students pending."""
    from trafficking_course.errors import GradingError
    from trafficking_course.grading.reports import lms
    from trafficking_course.grading.reports.pending import pending_grades

    pending = {p.student for p in pending_grades(c.course, [c.a])}
    assert pending and "sim-correct-1" not in pending  # marked by hand in rerun()
    assert {p.question for p in pending_grades(c.course, [c.a])} == {"q3_written"}
    grades = c.course.root / "reports" / "grades.csv"
    grades.unlink(missing_ok=True)
    with pytest.raises(GradingError) as err:
        cycle.export_grades(c.course)
    assert not grades.exists()
    assert "sim-wrong-1 (fixture: q3_written)" in str(err.value)
    assert all(s in str(err.value) for s in pending) and "--allow-pending" in str(err.value)
    roster = c.tmp_path / "roster-with-exchange-student.csv"
    shutil.copyfile(c.tmp_path / "lms-export" / "roster.csv", roster)
    with roster.open("a", newline="") as fh:
        csv.writer(fh).writerow(cohort.roster_row(c.exchange(), "exchange", 9998))
    for fmt in lms.FORMATS:
        with pytest.raises(GradingError, match="sim-wrong-1 \\(fixture: q3_written\\)"):
            lms.export_lms(c.course, fmt, roster=roster)
        with lms.export_lms(c.course, fmt, roster=roster, allow_pending=True).open() as fh:
            rows = list(csv.reader(fh))
        assert rows[0][-1] == lms.PENDING_COLUMN
        marked = [r for r in rows[1:] if r[-1]]
        assert len(marked) == len(pending) and {r[-1] for r in marked} == {"fixture: q3_written"}
    return pending


def test_fixture_cycle_7_export_and_cohort_report(fixture_cycle):
    c = fixture_cycle
    c.rerun()
    pending = check_exports_refuse_pending(c)
    exported = exported_scores(cycle.export_grades(c.course, allow_pending=True), c.a)
    with (c.course.root / "reports" / "grades.csv").open(newline="") as fh:
        marks = {r["student_id"]: r["pending"] for r in csv.DictReader(fh)}
    assert {s for s, q in marks.items() if q} == pending
    assert all(marks[s] == "q3_written" for s in pending) and marks["sim-correct-1"] == ""
    want = dict(c.expected, **{"sim-correct-1": c.expected["sim-correct-1"] + 2.5,
                               "sim-partly-correct-1": c.expected["sim-correct-1"]})
    assert {k: exported[k] for k in want} == want
    rows = list(csv.DictReader(cycle.export_questions(c.course, c.a).open()))
    assert {r["question"] for r in rows} == {"q1_tests", "q2_tests", "q3_written"}
    report = cohort_report(c.course, c.a)
    assert report.path == c.course.root / "reports" / "fixture.html"
    html = report.path.read_text()
    # the unmarked written answers: counted as still to mark, not as 0 in the question figures
    assert report.pending == len(pending)
    written = report.questions.set_index("question").loc["q3_written"]
    marked = [float(r["score"]) for r in rows if r["question"] == "q3_written"
              and r["submitted"] == "True" and r["pending"] == "False"]
    assert 2.5 in marked and written["answers"] == len(marked)
    assert written["pending"] == len(pending)
    assert abs(written["facility"] - sum(marked) / len(marked) / 3) < 1e-9, written
    assert f"Still to mark by hand: {len(pending)} written answer(s)" in html
    assert ">True<" not in html and ">False<" not in html
    assert "<img src='data:image/png;base64," in html and "alt='Histogram of total" in html
    assert report.most_missed_element == "means"
    q = report.questions.set_index("question")
    assert q.loc["q2_tests", "difficulty"] > q.loc["q1_tests", "difficulty"]
    assert "means" in report._repr_html_()


def test_fixture_cycle_8_one_unreadable_notebook_stops_only_its_own_page(fixture_cycle):
    c = fixture_cycle
    c.rerun()
    before = cycle.feedback(c.course, c.a)
    broken = c.course.root / "autograded/sim-wrong-1/fixture/fixture.ipynb"
    broken.chmod(0o644)
    broken.write_text("{ this is not a notebook")
    again = cycle.feedback(c.course, c.a)
    assert list(again.failed) == ["sim-wrong-1"], again.summary()
    assert "NotJSONError" in again.failed["sim-wrong-1"] or \
        "JSON" in again.failed["sim-wrong-1"], again.failed
    assert len(again.pages) == len(before.pages) - 1


def _drop_means(course, lms, roster):
    """One more simulated student: every facts answer correct except that means are empty."""
    for folder in (lms / "sim-correct-1",):
        path = next(folder.glob("*.ipynb"))
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("solution"):
                continue
            tree = ast.parse(cell.source)
            for node in tree.body:
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                    keys = [k.value if isinstance(k, ast.Constant) else None
                            for k in node.value.keys]
                    if "means" in keys:
                        node.value.values[keys.index("means")] = ast.List(elts=[], ctx=ast.Load())
            cell.source = ast.unparse(tree)
        out = lms / "sim-no-means-1"
        out.mkdir()
        nbformat.write(nb, str(out / path.name))
    with (lms / "roster.csv").open("a", newline="") as fh:
        csv.writer(fh).writerow(cohort.roster_row("sim-no-means-1", "no_means", 9999))


REAL = sorted(p.name for p in (ROOT / "exercises" / "source").iterdir()
              if p.is_dir() and any(p.glob("*.ipynb"))) \
    if (ROOT / "exercises" / "source").is_dir() else []


@pytest.mark.parametrize("assignment", REAL)
def test_course_assignment_simulated_cohort(assignment, tmp_path):
    course = make_root(tmp_path, ROOT / "exercises" / "source" / assignment)
    source = nbformat.read(str(course.source_notebooks(assignment)[0]), as_version=4)
    has_facts = any("means" in c.source and c.metadata.get("nbgrader", {}).get("solution")
                    for c in source.cells if c.cell_type == "code")
    roster, report = grade_cohort(course, assignment, tmp_path,
                                  extra=_drop_means if has_facts else None)
    check_scores_and_reasons(course, assignment, roster, report)
    made = cycle.feedback(course, assignment)  # removes and lists a page that leaks
    assert made.failed == {} and made.withheld == {}, made.summary()
    assert len(made.pages) == len([r for r in report.results if r.status == "graded"])
    check_honest_feedback(course, assignment)
    exported = exported_scores(cycle.export_grades(course, allow_pending=True), assignment)
    assert {s.student: exported[s.student] for s in roster} == \
        {s.student: s.expected for s in roster}
    report = cohort_report(course, assignment)
    assert report.path.is_file()
    check_report_by_hand(course, assignment, report)


def test_a_student_past_the_deadline_is_stopped_and_reported(tmp_path):
    course = make_root(tmp_path, FIXTURES / "grading" / "source" / "fixture")
    cycle.generate(course, "fixture")
    lms = tmp_path / "lms"
    cohort.simulate(course, "fixture", lms, cases=("correct",), per_case=2)
    cycle.collect_folder(course, "fixture", lms)
    report = autograde(course, "fixture", workers=2, student_timeout=0.5, progress=False)
    assert [(r.student, r.status) for r in report.results] == [
        ("sim-correct-1", "failed"), ("sim-correct-2", "failed")]
    assert all(r.reason.startswith("grading took longer than") for r in report.results), \
        report.summary()
    assert all(r.score == 0 for r in report.results)

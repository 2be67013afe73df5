"""The steps of the lecturer's cycle around autograde: generate, release, collect, feedback,
export. Each is a short function over a Course that runs the real nbgrader command and then
the course's own checks (the leak scan after generate and feedback).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course
from trafficking_course.grading.reports import feedback as feedback_pages
from trafficking_course.grading.reports import leaks
from trafficking_course.grading.reports.feedback import FeedbackReport

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"


def submitted_at(folder: Path) -> dt.datetime | None:
    """When a submission was handed in: its timestamp.txt (nbgrader's, or collect's), if any."""
    from nbgrader.utils import parse_utc

    try:
        return parse_utc((Path(folder) / "timestamp.txt").read_text().strip())
    except (OSError, ValueError):
        return None


def validate(course: Course, assignment: str) -> None:
    """`nbgrader validate` each source notebook (solution form: every test must pass)."""
    for nb in course.source_notebooks(assignment):
        proc = course.nbgrader("validate", str(nb), check=False)
        out = proc.stdout or ""
        if proc.returncode != 0 or "Success!" not in out:
            raise GradingError(f"nbgrader validate failed:\n{out[-2000:]}", file=nb)


def generate(course: Course, assignment: str) -> Path:
    """`nbgrader generate_assignment` (student version in release/), then the leak scan."""
    course.check_assignment(assignment)
    course.nbgrader("generate_assignment", assignment, "--force")
    leaks.check(course, assignment, where=("release",))
    return course.step_dir("release") / assignment


def release(course: Course, assignment: str) -> Path:
    """`nbgrader release_assignment` to the exchange (students: `nbgrader fetch_assignment`)."""
    if not (course.step_dir("release") / assignment).is_dir():
        raise GradingError("no student version yet; run generate first",
                           file=course.step_dir("release") / assignment)
    leaks.check(course, assignment, where=("release",))
    course.nbgrader("release_assignment", assignment, "--force")
    return course.root / ".exchange"


def collect_exchange(course: Course, assignment: str) -> list[str]:
    """`nbgrader collect` from the exchange; returns the students now in submitted/."""
    course.nbgrader("collect", assignment, "--update")
    return course.students_with_submissions(assignment)


@dataclass
class CollectReport:
    collected: dict[str, Path] = field(default_factory=dict)     # student -> notebook
    notes: dict[str, list[str]] = field(default_factory=dict)    # student -> what was done
    problems: dict[str, str] = field(default_factory=dict)       # student/file -> reason

    def note(self, student: str, text: str) -> None:
        self.notes.setdefault(student, []).append(text)


_ID_OK = re.compile(r"[^A-Za-z0-9.-]+")


def student_id_of(name: str) -> str:
    """The student id an LMS export puts first in a file or folder name: `<id>_rest`."""
    head = name.split("_", 1)[0]
    return _ID_OK.sub("-", head).strip("-.").lower()


def _notebooks_by_student(folder: Path) -> dict[str, list[Path]]:
    """The notebooks of an LMS export, by the student id their folder or file name gives."""
    per_student: dict[str, list[Path]] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            files = sorted(p for p in entry.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            sid = student_id_of(entry.name)
        elif entry.suffix == ".ipynb":
            files, sid = [entry], student_id_of(entry.stem)
        else:
            continue
        if sid:
            per_student.setdefault(sid, []).extend(files)
    return per_student


def _is_named(path: Path, target_name: str) -> bool:
    return path.name == target_name or path.name.endswith("_" + target_name)


def _choose(files: list[Path], target_name: str) -> Path | str:
    """The one notebook to collect, or why there is none (a problem, never a guess)."""
    if not files:
        return "no notebook in the student's folder"
    exact = [f for f in files if _is_named(f, target_name)]
    if len(exact) == 1:
        return exact[0]
    if len(files) == 1:
        return files[0]
    return (f"{len(files)} notebooks and none named {target_name}: "
            + ", ".join(f.name for f in files))


def _copy_submission(chosen: Path, dest_dir: Path, target_name: str) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / target_name
    if dest.exists():
        dest.chmod(0o644)
    shutil.copyfile(chosen, dest)
    stamp = dt.datetime.fromtimestamp(chosen.stat().st_mtime, dt.UTC)
    (dest_dir / "timestamp.txt").write_text(stamp.strftime(TIMESTAMP_FORMAT) + "\n")
    return dest


def collect_folder(course: Course, assignment: str, folder: Path) -> CollectReport:
    """Collect submissions from a folder such as an LMS export into submitted/.

    Accepted layouts: `<folder>/<student>/<any>.ipynb` (one folder per student) or
    `<folder>/<student>_<anything>.ipynb` (the student id up to the first underscore).
    A notebook with another name than the assignment's is renamed and the change noted;
    a student with several candidate notebooks is a problem, reported, not guessed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GradingError("no such folder of submissions", file=folder)
    target_name = f"{course.only_notebook_id(assignment, 'collecting from a folder')}.ipynb"
    report = CollectReport()
    for sid, files in sorted(_notebooks_by_student(folder).items()):
        chosen = _choose(files, target_name)
        if isinstance(chosen, str):
            report.problems[sid] = chosen
            continue
        dest_dir = course.step_dir("submitted") / sid / assignment
        report.collected[sid] = _copy_submission(chosen, dest_dir, target_name)
        if not _is_named(chosen, target_name):
            report.note(sid, f"renamed notebook {chosen.name!r} to {target_name!r}")
    return report


def feedback(course: Course, assignment: str,
             students: list[str] | None = None) -> FeedbackReport:
    """Feedback pages, one student at a time (hidden tests and mark schemes removed, each
    failed test cell saying why), then the leak scan over every page that was made.

    A student whose page nbgrader cannot make is in the report's `failed` with the real
    error; the others get their pages whatever that one notebook holds. A page on which the
    leak scan finds a secret (also base64- or hex-encoded) is removed from feedback/, and its
    student is in the report's `withheld` with what was found."""
    report = feedback_pages.generate(course, assignment, students)
    base = course.step_dir("feedback")
    for leak in leaks.scan(course, assignment, where=("feedback",)):
        page = Path(leak.file)
        student = page.relative_to(base).parts[0]
        report.withheld.setdefault(student, str(leak).split(": ", 1)[-1])
        page.unlink(missing_ok=True)
        report.pages = [p for p in report.pages if p != page]
    return report


def release_feedback(course: Course, assignment: str) -> None:
    """`nbgrader release_feedback` into the exchange (students `nbgrader fetch_feedback`)."""
    leaks.check(course, assignment, where=("feedback",))
    course.nbgrader("release_feedback", assignment)


# -- grades out of the gradebook --------------------------------------------------------------
def _source_order(course: Course, assignment: str) -> dict[tuple[str, str], int]:
    """(notebook, grade id) -> the cell's position in the source notebook."""
    order = {}
    for nb_id, nb in course.read_source(assignment).items():
        for i, cell in enumerate(nb.cells):
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid:
                order[(nb_id, gid)] = i
    return order


def _student_rows(gb, assignment: str, student: str, questions: list[dict]) -> list[dict]:
    from nbgrader.api import MissingEntry

    from trafficking_course.grading.reports.pending import is_pending

    pending = False
    try:
        sub = gb.find_submission(assignment, student)
    except MissingEntry:
        sub = None
    rows = []
    for q in questions:
        score, needs = 0.0, False
        if sub is not None:
            g = gb.find_grade(q["question"], q["notebook"], assignment, student)
            score, needs = float(g.score or 0), bool(g.needs_manual_grade)
            pending = is_pending(g)
        rows.append({"student": student, "question": q["question"],
                     "notebook": q["notebook"], "score": score,
                     "max_score": q["max_score"], "needs_manual_grade": needs,
                     "pending": pending, "submitted": sub is not None})
    return rows


def question_scores(course: Course, assignment: str) -> tuple[list[dict], list[dict]]:
    """Per-student per-question scores and the questions (grade cells) with their max scores.

    Rows: {"student", "question", "notebook", "score", "max_score", "needs_manual_grade",
    "pending", "submitted"}; "pending": a written answer not yet marked by hand (its score,
    0, is not a grade: reports/pending.py). A student on the roster (see `roster_of`)
    without a submission gets score 0 for every question.
    """
    from nbgrader.api import Gradebook, MissingEntry

    order = _source_order(course, assignment)
    if not course.gradebook.exists():
        raise GradingError("no gradebook yet; run generate first", file=course.gradebook)
    questions, rows = [], []
    with Gradebook(course.db_url) as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            raise GradingError("assignment not in the gradebook; run generate first",
                               file=course.gradebook, record=assignment) from None
        for nb in a.notebooks:
            for gc in nb.grade_cells:
                questions.append({"notebook": nb.name, "question": gc.name,
                                  "max_score": float(gc.max_score), "cell_type": gc.cell_type,
                                  "auto": gc.cell_type == "code" and not _is_solution(nb, gc),
                                  "index": order.get((nb.name, gc.name), 0)})
        questions.sort(key=lambda q: (q["notebook"], q["index"]))
        for student in roster_of(gb, a):
            rows += _student_rows(gb, assignment, student.id, questions)
    return rows, questions


def roster_of(gb, assignment) -> list:
    """The students an assignment's figures are about: the roster (students imported with
    `make roster` or `nbgrader db student import`, who have a name, an e-mail address or an
    LMS id) and whoever submitted this assignment. A student that another assignment's
    autograde created is not on it."""
    submitted = {s.student.id for s in assignment.submissions}
    return sorted((s for s in gb.students if s.id in submitted or s.first_name or s.last_name
                   or s.email or s.lms_user_id),
                  key=lambda s: s.id)


def _is_solution(nb, grade_cell) -> bool:
    return any(sc.name == grade_cell.name for sc in nb.solution_cells)


def export_grades(course: Course, out: Path | None = None, *,
                  allow_pending: bool = False) -> Path:
    """`nbgrader export` (one row per student and assignment) to reports/grades.csv.

    Written answers not yet marked by hand would count as 0 there: the export refuses,
    naming each student and question (reports/pending.py), unless `allow_pending`; then a
    `pending` column lists the questions still to mark in each row ("" when complete)."""
    from trafficking_course.grading.reports.pending import by_submission, pending_grades, refuse

    pending = pending_grades(course)
    if not allow_pending:
        refuse(pending, "grades.csv not written")
    out = Path(out) if out else course.reports / "grades.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    course.nbgrader("export", "--to", str(out))
    groups = by_submission(pending)
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = [*(rows[0].keys() if rows else ()), "pending"]
    for row in rows:
        row["pending"] = " ".join(groups.get((row["student_id"], row["assignment"]), []))
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return out


def export_questions(course: Course, assignment: str, out: Path | None = None) -> Path:
    """Per-question scores of every student to reports/<assignment>-questions.csv."""
    rows, _ = question_scores(course, assignment)
    out = Path(out) if out else course.reports / f"{assignment}-questions.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["student", "notebook", "question", "score",
                                                "max_score", "needs_manual_grade", "pending",
                                                "submitted"])
        writer.writeheader()
        writer.writerows(rows)
    return out

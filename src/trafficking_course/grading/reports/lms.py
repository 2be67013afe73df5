"""The course's one roster, and grades to the LMS: a Canvas gradebook CSV and a Moodle grade
import CSV from the gradebook.

exercises/roster.csv is the class list. `import_roster` (`make roster`) puts it into nbgrader's
gradebook (id, names, e-mail and nbgrader's lms_user_id), so that a student who submits
nothing is listed with 0 in the reports; the LMS export reads the same file for each student's
LMS identity. Scores come from nbgrader's gradebook (every assignment, every student; no
submission scores 0, as in `nbgrader export`). One row per student:

  student_id  the id nbgrader and the hub know the student by (required)
  first_name, last_name, email   as in the LMS (optional, shown in the files)
  lms_id      the student's id in the LMS (required for an export): in Canvas the
              "SIS User ID", in Moodle the user's "ID number" (both are the university's
              student number when the LMS is fed from the student records system)
  section     Canvas section name (optional)
  login_id    Canvas "SIS Login ID" (optional)

Canvas (Grades > Import): the columns Canvas's own gradebook export has and its import reads:
Student, ID, SIS User ID, SIS Login ID, Section, then one column per assignment (a name Canvas
does not know becomes a new assignment), and a "Points Possible" row under the header.
Moodle (Grades > Import > CSV file): a user identifier column plus one column per grade item;
at import map "ID number" to "useridnumber", and each assignment column to its grade item.

Written answers not yet marked by hand (reports/pending.py) would reach the LMS as 0: the
export refuses, naming each student and question, unless asked for partial totals on purpose
(`allow_pending`, the command's --allow-pending). Then a last column, "Pending manual grades",
lists the assignments and questions still to mark in each row; it is for the lecturer's eyes:
at import, Moodle maps it to "Ignore"; in Canvas delete the column before importing (Canvas
would take an unknown column for a new assignment).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course

ROSTER_COLUMNS = ("student_id", "first_name", "last_name", "email", "lms_id", "section",
                  "login_id")
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_IDENTITY = ("ID number", "First name", "Last name", "Email address")
FORMATS = ("canvas", "moodle")
PENDING_COLUMN = "Pending manual grades"


@dataclass(frozen=True)
class RosterEntry:
    student_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_id: str = ""
    section: str = ""
    login_id: str = ""


@dataclass(frozen=True)
class Grades:
    """Scores by student and assignment, with each assignment's maximum."""

    assignments: list[str]
    max_score: dict[str, float]
    score: dict[tuple[str, str], float]  # (student_id, assignment) -> score
    students: list[str]
    #: (student_id, assignment) -> written answers not yet marked by hand (reports/pending.py)
    pending: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def pending_text(self, student: str) -> str:
        """The row's "Pending manual grades" cell: "case: q7_written; ..." or ""."""
        return "; ".join(f"{a}: {', '.join(self.pending[(student, a)])}"
                         for a in self.assignments if (student, a) in self.pending)


def read_roster(path: Path, required: tuple[str, ...] = ("student_id", "lms_id")
                ) -> dict[str, RosterEntry]:
    """The roster by student_id; GradingError naming the file, row and field when malformed."""
    if not path.is_file():
        raise GradingError("no roster: a CSV with one row per student (columns "
                           f"{', '.join(ROSTER_COLUMNS)}); start from roster.example.csv",
                           file=path)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        for column in required:
            if column not in header:
                raise GradingError(f"the roster has no {column!r} column", file=path,
                                   field=column)
        roster: dict[str, RosterEntry] = {}
        for line, row in enumerate(reader, start=2):
            sid = (row.get("student_id") or "").strip()
            if not sid:
                raise GradingError(f"row {line} has no student_id", file=path,
                                   field="student_id")
            if sid in roster:
                raise GradingError(f"student {sid!r} is listed twice (row {line})",
                                   file=path, record=sid)
            roster[sid] = RosterEntry(**{c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS})
    return roster


def roster_path(course: Course, roster: Path | None = None) -> Path:
    """The roster given, or the course's own roster.csv."""
    return Path(roster) if roster else course.root / "roster.csv"


def import_roster(course: Course, roster: Path | None = None) -> tuple[int, list[str]]:
    """Put every student of the roster (default: the course's roster.csv) into the gradebook,
    creating or updating them; (how many, the gradebook's students not on the roster)."""
    import warnings

    from nbgrader.api import Gradebook

    path = roster_path(course, roster)
    entries = read_roster(path, required=("student_id",))
    with warnings.catch_warnings(), Gradebook(course.db_url) as gb:
        warnings.simplefilter("ignore")  # nbgrader's autoflush chatter
        for e in entries.values():
            gb.update_or_create_student(e.student_id, first_name=e.first_name or None,
                                        last_name=e.last_name or None,
                                        email=e.email or None, lms_user_id=e.lms_id or None)
        others = sorted(s.id for s in gb.students if s.id not in entries)
    return len(entries), others


def gradebook_grades(course: Course) -> Grades:
    """Every assignment's score for every student in the course's nbgrader gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url) as gb:
        assignments = sorted(gb.assignments, key=lambda a: (a.duedate is None, a.duedate, a.name))
        names = [a.name for a in assignments]
        maxima = {a.name: float(a.max_score) for a in assignments}
        students = sorted(s.id for s in gb.students)
        score: dict[tuple[str, str], float] = {}
        for name in names:
            for sid in students:
                try:
                    score[(sid, name)] = float(gb.find_submission(name, sid).score)
                except MissingEntry:
                    score[(sid, name)] = 0.0
    from trafficking_course.grading.reports.pending import by_submission, pending_grades

    return Grades(names, maxima, score, students, by_submission(pending_grades(course)))


def _joined(grades: Grades, roster: dict[str, RosterEntry], path: Path) -> list[RosterEntry]:
    """The roster entry of each graded student; one error naming every student without an id."""
    everyone = sorted(set(grades.students) | set(roster))
    missing = [sid for sid in everyone if sid not in roster or not roster[sid].lms_id]
    if missing:
        raise GradingError(f"no LMS id (column lms_id) for {len(missing)} student(s): "
                           f"{', '.join(missing)}; add an lms_id for each of them on the "
                           "roster", file=path, field="lms_id")
    return [roster[sid] for sid in everyone]


def _number(value: float) -> str:
    return f"{value:g}"


def _pending_column(grades: Grades, rows: list[list[str]], entries: list[RosterEntry],
                    first: int) -> list[list[str]]:
    """The "Pending manual grades" column, when any grade is pending (rows from `first` on
    are the students')."""
    if not grades.pending:
        return rows
    rows[0].append(PENDING_COLUMN)
    for row in rows[1:first]:
        row.append("")
    for row, e in zip(rows[first:], entries, strict=True):
        row.append(grades.pending_text(e.student_id))
    return rows


def canvas_rows(grades: Grades, entries: Iterable[RosterEntry]) -> list[list[str]]:
    """Header, the Points Possible row, then one row per student (Canvas gradebook CSV)."""
    entries = list(entries)
    rows = [[*CANVAS_IDENTITY, *grades.assignments],
            ["Points Possible", "", "", "", "",
             *(_number(grades.max_score[a]) for a in grades.assignments)]]
    for e in entries:
        name = ", ".join(p for p in (e.last_name, e.first_name) if p) or e.student_id
        rows.append([name, "", e.lms_id, e.login_id, e.section,
                     *(_number(grades.score.get((e.student_id, a), 0.0))
                       for a in grades.assignments)])
    return _pending_column(grades, rows, entries, 2)


def moodle_rows(grades: Grades, entries: Iterable[RosterEntry]) -> list[list[str]]:
    """Header, then one row per student (Moodle grade import CSV, identified by ID number)."""
    entries = list(entries)
    rows = [[*MOODLE_IDENTITY, *grades.assignments]]
    for e in entries:
        rows.append([e.lms_id, e.first_name, e.last_name, e.email,
                     *(_number(grades.score.get((e.student_id, a), 0.0))
                       for a in grades.assignments)])
    return _pending_column(grades, rows, entries, 1)


def export_lms(course: Course, fmt: str, roster: Path | None = None,
               out: Path | None = None, grades: Grades | None = None, *,
               allow_pending: bool = False) -> Path:
    """Write reports/<fmt>-grades.csv for the LMS fmt ('canvas' or 'moodle'); its path.

    Refuses while a written answer is not marked by hand, naming each student and question,
    unless `allow_pending` (then a "Pending manual grades" column marks those rows)."""
    if fmt not in FORMATS:
        raise GradingError(f"unknown LMS format {fmt!r}; choose one of {', '.join(FORMATS)}")
    roster = roster_path(course, roster)
    grades = grades or gradebook_grades(course)
    if grades.pending and not allow_pending:
        from trafficking_course.grading.reports.pending import Pending, refuse

        refuse([Pending(s, a, "", q, 0.0) for (s, a), qs in grades.pending.items() for q in qs],
               f"{fmt} grades not written")
    entries = _joined(grades, read_roster(roster), roster)
    rows = canvas_rows(grades, entries) if fmt == "canvas" else moodle_rows(grades, entries)
    out = Path(out) if out else course.reports / f"{fmt}-grades.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return out

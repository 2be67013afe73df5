"""Grades still to be marked by hand: the one place that decides what "pending" means.

A written answer (an nbgrader manually graded cell) that the student answered gets no
automatic score: nbgrader's SaveAutoGrades leaves its `auto_score` empty until a lecturer
marks it in the formgrader (`manual_score`). nbgrader's own `score` then reads 0, so a total
looks complete when it is not. A grade is *pending* when it has neither an automatic nor a
manual score. (A written answer left exactly as released gets an automatic 0 from nbgrader:
that is "not answered", a real 0, not pending.)

Every report reads pending grades from here: the feedback page says "awaiting your
lecturer's mark", the grade exports refuse (or, asked to, mark the rows), and the cohort report
leaves them out of facility and difficulty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course

#: The flag that exports partial totals on purpose (the command line's spelling).
ALLOW_FLAG = "--allow-pending"


@dataclass(frozen=True)
class Pending:
    student: str
    assignment: str
    notebook: str
    question: str
    points: float


def is_pending(grade) -> bool:
    """An nbgrader Grade worth points with neither an automatic nor a manual score (a task
    cell worth 0 points, such as a mark scheme's, is never pending)."""
    return (grade.auto_score is None and grade.manual_score is None
            and float(grade.max_score or 0) > 0)


def pending_grades(course: Course, assignments: Iterable[str] | None = None) -> list[Pending]:
    """Every pending grade in the gradebook (of `assignments`, default all), sorted."""
    import warnings

    from nbgrader.api import Grade, Gradebook, SubmittedAssignment, SubmittedNotebook

    if not course.gradebook.exists():
        return []
    wanted = set(assignments) if assignments is not None else None
    found = []
    with warnings.catch_warnings(), Gradebook(course.db_url) as gb:
        warnings.simplefilter("ignore")
        query = (gb.db.query(Grade).join(SubmittedNotebook)
                 .join(SubmittedAssignment)
                 .filter(Grade.auto_score.is_(None), Grade.manual_score.is_(None)))
        for g in query:
            if not is_pending(g):
                continue
            assignment = g.notebook.assignment.assignment.name
            if wanted is not None and assignment not in wanted:
                continue
            found.append(Pending(g.notebook.assignment.student.id, assignment,
                                 g.notebook.name, g.cell.name, float(g.max_score or 0)))
    return sorted(found, key=lambda p: (p.assignment, p.student, p.notebook, p.question))


def by_submission(pending: Iterable[Pending]) -> dict[tuple[str, str], list[str]]:
    """(student, assignment) -> the questions still to mark in that submission."""
    out: dict[tuple[str, str], list[str]] = {}
    for p in pending:
        out.setdefault((p.student, p.assignment), []).append(p.question)
    return out


def refuse(pending: list[Pending], what: str) -> None:
    """One GradingError naming every student and question still to mark (none: nothing)."""
    if not pending:
        return
    groups = by_submission(pending)
    listed = "; ".join(f"{student} ({assignment}: {', '.join(questions)})"
                       for (student, assignment), questions in sorted(groups.items()))
    raise GradingError(
        f"{what}: {len(pending)} written answer(s) of {len(groups)} submission(s) are not "
        f"marked yet, and would count as 0: {listed}. Mark them in the formgrader "
        f"(make formgrader), or export partial totals on purpose with {ALLOW_FLAG} (a "
        "'pending' column then marks those rows)", field="manual_score")

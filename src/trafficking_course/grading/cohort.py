"""A simulated cohort: synthetic student submissions built from an assignment's own notebooks.

Every submission is derived from the released (student) notebook, with answers taken from the
source notebook's solution regions, then damaged in one known way. Because the damage is known,
so is the exact autograded score each submission must get; `expected_score` computes it from
the points of the assignment's test cells. This relies on the course's grade-cell layout: each
autograded question is one or more answer cells followed by its test cell, and a test cell
only uses the answers of its own question and earlier ones.

The cohort is written as an LMS export (one folder per student) plus a roster CSV for
`nbgrader db student import`. All students are synthetic ("sim-<case>-<n>").
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course

#: The robustness cases, in the order they are generated.
CASES = (
    "correct", "partly_correct", "wrong", "infinite_loop", "syntax_error",
    "deleted_answer_cell", "deleted_test_cell", "edited_test_cell", "renamed_notebook",
    "empty_file", "corrupt_notebook", "huge_output", "missing_submission", "kernel_dies",
)

_MARK = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass
class Question:
    answers: list[str]     # grade_ids of the code answer cells
    test: str              # grade_id of the test cell
    points: float


@dataclass
class Plan:
    notebook: str
    questions: list[Question]
    free_points: float     # test cells that need no answer

    @property
    def total(self) -> float:
        return sum(q.points for q in self.questions) + self.free_points


def _gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def plan_of(release_nb) -> Plan:
    """The autograded questions of a released notebook, in order."""
    questions, pending, free = [], [], 0.0
    for cell in release_nb.cells:
        nbg = _nbg(cell)
        if cell.cell_type != "code":
            continue
        if nbg.get("solution") and not nbg.get("grade"):
            pending.append(nbg["grade_id"])
        elif nbg.get("grade") and not nbg.get("solution"):
            if pending:
                questions.append(Question(pending, nbg["grade_id"], float(nbg["points"])))
            elif questions:  # a second test cell of the same question
                questions.append(Question(list(questions[-1].answers), nbg["grade_id"],
                                          float(nbg["points"])))
            else:
                free += float(nbg["points"])
            pending = []
    return Plan("", questions, free)


def solution_text(source_cell) -> str:
    """The source cell with nbgrader's solution markers removed (the model answer)."""
    lines = [ln for ln in source_cell.source.splitlines()
             if not any(m in ln for m in _MARK)]
    return "\n".join(lines)


def expected_score(case: str, plan: Plan) -> float:
    """The exact autograded score of a case (manually graded answers not yet graded)."""
    if not plan.questions:
        raise GradingError("the assignment has no autograded question", field="questions")
    total, last, first = plan.total, plan.questions[-1], plan.questions[0]
    # every test cell that shares the last question's answers fails together with it
    last_group = sum(q.points for q in plan.questions if q.answers == last.answers)
    first_group = sum(q.points for q in plan.questions if q.answers == first.answers)
    return {
        "correct": total,
        "partly_correct": first_group + plan.free_points,
        "wrong": plan.free_points,
        "infinite_loop": total - last_group,
        "syntax_error": total - last_group,
        "deleted_answer_cell": total - last_group,
        "deleted_test_cell": total,
        "edited_test_cell": total - last_group,
        "renamed_notebook": total,
        "empty_file": 0.0,
        "corrupt_notebook": 0.0,
        "huge_output": total,
        "missing_submission": 0.0,
        "kernel_dies": 0.0,
    }[case]


def _answered(release_nb, source_by_id, *, only=None):
    """A copy of the release notebook with the model answers filled in (only: those ids)."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(release_nb)))
    for cell in nb.cells:
        nbg = _nbg(cell)
        gid = nbg.get("grade_id")
        if nbg.get("solution") and gid in source_by_id and (only is None or gid in only):
            cell.source = solution_text(source_by_id[gid])
    return nb


def _wrong(release_nb, source_by_id):
    """Answers that run but are wrong: every name an answer defines is bound to None."""
    import ast

    nb = _answered(release_nb, source_by_id)
    for cell in nb.cells:
        nbg = _nbg(cell)
        if cell.cell_type != "code" or not nbg.get("solution") or nbg.get("grade"):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        lines = []
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                args = ", ".join(["*args", "**kwargs"])
                lines.append(f"def {node.name}({args}):\n    return None")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                lines.append(ast.unparse(node))
            else:
                for target in ast.walk(node):
                    if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store):
                        lines.append(f"{target.id} = None")
        cell.source = "\n".join(lines) or "pass"
    return nb


def _find(nb, gid):
    for i, cell in enumerate(nb.cells):
        if _gid(cell) == gid:
            return i, cell
    raise GradingError(f"cell {gid!r} not in the notebook", field="grade_id")


def build_case(case: str, release_nb, source_nb) -> nbformat.NotebookNode | bytes | None:
    """The submission of one case: a notebook, raw bytes (empty/corrupt), or None (missing)."""
    source_by_id = {_gid(c): c for c in source_nb.cells if _gid(c)}
    plan = plan_of(release_nb)
    first, last = plan.questions[0], plan.questions[-1]
    correct = _answered(release_nb, source_by_id)
    if case in ("correct", "renamed_notebook"):
        return correct
    if case == "partly_correct":
        return _answered(release_nb, source_by_id, only=set(first.answers))
    if case == "wrong":
        return _wrong(release_nb, source_by_id)
    if case == "infinite_loop":
        _, cell = _find(correct, last.answers[-1])
        cell.source = "while True:\n    pass\n" + cell.source
        return correct
    if case == "syntax_error":
        _, cell = _find(correct, last.answers[-1])
        cell.source = cell.source + "\nthis is ) not python ("
        return correct
    if case == "deleted_answer_cell":
        i, _ = _find(correct, last.answers[-1])
        del correct.cells[i]
        return correct
    if case == "deleted_test_cell":
        i, _ = _find(correct, first.test)
        del correct.cells[i]
        return correct
    if case == "edited_test_cell":
        nb = _answered(release_nb, source_by_id,
                       only={a for q in plan.questions if q.answers != last.answers
                             for a in q.answers})
        for q in plan.questions:
            if q.answers == last.answers:
                _, cell = _find(nb, q.test)
                cell.source = "# the tests were removed by the student\npass"
        return nb
    if case == "empty_file":
        return b""
    if case == "corrupt_notebook":
        return b'{"cells": [ this is not JSON'
    if case == "huge_output":
        _, cell = _find(correct, first.answers[0])
        cell.source = "for _i in range(50000):\n    print('output line', _i)\n" + cell.source
        return correct
    if case == "missing_submission":
        return None
    if case == "kernel_dies":
        _, cell = _find(correct, last.answers[-1])
        cell.source = "import os\nos._exit(1)\n" + cell.source
        return correct
    raise GradingError(f"unknown case {case!r}", field="case")


@dataclass
class SimStudent:
    student: str
    case: str
    expected: float


def simulate(course: Course, assignment: str, out: Path, *, cases=CASES,
             per_case: int = 1, students: int | None = None) -> list[SimStudent]:
    """Write a simulated cohort for `assignment` as an LMS export folder `out`.

    `students`, when given, makes a cohort of that many correct-or-partly-correct students
    (for the benchmark) instead of one group per case. Returns who is who with the expected
    autograded score; also writes out/roster.csv and out/expected.csv.
    """
    release = course.step_dir("release") / assignment
    if not release.is_dir():
        raise GradingError("no student version; run generate first", file=release)
    name = course.only_notebook_id(assignment, "the simulated cohort")
    release_nb = nbformat.read(str(release / f"{name}.ipynb"), as_version=4)
    source_nb = nbformat.read(str(course.check_assignment(assignment) / f"{name}.ipynb"),
                              as_version=4)
    plan = plan_of(release_nb)
    if students:
        chosen = [("correct" if i % 3 else "partly_correct", i) for i in range(students)]
    else:
        chosen = [(c, i) for c in cases for i in range(per_case)]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    roster = []
    for case, i in chosen:
        sid = f"sim-{case.replace('_', '-')}-{i + 1}"
        roster.append(SimStudent(sid, case, expected_score(case, plan)))
        sub = build_case(case, release_nb, source_nb)
        if sub is None:
            continue
        folder = out / sid
        folder.mkdir(exist_ok=True)
        fname = f"{name}-final-version.ipynb" if case == "renamed_notebook" else f"{name}.ipynb"
        if isinstance(sub, bytes):
            (folder / fname).write_bytes(sub)
        else:
            nbformat.write(sub, str(folder / fname))
    with (out / "roster.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "first_name", "last_name", "email"])
        for s in roster:
            w.writerow([s.student, "Simulated", s.case, ""])
    with (out / "expected.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "case", "expected_score"])
        for s in roster:
            w.writerow([s.student, s.case, s.expected])
    return roster

"""A simulated cohort: synthetic student submissions built from an assignment's own notebooks.

Every submission is derived from the released (student) notebook, with answers taken from the
source notebook's solution regions, then damaged in one known way. Because the damage is known,
so is the exact autograded score each submission must get; `expected_score` computes it from
the points of the assignment's test cells. This relies on the course's grade-cell layout: each
autograded question is one or more answer cells followed by its test cell, and a test cell
only uses the answers of its own question and earlier ones.

The cohort is written as an LMS export (one folder per student) plus a roster CSV in the
course's own layout (lms.ROSTER_COLUMNS). All students are synthetic ("sim-<case>-<n>").
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course
from trafficking_course.grading.markers import Markers, course_markers, markers_from_config
from trafficking_course.grading.reports.lms import ROSTER_COLUMNS, RosterEntry

#: The robustness cases, in the order they are generated.
CASES = (
    "correct", "partly_correct", "wrong", "infinite_loop", "syntax_error",
    "deleted_answer_cell", "deleted_test_cell", "edited_test_cell", "renamed_notebook",
    "empty_file", "corrupt_notebook", "huge_output", "missing_submission", "kernel_dies",
    # what real editors and honest students do (issue 12): each keeps the full score
    "colab_stripped", "answers_stripped", "deleted_written_answer", "copied_cell",
    "stderr_warning", "shadowed_names", "delimiter_comment",
)

#: Cases that are honest, correct submissions damaged only in their bookkeeping.
HONEST = ("colab_stripped", "answers_stripped", "deleted_written_answer", "copied_cell",
          "stderr_warning", "shadowed_names", "delimiter_comment")

#: Names a student may rebind in an answer that a test cell must not depend on.
SHADOWABLE = ("dict", "set", "list", "tuple", "sorted", "isinstance", "len", "sum", "abs",
              "round", "print", "zip", "any", "all", "str", "int", "float", "range", "max",
              "min", "data", "datasets", "pd", "assess", "plots", "product", "result_q1")


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


def solution_text(source_cell, markers: Markers | None = None) -> str:
    """The source cell with nbgrader's solution markers removed (the model answer); markers
    from the course's configuration (course_markers), nbgrader's defaults when not given."""
    marks = (markers or markers_from_config()).solution
    lines = [ln for ln in source_cell.source.splitlines()
             if not any(m in ln for m in marks)]
    return "\n".join(lines)


def _model_answer(source_cell, markers: Markers | None):
    """A copy of a source cell holding only its model answer."""
    cell = nbformat.from_dict(json.loads(json.dumps(source_cell)))
    cell.source = solution_text(source_cell, markers)
    return cell


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
        **dict.fromkeys(HONEST, total),
    }[case]


def _answered(release_nb, source_by_id, *, only=None):
    """A copy of the release notebook with the model answers filled in (only: those ids)."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(release_nb)))
    for cell in nb.cells:
        nbg = _nbg(cell)
        gid = nbg.get("grade_id")
        if nbg.get("solution") and gid in source_by_id and (only is None or gid in only):
            cell.source = source_by_id[gid].source
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


#: Cases made by adding text before / after the first or last answer of a correct notebook.
_EDITS = {
    "infinite_loop": ("last", "while True:\n    pass\n", ""),
    "syntax_error": ("last", "", "\nthis is ) not python ("),
    "huge_output": ("first", "for _i in range(50000):\n    print('output line', _i)\n", ""),
    "kernel_dies": ("last", "import os\nos._exit(1)\n", ""),
}
_RAW = {"empty_file": b"", "corrupt_notebook": b'{"cells": [ this is not JSON'}


def _deleted(gid_of):
    def build(release_nb, source_by_id, plan):
        nb = _answered(release_nb, source_by_id)
        i, _ = _find(nb, gid_of(plan))
        del nb.cells[i]
        return nb
    return build


def _edited_tests(release_nb, source_by_id, plan):
    last = plan.questions[-1]
    nb = _answered(release_nb, source_by_id,
                   only={a for q in plan.questions if q.answers != last.answers
                         for a in q.answers})
    for q in plan.questions:
        if q.answers == last.answers:
            _, cell = _find(nb, q.test)
            cell.source = "# the tests were removed by the student\npass"
    return nb


_BUILDERS = {
    "correct": lambda r, s, p: _answered(r, s),
    "renamed_notebook": lambda r, s, p: _answered(r, s),
    "partly_correct": lambda r, s, p: _answered(r, s, only=set(p.questions[0].answers)),
    "wrong": lambda r, s, p: _wrong(r, s),
    "deleted_answer_cell": _deleted(lambda p: p.questions[-1].answers[-1]),
    "deleted_test_cell": _deleted(lambda p: p.questions[0].test),
    "edited_test_cell": _edited_tests,
}


def build_case(case: str, release_nb, source_nb,
               markers: Markers | None = None) -> nbformat.NotebookNode | bytes | None:
    """The submission of one case: a notebook, raw bytes (empty/corrupt), or None (missing);
    the model answers stripped of the course's solution markers (course_markers)."""
    if case == "missing_submission":
        return None
    if case in _RAW:
        return _RAW[case]
    source_by_id = {_gid(c): _model_answer(c, markers) for c in source_nb.cells if _gid(c)}
    plan = plan_of(release_nb)
    if case in _EDITS:
        which, before, after = _EDITS[case]
        gid = plan.questions[-1].answers[-1] if which == "last" else plan.questions[0].answers[0]
        nb = _answered(release_nb, source_by_id)
        _, cell = _find(nb, gid)
        cell.source = before + cell.source + after
        return nb
    if case in HONEST:
        return _HONEST_BUILDERS[case](_answered(release_nb, source_by_id), plan.questions[0])
    if case not in _BUILDERS:
        raise GradingError(f"unknown case {case!r}", field="case")
    return _BUILDERS[case](release_nb, source_by_id, plan)


# -- honest students whose notebooks real editors changed (issue 12) ------------------------
def _colab(nb, first: Question):
    """Saved by Google Colab: no nbgrader metadata and no cell ids (Colab keeps its own)."""
    nb.nbformat_minor = 4
    for k, cell in enumerate(nb.cells):
        cell.pop("id", None)
        cell.metadata = nbformat.NotebookNode({"id": f"colab-{k:04x}"})
    nb.metadata["colab"] = {"provenance": []}
    return nb


def _answers_stripped(nb, first: Question):
    """Answers pasted into new cells, the original answer cells deleted."""
    for k, cell in enumerate(nb.cells):
        if _nbg(cell).get("solution"):
            del cell.metadata["nbgrader"]
            cell["id"] = f"pasted-{k}"
    return nb


def _deleted_written_answer(nb, first: Question):
    """The first written answer deleted (in the course's assignments it follows a task cell)."""
    i = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
             and _nbg(c).get("solution") and _nbg(c).get("grade"))
    del nb.cells[i]
    return nb


def _copied_cell(nb, first: Question):
    """An answer cell copied and pasted below itself: JupyterLab keeps its metadata."""
    i, cell = _find(nb, first.answers[0])
    twin = nbformat.from_dict(json.loads(json.dumps(cell)))
    twin["id"] = f"{cell.get('id', 'cell')}-copy"
    nb.cells.insert(i + 1, twin)
    return nb


def _stderr_warning(nb, first: Question):
    """A correct function that logs a warning each time it runs (stderr, in the test cells).

    Without a function among the answers, the first answer cell writes to stderr."""
    import ast

    for cell in nb.cells:
        if not _nbg(cell).get("solution") or cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        fn = next((n for n in tree.body if isinstance(n, ast.FunctionDef)), None)
        if fn is not None:
            fn.body.insert(0, ast.parse(
                "__import__('logging').warning('checking the facts I was given')").body[0])
            cell.source = ast.unparse(tree)
            return nb
    _, cell = _find(nb, first.answers[0])
    cell.source += "\nimport sys\nprint('a note on stderr', file=sys.stderr)"
    return nb


def _shadowed_names(nb, first: Question):
    """Correct answers that rebind names the tests might use (`dict = ...`, `data = ...`).

    Each name is bound after the last answer that uses it at the top level; names a
    function uses when it is called are left alone (the student's own code needs them)."""
    import ast

    answers = [c for c in nb.cells if _nbg(c).get("solution") and c.cell_type == "code"]
    last_use: dict[str, int] = {}
    in_functions: set[str] = set()
    for k, cell in enumerate(answers):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                in_functions |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.Name):
                last_use[node.id] = k
    for name in SHADOWABLE:
        if name in in_functions:
            continue
        cell = answers[last_use.get(name, 0)]
        cell.source += f"\n{name} = {{'shadowed by the student': True}}"
    return nb


def _delimiter_comment(nb, first: Question):
    """An answer with nbgrader's own delimiter text in a comment."""
    _, cell = _find(nb, first.answers[0])
    cell.source = "# BEGIN HIDDEN TESTS? I could not see any, so I tested it myself\n" + \
        cell.source
    return nb


_HONEST_BUILDERS = {
    "colab_stripped": _colab, "answers_stripped": _answers_stripped,
    "deleted_written_answer": _deleted_written_answer, "copied_cell": _copied_cell,
    "stderr_warning": _stderr_warning, "shadowed_names": _shadowed_names,
    "delimiter_comment": _delimiter_comment,
}


@dataclass
class SimStudent:
    student: str
    case: str
    expected: float


def roster_row(student: str, case: str, n: int) -> list[str]:
    """A simulated student's row of the course's roster (ROSTER_COLUMNS); no real person."""
    entry = RosterEntry(student, first_name="Simulated", last_name=case, lms_id=f"SIM-{n:05d}")
    return [getattr(entry, column) for column in ROSTER_COLUMNS]


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
        sub = build_case(case, release_nb, source_nb, course_markers(course))
        if sub is None:
            continue
        folder = out / sid
        folder.mkdir(exist_ok=True)
        fname = f"{name}-final-version.ipynb" if case == "renamed_notebook" else f"{name}.ipynb"
        if isinstance(sub, bytes):
            (folder / fname).write_bytes(sub)
        else:
            nbformat.write(sub, str(folder / fname))
    with (out / "roster.csv").open("w", newline="") as fh:  # the course's roster layout
        w = csv.writer(fh)
        w.writerow(ROSTER_COLUMNS)
        for n, s in enumerate(roster, start=1):
            w.writerow(roster_row(s.student, s.case, n))
    with (out / "expected.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "case", "expected_score"])
        for s in roster:
            w.writerow([s.student, s.case, s.expected])
    return roster

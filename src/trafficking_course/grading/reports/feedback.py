"""Feedback pages, one student at a time, that say why a test cell failed.

Plain `nbgrader generate_feedback` makes every student's page in one run: one notebook that
nbgrader cannot process (a student's comment containing `BEGIN HIDDEN TESTS`, which
ClearHiddenTests takes for an unterminated hidden-test region) stops the run, no page is
checked by the leak scan, and the error is cut off. Here:

* `generate` runs nbgrader's GenerateFeedback converter once per student, each in a forked
  process of its own, and records a failure by student with the real error; the leak scan
  then checks every page that was made.
* `ProtectDelimiters` / `RestoreDelimiters` (around ClearHiddenTests and ClearMarkScheme in
  the course's GenerateFeedback pipeline) hide delimiter text a student typed in an answer or
  an ordinary cell from those two preprocessors, and put it back afterwards.
* `HideHiddenTestOutputs` (plain nbgrader copies hidden tests and their tracebacks into the
  feedback, nbgrader issues #917 and #1363) replaces the outputs of each test cell that holds
  a hidden-test region by one neutral line saying whether its tests passed.
* `ExplainTestOutputs`, its subclass the course uses, replaces the outputs of a cell that
  held hidden tests by one line that says whether the tests passed and, if not, why: a
  visible test failed (with its message, which the student can see in the notebook anyway),
  a hidden test failed (its type only, or the kind of case when the test author named it
  with a `# case: a child` comment in the hidden region: CASE_COMMENT), the student's code
  raised an error when a hidden test used it, or the cell ran out of time. A test cell whose
  answer was never written says "Not answered" instead of a NameError traceback.
* `GetGradesShowingPending` (in place of nbgrader's GetGrades) marks a written answer not yet
  marked by hand, which the course's template (templates/course_feedback.html.j2) shows as "awaiting
  your lecturer's mark" with the points still to mark in the page's total.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.preprocessors import GetGrades
from traitlets import Bool, Unicode, default

from trafficking_course.grading.course import Course
from trafficking_course.grading.markers import markers_from_config
from trafficking_course.grading.rules import is_test_cell
from trafficking_course.grading.run.recovery import explain_log

_PROTECTED = "course_protected_sources"


def _delimiters(pp: Preprocessor) -> tuple[str, ...]:
    """The hidden-test and mark-scheme delimiters as nbgrader's own config sets them (read
    through nbgrader's ClearHiddenTests and ClearMarkScheme, so defaults apply as there)."""
    markers = markers_from_config(pp.config)
    return (*markers.hidden_tests, *markers.mark_scheme)


class ProtectDelimiters(Preprocessor):
    """Hide delimiter text in cells that are not test cells or task cells from nbgrader."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        marks = _delimiters(self)
        kept = {}
        for i, cell in enumerate(nb.cells):
            m = cell.get("metadata", {}).get("nbgrader", {}) or {}
            if is_test_cell(cell) or m.get("task"):
                continue
            if any(mark in cell.source for mark in marks):
                kept[i] = cell.source
                for mark in marks:
                    cell.source = cell.source.replace(mark, mark.replace(" ", "\u2060 "))
        resources[_PROTECTED] = kept
        return nb, resources


class RestoreDelimiters(Preprocessor):
    """Put back what ProtectDelimiters hid: the student's text exactly as written."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        for i, text in resources.pop(_PROTECTED, {}).items():
            nb.cells[i].source = text
        return nb, resources


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")


#: A comment in a hidden-test region that names the kind of case the lines after it test
#: (until the next such comment or the region's end), e.g. `# case: a child`. When one of those
#: lines fails, the feedback says "... failed for a case of this kind: a child." The comment
#: itself, like the whole region, never reaches the student. At most CASE_CHARS characters:
#: the leak scan (reports/leaks.py) looks for each sentence of a long hidden line on the page.
CASE_COMMENT = re.compile(r"^\s*#\s*case:\s*(?P<kind>\S.*?)\s*$", re.IGNORECASE)
CASE_CHARS = 50


def case_kind(lines: list[str], hidden_from: int, line: int) -> str:
    """The kind of case a failing hidden-test line (1-based) tests: the nearest `# case:`
    comment above it in the hidden region, or ""."""
    for k in range(min(line, len(lines)) - 1, hidden_from - 1, -1):
        m = CASE_COMMENT.match(lines[k])
        if m:
            kind = m.group("kind").rstrip(".")
            return kind if len(kind) <= CASE_CHARS else ""
    return ""


def why_failed(cell: NotebookNode, begin: str) -> str:
    """One line for the student on why a test cell with hidden tests failed ("" if it passed)."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return ""
    err = errors[-1]
    ename, evalue = err.get("ename", "Error"), str(err.get("evalue", ""))
    if ename == "CellTimeoutError" or "timed out" in evalue.lower():
        return "This cell ran out of time: your code did not finish (an endless loop?)."
    trace = _ANSI.sub("", "\n".join(err.get("traceback", [])))
    found = [(cell_no, int(n)) for cell_no, n in _FRAME.findall(trace)]
    frames = [n for _, n in found]
    lines = cell.source.splitlines()
    hidden_from = next((k + 1 for k, ln in enumerate(lines) if begin in ln), len(lines) + 1)
    line = frames[0] if frames else hidden_from
    # the error came from the student's code (another cell, a file), not from a helper the
    # test cell defines itself (`def _check(case): assert ...`)
    deeper = any(cell_no != found[0][0] for cell_no, _ in found) or \
        "File " in trace.split(f"line {line}", 1)[-1]
    if line < hidden_from:
        return f"A visible test in this cell failed: {ename}: {evalue}".rstrip(": ")
    kind = case_kind(lines, hidden_from, line)
    of_kind = f" for a case of this kind: {kind}." if kind else ""
    if ename == "AssertionError" and not deeper:
        if of_kind:
            return (f"A hidden test in this cell failed{of_kind} Part of your answer is not "
                    "right yet in a way the visible tests do not check.")
        return ("A hidden test in this cell failed (AssertionError): part of your answer is "
                "not right yet in a way the visible tests do not check.")
    if of_kind:
        return (f"Your code raised {ename} when a hidden test in this cell used it,{of_kind[:-1]}"
                ": check your answer with other inputs than the visible tests use.")
    return (f"Your code raised {ename} when a hidden test in this cell used it: check your "
            "answer with other inputs than the visible tests use.")


_NAME_ERROR = re.compile(r"name '(?P<name>[A-Za-z_][A-Za-z0-9_]*)' is not defined")
NOT_ANSWERED = ("Not answered: the answer these tests check is not in your notebook, so they "
                "could not run.\n")


def bound_names(cells: list[NotebookNode]) -> tuple[set[str], str]:
    """The names the student's own code cells define, and the text of the cells that do not
    parse (a name only in those was written, just not run)."""
    import ast

    names: set[str] = set()
    broken = []
    for cell in cells:
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            broken.append(cell.source)
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names, "\n".join(broken)


def not_answered(cell: NotebookNode, student_cells: list[NotebookNode]) -> bool:
    """A test cell that failed only because the answer it checks was never written: its error
    is a NameError for a name no cell of the student's defines (nor a cell that does not
    parse mentions)."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors or errors[-1].get("ename") != "NameError":
        return False
    m = _NAME_ERROR.search(_ANSI.sub("", str(errors[-1].get("evalue", ""))))
    if not m:
        return False
    names, broken = bound_names(student_cells)
    return m["name"] not in names and not re.search(rf"\b{m['name']}\b", broken)


class HideHiddenTestOutputs(Preprocessor):
    """Blank the outputs of cells that contain hidden tests, keeping only pass/fail."""

    enabled = Bool(True).tag(config=True)
    begin_delimiter = Unicode(help="default: ClearHiddenTests.begin_test_delimeter of the "
                                   "configuration").tag(config=True)
    failed_text = Unicode(
        "Some tests in this cell failed, including hidden tests whose details are not shown.\n"
    ).tag(config=True)
    passed_text = Unicode("All tests in this cell passed.\n").tag(config=True)

    @default("begin_delimiter")
    def _begin_delimiter_default(self) -> str:
        return markers_from_config(self.config).hidden_tests[0]

    def preprocess_cell(self, cell, resources, index):
        if not is_test_cell(cell) or self.begin_delimiter not in cell.source:
            return cell, resources
        failed = any(
            out.output_type == "error"
            or (out.output_type == "stream" and out.get("name") == "stderr")
            for out in cell.get("outputs", [])
        )
        text = self.failed_text if failed else self.passed_text
        cell.outputs = [new_output("stream", name="stdout", text=text)]
        return cell, resources


class ExplainTestOutputs(HideHiddenTestOutputs):
    """Outputs of a cell with hidden tests: one line, passed or why it failed (with the kind
    of case, when the test names it: CASE_COMMENT). Any test cell whose answer was never
    written says "Not answered" instead of a NameError traceback."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        self._student_cells = [c for c in nb.cells
                               if c.cell_type == "code" and not is_test_cell(c)]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: dict,
                        index: int) -> tuple[NotebookNode, dict]:
        if is_test_cell(cell) and not_answered(cell, getattr(self, "_student_cells", [])):
            cell.outputs = [new_output("stream", name="stdout", text=NOT_ANSWERED)]
            return cell, resources
        if not is_test_cell(cell) or self.begin_delimiter not in cell.source:
            return cell, resources
        reason = why_failed(cell, self.begin_delimiter)
        text = f"{reason}\n" if reason else self.passed_text
        cell.outputs = [new_output("stream", name="stdout", text=text)]
        return cell, resources


class GetGradesShowingPending(GetGrades):
    """nbgrader's GetGrades, which also marks a written answer not yet marked by hand
    (reports/pending.py): its cell gets `nbgrader.pending` and the page's resources the points
    still to mark, which the course's feedback template (templates/course_feedback.html.j2) shows as
    "awaiting your lecturer's mark" instead of a score of 0."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        resources["nbgrader"]["pending_points"] = 0.0
        resources["nbgrader"]["pending_answers"] = 0
        return super().preprocess(nb, resources)

    def _get_score(self, cell: NotebookNode, resources: dict) -> None:
        from trafficking_course.grading.reports.pending import is_pending

        super()._get_score(cell, resources)
        grade = self.gradebook.find_grade(cell.metadata["nbgrader"]["grade_id"],
                                          self.notebook_id, self.assignment_id,
                                          self.student_id)
        if is_pending(grade):
            cell.metadata.nbgrader["pending"] = True
            resources["nbgrader"]["pending_points"] += float(grade.max_score or 0)
            resources["nbgrader"]["pending_answers"] += 1


#: The course's feedback template (extends nbgrader's "feedback"): pending marks, no CDN.
TEMPLATES = Path(__file__).parent / "templates"


# -- one student at a time ------------------------------------------------------------------
@dataclass
class FeedbackReport:
    assignment: str
    pages: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)   # student -> the real error
    withheld: dict[str, str] = field(default_factory=dict)  # student -> the leak found

    def summary(self) -> str:
        lines = [f"feedback {self.assignment}: {len(self.pages)} page(s), "
                 f"{len(self.failed)} student(s) failed"]
        lines += [f"  {s}: failed: {why}" for s, why in sorted(self.failed.items())]
        if self.withheld:
            lines.append(f"  {len(self.withheld)} page(s) removed: the leak scan found a "
                         "secret on them (look at the student's notebook in the formgrader)")
            lines += [f"  {s}: page removed: {why}" for s, why in sorted(self.withheld.items())]
        return "\n".join(lines)


def graded_students(course: Course, assignment: str) -> list[str]:
    base = course.step_dir("autograded")
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())


def _feedback_in_child(root: str, assignment: str, student: str, conn) -> None:
    """Run in a forked process: nbgrader's GenerateFeedback for one student; send the reason."""
    reason = "nbgrader could not make the feedback page"
    try:
        from nbgrader.converters import GenerateFeedback
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.utils import capture_log

        course = Course(Path(root))
        cfg = course.load_config()
        cd = CourseDirectory(config=cfg)
        cd.root = str(course.root)
        cd.assignment_id = assignment
        cd.student_id = student
        app = GenerateFeedback(coursedir=cd, config=cfg)
        app.force = True
        out = capture_log(app)
        log = (out.get("log") or "") + "\n" + (out.get("error") or "")
        reason = "" if out.get("success") else (explain_log(log) or reason)
    except BaseException as exc:  # anything: this student only
        reason = f"{type(exc).__name__}: {exc}"[:300]
    try:
        conn.send(reason)
    finally:
        conn.close()
        os._exit(0)


def generate_one(course: Course, assignment: str, student: str,
                 timeout: float = 600.0) -> str:
    """Feedback for one student with nbgrader's own converter, in a process of its own (no
    nbgrader state is left in this one, and a crash stops only this student); "" or the
    real error."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_feedback_in_child,
                       args=(str(course.root), assignment, student, child))
    proc.start()
    child.close()
    try:
        reason = parent.recv() if parent.poll(timeout) else \
            f"making the feedback page took longer than {timeout:.0f} s"
    except (EOFError, OSError):
        reason = "the feedback process died"
    proc.join(timeout=10)
    if proc.is_alive():
        proc.kill()
        proc.join()
    parent.close()
    return reason


def generate(course: Course, assignment: str,
             students: list[str] | None = None) -> FeedbackReport:
    """Feedback pages for every autograded student (or `students`), each on its own."""
    from trafficking_course.grading.course import ensure_tools_on_path

    ensure_tools_on_path()
    course.check_assignment(assignment)
    report = FeedbackReport(assignment)
    base = course.step_dir("feedback")
    for student in students or graded_students(course, assignment):
        reason = generate_one(course, assignment, student)
        if reason:
            report.failed[student] = reason
        else:
            report.pages.extend(sorted((base / student / assignment).glob("*.html")))
    return report

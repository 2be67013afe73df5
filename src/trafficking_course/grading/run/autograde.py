"""Parallel autograde: each student graded by nbgrader in its own process, each student's
kernel in a sandbox, one writer to the gradebook.

Plain `nbgrader autograde` grades one student after another (nbgrader issue #174), several
nbgrader processes on one SQLite gradebook fail with "database is locked", and every student's
code runs with the lecturer's rights in the lecturer's course folder. Here, in four steps:

1. plan_run: the sandbox is chosen (SANDBOX=auto|require|off, see sandbox.py), every student
   is sorted into missing, failed before grading (an unreadable, empty or corrupt notebook,
   scored 0 without a kernel), unchanged since the last run, or to grade.
2. seed_gradebook: the submissions' rows are created, the failed ones zeroed, and a
   consistent snapshot of gradebook.db is taken (SQLite's backup API).
3. run_workers: each student's notebook is executed by nbgrader's own Autograde converter
   (without its SaveAutoGrades and AssignLatePenalties, which step 4 runs) in a forked worker
   process against a private copy of the snapshot, up to `workers` at once, each cell with a
   timeout and each student with a hard deadline after which the worker and its kernel are
   killed; a finished kernel is killed at once rather than shut down gracefully. The kernel
   runs in a bubblewrap sandbox (sandbox.SandboxedKernelManager) and runs only the student's
   cells; the test cells run in the worker itself, isolation.trusted.TrustedExecute, which asks
   the kernel for plain values and calls (nothing a student's cell installs in the kernel sees
   a test or changes a verdict).
4. As each worker ends, the main process alone writes the student's grades into gradebook.db:
   nbgrader's SaveAutoGrades and AssignLatePenalties, run here on the executed notebook.
   Nothing is read back from the worker's gradebook copy; manual scores and extra credit are
   never written (a changed answer with a manual score is marked for review).
   collect_scores then reads every student's total.

A fingerprint of each submission is kept; a re-run grades only new or changed submissions.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import hashlib
import json
import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import re
import shutil
import signal
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course, ensure_tools_on_path
from trafficking_course.grading.cycle import submitted_at
from trafficking_course.grading.isolation import sandbox as sandbox_mod
from trafficking_course.grading.run.recovery import explain_log, recover_file

FINGERPRINTS = ".course-fingerprints.json"
SANDBOX_MANAGER = "trafficking_course.grading.isolation.sandbox.SandboxedKernelManager"
PLAIN_MANAGER = "jupyter_client.manager.AsyncKernelManager"
#: Where test cells run: "trusted" (isolation/trusted.py, the default) or "kernel" (the old
#: in-kernel path with the test guard, kept only to show what it let through).
TESTS = ("trusted", "kernel")


@dataclass
class StudentResult:
    student: str
    status: str                  # graded | unchanged | failed | missing
    score: float = 0.0
    max_score: float = 0.0
    reason: str = ""             # why a failed/missing student could not be graded
    notes: list[str] = field(default_factory=list)   # what was noticed and repaired
    seconds: float = 0.0


@dataclass
class AutogradeReport:
    assignment: str
    workers: int
    seconds: float
    results: list[StudentResult]
    sandbox: str = ""            # whether the students' kernels were sandboxed, in words

    def by_student(self) -> dict[str, StudentResult]:
        return {r.student: r for r in self.results}

    def problems(self) -> list[StudentResult]:
        return [r for r in self.results if r.status in ("failed", "missing") or r.notes]

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        lines = [f"autograde {self.assignment}: {len(self.results)} students ({parts}) "
                 f"in {self.seconds:.1f} s on {self.workers} worker(s)"]
        if self.sandbox:
            lines.append(f"  {self.sandbox}")
        for r in self.problems():
            what = r.reason or "; ".join(r.notes)
            if r.reason and r.notes:
                what += " (" + "; ".join(r.notes) + ")"
            lines.append(f"  {r.student}: {r.status}: {what}")
        return "\n".join(lines)


# -- the gradebook's view of an assignment ---------------------------------------------------
@dataclass
class Layout:
    """Cell names per notebook, read once from the gradebook."""

    grade: dict[str, list[str]]
    solution: dict[str, list[str]]
    task: dict[str, list[str]]
    max_score: float


def read_layout(db_url: str, assignment: str) -> Layout:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            raise GradingError("assignment not in the gradebook; run generate first",
                               file=db_url, record=assignment) from None
        return Layout(
            grade={nb.name: [c.name for c in nb.grade_cells] for nb in a.notebooks},
            solution={nb.name: [c.name for c in nb.solution_cells] for nb in a.notebooks},
            task={nb.name: [c.name for c in nb.task_cells] for nb in a.notebooks},
            max_score=float(a.max_score),
        )


# -- checks before grading -------------------------------------------------------------------
def _match_renamed(folder: Path, layout: Layout, notes: list[str]) -> list[str]:
    """The expected notebooks that are missing, after taking one renamed notebook for the one
    missing name."""
    present = sorted(p for p in folder.glob("*.ipynb"))
    missing = [n for n in sorted(layout.grade) if not (folder / f"{n}.ipynb").exists()]
    unknown = [p for p in present if p.stem not in layout.grade]
    if len(missing) == 1 and len(unknown) == 1:
        target = folder / f"{missing[0]}.ipynb"
        shutil.copyfile(unknown[0], target)
        notes.append(f"renamed notebook {unknown[0].name!r} graded as {target.name!r}")
        return []
    return missing


def _read_submitted(path: Path, notes: list[str]) -> nbformat.NotebookNode | str:
    """The notebook (its bookkeeping recovered), or why it cannot be graded."""
    if path.stat().st_size == 0:
        return f"{path.name} is an empty file"
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # json errors, schema errors
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"{path.name} is not a valid notebook ({first[:120]})"
    if recover_file(path, notes):  # stripped metadata, copied or deleted cells
        nb = nbformat.read(str(path), as_version=4)
    return nb


def _cell_notes(nb: nbformat.NotebookNode, name: str, layout: Layout) -> list[str]:
    """Deleted graded, task and answer cells, and edited read-only cells, for a human."""
    from nbgrader.utils import compute_checksum

    ids = {c.metadata.nbgrader["grade_id"]: c for c in nb.cells
           if "grade_id" in c.get("metadata", {}).get("nbgrader", {})}
    notes = []
    for gid in layout.grade[name] + layout.task[name]:
        if gid not in ids:
            what = ("task cell" if gid in layout.task[name] else "written answer"
                    if gid in layout.solution[name] else "test cell")
            notes.append(f"deleted {what} {gid!r} (restored from the gradebook)")
    notes += [f"deleted answer cell {gid!r}" for gid in layout.solution[name]
              if gid not in ids and gid not in layout.grade[name]]
    for gid, cell in ids.items():
        nbg = cell.metadata.nbgrader
        if nbg.get("locked") and not nbg.get("solution") and nbg.get("checksum"):
            try:
                same = compute_checksum(cell) == nbg["checksum"]
            except Exception:
                same = False
            if not same:
                notes.append(f"edited read-only cell {gid!r} (restored from the gradebook)")
    return notes


def preflight(folder: Path, layout: Layout) -> tuple[str, list[str]]:
    """(fatal reason or "", notes) for one student's submitted folder; may copy a renamed
    notebook to its expected name."""
    notes: list[str] = []
    missing = _match_renamed(folder, layout, notes)
    if missing:
        return f"no notebook named {', '.join(m + '.ipynb' for m in missing)}", notes
    for name in sorted(layout.grade):
        nb = _read_submitted(folder / f"{name}.ipynb", notes)
        if isinstance(nb, str):
            return nb, notes
        notes += _cell_notes(nb, name, layout)
    return "", notes


#: What an answer has no business touching: the kernel's and Python's machinery, the grader's
#: signals, the course's data location. Each is a note for a human, never a grade change:
#: the verdicts are computed outside the kernel (isolation/trusted.py).
_MACHINERY = {"get_ipython", "addaudithook", "_getframe", "settrace", "setprofile",
              "set_custom_exc", "displayhook", "excepthook", "ast_transformers",
              "input_transformers_cleanup", "input_transformers_post", "user_expressions",
              "meta_path", "modules", "environ", "putenv", "f_back", "f_locals", "f_globals",
              "get_referrers", "get_objects", "__builtins__", "__import__"}
_MODULES = {"builtins", "ctypes", "linecache", "inspect", "threading", "_thread", "gc",
            "jupyter_client", "ipykernel", "IPython", "nbgrader", "nbclient", "importlib",
            "trafficking_course.grading", "signal"}
_LYING = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__abs__", "__hash__",
          "__bool__", "__instancecheck__", "__float__", "__int__", "__index__"}
_SIGNALS = re.compile(r"\b(NBGRADER_\w+|TRAFFICKING_COURSE_DATA|_course_test_guard)\b")
TAMPERING = re.compile(r"\b(get_ipython|addaudithook|settrace|setprofile|set_custom_exc|"
                       r"input_transformers\w*|ast_transformers|__builtins__|builtins|"
                       r"gc\.get_\w+|sys\._getframe|NBGRADER_\w+|ctypes|linecache|threading|"
                       r"jupyter_client|displayhook|environ)\b")


def _module_uses(node: ast.AST) -> set[str]:
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module:
        names = [node.module]
    return {m for name in names for m in _MODULES
            if name == m or name.startswith(m + ".")}


def _uses(source: str) -> set[str]:
    """What of the kernel's machinery an answer cell reaches for (see _MACHINERY)."""
    found = set(_SIGNALS.findall(source))
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # IPython magics, or broken: the plain text
        return found | set(TAMPERING.findall(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in _MACHINERY:
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in _MACHINERY:
            found.add(node.attr)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            found |= {f"import {m}" for m in _module_uses(node)}
        elif isinstance(node, ast.ClassDef):
            methods = {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
            methods |= {t.id for a in node.body if isinstance(a, ast.Assign)
                        for t in a.targets if isinstance(t, ast.Name)}
            if node.bases and methods & _LYING:
                found.add(f"a class that redefines {', '.join(sorted(methods & _LYING))}")
    return found


def kernel_tampering(folder: Path) -> list[str]:
    """Notes for a human: answer cells that reach into the kernel, Python's machinery or the
    grader (never a grade change; see exercises/README.md, What remains possible)."""
    notes = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception:  # preflight reports unreadable notebooks
            continue
        for cell in nb.cells:
            nbg = cell.get("metadata", {}).get("nbgrader", {})
            found = sorted(_uses(cell.get("source", ""))) if nbg.get("solution") else []
            if found:
                notes.append(f"answer cell {nbg.get('grade_id', '?')!r} uses "
                             f"{', '.join(found)}: worth a look in the formgrader")
    return notes


def fingerprint(course: Course, assignment: str, student: str) -> str:
    h = hashlib.sha256()
    for nb in course.source_notebooks(assignment):
        h.update(nb.read_bytes())
    folder = course.step_dir("submitted") / student / assignment
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _fingerprint_file(course: Course) -> Path:
    return course.step_dir("autograded") / FINGERPRINTS


def _load_fingerprints(course: Course) -> dict:
    path = _fingerprint_file(course)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _save_fingerprints(course: Course, data: dict) -> None:
    path = _fingerprint_file(course)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, path)


# -- the worker ----------------------------------------------------------------------------
def _explain_failure(log: str) -> str:
    if "DeadKernelError" in log or "Kernel died" in log or "kernel died" in log:
        return "the kernel died while running the notebook (os._exit, a crash or out of memory)"
    if "UnresponsiveKernelError" in log:
        return "the kernel stopped responding and could not be interrupted"
    if "Notebook failed to validate" in log:
        return "the notebook's grading metadata is corrupted"
    return explain_log(log) or "nbgrader could not grade the notebook"


def _is_step(step, cls: type) -> bool:
    return step is cls or step in (f"nbgrader.preprocessors.{cls.__name__}",
                                   f"{cls.__module__}.{cls.__name__}")


def _worker_config(course: Course, cell_timeout: int, sandboxed: bool, workdir: str,
                   tests: str = "trusted"):
    """The course's configuration for one worker: TrustedExecute instead of nbgrader's Execute
    (GuardedExecute, the old in-kernel path, with tests="kernel"), without SaveAutoGrades and
    AssignLatePenalties (the parent runs them on the executed notebook, against the real
    gradebook; in the worker they would only fill a copy that is thrown away), and the
    sandboxed kernel manager (its runtime folder in the run's own temporary folder, removed at
    the end even if the worker was killed) when the run is sandboxed. Both talk to the kernel
    over IPC sockets in that folder, which is also faster than loopback TCP."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import AssignLatePenalties, Execute, SaveAutoGrades

    from trafficking_course.grading.isolation.guard import GuardedExecute
    from trafficking_course.grading.isolation.trusted import TrustedExecute

    runner = GuardedExecute if tests == "kernel" else TrustedExecute
    cfg = course.load_config()
    steps = cfg.Autograde.get("autograde_preprocessors",
                              Autograde.class_traits()["autograde_preprocessors"].default())
    steps = [runner if any(_is_step(step, cls) for cls in (Execute, GuardedExecute,
                                                             TrustedExecute)) else step
             for step in steps
             if not _is_step(step, SaveAutoGrades) and not _is_step(step, AssignLatePenalties)]
    overrides = {"ExecutePreprocessor__timeout": cell_timeout, "Execute__timeout": cell_timeout,
                 "Autograde__autograde_preprocessors": steps,
                 # the worker and its kernel are thrown away: no graceful kernel shutdown
                 "Execute__shutdown_kernel": "immediate"}
    if sandboxed:
        overrides["Execute__kernel_manager_class"] = SANDBOX_MANAGER
        overrides["SandboxedKernelManager__runtime_root"] = workdir
        overrides["SandboxedKernelManager__mode"] = "require"  # plan_run has chosen
    else:
        overrides["Execute__kernel_manager_class"] = PLAIN_MANAGER
        sockets = Path(workdir) / f"kernel-{os.getpid()}"
        if sandbox_mod.fits_socket(sockets):  # else loopback TCP, nbgrader's default
            # the kernel's sockets in the run's private folder: no loopback ports to reach
            overrides["KernelManager__transport"] = "ipc"
            overrides["KernelManager__ip"] = str(sockets)
    return course.load_config(**overrides)


def _grade_in_child(course_root: str, assignment: str, student: str, snapshot: str,
                    workdir: str, cell_timeout: int, sandboxed: bool, logfile: str,
                    conn, tests: str = "trusted") -> None:
    """Run in a forked process: grade one student against a private gradebook copy.

    Only whether nbgrader succeeded and what was noticed go back to the parent; the scores are
    read by the parent from the executed notebook (see _merge), never from this copy."""
    os.setpgrp()  # own process group: the parent can kill us and our kernel together
    fd = os.open(logfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    result: dict = {"ok": False, "reason": "", "notes": []}
    try:
        import logging

        from nbgrader.converters import Autograde
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.utils import capture_log

        logging.getLogger("traitlets").propagate = False
        private = Path(workdir) / f"{student}.db"
        shutil.copyfile(snapshot, private)
        course = Course(Path(course_root))
        cfg = _worker_config(course, cell_timeout, sandboxed, workdir, tests)
        cd = CourseDirectory(config=cfg)
        cd.root, cd.db_url = str(course.root), f"sqlite:///{private}"
        cd.assignment_id, cd.student_id = assignment, student
        app = Autograde(coursedir=cd, config=cfg)
        app.force = app.create_student = True
        out = capture_log(app)
        log = (out.get("log") or "") + "\n" + (out.get("error") or "")
        print(log, flush=True)
        if out.get("success"):
            result["ok"] = True
            result["notes"] = _notes_from_autograded(course, assignment, student, cell_timeout)
        else:
            result["reason"] = _explain_failure(log)
    except BaseException as exc:  # anything: report it, never crash the batch
        result["ok"] = False
        result["reason"] = result["reason"] or f"{type(exc).__name__}: {exc}"[:300]
    try:
        conn.send(result)
    finally:
        conn.close()
        os._exit(0)


def _notes_from_autograded(course: Course, assignment: str, student: str,
                           cell_timeout: int) -> list[str]:
    notes = []
    folder = course.step_dir("autograded") / student / assignment
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
            for out in cell.get("outputs", []):
                if out.get("output_type") != "error":
                    continue
                if out.get("ename") == "CellTimeoutError":
                    notes.append(f"cell {gid!r} timed out after {cell_timeout} s")
                elif out.get("ename") == "SyntaxError" and \
                        cell.metadata.get("nbgrader", {}).get("solution"):
                    notes.append(f"syntax error in answer cell {gid!r}")
    return notes


# -- the single writer ------------------------------------------------------------------------
def _timestamp(course: Course, assignment: str, student: str):
    """When the student handed in (submitted/, written by collect), or None."""
    return submitted_at(course.step_dir("submitted") / student / assignment)


def _merge(course: Course, assignment: str, student: str, ok: bool) -> None:
    """Write one student's grades into the main gradebook.

    A graded student's scores are computed here by nbgrader's own SaveAutoGrades and
    AssignLatePenalties from the executed notebook in autograded/; a failed student gets zeros.
    Nothing is taken from the worker's gradebook copy, which the student's code could have
    reached. Manual scores and extra credit are never written here (nbgrader's rule: a changed
    answer that already has a manual score is marked for review)."""
    import warnings

    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        # nbgrader's own autoflush chatter when it creates a submission's rows
        warnings.simplefilter("ignore")
        with Gradebook(course.db_url) as gb:
            gb.update_or_create_student(student)
            ts = _timestamp(course, assignment, student)
            sub = (gb.update_or_create_submission(assignment, student, timestamp=ts) if ts
                   else gb.update_or_create_submission(assignment, student))
            names = [nb.notebook.name for nb in sub.notebooks]
            if not ok:
                _zero_rows(gb, sub)
        if ok:
            for name in names:
                _grade_from_notebook(course, assignment, student, name)


def _zero_rows(gb, sub) -> None:
    for nb in sub.notebooks:
        for g in nb.grades:
            g.auto_score = 0.0
            g.needs_manual_grade = g.manual_score is not None
        nb.flagged = True
    gb.db.commit()


def _grade_from_notebook(course: Course, assignment: str, student: str, name: str) -> None:
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    path = course.step_dir("autograded") / student / assignment / f"{name}.ipynb"
    resources = {"nbgrader": {"notebook": name, "assignment": assignment, "student": student,
                              "db_url": course.db_url}}
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:
        with Gradebook(course.db_url) as gb:
            _zero_rows(gb, gb.find_submission(assignment, student))
        return
    cfg = course.load_config()
    for step in (SaveAutoGrades, AssignLatePenalties):
        nb, resources = step(config=cfg).preprocess(nb, resources)
    with Gradebook(course.db_url) as gb:
        gb.find_submission_notebook(name, assignment, student).flagged = False
        gb.db.commit()


def _warm_up() -> None:
    """Do once in the parent what every forked worker would otherwise repeat per student."""
    with contextlib.suppress(Exception):
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.provisioning import KernelProvisionerFactory
        from nbgrader.converters import Autograde  # noqa: F401
        from nbgrader.utils import capture_log  # noqa: F401

        from trafficking_course import datasets, law  # noqa: F401 (the trusted tests use them)
        from trafficking_course.grading.isolation import (  # noqa: F401
            codec,
            guard,
            sandbox,
            trusted,
        )

        factory = KernelProvisionerFactory.instance()  # scans entry points (~0.25 s)
        spec = KernelSpecManager().get_kernel_spec("python3")
        factory.is_provisioner_available(spec)
        for ep in factory.provisioners.values():
            ep.load()


def _snapshot(course: Course, dest: Path) -> None:
    src = sqlite3.connect(f"file:{course.gradebook}?mode=ro", uri=True, timeout=60)
    dst = sqlite3.connect(dest)
    with contextlib.closing(src), contextlib.closing(dst):
        src.backup(dst)


# -- the steps of a run -------------------------------------------------------------------------
@dataclass
class RunPlan:
    """Who is graded how in one run: the result of plan_run()."""

    assignment: str
    layout: Layout
    workers: int
    cell_timeout: int
    student_timeout: float
    sandbox: str                 # the mode asked for: auto | require | off
    sandboxed: bool
    results: dict[str, StudentResult]
    todo: list[str]              # students to grade with a kernel
    zero: list[str]              # students scored 0 without a kernel (preflight failed)
    prints: dict                 # every assignment's fingerprints (saved back at the end)
    tests: str = "trusted"       # where test cells run: trusted (here) | kernel (the old path)

    @property
    def known(self) -> dict:
        return self.prints.setdefault(self.assignment, {})


def _roster(course: Course, assignment: str) -> tuple[list[str], set[str]]:
    """(the assignment's roster, who has a submission row): the class list imported with `make
    roster` and whoever submitted this assignment, not another assignment's students."""
    from nbgrader.api import Gradebook

    from trafficking_course.grading.cycle import roster_of

    with Gradebook(course.db_url) as gb:
        a = gb.find_assignment(assignment)
        roster = [s.id for s in roster_of(gb, a)]
        graded_before = {s.student.id for s in a.submissions}
    return roster, graded_before


def _triage(course: Course, plan: RunPlan, everyone: list[str], force: bool) -> None:
    """Sort every student into missing, failed before grading, unchanged, or to grade."""
    submitted = set(course.students_with_submissions(plan.assignment))
    _, graded_before = _roster(course, plan.assignment)
    for s in everyone:
        folder = course.step_dir("submitted") / s / plan.assignment
        if s not in submitted:
            plan.results[s] = StudentResult(s, "missing", reason="no submission")
            continue
        reason, notes = preflight(folder, plan.layout)
        notes += kernel_tampering(folder)
        if reason:
            plan.results[s] = StudentResult(s, "failed", reason=reason, notes=notes)
            plan.zero.append(s)
            continue
        fp = fingerprint(course, plan.assignment, s)
        done = (course.step_dir("autograded") / s / plan.assignment).is_dir()
        if not force and plan.known.get(s) == fp and done and s in graded_before:
            plan.results[s] = StudentResult(s, "unchanged", notes=notes)
            continue
        plan.results[s] = StudentResult(s, "graded", notes=notes)
        plan.todo.append(s)


def plan_run(course: Course, assignment: str, *, workers: int | None = None,
             cell_timeout: int | None = None, student_timeout: float | None = None,
             students: list[str] | None = None, force: bool = False,
             sandbox: str = "auto", tests: str = "trusted") -> RunPlan:
    """Check the course, choose the sandbox and the limits, and sort the students."""
    course.check_assignment(assignment)
    if tests not in TESTS:
        raise GradingError(f"unknown test runner {tests!r} (use {' or '.join(TESTS)})",
                           field="tests")
    if not course.gradebook.exists():
        raise GradingError("no gradebook yet; run generate first", file=course.gradebook)
    sandboxed = sandbox_mod.resolve(sandbox)
    workers = max(1, workers or len(os.sched_getaffinity(0)) or 1)
    if cell_timeout is None:
        cell_timeout = int(course.load_config().ExecutePreprocessor.get("timeout", 30))
    layout = read_layout(course.db_url, assignment)
    n_cells = sum(len(v) for v in layout.grade.values()) + 10
    student_timeout = student_timeout or max(120.0, cell_timeout * n_cells + 60)
    plan = RunPlan(assignment, layout, workers, cell_timeout, student_timeout,
                   (sandbox or "auto").lower(), sandboxed, {}, [], [],
                   _load_fingerprints(course), tests)
    roster, _ = _roster(course, assignment)
    everyone = sorted(set(course.students_with_submissions(assignment)) | set(roster))
    _triage(course, plan, [s for s in everyone if not students or s in students], force)
    return plan


def seed_gradebook(course: Course, plan: RunPlan, snapshot: Path) -> None:
    """Create the rows of every submission to grade, zero the failed ones, snapshot the file.

    The rows are made here, once, so no worker has to (and none is lost if the run is
    interrupted: an ungraded submission has no fingerprint and is graded again)."""
    import warnings

    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(course.db_url) as gb:
        warnings.simplefilter("ignore")
        for s in plan.todo:
            gb.update_or_create_student(s)
            gb.update_or_create_submission(plan.assignment, s)
        gb.db.commit()
    _snapshot(course, snapshot)
    for s in plan.zero:
        _merge(course, plan.assignment, s, ok=False)
        plan.known.pop(s, None)


@dataclass
class _Running:
    process: object
    student: str
    started: float


def _start(course: Course, plan: RunPlan, ctx, student: str, snapshot: Path,
           workdir: Path) -> tuple[object, _Running]:
    logdir = course.logs / "autograde" / plan.assignment
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_grade_in_child, daemon=False, args=(
        str(course.root), plan.assignment, student, str(snapshot), str(workdir),
        plan.cell_timeout, plan.sandboxed, str(logdir / f"{student}.log"), child_conn,
        plan.tests))
    p.start()
    child_conn.close()
    return parent_conn, _Running(p, student, time.perf_counter())


def _outcome(conn, job: _Running, ready: list, now: float, deadline: float) -> dict | None:
    """The worker's result, a failure if it died or ran past its deadline, None if running."""
    if conn in ready:
        try:
            return conn.recv()
        except (EOFError, OSError):
            return {"ok": False, "reason": "the grading process died"}
    if now - job.started > deadline:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(job.process.pid, signal.SIGKILL)  # type: ignore[attr-defined]
        return {"ok": False, "reason": f"grading took longer than {deadline:.0f} s"}
    return None


def _record(course: Course, plan: RunPlan, job: _Running, outcome: dict, now: float) -> None:
    s = job.student
    r = plan.results[s]
    r.seconds = now - job.started
    r.notes.extend(n for n in outcome.get("notes", []) if n not in r.notes)
    if outcome.get("ok"):
        plan.known[s] = fingerprint(course, plan.assignment, s)
    else:
        r.status, r.reason = "failed", outcome.get("reason") or "unknown error"
        plan.known.pop(s, None)
    _merge(course, plan.assignment, s, ok=bool(outcome.get("ok")))
    _save_fingerprints(course, plan.prints)


def _until_deadline(running: dict, deadline: float) -> float:
    """How long to wait for a worker: at most 1 s, and no later than the first deadline."""
    now = time.perf_counter()
    first = min((job.started + deadline for job in running.values()), default=now + 1.0)
    return min(1.0, max(0.01, first - now))


def run_workers(course: Course, plan: RunPlan, snapshot: Path, workdir: Path, bar) -> None:
    """Grade plan.todo, up to plan.workers at once, each within plan.student_timeout."""
    ctx = mp.get_context("fork")
    queue = list(plan.todo)
    running: dict = {}

    def fill() -> None:
        while queue and len(running) < plan.workers:
            conn, job = _start(course, plan, ctx, queue.pop(0), snapshot, workdir)
            running[conn] = job

    while queue or running:
        fill()
        ready = mpc.wait(list(running), timeout=_until_deadline(running, plan.student_timeout))
        now = time.perf_counter()
        done = [(conn, job, outcome) for conn, job in list(running.items())
                if (outcome := _outcome(conn, job, ready, now, plan.student_timeout))]
        for conn, job, _ in done:
            job.process.join(timeout=10)
            conn.close()
            del running[conn]
        fill()  # the next students start before this one's grades are written
        for _, job, outcome in done:
            _record(course, plan, job, outcome, now)
            bar.update(1)
            r = plan.results[job.student]
            if r.status == "failed":
                bar.write(f"{r.student}: failed: {r.reason}")


def collect_scores(course: Course, plan: RunPlan) -> None:
    """Every student's final score and maximum, from the one gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        for s, r in plan.results.items():
            with contextlib.suppress(Exception):
                sub = gb.find_submission(plan.assignment, s)
                r.score, r.max_score = float(sub.score), float(sub.max_score)
            if not r.max_score:
                r.max_score = plan.layout.max_score


def autograde(course: Course, assignment: str, *, workers: int | None = None,
              cell_timeout: int | None = None, student_timeout: float | None = None,
              students: list[str] | None = None, force: bool = False,
              progress: bool = True, sandbox: str = "auto",
              tests: str = "trusted") -> AutogradeReport:
    """Autograde every submission of `assignment` in parallel; see the module docstring."""
    from tqdm import tqdm

    ensure_tools_on_path()
    start = time.perf_counter()
    plan = plan_run(course, assignment, workers=workers, cell_timeout=cell_timeout,
                    student_timeout=student_timeout, students=students, force=force,
                    sandbox=sandbox, tests=tests)
    where = sandbox_mod.describe(plan.sandbox, plan.sandboxed)
    (course.logs / "autograde" / assignment).mkdir(parents=True, exist_ok=True)
    if plan.todo:
        _warm_up()
    tqdm.monitor_interval = 0
    label = "sandboxed" if plan.sandboxed else "NOT sandboxed"
    bar = tqdm(total=len(plan.todo) + len(plan.zero), desc=f"autograde {assignment} ({label})",
               unit="student", disable=not progress)
    if not plan.sandboxed:
        bar.write(where)
    with tempfile.TemporaryDirectory(prefix="autograde-") as tmp:
        seed_gradebook(course, plan, Path(tmp) / "snapshot.db")
        bar.update(len(plan.zero))
        run_workers(course, plan, Path(tmp) / "snapshot.db", Path(tmp), bar)
    bar.close()
    collect_scores(course, plan)
    _save_fingerprints(course, plan.prints)
    report = AutogradeReport(assignment, plan.workers, time.perf_counter() - start,
                             [plan.results[s] for s in sorted(plan.results)], sandbox=where)
    write_report(course, report)
    return report


def write_report(course: Course, report: AutogradeReport) -> Path:
    out = course.reports / f"{report.assignment}-autograde.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=[*asdict(report.results[0]), "sandbox"]
                           if report.results else ["student"])
        w.writeheader()
        for r in report.results:
            row = asdict(r)
            row["notes"] = "; ".join(r.notes)
            row["seconds"] = f"{r.seconds:.1f}"
            row["sandbox"] = report.sandbox
            w.writerow(row)
    return out

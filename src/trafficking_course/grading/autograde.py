"""Parallel autograde: each student graded by nbgrader in its own process, one writer to the
gradebook.

Plain `nbgrader autograde` grades one student after another (nbgrader issue #174) and several
nbgrader processes on one SQLite gradebook fail with "database is locked". Here:

1. The main process takes a consistent snapshot of gradebook.db (SQLite's backup API).
2. Each student is graded by nbgrader's own Autograde converter in a forked worker process,
   against a private copy of that snapshot, so workers never share a database file. Up to
   `workers` students run at once (default: the available cores); each cell has a timeout
   (ExecutePreprocessor.timeout) and each student a hard deadline after which the worker
   and its kernel are killed.
3. The worker returns the student's grades as plain values; the main process alone writes
   them into gradebook.db, one short transaction per student. Manual scores are never touched
   (a changed answer that already had a manual score is flagged for review instead).
4. A fingerprint of each submission is kept; a re-run grades only new or changed submissions.

Before grading, every submission is checked: an unreadable, empty or corrupt notebook is
reported and scored 0 without a kernel; a renamed notebook is copied to its expected name;
deleted or edited grade cells are reported (nbgrader restores them from the gradebook).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import multiprocessing as mp
import multiprocessing.connection as mpc
import os
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

FINGERPRINTS = ".course-fingerprints.json"


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

    def by_student(self) -> dict[str, StudentResult]:
        return {r.student: r for r in self.results}

    def problems(self) -> list[StudentResult]:
        return [r for r in self.results if r.status in ("failed", "missing") or r.notes]

    def summary(self) -> str:
        counts = {}
        for r in self.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        lines = [f"autograde {self.assignment}: {len(self.results)} students ({parts}) "
                 f"in {self.seconds:.1f} s on {self.workers} worker(s)"]
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
def preflight(folder: Path, layout: Layout) -> tuple[str, list[str]]:
    """(fatal reason or "", notes) for one student's submitted folder; may copy a renamed
    notebook to its expected name."""
    from nbgrader.utils import compute_checksum

    notes: list[str] = []
    present = sorted(p for p in folder.glob("*.ipynb"))
    expected = sorted(layout.grade)
    missing = [n for n in expected if not (folder / f"{n}.ipynb").exists()]
    unknown = [p for p in present if p.stem not in layout.grade]
    if missing and len(missing) == 1 and len(unknown) == 1:
        target = folder / f"{missing[0]}.ipynb"
        shutil.copyfile(unknown[0], target)
        notes.append(f"renamed notebook {unknown[0].name!r} graded as {target.name!r}")
        missing = []
    if missing:
        return f"no notebook named {', '.join(m + '.ipynb' for m in missing)}", notes
    for name in expected:
        path = folder / f"{name}.ipynb"
        if path.stat().st_size == 0:
            return f"{path.name} is an empty file", notes
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception as exc:  # json errors, schema errors
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return f"{path.name} is not a valid notebook ({first[:120]})", notes
        ids = {}
        for cell in nb.cells:
            nbg = cell.get("metadata", {}).get("nbgrader", {})
            if "grade_id" in nbg:
                ids[nbg["grade_id"]] = cell
        for gid in layout.grade[name] + layout.task[name]:
            if gid not in ids:
                notes.append(f"deleted grade cell {gid!r} (restored from the gradebook)")
        for gid in layout.solution[name]:
            if gid not in ids and gid not in layout.grade[name]:
                notes.append(f"deleted answer cell {gid!r}")
        for gid, cell in ids.items():
            nbg = cell.metadata.nbgrader
            if nbg.get("locked") and not nbg.get("solution") and nbg.get("checksum"):
                try:
                    same = compute_checksum(cell) == nbg["checksum"]
                except Exception:
                    same = False
                if not same:
                    notes.append(f"edited read-only cell {gid!r} (restored from the gradebook)")
    return "", notes


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
    for line in reversed(log.strip().splitlines()):
        if "Error" in line or "error" in line:
            return line.strip()[:200]
    return "nbgrader could not grade the notebook"


def _grade_in_child(course_root: str, assignment: str, student: str, snapshot: str,
                    workdir: str, cell_timeout: int, logfile: str, conn) -> None:
    """Run in a forked process: grade one student against a private gradebook copy."""
    os.setpgrp()  # own process group: the parent can kill us and our kernel together
    fd = os.open(logfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    result = {"ok": False, "reason": "", "notes": [], "grades": {}}
    try:
        import logging

        from nbgrader.api import Gradebook
        from nbgrader.converters import Autograde
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.utils import capture_log

        logging.getLogger("traitlets").propagate = False
        private = Path(workdir) / f"{student}.db"
        shutil.copyfile(snapshot, private)
        db_url = f"sqlite:///{private}"
        course = Course(Path(course_root))
        cfg = course.load_config(ExecutePreprocessor__timeout=cell_timeout,
                                 Execute__timeout=cell_timeout)
        cd = CourseDirectory(config=cfg)
        cd.root = str(course.root)
        cd.db_url = db_url
        cd.assignment_id = assignment
        cd.student_id = student
        app = Autograde(coursedir=cd, config=cfg)
        app.force = True
        app.create_student = True
        out = capture_log(app)
        log = (out.get("log") or "") + "\n" + (out.get("error") or "")
        print(log, flush=True)
        if not out.get("success"):
            result["reason"] = _explain_failure(log)
        else:
            result["ok"] = True
            result["notes"] = _notes_from_autograded(course, assignment, student, cell_timeout)
        with Gradebook(db_url) as gb:
            sub = gb.find_submission(assignment, student)
            result["timestamp"] = sub.timestamp
            for nb in sub.notebooks:
                result["grades"][nb.notebook.name] = {
                    "grades": {g.name: (g.auto_score, bool(g.needs_manual_grade))
                               for g in nb.grades},
                    "comments": {c.name: c.auto_comment for c in nb.comments},
                }
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
def _merge(gb, assignment: str, student: str, result: dict | None) -> None:
    """Write one student's autograde result (or zeros, result None) into the main gradebook."""
    import warnings

    with warnings.catch_warnings():
        # nbgrader's own autoflush chatter when it creates a submission's rows
        warnings.simplefilter("ignore")
        _merge_rows(gb, assignment, student, result)


def _merge_rows(gb, assignment: str, student: str, result: dict | None) -> None:
    gb.update_or_create_student(student)
    ts = (result or {}).get("timestamp")
    sub = (gb.update_or_create_submission(assignment, student, timestamp=ts) if ts
           else gb.update_or_create_submission(assignment, student))
    graded = (result or {}).get("grades", {}) if result and result.get("ok") else {}
    for nb in sub.notebooks:
        values = graded.get(nb.notebook.name)
        for g in nb.grades:
            if values and g.name in values["grades"]:
                auto, needs = values["grades"][g.name]
            else:
                auto, needs = 0.0, False
            g.auto_score = auto
            # nbgrader's own rule: a manual score is kept and the cell marked for review
            g.needs_manual_grade = bool(needs or g.manual_score is not None or auto is None)
        for c in nb.comments:
            if values and c.name in values["comments"]:
                c.auto_comment = values["comments"][c.name]
        nb.flagged = not (result and result.get("ok"))
    gb.db.commit()


def _warm_up() -> None:
    """Do once in the parent what every forked worker would otherwise repeat per student."""
    with contextlib.suppress(Exception):
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.provisioning import KernelProvisionerFactory
        from nbgrader.converters import Autograde  # noqa: F401
        from nbgrader.utils import capture_log  # noqa: F401

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


def autograde(course: Course, assignment: str, *, workers: int | None = None,
              cell_timeout: int | None = None, student_timeout: float | None = None,
              students: list[str] | None = None, force: bool = False,
              progress: bool = True) -> AutogradeReport:
    """Autograde every submission of `assignment` in parallel; see the module docstring."""
    from nbgrader.api import Gradebook
    from tqdm import tqdm

    ensure_tools_on_path()
    start = time.perf_counter()
    course.check_assignment(assignment)
    if not course.gradebook.exists():
        raise GradingError("no gradebook yet; run generate first", file=course.gradebook)
    workers = max(1, workers or len(os.sched_getaffinity(0)) or 1)
    if cell_timeout is None:
        cfg = course.load_config()
        cell_timeout = int(cfg.ExecutePreprocessor.get("timeout", 30))
    layout = read_layout(course.db_url, assignment)
    n_cells = sum(len(v) for v in layout.grade.values()) + 10
    student_timeout = student_timeout or max(120.0, cell_timeout * n_cells + 60)

    submitted = course.students_with_submissions(assignment)
    with Gradebook(course.db_url) as gb:
        roster = [s.id for s in gb.students]
        graded_before = {s.student.id for s in gb.find_assignment(assignment).submissions}
    everyone = sorted(set(submitted) | set(roster))
    if students:
        everyone = [s for s in everyone if s in students]

    prints = _load_fingerprints(course)
    known = prints.setdefault(assignment, {})
    results: dict[str, StudentResult] = {}
    todo: list[str] = []
    zero: dict[str, StudentResult] = {}
    for s in everyone:
        folder = course.step_dir("submitted") / s / assignment
        if s not in submitted:
            results[s] = StudentResult(s, "missing", reason="no submission")
            continue
        reason, notes = preflight(folder, layout)
        if reason:
            zero[s] = StudentResult(s, "failed", reason=reason, notes=notes)
            continue
        fp = fingerprint(course, assignment, s)
        done = (course.step_dir("autograded") / s / assignment).is_dir()
        if not force and known.get(s) == fp and done and s in graded_before:
            results[s] = StudentResult(s, "unchanged", notes=notes)
            continue
        results[s] = StudentResult(s, "graded", notes=notes)
        todo.append(s)

    logdir = course.logs / "autograde" / assignment
    logdir.mkdir(parents=True, exist_ok=True)
    if todo:
        _warm_up()
    ctx = mp.get_context("fork")
    tqdm.monitor_interval = 0
    bar = tqdm(total=len(todo) + len(zero), desc=f"autograde {assignment}", unit="student",
               disable=not progress)
    with tempfile.TemporaryDirectory(prefix="autograde-") as tmp, \
            Gradebook(course.db_url) as main_gb:
        snapshot = Path(tmp) / "snapshot.db"
        # create the submissions' rows once, here, so no worker has to (and none is lost if
        # the run is interrupted: an ungraded submission has no fingerprint and is regraded)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for s in todo:
                main_gb.update_or_create_student(s)
                main_gb.update_or_create_submission(assignment, s)
        main_gb.db.commit()
        _snapshot(course, snapshot)
        for s, r in zero.items():
            _merge(main_gb, assignment, s, None)
            results[s] = r
            known.pop(s, None)
            bar.update(1)
        main_gb.db.remove()  # no connection held open across fork
        queue = list(todo)
        running: dict = {}   # conn -> (process, student, started)
        while queue or running:
            while queue and len(running) < workers:
                s = queue.pop(0)
                parent_conn, child_conn = ctx.Pipe(duplex=False)
                p = ctx.Process(target=_grade_in_child, daemon=False, args=(
                    str(course.root), assignment, s, str(snapshot), tmp, cell_timeout,
                    str(logdir / f"{s}.log"), child_conn))
                p.start()
                child_conn.close()
                running[parent_conn] = (p, s, time.perf_counter())
            ready = mpc.wait(list(running), timeout=1.0)
            now = time.perf_counter()
            for conn in list(running):
                p, s, started = running[conn]
                outcome = None
                if conn in ready:
                    try:
                        outcome = conn.recv()
                    except (EOFError, OSError):
                        outcome = {"ok": False, "reason": "the grading process died"}
                elif now - started > student_timeout:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(p.pid, signal.SIGKILL)
                    outcome = {"ok": False,
                               "reason": f"grading took longer than {student_timeout:.0f} s"}
                else:
                    continue
                p.join(timeout=10)
                conn.close()
                del running[conn]
                r = results[s]
                r.seconds = now - started
                r.notes.extend(n for n in outcome.get("notes", []) if n not in r.notes)
                if outcome.get("ok"):
                    known[s] = fingerprint(course, assignment, s)
                else:
                    r.status, r.reason = "failed", outcome.get("reason") or "unknown error"
                    known.pop(s, None)
                _merge(main_gb, assignment, s, outcome)
                main_gb.db.remove()
                _save_fingerprints(course, prints)
                bar.update(1)
                if r.status == "failed":
                    bar.write(f"{s}: failed: {r.reason}")
        bar.close()
        # final scores from the one gradebook
        for s, r in results.items():
            with contextlib.suppress(Exception):
                sub = main_gb.find_submission(assignment, s)
                r.score, r.max_score = float(sub.score), float(sub.max_score)
            if not r.max_score:
                r.max_score = layout.max_score
        main_gb.db.remove()
    _save_fingerprints(course, prints)
    report = AutogradeReport(assignment, workers, time.perf_counter() - start,
                             [results[s] for s in sorted(results)])
    write_report(course, report)
    return report


def write_report(course: Course, report: AutogradeReport) -> Path:
    out = course.reports / f"{report.assignment}-autograde.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(asdict(report.results[0]))
                           if report.results else ["student"])
        w.writeheader()
        for r in report.results:
            row = asdict(r)
            row["notes"] = "; ".join(r.notes)
            row["seconds"] = f"{r.seconds:.1f}"
            w.writerow(row)
    return out

"""`make bench-grading`: plain serial `nbgrader autograde` against the parallel autograde.

One synthetic cohort (simulated students, labelled as such) is collected once; five identical
copies of the course root are then graded: by the plain `nbgrader autograde ASSIGNMENT`
command (one student after another, nbgrader's own Execute: no sandbox, test cells in the
kernel), by the same command with the course's configuration (sandboxed, test cells in the
trusted runner, as the formgrader's Autograde button runs it), by grading.autograde with every
kernel in the bubblewrap sandbox and the trusted tests, by grading.autograde with SANDBOX=off,
and by grading.autograde sandboxed with the old in-kernel tests (the trusted runner's own
cost). All must give every student the same score; the wall times, the speed-ups, the
sandbox's and the trusted tests' own costs are printed (and recorded in BENCHMARKS.md).
A benchmark, not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course
from trafficking_course.grading.cycle import collect_folder, question_scores
from trafficking_course.grading.reports.cohort import simulate
from trafficking_course.grading.reports.lms import import_roster
from trafficking_course.grading.run.autograde import autograde


def _scores(course: Course, assignment: str) -> dict[str, float]:
    rows, _ = question_scores(course, assignment)
    totals: dict[str, float] = {}
    for r in rows:
        totals[r["student"]] = totals.get(r["student"], 0.0) + r["score"]
    return totals


def _cpu() -> float:
    """CPU seconds used so far by this process and its waited-for descendants."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class Run:
    """One timed grading of the cohort."""

    label: str
    seconds: float
    cpu: float
    load: float
    scores: dict[str, float]
    failed: list[str]


def _cohort(course: Course, assignment: str, tmp: Path, students: int) -> Path:
    """A course root with the assignment generated and a synthetic cohort collected."""
    base = tmp / "base"
    (base / "source").mkdir(parents=True)
    shutil.copy2(course.config_file, base / "nbgrader_config.py")
    shutil.copytree(course.check_assignment(assignment), base / "source" / assignment)
    for extra in ("data",):  # assignments may read files next to the course root
        if (course.root / extra).is_dir():
            shutil.copytree(course.root / extra, base / extra)
    b = Course(base)
    b.nbgrader("generate_assignment", assignment, "--force")
    lms = tmp / "lms"
    simulate(b, assignment, lms, students=students)
    import_roster(b, lms / "roster.csv")
    collect_folder(b, assignment, lms)
    return base


PLAIN = """
# The benchmark's baseline: nbgrader's own Execute and kernel manager, as plain nbgrader runs
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute" if step.endswith(".TrustedExecute") else step
    for step in c.Autograde.autograde_preprocessors]
c.Execute.kernel_manager_class = "jupyter_client.manager.AsyncKernelManager"
"""


def _serial(course: Course, assignment: str, plain: bool = True) -> Run:
    """`nbgrader autograde ASSIGNMENT`: one student after another. plain: nbgrader's own
    Execute put back in the course's configuration (no sandbox, no guard); else the course's
    configuration as it is, which is what the formgrader's Autograde button runs."""
    if plain:
        with course.config_file.open("a", encoding="utf-8") as fh:
            fh.write(PLAIN)
    what = "plain" if plain else "the course's configuration"
    print(f"serial: nbgrader autograde {assignment} ({what}) ...", flush=True)
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), _cpu()
    proc = course.nbgrader("autograde", assignment, check=False)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    failed = sorted(set(re.findall(
        r"error processing assignment '[^']*' for student '([^']+)'", proc.stdout or "")))
    if failed:
        errors = [ln for ln in (proc.stdout or "").splitlines()
                  if "Error" in ln and "AutogradeApp" not in ln]
        print(f"nbgrader failed to grade {failed}: {errors[-3:]}", flush=True)
    label = ("serial `nbgrader autograde`" if plain else
             "serial, sandboxed, trusted tests (the formgrader's button)")
    return Run(label, seconds, cpu, load, _scores(course, assignment), failed)


def _parallel(course: Course, assignment: str, workers: int, sandbox: str,
              tests: str = "trusted") -> Run:
    print(f"parallel: {workers} workers, SANDBOX={sandbox}, tests {tests} ...", flush=True)
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), _cpu()
    report = autograde(course, assignment, workers=workers, progress=True, sandbox=sandbox,
                       tests=tests)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    label = "parallel, sandboxed" if sandbox != "off" else "parallel, not sandboxed"
    if tests == "kernel":
        label += ", tests in the kernel (the old path)"
    return Run(label, seconds, cpu, load, _scores(course, assignment),
               [r.student for r in report.results if r.status == "failed"])


def _same_scores(runs: list[Run], assignment: str) -> int:
    """GradingError if two runs scored a student differently; the number compared."""
    skip = {s for run in runs for s in run.failed}
    first = runs[0].scores
    for run in runs[1:]:
        diff = {k: (first.get(k), run.scores.get(k)) for k in set(first) | set(run.scores)
                if k not in skip and first.get(k) != run.scores.get(k)}
        if diff:
            raise GradingError(f"{runs[0].label} and {run.label} scores differ: {diff}",
                               record=assignment)
    return len(set(first) - skip)


def _table(assignment: str, students: int, workers: int, runs: list[Run]) -> str:
    serial, button, boxed, open_, *old = runs
    cores = len(os.sched_getaffinity(0))
    per = boxed.seconds * workers / students
    trusted = "" if not old else (
        f" The trusted tests' own cost (sandboxed parallel, against the same with the test "
        f"cells in the kernel): **{(boxed.seconds - old[0].seconds) * workers / students:+.2f}"
        f" s per student** of worker time ({(boxed.seconds / old[0].seconds - 1) * 100:+.1f}%)"
        f".")
    rows = "".join(
        f"| {r.label} | {r.seconds:.1f} | {serial.seconds / r.seconds:.2f}x | {r.cpu:.0f} "
        f"| {r.load:.1f} | {len(r.failed)} |\n" for r in runs)
    overhead = (boxed.seconds - open_.seconds) / open_.seconds * 100 if open_.seconds else 0.0
    return (
        f"{assignment}: {students} students, {cores} cores, {workers} workers.\n\n"
        f"| run | wall (s) | speed-up over serial | CPU (s) | load (1 min) at start "
        f"| failed |\n|---|---:|---:|---:|---:|---:|\n{rows}\n"
        f"Speed-up of the sandboxed parallel autograde over plain serial nbgrader: "
        f"**{serial.seconds / boxed.seconds:.2f}x**; the sandbox's own cost (sandboxed "
        f"against unsandboxed parallel): **{overhead:+.1f}%**. The formgrader's Autograde "
        f"button (nbgrader's own Autograde with the course's configuration, one student after "
        f"another) takes **{button.seconds / serial.seconds:.2f}x** plain nbgrader's time. "
        f"Each student costs **{per:.2f} s** of worker time in the sandboxed parallel "
        f"autograde (wall time x workers / students).{trusted}\n"
        f"Same scores in every run for all {_same_scores(runs, assignment)} students graded "
        f"by every run. CPU time is that of the processes this one waited for: it includes "
        f"the kernels of the unsandboxed runs but not the sandboxed kernels (they are killed "
        f"with their bubblewrap, whose PID namespace does not pass their usage up). The "
        f"machine may be shared: compare "
        f"ratios, not seconds, and read the load column.\n"
    )


def bench(course: Course, assignment: str, *, students: int = 60,
          workers: int | None = None, sandbox: str = "auto") -> str:
    """Plain serial nbgrader, the formgrader button's serial autograde (sandboxed, trusted
    tests), the sandboxed parallel autograde, the same unsandboxed, and the same sandboxed
    with the old in-kernel tests."""
    workers = workers or len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        base = _cohort(course, assignment, Path(tmp), students)
        roots = {}
        for name in ("serial", "button", "sandboxed", "open", "old"):
            shutil.copytree(base, Path(tmp) / name)
            roots[name] = Course(Path(tmp) / name)
        runs = [_serial(roots["serial"], assignment),
                _serial(roots["button"], assignment, plain=False),
                _parallel(roots["sandboxed"], assignment, workers,
                          "require" if sandbox == "auto" else sandbox),
                _parallel(roots["open"], assignment, workers, "off"),
                _parallel(roots["old"], assignment, workers,
                          "require" if sandbox == "auto" else sandbox, tests="kernel")]
        return _table(assignment, students, workers, runs)


def record(path: Path, table: str) -> None:
    """Put the table under the '## Grading' heading of a Markdown file (created if missing)."""
    path = Path(path)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = (
        "## Grading\n\n"
        "`make bench-grading`: a synthetic cohort (simulated students) graded by plain serial\n"
        "`nbgrader autograde`, by the same with the course's configuration (sandboxed, the test\n"
        "cells run by the trusted runner outside the kernel, as the formgrader's Autograde\n"
        "button runs it), by the project's parallel autograde with every student's kernel\n"
        "sandboxed and the trusted tests (`python -m trafficking_course grading autograde`), by\n"
        "the same without the sandbox, and by the same sandboxed with the old in-kernel tests\n"
        "(`--tests-in-kernel`, to price the trusted runner), on the same submissions in one run.\n"
        "Goals: at least 1.8x over\n"
        f"plain nbgrader on 2 cores, sandbox overhead under 10%. Last run: {stamp}.\n\n"
        f"{table}\n"
        "More than 2x on 2 cores is possible because the parallel autograde also does less\n"
        "per student than plain nbgrader: each grade is computed once (by the main process,\n"
        "from the executed notebook), a finished kernel is killed instead of shut down\n"
        "gracefully, and the kernel is reached over IPC sockets rather than loopback TCP.\n"
        "The trusted runner adds a round trip to the kernel per test cell (the names it\n"
        "reads, in one question) and one per call of a student's function.\n"
    )
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## Grading\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda m: body, text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + body
    path.write_text(text, encoding="utf-8")

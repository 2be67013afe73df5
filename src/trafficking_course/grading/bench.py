"""`make bench-grading`: plain serial `nbgrader autograde` against the parallel autograde.

One synthetic cohort (simulated students, labelled as such) is collected once; two identical
copies of the course root are then graded, one by the plain `nbgrader autograde ASSIGNMENT`
command (one student after another), one by grading.autograde. Both must give every student
the same score; the wall times and their ratio are printed (and recorded in BENCHMARKS.md).
A benchmark, not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

from trafficking_course.errors import GradingError
from trafficking_course.grading.autograde import autograde
from trafficking_course.grading.cohort import simulate
from trafficking_course.grading.course import Course
from trafficking_course.grading.cycle import collect_folder, question_scores


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


def bench(course: Course, assignment: str, *, students: int = 60,
          workers: int | None = None) -> str:
    cores = len(os.sched_getaffinity(0))
    workers = workers or cores
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        base = Path(tmp) / "base"
        (base / "source").mkdir(parents=True)
        shutil.copy2(course.config_file, base / "nbgrader_config.py")
        shutil.copytree(course.check_assignment(assignment), base / "source" / assignment)
        for extra in ("data",):  # assignments may read files next to the course root
            if (course.root / extra).is_dir():
                shutil.copytree(course.root / extra, base / extra)
        b = Course(base)
        b.nbgrader("generate_assignment", assignment, "--force")
        lms = Path(tmp) / "lms"
        simulate(b, assignment, lms, students=students)
        b.nbgrader("db", "student", "import", str(lms / "roster.csv"))
        collect_folder(b, assignment, lms)
        serial_root, parallel_root = Path(tmp) / "serial", Path(tmp) / "parallel"
        shutil.copytree(base, serial_root)
        shutil.copytree(base, parallel_root)
        serial, parallel = Course(serial_root), Course(parallel_root)

        print(f"serial: nbgrader autograde {assignment} ({students} students) ...", flush=True)
        load_serial = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), _cpu()
        proc = serial.nbgrader("autograde", assignment, check=False)
        t_serial, cpu_serial = time.perf_counter() - t0, _cpu() - c0
        serial_failed = sorted(set(re.findall(
            r"error processing assignment '[^']*' for student '([^']+)'", proc.stdout or "")))
        if serial_failed:
            errors = [ln for ln in (proc.stdout or "").splitlines()
                      if "Error" in ln and "AutogradeApp" not in ln]
            print(f"plain nbgrader failed to grade {serial_failed}: {errors[-3:]}", flush=True)

        print(f"parallel: {workers} workers ...", flush=True)
        load_parallel = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), _cpu()
        report = autograde(parallel, assignment, workers=workers, progress=True)
        t_parallel, cpu_parallel = time.perf_counter() - t0, _cpu() - c0

        failed = [r.student for r in report.results if r.status == "failed"]
        s_scores, p_scores = _scores(serial, assignment), _scores(parallel, assignment)
        skip = set(serial_failed) | set(failed)
        diff = {k: (s_scores.get(k), p_scores.get(k)) for k in set(s_scores) | set(p_scores)
                if k not in skip and s_scores.get(k) != p_scores.get(k)}
        if diff:
            raise GradingError(f"serial and parallel scores differ: {diff}", record=assignment)
    ratio = t_serial / t_parallel if t_parallel else float("nan")
    return (
        f"| assignment | students | cores | workers | serial `nbgrader autograde` (s) "
        f"| parallel autograde (s) | speed-up |\n"
        f"|---|---:|---:|---:|---:|---:|---:|\n"
        f"| {assignment} | {students} | {cores} | {workers} | {t_serial:.1f} "
        f"| {t_parallel:.1f} | **{ratio:.2f}x** |\n\n"
        f"Same scores in both runs for all {len(p_scores) - len(skip)} students graded by "
        f"both; plain nbgrader failed on {len(serial_failed)}, the parallel autograde on "
        f"{len(failed)}.\n"
        f"CPU time (all processes, kernels included): serial {cpu_serial:.0f} s, parallel "
        f"{cpu_parallel:.0f} s.\n"
        f"Load average (1 min) when each run started: serial {load_serial:.1f}, parallel "
        f"{load_parallel:.1f} (the machine may be shared; compare ratios, not seconds).\n"
    )


def record(path: Path, table: str) -> None:
    """Put the table under the '## Grading' heading of a Markdown file (created if missing)."""
    path = Path(path)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = (
        "## Grading\n\n"
        "`make bench-grading`: a synthetic cohort (simulated students) graded by plain serial\n"
        "`nbgrader autograde` and by the project's parallel autograde\n"
        "(`python -m trafficking_course grading autograde`), on the same submissions in one\n"
        f"run. Goal: at least 1.8x on 2 cores. Last run: {stamp}.\n\n{table}\n"
    )
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## Grading\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda m: body, text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + body
    path.write_text(text, encoding="utf-8")

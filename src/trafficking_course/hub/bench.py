"""`make bench-hub`: how many students one machine's hub holds (a benchmark, not a test).

N simulated students log in through the hub's login form at the same time, start their
servers through the hub and run module 1's code cells through the kernel API (the websocket
JupyterLab uses). Reported: time to a ready server (login to JupyterLab answering), time to run
the module, and the memory of each active student (their server plus kernel: proportional set
size, so shared libraries are divided among the processes that share them), measured while
every student's kernel is alive.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..errors import HubError
from . import accounts, environment
from .client import HubProcess, HubUser
from .zygote import SERVER_NAME

MODULE = Path("course/01-definitions.ipynb")
BENCH_STATE = Path("/srv/trafficking-course-bench")
PROXY = Path("node_modules/.bin/configurable-http-proxy")


@dataclass
class StudentRun:
    name: str
    ready_s: float = 0.0
    module_s: float = 0.0
    failed_cells: int = 0
    pss_mb: float = 0.0
    rss_mb: float = 0.0
    error: str = ""
    #: CPU seconds of this student's server and kernel, by what they went to (CPU_PARTS)
    cpu: dict[str, float] = field(default_factory=dict)


#: Where a student's CPU seconds go, in the order of a login (the hub and proxy are shared).
CPU_PARTS = ("server start (login to a ready JupyterLab)", "kernel start",
             "the course's imports (module 1's first cell)", "module 1's other cells",
             "server while the module runs")
_CLK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int | str) -> float:
    """CPU seconds (user + system) a process has used, not counting its children."""
    fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLK  # utime, stime (fields 14, 15)


def _processes_of(user: str) -> Iterator[Path]:
    """The /proc folder of each process the Linux user runs now (gone ones skipped)."""
    uid = pwd.getpwnam(user).pw_uid
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and proc.stat().st_uid == uid:
                yield proc
        except (FileNotFoundError, ProcessLookupError):
            continue


def cpu_by_kind(user: str) -> dict[str, float]:
    """CPU seconds so far of the Linux user's JupyterLab server and kernel processes."""
    found = {"server": 0.0, "kernel": 0.0}
    for proc in _processes_of(user):
        try:
            cmd = (proc / "cmdline").read_bytes()
            # a server the zygote forked keeps the zygote's command line, under its own name
            server = b"singleuser" in cmd or (proc / "comm").read_text().strip() == SERVER_NAME
            kind = "kernel" if b"ipykernel" in cmd else "server" if server else ""
            if kind:
                found[kind] += cpu_of(proc.name)
        except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError):
            continue
    return found


def _machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy since boot (every process, not only ours)."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / _CLK  # all but idle and iowait


def _memory(proc: Path) -> tuple[float, float]:
    """(PSS, RSS) in MiB of one process, from its /proc folder."""
    pss = rss = 0
    for line in (proc / "smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            pss += int(line.split()[1])
        elif line.startswith("Rss:"):
            rss += int(line.split()[1])
    return pss / 1024, rss / 1024


def memory_of(user: str) -> tuple[float, float]:
    """(PSS, RSS) in MiB of every process the Linux user runs."""
    pss = rss = 0.0
    for proc in _processes_of(user):
        try:
            one = _memory(proc)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        pss, rss = pss + one[0], rss + one[1]
    return pss, rss


def module_cells(repo: Path) -> list[str]:
    nb = nbformat.read(repo / MODULE, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def _one_student(base: str, password: str, run: StudentRun, cells: list[str],
                 barrier: threading.Barrier) -> StudentRun:
    user = HubUser(base, run.name)
    start = time.monotonic()
    try:
        user.login(password)
        user.wait_ready(timeout=900)
        run.ready_s = time.monotonic() - start
        started = run.cpu[CPU_PARTS[0]] = cpu_by_kind(run.name)["server"]
        kernel: list[float] = []  # the kernel's CPU seconds after each cell
        start = time.monotonic()

        def all_active() -> None:
            run.module_s = time.monotonic() - start
            now = cpu_by_kind(run.name)
            run.cpu[CPU_PARTS[3]] = now["kernel"] - kernel[1]
            run.cpu[CPU_PARTS[4]] = now["server"] - started
            barrier.wait(timeout=900)  # every kernel alive: the barrier's action measures

        # an empty first cell: the kernel has started when it answers
        results = user.run_code(["pass", *cells], timeout=900, path="course",
                                before_shutdown=all_active,
                                after_cell=lambda i: kernel.append(cpu_by_kind(run.name)["kernel"]))
        run.cpu[CPU_PARTS[1]], run.cpu[CPU_PARTS[2]] = kernel[0], kernel[1] - kernel[0]
        run.failed_cells = sum(r["status"] != "ok" for r in results)
    except threading.BrokenBarrierError:
        # another student failed before every kernel was alive: this run is not comparable
        run.error = "stopped: another student's run failed before all kernels were alive"
    except (HubError, OSError) as err:
        run.error = (str(err) or type(err).__name__)[:300]
        barrier.abort()
    return run


#: How the servers are started, compared side by side in one run (the hub's HUB_ZYGOTE).
MODES = (("a new Python for each server", "0"), ("forked warm by the zygote", "1"))


@dataclass
class ModeRun:
    label: str
    runs: list[StudentRun]
    machine: dict


def bench(students: int = 20) -> list[ModeRun]:
    """Run the benchmark on a hub of its own (prefix bench-), once per spawn mode (MODES).

    Its state sits beside the default hub's (BENCH_STATE, default
    /srv/trafficking-course-bench): the accounts' Python is kept for the next run, the
    accounts and their homes are removed after each mode, so both start from a first login.
    """
    repo = environment.checkout()
    roster = accounts.Roster("bench-", tuple(f"s{i:03d}" for i in range(1, students + 1)))
    state = accounts.HubState(Path(os.environ.get("BENCH_STATE", BENCH_STATE)))
    accounts.require_root()
    accounts.prepare_folders(state)
    environment.prepare_environment(state, repo)
    results = []
    for label, zygote_flag in MODES:
        accounts.prepare_folders(state)
        runs = [StudentRun(n) for n in roster.students]
        machine: dict = {"cores": os.cpu_count(), "students": students,
                         "load": os.getloadavg()[0]}
        password = "bench-" + os.urandom(6).hex()
        try:
            accounts.prepare_accounts(state, roster, password, accounts=roster.students)
            proc = HubProcess(state, state.private / "hub.log", repo / PROXY,
                              env={"HUB_PREFIX": roster.prefix, "HUB_ZYGOTE": zygote_flag,
                                   "HUB_STUDENTS": ",".join(roster.student_names)},
                              password=password).wait()
            try:
                _measure(proc, runs, module_cells(repo), machine)
            finally:
                proc.stop()
        finally:
            accounts.remove_accounts(state)
            # the hub's log (every server's too) is kept beside the state for a failed run
            log = state.private / "hub.log"
            if log.is_file():
                shutil.copy(log, state.root / f"last-bench-hub-zygote{zygote_flag}.log")
            for folder in (state.homes, state.exchange, state.private):
                shutil.rmtree(folder, ignore_errors=True)
        results.append(ModeRun(label, runs, machine))
    return results


def _measure(proc: HubProcess, runs: list[StudentRun], cells: list[str], machine: dict) -> None:
    def measure() -> None:
        for run in runs:
            run.pss_mb, run.rss_mb = memory_of(run.name)
        machine["used_mb_all_active"] = _used_mb() - machine["used_mb_before"]
        zygote = _zygote_pid(proc.proc.pid)
        machine["zygote_pss_mb"] = _memory(Path("/proc") / str(zygote))[0] if zygote else 0.0

    machine["used_mb_before"] = _used_mb()
    barrier = threading.Barrier(len(runs), action=measure)
    start, busy = time.monotonic(), _machine_busy_s()
    hub_before, proxy_before = cpu_of(proc.proc.pid), cpu_of(_proxy_pid(proc.proc.pid))
    with ThreadPoolExecutor(max_workers=len(runs)) as pool:
        list(pool.map(lambda r: _one_student(proc.base, proc.password, r, cells, barrier), runs))
    machine["wall_s"] = time.monotonic() - start
    machine["cpu_machine_s"] = _machine_busy_s() - busy
    machine["cpu_hub_s"] = cpu_of(proc.proc.pid) - hub_before
    machine["cpu_proxy_s"] = cpu_of(_proxy_pid(proc.proc.pid)) - proxy_before
    zygote = _zygote_pid(proc.proc.pid)  # started with the first login, so all of it counts
    machine["cpu_zygote_s"] = cpu_of(zygote) if zygote else 0.0
    machine["cells"] = len(cells)


def _child_of(hub_pid: int, marker: bytes) -> int | None:
    """The pid of the hub's child process whose command line contains marker, if any."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == hub_pid and marker in (proc / "cmdline").read_bytes():
                return int(proc.name)
        except (OSError, ValueError, IndexError):
            continue
    return None


def _zygote_pid(hub_pid: int) -> int | None:
    """The hub's zygote (hub/zygote.py), if it started one."""
    return _child_of(hub_pid, b"trafficking_course.hub.zygote")


def _proxy_pid(hub_pid: int) -> int:
    """configurable-http-proxy, which the hub started as its child."""
    pid = _child_of(hub_pid, b"configurable-http-proxy")
    if pid is None:
        raise HubError(f"no configurable-http-proxy under the hub (pid {hub_pid})")
    return pid


def _used_mb() -> float:
    info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    kib = int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])
    return kib / 1024


def _stat(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} / {max(values):.1f}"


def report(modes: list[ModeRun]) -> str:
    """The result as a Markdown section for BENCHMARKS.md: the spawn modes side by side."""
    first = modes[0].machine
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = " | ".join(m.label for m in modes)
    lines = [
        f"## Class hub: {first['students']} simulated students at once, two ways of starting "
        f"their servers side by side ({when})",
        "",
        f"`make bench-hub` on this machine ({first['cores']} cores; load average "
        + ", ".join(f"{m.machine.get('load', 0):.1f}" for m in modes)
        + " at the start of each mode): each student logs in through the hub's form, starts a "
        f"server and runs module 1's {first.get('cells', 0)} code cells through the kernel "
        "API, all at the same time; then the same with the other way of starting servers "
        "(new accounts and homes each time, the same hub Python).",
        "",
        f"| measure (median / worst) | {header} |",
        "| --- |" + " --- |" * len(modes),
    ]
    rows = [("time from login to a ready JupyterLab (s)", lambda r: r.ready_s),
            ("time to run module 1's code cells (s)", lambda r: r.module_s),
            ("memory per active student, server + kernel, PSS (MiB)", lambda r: r.pss_mb),
            ("the same as RSS, shared pages counted in full (MiB)", lambda r: r.rss_mb)]
    for name, value in rows:
        cells = [_stat([value(r) for r in m.runs if not r.error]) if _ok(m) else "failed"
                 for m in modes]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    lines.append("| CPU seconds per student, all parts (median) | "
                 + " | ".join(f"{_cpu_total(m):.2f}" if _ok(m) else "failed" for m in modes)
                 + " |")
    lines.append("| whole run (s) | "
                 + " | ".join(f"{m.machine.get('wall_s', 0):.0f}" for m in modes) + " |")
    for m in modes:
        ok = [r for r in m.runs if not r.error]
        lines += ["", f"**{m.label}.** Students who finished: {len(ok)} of {len(m.runs)}; "
                  f"cells that raised: {sum(r.failed_cells for r in ok)}. The machine's memory "
                  f"in use rose by {m.machine.get('used_mb_all_active', 0):.0f} MiB with every "
                  f"kernel alive ({m.machine.get('used_mb_all_active', 0) / max(len(ok), 1):.0f}"
                  " MiB per student)."]
        if ok:
            lines += cpu_table(ok, m.machine)
        # the run that failed first, then those it stopped
        errors = [f"{r.name}: {r.error}" for r in sorted(
            (r for r in m.runs if r.error), key=lambda r: r.error.startswith("stopped"))]
        if errors:
            lines += ["", "Failures: " + "; ".join(errors[:5])]
    return "\n".join(lines) + "\n"


def _ok(mode: ModeRun) -> bool:
    return any(not r.error for r in mode.runs)


def _shared(machine: dict, n: int) -> dict[str, float]:
    shared = {"the hub (login, spawn, OAuth; shared out)": machine["cpu_hub_s"] / n,
              "configurable-http-proxy (shared out)": machine["cpu_proxy_s"] / n}
    if machine.get("cpu_zygote_s"):
        shared["the zygote (its imports once, the forks; shared out)"] = \
            machine["cpu_zygote_s"] / n
    return shared


def _cpu_total(mode: ModeRun) -> float:
    ok = [r for r in mode.runs if not r.error]
    shared = sum(_shared(mode.machine, len(ok)).values())
    return statistics.median([sum(r.cpu.values()) + shared for r in ok])


def _shared_names(machine: dict) -> str:
    if machine.get("cpu_zygote_s"):
        return "the hub's, the proxy's and the zygote's"
    return "the hub's and the proxy's"


def cpu_table(ok: list[StudentRun], machine: dict) -> list[str]:
    """CPU seconds per student and where they go (the hub, proxy and zygote shared out)."""
    n = len(ok)
    shared = _shared(machine, n)
    per_student = [sum(r.cpu.values()) + sum(shared.values()) for r in ok]
    lines = ["", "| CPU seconds per student | median | share of the median total |",
             "| --- | --- | --- |"]
    total = statistics.median(per_student)
    for part in CPU_PARTS:
        value = statistics.median([r.cpu.get(part, 0.0) for r in ok])
        lines.append(f"| {part} | {value:.2f} | {value / total:.0%} |")
    for part, value in shared.items():
        lines.append(f"| {part} | {value:.2f} | {value / total:.0%} |")
    zygote_mb = machine.get("zygote_pss_mb", 0.0)
    lines += [f"| total | {total:.2f} | |", "",
              f"CPU seconds are user + system time of each process (from /proc), each "
              f"student's server and kernel measured on their own; "
              f"{_shared_names(machine)} divided by the {n} students. The whole machine "
              f"was busy for "
              f"{machine['cpu_machine_s']:.0f} CPU seconds meanwhile, other work on it "
              f"included ({machine['cpu_machine_s'] / n:.1f} per student)."
              + (f" The zygote itself held {zygote_mb:.0f} MiB (PSS), "
                 f"{zygote_mb / n:.1f} MiB per student." if zygote_mb else "")]
    return lines

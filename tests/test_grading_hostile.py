"""Hostile submissions, graded through the real commands, each with its exact score.

Each hostile student answers Q2 (3 points) honestly and uses Q1 (2 points) for an attack that
would, if it worked, give it Q1's points (or change a grade, or leak a hidden test). So a
hostile student scores exactly 3 when its attack failed (5 for the attacks that need no
points: they must not break grading, and must learn nothing). Honest students in the same
batch keep their exact scores. One autograde run grades the whole batch in the sandbox
(SANDBOX=require); the students' synthetic ids say what they try.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from trafficking_course.grading import cycle
from trafficking_course.grading.course import Course, tool_environ
from trafficking_course.grading.isolation import sandbox

from .conftest import FIXTURES, ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(bool(sandbox.probe()), reason=sandbox.probe() or "")]

HIDDEN = 'assert offence.strip().lower() == "trafficking"'
VISIBLE = "assert isinstance(offence, str)"
RIGHT_Q1 = 'offence = "trafficking"'
WRONG_Q1 = 'offence = "smuggling"'
RIGHT_Q2 = 'def count_means(facts):\n    return len(facts.get("means", []))'

READ_SOURCE = r'''
import pathlib, re
offence = "smuggling"
here = pathlib.Path.cwd()
for path in ("../../../source/fixture/fixture.ipynb", "../../../release/fixture/fixture.ipynb",
             here.parents[2] / "source" / "fixture" / "fixture.ipynb", "fixture.ipynb",
             "../../sim-honest-1/fixture/fixture.ipynb"):
    try:
        text = pathlib.Path(path).read_text()
    except OSError as exc:
        print("blocked:", path, type(exc).__name__)
        continue
    found = re.search(r'offence = \\"(\w+)\\"', text) or re.search(r'== \\"(\w+)\\"', text)
    if found:
        offence = found.group(1)
'''

THROUGH_PACKAGE = r'''
from trafficking_course import paths
offence = "smuggling"
root = paths.repo_root()
print("repo root:", root)
candidates = [paths.data_dir().parent]
if root is not None:
    candidates.append(root)
for base in candidates:
    found = list((base / "exercises").rglob("*.ipynb")) if (base / "exercises").exists() else []
    print(base, "exercises:", len(found))
    if found:
        offence = "trafficking"
'''

READ_GRADEBOOK = r'''
import sqlite3, pathlib
offence = "smuggling"
for path in ("../../../gradebook.db", pathlib.Path.cwd().parents[2] / "gradebook.db"):
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = db.execute("select source from source_cell").fetchall()
    except sqlite3.Error as exc:
        print("blocked:", type(exc).__name__, exc)
        continue
    if any("trafficking" in (r[0] or "") for r in rows):
        offence = "trafficking"
'''

WRITE_GRADEBOOK = r'''
import glob, sqlite3, pathlib, tempfile
offence = "smuggling"
targets = ["../../../gradebook.db", str(pathlib.Path.cwd().parents[2] / "gradebook.db")]
targets += glob.glob(tempfile.gettempdir() + "/autograde-*/*.db")
for path in targets:
    try:
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        db.execute("update grade set manual_score = 100, extra_credit = 100")
        db.execute("update grade set auto_score = 100")
        db.commit()
        print("wrote", path)
    except sqlite3.Error as exc:
        print("blocked:", type(exc).__name__, exc)
'''

WRITE_OTHER = r'''
import pathlib
offence = "smuggling"
for path in ("../../sim-honest-1/fixture/fixture.ipynb",
             "../../../submitted/sim-honest-1/fixture/fixture.ipynb",
             pathlib.Path.cwd().parents[2] / "submitted" / "sim-honest-1" / "fixture" / "x.txt",
             "../../sim-honest-1/fixture/planted.txt"):
    try:
        pathlib.Path(path).write_text("{}")
        print("wrote", path)
    except OSError as exc:
        print("blocked:", type(exc).__name__)
'''

TRANSFORMER = WRONG_Q1 + r'''
get_ipython().input_transformers_cleanup.append(
    lambda lines: [line.replace("assert", "pass #") for line in lines])
'''

KERNEL_HOOKS = WRONG_Q1 + r'''
import ast, sys
class NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
ip = get_ipython()
ip.ast_transformers.append(NoAsserts())
ip.set_custom_exc((Exception,), lambda shell, etype, value, tb, tb_offset=None: None)
ip.events.register("pre_run_cell", lambda info: print("saw a cell"))
sys.settrace(lambda frame, event, arg: None)
'''

HISTORY = r'''
import linecache, os
ip = get_ipython()
hist = [src for _, _, src in ip.history_manager.get_range(raw=True)]
cached = ["".join(entry[2]) for entry in linecache.cache.values() if len(entry) > 2]
last = ip.last_execution_result.info.raw_cell if ip.last_execution_result else ""
files = []
for name in os.listdir("."):
    try:
        files.append(open(name, errors="replace").read())
    except OSError:
        pass
stolen = "\n".join(list(In) + list(_ih) + hist + cached + [last] + files)
'''

MARK = "HISTORY-DUMP:"

# -- issue 23: attacks that run in the student's kernel and won while the tests ran there ------
AUDIT_HOOK = WRONG_Q1 + r"""
import sys, ast
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
def _hook(event, args):
    if event == "compile" and args and "assert" in str(args[0]):
        ip = get_ipython()
        if not any(isinstance(t, _NoAsserts) for t in ip.ast_transformers):
            ip.ast_transformers.append(_NoAsserts())
sys.addaudithook(_hook)
"""

AUDIT_RECORD = RIGHT_Q1 + r"""
import sys
seen = []
def _record(event, args):
    if event == "compile" and args and "assert" in str(args[0]):
        seen.append(str(args[0]))
sys.addaudithook(_record)
"""
AUDIT_PRINT = RIGHT_Q2 + r"""
import base64
recorded = "\n".join(seen)
print("AUDIT-DUMP:", recorded)
print("AUDIT-B64:", base64.b64encode(recorded.encode()).decode())
print("AUDIT-HEX:", recorded.encode().hex())
"""

GETFRAME = r"""
import linecache, re, sys
def count_means(facts):
    frame = sys._getframe(1)
    while frame is not None:
        line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
        found = re.search(r"== (\d+)", line)
        if found:
            return int(found.group(1))
        frame = frame.f_back
    return 0
"""

SESSION_SEND = WRONG_Q1 + r"""
from jupyter_client.session import Session
_send = Session.send
def _quiet(self, stream, msg_or_type, content=None, *args, **kwargs):
    kind = msg_or_type if isinstance(msg_or_type, str) else msg_or_type.get("msg_type")
    if kind == "error":
        return None
    if kind == "execute_reply" and isinstance(content, dict) and content.get("status") == "error":
        content = {"status": "ok", "execution_count": content.get("execution_count"),
                   "user_expressions": {}, "payload": []}
    return _send(self, stream, msg_or_type, content, *args, **kwargs)
Session.send = _quiet
"""

DISPLAYHOOK = r"""
def count_means(facts):
    get_ipython().displayhook(3.0)
    return 0
"""

THREAD = WRONG_Q1 + r"""
import ast, threading, time
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
_lenient = _NoAsserts()
def _keep():
    ip = get_ipython()
    while True:
        if _lenient not in ip.ast_transformers:
            ip.ast_transformers.append(_lenient)
        time.sleep(0.001)
threading.Thread(target=_keep, daemon=True).start()
"""

LIAR_Q1 = r"""
class _Word(str):
    def strip(self, *args):
        return self
    def lower(self):
        return self
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
offence = _Word("smuggling")
"""
LIAR_Q2 = r"""
class _Count(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__
def count_means(facts):
    return _Count(0)
"""

DISARM = WRONG_Q1 + r"""
import sys
guard = sys.modules.get("_course_test_guard")
if guard is not None:
    guard.reset = guard.forget = lambda: None
get_ipython().input_transformers_cleanup.append(
    lambda lines: [line.replace("assert", "pass #") for line in lines])
"""

DISK = RIGHT_Q1 + r"""
written = 0
try:
    with open("big.bin", "wb") as fh:
        while written < 3 * 1024:
            fh.write(b"x" * 1024 ** 2)
            written += 1
except OSError as exc:
    print("disk bounded at", written, "MB:", exc.strerror)
import os
os.remove("big.bin")
"""


# A student who prints a hidden test's line (put together from pieces, so it is nowhere in the
# notebook) in base64 and in hex: the leak scan must decode both and remove the page.
ENCODED_LEAK = RIGHT_Q1 + r"""
import base64
line = "assert offence.strip()" + ".lower() == " + '"trafficking"'
print("B64:", base64.b64encode(line.encode()).decode())
print("HEX:", line.encode().hex())
"""

ISSUE_23 = {  # student -> what the attack did while the tests ran in the kernel
    "sim-audit-hook-1": "an audit hook rewrote the test cell's asserts",
    "sim-audit-record-1": "an audit hook recorded the tests for a later cell to print",
    "sim-getframe-1": "the function read the expected value from the calling test's source",
    "sim-session-send-1": "jupyter_client's Session.send dropped the error",
    "sim-displayhook-1": "the function gave the test cell an execute_result (partial credit)",
    "sim-thread-1": "a thread put back an AST transformer after the guard's reset",
    "sim-liar-1": "a str and an int subclass whose == always agrees",
    "sim-disarm-guard-1": "the guard's reset and forget replaced",
}

def _answered(release: Path, q1: str, q2: str) -> nbformat.NotebookNode:
    nb = nbformat.read(str(release), as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "q1_answer":
            cell.source = q1
        elif gid == "q2_answer":
            cell.source = q2
    return nb


def _students(port: int) -> dict[str, tuple[str, str, float]]:
    """student id -> (Q1 answer, Q2 answer, exact expected score)."""
    connect = (f"import socket\noffence = 'smuggling'\ntry:\n"
               f"    socket.create_connection(('127.0.0.1', {port}), timeout=3).sendall(b'x')\n"
               f"    offence = 'trafficking'\nexcept OSError as exc:\n"
               f"    print('blocked:', exc)\n")
    fork_bomb = RIGHT_Q1 + ("\nimport os, time\nforked = 0\ntry:\n    while forked < 5000:\n"
                            "        if os.fork() == 0:\n            time.sleep(30)\n"
                            "            os._exit(0)\n        forked += 1\nexcept OSError:\n"
                            "    pass\nprint('forked', forked)\n")
    memory = RIGHT_Q1 + ("\nchunks = []\ntry:\n    while len(chunks) < 400:\n"
                         "        chunks.append(bytearray(64 * 1024 ** 2))\n"
                         "except MemoryError:\n    print('memory bounded at', len(chunks))\n"
                         "del chunks\n")
    chdir = RIGHT_Q1 + ("\nimport os, sys\nos.chdir('/')\nskip = {'/proc', '/usr', '/sys', '/dev', "
                        "os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}\n"
                        "found = []\nfor top, dirs, files in os.walk('/'):\n"
                        "    dirs[:] = [d for d in dirs if os.path.join(top, d) not in skip]\n"
                        "    found += [f for f in files if f.endswith(('.ipynb', '.db'))]\n"
                        "print('found', sorted(found))\n")
    dormant = ("import os\nprint('NBGRADER_EXECUTION', os.environ.get('NBGRADER_EXECUTION'))\n"
               "if os.environ.get('NBGRADER_EXECUTION'):\n"
               + "\n".join("    " + line for line in READ_SOURCE.strip().splitlines())
               + "\n" + "\n".join("    " + line for line in WRITE_GRADEBOOK.strip().splitlines())
               + "\nelse:\n    offence = 'smuggling'\n")
    plain = RIGHT_Q2 + "\n" + HISTORY + f"print({MARK!r}, stolen)\n"
    encoded = RIGHT_Q2 + "\n" + HISTORY + \
        f"import base64\nprint({MARK!r}, base64.b64encode(stolen.encode()).decode())\n"
    return {
        "sim-honest-1": (RIGHT_Q1, RIGHT_Q2, 5.0),
        "sim-honest-2": (WRONG_Q1, RIGHT_Q2, 3.0),
        "sim-read-source-1": (READ_SOURCE, RIGHT_Q2, 3.0),
        "sim-through-package-1": (THROUGH_PACKAGE, RIGHT_Q2, 3.0),
        "sim-read-gradebook-1": (READ_GRADEBOOK, RIGHT_Q2, 3.0),
        "sim-write-gradebook-1": (WRITE_GRADEBOOK, RIGHT_Q2, 3.0),
        "sim-write-other-1": (WRITE_OTHER, RIGHT_Q2, 3.0),
        "sim-transformer-1": (TRANSFORMER, RIGHT_Q2, 3.0),
        "sim-kernel-hooks-1": (KERNEL_HOOKS, RIGHT_Q2, 3.0),
        "sim-history-plain-1": (RIGHT_Q1, plain, 5.0),
        "sim-history-base64-1": (RIGHT_Q1, encoded, 5.0),
        "sim-network-1": (connect, RIGHT_Q2, 3.0),
        "sim-fork-bomb-1": (fork_bomb, RIGHT_Q2, 5.0),
        "sim-memory-hog-1": (memory, RIGHT_Q2, 5.0),
        "sim-chdir-1": (chdir, RIGHT_Q2, 5.0),
        "sim-dormant-1": (dormant, RIGHT_Q2, 3.0),
        # issue 23: each scores what its honest part earns (Q1 2 points, Q2 3 points)
        "sim-audit-hook-1": (AUDIT_HOOK, RIGHT_Q2, 3.0),
        "sim-audit-record-1": (AUDIT_RECORD, AUDIT_PRINT, 5.0),
        "sim-getframe-1": (RIGHT_Q1, GETFRAME, 2.0),
        "sim-session-send-1": (SESSION_SEND, RIGHT_Q2, 3.0),
        "sim-displayhook-1": (RIGHT_Q1, DISPLAYHOOK, 2.0),
        "sim-thread-1": (THREAD, RIGHT_Q2, 3.0),
        "sim-liar-1": (LIAR_Q1, LIAR_Q2, 0.0),
        "sim-disarm-guard-1": (DISARM, RIGHT_Q2, 3.0),
        "sim-disk-1": (DISK, RIGHT_Q2, 5.0),
        "sim-encoded-leak-1": (ENCODED_LEAK, RIGHT_Q2, 5.0),
    }


class Listener:
    """A loopback port that counts who connects to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join(timeout=5)
        self.sock.close()


def _output(course: Course, student: str, gid: str) -> str:
    path = course.root / "autograded" / student / "fixture" / "fixture.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
    return "\n".join(str(o.get("text", "")) + str(o.get("evalue", "")) for o in cell.outputs)


def _autograde(course: Course, mode: str) -> subprocess.CompletedProcess:
    """The course's autograde command. Its temporary folder (the worker's gradebook copies)
    is private to this test: an unsandboxed attack that globs the system's temp folder must
    not reach another test's run going on at the same time."""
    tmp = course.root.parent / "tmp"
    tmp.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "trafficking_course", "grading", "autograde", "fixture",
           "--root", str(course.root), "--sandbox", mode, "--workers", "2", "--no-progress",
           "--cell-timeout", "30"]
    return subprocess.run(cmd, env=tool_environ({"TMPDIR": str(tmp)}), capture_output=True,
                          text=True, timeout=1800)


def _sandboxed_kernels() -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "course-sandbox-" in cmdline and "ipykernel" in cmdline:
            found.append(cmdline)
    return found


def _course_with(tmp: Path, answers: dict[str, tuple[str, str]]) -> Course:
    """The fixture assignment generated by nbgrader, and these students' answers collected
    from an LMS-style folder."""
    root = tmp / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy2(ROOT / "exercises" / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(FIXTURES / "grading" / "source" / "fixture", root / "source" / "fixture")
    course = Course(root)
    release = cycle.generate(course, "fixture") / "fixture.ipynb"
    for sid, (q1, q2) in answers.items():
        (tmp / "lms" / sid).mkdir(parents=True)
        nbformat.write(_answered(release, q1, q2), str(tmp / "lms" / sid / "fixture.ipynb"))
    cycle.collect_folder(course, "fixture", tmp / "lms")
    return course


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The whole hostile batch, generated, collected and autograded once."""
    listener = Listener()
    students = _students(listener.port)
    course = _course_with(tmp_path_factory.mktemp("hostile"),
                          {sid: (q1, q2) for sid, (q1, q2, _) in students.items()})
    honest = course.root / "submitted/sim-honest-1/fixture/fixture.ipynb"
    before = hashlib.sha256(honest.read_bytes()).hexdigest()
    proc = _autograde(course, "require")
    listener.close()
    yield course, students, proc, listener, before


def test_every_student_gets_exactly_the_score_earned(graded):
    course, students, proc, _, _ = graded
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "students' kernels sandboxed (bubblewrap)" in proc.stdout
    summary = {m.group(1): m.group(2) for m in re.finditer(r"^  (\S+): (\w+):", proc.stdout,
                                                            re.M)}
    assert not {s: v for s, v in summary.items() if v == "failed"}, proc.stdout
    for sid in ("sim-transformer-1", "sim-kernel-hooks-1", "sim-dormant-1"):
        assert summary.get(sid) == "graded", proc.stdout  # listed with a note for a human
    assert "answer cell 'q1_answer' uses get_ipython" in proc.stdout
    assert "sim-honest-1" not in summary and "sim-honest-2" not in summary
    with (course.reports / "fixture-autograde.csv").open(newline="") as fh:
        assert {row["sandbox"] for row in csv.DictReader(fh)} == {
            "students' kernels sandboxed (bubblewrap)"}
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        got = {sid: gb.find_submission("fixture", sid).score for sid in students}
        grades = [g for sid in students
                  for g in gb.find_submission("fixture", sid).notebooks[0].grades]
        assert all(g.manual_score is None and not g.extra_credit for g in grades)
    assert got == {sid: expected for sid, (_, _, expected) in students.items()}


def test_course_files_are_out_of_reach(graded):
    course, _, _, _, before = graded
    for sid in ("sim-read-source-1", "sim-read-gradebook-1", "sim-write-gradebook-1",
                "sim-write-other-1"):
        out = _output(course, sid, "q1_answer")
        assert "blocked:" in out and "wrote" not in out, (sid, out)
    package = _output(course, "sim-through-package-1", "q1_answer")
    assert "repo root: None" in package
    assert not re.search(r"exercises: [1-9]", package), package
    honest = course.root / "submitted/sim-honest-1/fixture/fixture.ipynb"
    assert hashlib.sha256(honest.read_bytes()).hexdigest() == before
    assert not (course.root / "autograded/sim-honest-1/fixture/planted.txt").exists()
    assert not (course.root / "submitted/sim-honest-1/fixture/x.txt").exists()
    chdir = _output(course, "sim-chdir-1", "q1_answer")
    assert "found []" in chdir, chdir


def test_a_dormant_cheat_wakes_up_and_still_fails(graded):
    out = _output(graded[0], "sim-dormant-1", "q1_answer")
    assert "NBGRADER_EXECUTION autograde" in out
    assert "blocked:" in out and "wrote" not in out


def test_hidden_tests_cannot_be_read_back_from_the_kernel(graded):
    course = graded[0]
    plain = _output(course, "sim-history-plain-1", "q2_answer")
    assert MARK in plain and RIGHT_Q1 in plain  # the dump ran and saw the student's own cell
    encoded = _output(course, "sim-history-base64-1", "q2_answer")
    blob = encoded.split(MARK, 1)[1].split()[0]
    decoded = base64.b64decode(blob).decode()
    assert RIGHT_Q1 in decoded
    for text in (plain, decoded):
        assert HIDDEN not in text and VISIBLE not in text
        assert "BEGIN HIDDEN TESTS" not in text


def test_no_network_and_bounded_processes_and_memory(graded):
    course, _, _, listener, _ = graded
    assert listener.accepted == 0
    assert "blocked:" in _output(course, "sim-network-1", "q1_answer")
    forked = _output(course, "sim-fork-bomb-1", "q1_answer")
    count = int(re.search(r"forked (\d+)", forked).group(1))
    assert 0 < count < 300, forked
    assert "memory bounded at" in _output(course, "sim-memory-hog-1", "q1_answer")
    assert _sandboxed_kernels() == []  # nothing of any sandbox outlives the run


def test_the_test_cells_verdicts_ignore_hooks_a_student_installed(graded):
    course = graded[0]
    for sid in ("sim-transformer-1", "sim-kernel-hooks-1"):
        path = course.root / "autograded" / sid / "fixture" / "fixture.ipynb"
        nb = nbformat.read(str(path), as_version=4)
        test = next(c for c in nb.cells
                    if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_tests")
        assert any(o.output_type == "error" for o in test.outputs), (sid, test.outputs)


WRITE_WORKER_COPY = WRONG_Q1 + r'''
import glob, sqlite3, tempfile
for path in glob.glob(tempfile.gettempdir() + "/autograde-*/*.db"):
    db = sqlite3.connect(path)
    db.execute("update grade set auto_score = 100, manual_score = 100, extra_credit = 100")
    db.execute("update comment set manual_comment = 'excellent'")
    db.commit()
    print("wrote", path)
'''


def test_scores_come_from_the_executed_notebook_not_the_workers_copy(tmp_path):
    """Even unsandboxed (SANDBOX=off), a student who rewrites the worker's private gradebook
    copy gains nothing: the parent computes the grades from the executed notebook."""
    course = _course_with(tmp_path, {"sim-worker-copy-1": (WRITE_WORKER_COPY, RIGHT_Q2)})
    proc = _autograde(course, "off")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING: not sandboxed (SANDBOX=off)" in proc.stdout
    assert "wrote" in _output(course, "sim-worker-copy-1", "q1_answer")  # the attack ran
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        sub = gb.find_submission("fixture", "sim-worker-copy-1")
        assert sub.score == 3.0
        nb = sub.notebooks[0]
        assert all(g.manual_score is None and not g.extra_credit for g in nb.grades)
        assert all(c.manual_comment is None for c in nb.comments)


def test_require_refuses_without_bubblewrap(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on PATH
    sandbox.probe.cache_clear()
    try:
        with pytest.raises(Exception, match="SANDBOX=require"):
            sandbox.resolve("require")
        assert sandbox.resolve("auto") is False
        assert "not sandboxed" in sandbox.describe("auto", False)
    finally:
        sandbox.probe.cache_clear()


def _cell(source: str, gid: str, test: bool) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": test, "solution": not test, "grade_id": gid,
                                 "locked": test, "schema_version": 3,
                                 **({"points": 1} if test else {})}
    return cell


def test_the_guard_restores_builtins_and_patched_shell_methods(tmp_path):
    """GuardedExecute alone (no sandbox, no nbgrader run): what a cell patched is undone
    before each test cell, and the test's text does not stay in the kernel."""
    from trafficking_course.grading.isolation.guard import GuardedExecute

    patch = ("import builtins, IPython\nbuiltins.all = lambda *a, **k: True\n"
             "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\n"
             "type(ip).showtraceback = lambda *a, **k: None\n")
    nb = nbformat.v4.new_notebook(cells=[
        _cell(patch, "a1", test=False),
        _cell("assert all(x > 0 for x in [-1]), 'the hidden reason'", "t1", test=True),
        _cell("import linecache\nprint(sorted(In), [''.join(v[2]) for v in "
              "linecache.cache.values() if len(v) > 2], builtins.all is not all)", "a2",
              test=False),
    ])
    ep = GuardedExecute(timeout=60)
    nb, _ = ep.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    test_outputs = nb.cells[1].outputs
    assert [o.get("ename") for o in test_outputs if o.output_type == "error"] == [
        "AssertionError"], test_outputs
    after = "".join(o.get("text", "") for o in nb.cells[2].outputs)
    assert "the hidden reason" not in after and "assert all" not in after
    assert "builtins.all = lambda" in after  # the student's own cell is still in In


def test_a_cell_that_disables_the_guard_fails_the_tests_it_would_have_swayed(tmp_path):
    from trafficking_course.grading.isolation.guard import GuardedExecute

    nb = nbformat.v4.new_notebook(cells=[
        _cell("type(get_ipython()).user_expressions = lambda self, expressions: {}", "a1",
              test=False),
        _cell("pass", "t1", test=True),
    ])
    nb, _ = GuardedExecute(timeout=60).preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert [o.get("ename") for o in nb.cells[1].outputs] == ["GradingGuardError"]


def test_passing_tests_are_forgotten_and_each_test_after_a_student_cell_is_reset(tmp_path):
    """The fast path: a passing test cell carries its own forget (and the next test's reset)
    in its request. What it leaves must still be gone, and a test after a student's cell must
    still be reset first."""
    from trafficking_course.grading.isolation.guard import GuardedExecute

    dump = ("import linecache\nprint(sorted(In), [''.join(v[2]) for v in "
            "linecache.cache.values() if len(v) > 2])")
    nb = nbformat.v4.new_notebook(cells=[
        _cell("x = 1", "a1", test=False),
        _cell("assert x == 1, 'first hidden reason'", "t1", test=True),
        _cell("assert all([x]), 'second hidden reason'", "t2", test=True),
        nbformat.v4.new_markdown_cell("between the tests and the student's cell"),
        _cell("import builtins\nbuiltins.all = lambda *a, **k: True\n" + dump, "a2",
              test=False),
        _cell("assert all([0]), 'third hidden reason'", "t3", test=True),
    ])
    ep = GuardedExecute(timeout=60)
    calls: list[str] = []
    guard = ep._guard
    ep._guard = lambda expression: calls.append(expression) or guard(expression)
    nb, _ = ep.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    assert not [o for o in nb.cells[1].outputs + nb.cells[2].outputs
                if o.output_type == "error"]
    after = "".join(o.get("text", "") for o in nb.cells[4].outputs)
    assert "x = 1" in after  # the dump ran, and saw the student's own cell
    assert "hidden reason" not in after and "assert x" not in after
    errors = [o.get("ename") for o in nb.cells[5].outputs if o.output_type == "error"]
    assert errors == ["AssertionError"]  # builtins.all was put back before t3
    # install, t1's reset, t3's reset, and t3's forget (a failed test skips user_expressions);
    # t1's forget with t2's reset, and t2's forget, went with the test cells themselves
    assert len(calls) == 4, calls


def test_late_penalties_follow_the_courses_late_submission_plugin(tmp_path):
    """The parent alone applies nbgrader's late-submission plugin (the workers no longer run
    SaveAutoGrades or AssignLatePenalties): a late student is penalised as configured, an
    on-time one is not."""
    import datetime as dt

    from nbgrader.api import Gradebook

    course = _course_with(tmp_path, {"sim-on-time-1": (RIGHT_Q1, RIGHT_Q2),
                                     "sim-late-1": (RIGHT_Q1, RIGHT_Q2)})
    with (course.root / "nbgrader_config.py").open("a") as fh:
        fh.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    with Gradebook(course.db_url) as gb:
        gb.update_or_create_assignment("fixture", duedate=dt.datetime(2026, 3, 1, 12, 0))
    for sid, when in (("sim-on-time-1", "2026-03-01 11:59:00.000000 UTC"),
                      ("sim-late-1", "2026-03-01 12:30:00.000000 UTC")):
        (course.root / "submitted" / sid / "fixture" / "timestamp.txt").write_text(when + "\n")
    proc = _autograde(course, "off")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with Gradebook(course.db_url) as gb:
        on_time = gb.find_submission("fixture", "sim-on-time-1")
        late = gb.find_submission("fixture", "sim-late-1")
        assert (on_time.score, on_time.late_submission_penalty) == (5.0, 0.0)
        assert (late.score, late.late_submission_penalty) == (5.0, 5.0)


FORMGRADER_BUTTON = r'''
import json, sys
from pathlib import Path
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from trafficking_course.grading.course import Course

cfg = Course(Path(sys.argv[1])).load_config()
api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
results = {s: api.autograde("fixture", s) for s in sys.argv[2:]}
print(json.dumps({s: [r["success"], r.get("log") or "", r.get("error") or ""]
                  for s, r in results.items()}))
'''


def test_the_formgraders_autograde_button_is_sandboxed_and_guarded(tmp_path):
    """The formgrader's Autograde button calls nbgrader's API, one student at a time, with the
    course's configuration: the attacks fail there as in `make autograde`."""
    import json

    from nbgrader.api import Gradebook

    students = {"sim-honest-1": (RIGHT_Q1, RIGHT_Q2, 5.0),
                "sim-read-source-1": (READ_SOURCE, RIGHT_Q2, 3.0),
                "sim-read-gradebook-1": (READ_GRADEBOOK, RIGHT_Q2, 3.0),
                "sim-transformer-1": (TRANSFORMER, RIGHT_Q2, 3.0)}
    course = _course_with(tmp_path, {s: (q1, q2) for s, (q1, q2, _) in students.items()})
    proc = subprocess.run([sys.executable, "-c", FORMGRADER_BUTTON, str(course.root),
                           *students], cwd=course.root, env=tool_environ(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    for sid, (ok, log, error) in results.items():
        assert ok, (sid, log, error)
        assert "not sandboxed" not in log
    with Gradebook(course.db_url) as gb:
        scores = {s: gb.find_submission("fixture", s).score for s in students}
    assert scores == {s: expected for s, (_, _, expected) in students.items()}
    assert "blocked:" in _output(course, "sim-read-source-1", "q1_answer")
    assert "blocked:" in _output(course, "sim-read-gradebook-1", "q1_answer")


# -- issue 23: the tests run outside the student's kernel -----------------------------------------
def test_issue_23_attacks_are_listed_for_a_look_and_graded_honestly(graded):
    course, students, proc, _, _ = graded
    summary = {m.group(1): m.group(2) for m in re.finditer(r"^  (\S+): (\w+):", proc.stdout,
                                                            re.M)}
    for sid in ISSUE_23:
        assert summary.get(sid) == "graded", (sid, proc.stdout)  # listed with a note
    assert "uses addaudithook" in proc.stdout and "import jupyter_client" in proc.stdout
    assert "a class that redefines __eq__" in proc.stdout
    for sid in ISSUE_23:  # no test cell carries an output the student's kernel produced
        path = course.root / "autograded" / sid / "fixture" / "fixture.ipynb"
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_tests"):
                assert all(o.output_type == "error" for o in cell.outputs), (sid, cell.outputs)


def test_a_value_that_lies_is_a_failed_test_with_a_clear_reason(graded):
    course = graded[0]
    q1 = _output(course, "sim-liar-1", "q1_tests")
    assert "`offence` is not a plain value" in q1, q1
    q2 = _output(course, "sim-liar-1", "q2_tests")
    assert "count_means() returned a value that is not plain" in q2, q2


def test_an_audit_hook_sees_no_test_and_a_later_cell_prints_nothing_of_one(graded):
    course = graded[0]
    out = _output(course, "sim-audit-record-1", "q2_answer")
    assert "AUDIT-DUMP:" in out  # the dump ran
    dumped = out.split("AUDIT-DUMP:", 1)[1].split("AUDIT-B64:", 1)[0]
    blob = re.search(r"AUDIT-B64: ?(\S*)\n", out)
    hexed = re.search(r"AUDIT-HEX: ?(\S*)\n", out)
    assert blob and hexed, out
    for text in (dumped, base64.b64decode(blob.group(1)).decode(),
                 bytes.fromhex(hexed.group(1)).decode()):
        assert HIDDEN not in text and VISIBLE not in text and "count_means({})" not in text


def test_a_student_cannot_fill_the_graders_disk(graded):
    out = _output(graded[0], "sim-disk-1", "q1_answer")
    found = re.search(r"disk bounded at (\d+) MB: No space left on device", out)
    assert found and int(found.group(1)) <= 256, out


def test_feedback_pages_that_carry_an_encoded_hidden_test_are_removed(graded):
    """The batch's feedback through the real command: a page with a hidden test in base64 or
    hex is removed and its student listed; every other page is kept and holds no hidden
    test."""
    course, students, _, _, _ = graded
    cmd = [sys.executable, "-m", "trafficking_course", "grading", "feedback", "fixture",
           "--root", str(course.root)]
    proc = subprocess.run(cmd, env=tool_environ(), capture_output=True, text=True,
                          timeout=1800)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "sim-encoded-leak-1: page removed: hidden test of fixture cell 'q1_tests'" \
        in proc.stdout, proc.stdout
    removed = re.findall(r"^  (\S+): page removed", proc.stdout, re.M)
    assert removed == ["sim-encoded-leak-1"], proc.stdout
    base = course.root / "feedback"
    assert not (base / "sim-encoded-leak-1" / "fixture" / "fixture.html").exists()
    from trafficking_course.grading.reports import leaks

    for sid in students:
        if sid == "sim-encoded-leak-1":
            continue
        page = base / sid / "fixture" / "fixture.html"
        text = leaks.html_text(page) + leaks.decoded_runs(leaks.html_text(page))
        assert HIDDEN not in text and "hidden: two means" not in text, sid


DATA_SOURCE = """victims_2020_edition = int(editions.set_index("edition").loc[2020,
                                                    "detected_victims"])"""
DATA_TESTS = """import builtins as _b

from trafficking_course import datasets as _datasets

assert _b.isinstance(victims_2020_edition, _b.int), "an int, please"
### BEGIN HIDDEN TESTS
_ed = _datasets.load("glotip_editions").set_index("edition")
assert victims_2020_edition == _ed.loc[2020, "detected_victims"]
### END HIDDEN TESTS"""
DOCTORED_DATA = """import os, shutil, tempfile
from trafficking_course import paths
copy = os.path.join(tempfile.mkdtemp(), "data")
shutil.copytree(paths.data_dir(), copy)
table = os.path.join(copy, "glotip_editions.csv")
lines = open(table).read().splitlines()
head = lines[0].split(",")
col, year = head.index("detected_victims"), head.index("edition")
for i, line in enumerate(lines[1:], start=1):
    cells = line.split(",")
    if cells[year] == "2020":
        cells[col] = "4321"
        lines[i] = ",".join(cells)
open(table, "w").write("\\n".join(lines) + "\\n")
os.environ["TRAFFICKING_COURSE_DATA"] = copy
victims_2020_edition = 4321
"""


def _data_course(tmp: Path, answers: dict[str, str]) -> Course:
    """A one-question assignment whose hidden test recomputes its answer from the course's
    data, and these students' answers."""
    cells = [_setup_cell(), _cell("### BEGIN SOLUTION\n" + DATA_SOURCE + "\n### END SOLUTION",
                                  "q1_answer", test=False),
             _cell(DATA_TESTS, "q1_tests", test=True)]
    cells[2].metadata["nbgrader"]["points"] = 2
    root = tmp / "course"
    (root / "source" / "datafix").mkdir(parents=True)
    shutil.copy2(ROOT / "exercises" / "nbgrader_config.py", root / "nbgrader_config.py")
    fixture = nbformat.read(str(FIXTURES / "grading" / "source" / "fixture" / "fixture.ipynb"),
                            as_version=4)
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=fixture.metadata),
                   str(root / "source" / "datafix" / "datafix.ipynb"))
    course = Course(root)
    release = cycle.generate(course, "datafix") / "datafix.ipynb"
    for sid, answer in answers.items():
        nb = nbformat.read(str(release), as_version=4)
        nb.cells[1].source = answer
        (tmp / "lms" / sid).mkdir(parents=True)
        nbformat.write(nb, str(tmp / "lms" / sid / "datafix.ipynb"))
    cycle.collect_folder(course, "datafix", tmp / "lms")
    return course


def _setup_cell() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("from trafficking_course import datasets\n\n"
                                     'editions = datasets.load("glotip_editions")')
    cell.metadata["nbgrader"] = {"grade": False, "solution": False, "grade_id": "setup",
                                 "locked": True, "schema_version": 3}
    return cell


def _scores(course: Course, assignment: str, students) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        return {s: gb.find_submission(assignment, s).score for s in students}


def test_the_hidden_tests_data_comes_from_the_grader_not_the_kernels_environment(tmp_path):
    answers = {"sim-honest-1": DATA_SOURCE, "sim-honest-2": "victims_2020_edition = 1",
               "sim-doctored-data-1": DOCTORED_DATA}
    course = _data_course(tmp_path, answers)
    cmd = [sys.executable, "-m", "trafficking_course", "grading", "autograde", "datafix",
           "--root", str(course.root), "--sandbox", "require", "--workers", "2",
           "--no-progress"]
    proc = subprocess.run(cmd, env=tool_environ(), capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "sim-doctored-data-1: graded: answer cell 'q1_answer' uses TRAFFICKING_COURSE_DATA" \
        in proc.stdout, proc.stdout
    assert _scores(course, "datafix", answers) == {"sim-honest-1": 2.0, "sim-honest-2": 0.0,
                                                   "sim-doctored-data-1": 0.0}


def test_with_the_tests_in_the_kernel_an_issue_23_attack_wins(tmp_path):
    """The old path (--tests-in-kernel: the test cells in the student's kernel, with the test
    guard) against a few of the attacks above: at least one of them scores more than its
    honest part earns. With the trusted runner each scores exactly that (the batch above)."""
    picked = {sid: spec for sid, spec in _students(0).items()
              if sid in ("sim-honest-1", "sim-getframe-1", "sim-liar-1", "sim-displayhook-1",
                         "sim-audit-hook-1")}
    course = _course_with(tmp_path, {sid: (q1, q2) for sid, (q1, q2, _) in picked.items()})
    tmp = course.root.parent / "tmp"
    tmp.mkdir(exist_ok=True)
    cmd = [sys.executable, "-m", "trafficking_course", "grading", "autograde", "fixture",
           "--root", str(course.root), "--sandbox", "require", "--workers", "2",
           "--no-progress", "--tests-in-kernel"]
    proc = subprocess.run(cmd, env=tool_environ({"TMPDIR": str(tmp)}), capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = _scores(course, "fixture", picked)
    assert got["sim-honest-1"] == 5.0
    won = {sid for sid, (_, _, honest) in picked.items() if got[sid] > honest}
    assert won, got

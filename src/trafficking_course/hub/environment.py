"""The hub's own copy of the course and its accounts' Python, under the state folder.

The accounts run nothing from the checkout (which may sit in a home no other user can enter,
such as /root): `make hub` copies the course's material into STATE/course and builds
STATE/python, a venv made from a system Python every account may run (HUB_PYTHON, default
/usr/bin/python3) holding the course's wheel and its pinned environment (the `course` and `hub`
extras of pyproject.toml), installed with pip from the package index. A stamp keyed to
pyproject.toml keeps the environment between runs; only a changed course package is installed
again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

from ..errors import HubError
from ..paths import repo_root
from .accounts import HubState, check_reachable

#: What the hub copies from the checkout: what the accounts get, and the JupyterLab settings.
COPIED = ("course", "notebooks", "data", "exercises", "instructor", "jupyter")
_GENERATED = shutil.ignore_patterns(
    "*.progress.json", ".ipynb_checkpoints", "__pycache__", "release", "submitted", "autograded",
    "feedback", "gradebook.db*", "reports", ".exchange", "cohort", "logs", "roster.csv")
#: Where the course's package and pins come from (hashed for the stamp).
_PACKAGE_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "src", "data")
STAMP = ".course-stamp.json"
MIN_PYTHON = (3, 11)


def say(message: str) -> None:
    print(f"hub: {message}", flush=True)


def hub_python() -> Path:
    """The system Python the accounts' venv is made from ($HUB_PYTHON or /usr/bin/python3)."""
    python = Path(os.environ.get("HUB_PYTHON") or "/usr/bin/python3")
    if not python.is_file():
        raise HubError(f"no Python at {python}: install python3 and python3-venv (Debian, "
                       "Ubuntu) or name one every account may run in HUB_PYTHON",
                       field="HUB_PYTHON")
    check_reachable(python)
    probe = subprocess.run([str(python), "-c", "import sys, venv, ensurepip; "
                            "print(*sys.version_info[:2])"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise HubError(f"{python} cannot make a venv ({probe.stderr.strip()[-300:]}): install "
                       "python3-venv, or name another Python in HUB_PYTHON", field="HUB_PYTHON")
    version = tuple(int(v) for v in probe.stdout.split())
    if version < MIN_PYTHON:
        raise HubError(f"{python} is Python {'.'.join(map(str, version))}; the course needs "
                       f"{'.'.join(map(str, MIN_PYTHON))} or later", field="HUB_PYTHON")
    return python


def _digest(paths: Iterator[Path], root: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(paths):
        sha.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def package_digest(repo: Path) -> str:
    """A hash of what goes into the course's wheel (its code, data and metadata)."""
    def files() -> Iterator[Path]:
        for name in _PACKAGE_SOURCES:
            path = repo / name
            if path.is_file():
                yield path
            elif path.is_dir():
                yield from (p for p in path.rglob("*")
                            if p.is_file() and "__pycache__" not in p.parts)
    return _digest(files(), repo)


def dependencies_digest(repo: Path, python: Path) -> str:
    """A hash of the pins (pyproject.toml) and the base Python the venv was made from."""
    sha = hashlib.sha256((repo / "pyproject.toml").read_bytes())
    sha.update(str(python.resolve()).encode())
    return sha.hexdigest()


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One builder at a time (two test workers, or make hub beside the tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pip(python: Path, *args: str) -> None:
    proc = subprocess.run([str(python), "-m", "pip", *args, "--quiet",
                           "--disable-pip-version-check"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise HubError(f"pip {' '.join(args[:2])} failed:\n{proc.stderr.strip()[-3000:]}")


def build_system(repo: Path) -> tuple[list[str], str]:
    """What builds the course's wheel (pyproject.toml): the requirements, the backend's module."""
    with (repo / "pyproject.toml").open("rb") as fh:
        system = tomllib.load(fh)["build-system"]
    return list(system["requires"]), system["build-backend"].split(".")[0]


def _read_stamp(state: HubState) -> dict[str, str]:
    try:
        return dict(json.loads((state.python_env / STAMP).read_text()))
    except (OSError, ValueError):
        return {}


def install_python(state: HubState, repo: Path) -> Path:
    """STATE/python with the course and its pinned environment; rebuilt only when they change."""
    base = hub_python()
    wanted = {"dependencies": dependencies_digest(repo, base), "package": package_digest(repo)}
    stamp = _read_stamp(state)
    if stamp == wanted and state.python.is_file():
        return state.python
    start = time.monotonic()
    fresh = stamp.get("dependencies") != wanted["dependencies"] or not state.python.is_file()
    if fresh:
        shutil.rmtree(state.python_env, ignore_errors=True)
        say(f"making the accounts' Python in {state.python_env} from {base}")
        subprocess.run([str(base), "-m", "venv", str(state.python_env)], check=True)
    requires, backend = build_system(repo)
    has_backend = subprocess.run([str(state.python), "-c", f"import {backend}"],
                                 capture_output=True).returncode == 0
    if not has_backend:  # so that a changed package builds without a fresh build environment
        _pip(state.python, "install", *requires)
    with tempfile.TemporaryDirectory(dir=state.env) as out:
        say("building the course's wheel")
        _pip(state.python, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", out,
             str(repo))
        [wheel] = Path(out).glob("*.whl")
        if fresh:
            say("installing the course and its pinned environment (the first time takes a "
                "minute or more)")
            _pip(state.python, "install", f"{wheel}[course,hub]")
        else:
            say("installing the changed course package")
            _pip(state.python, "install", "--no-deps", "--force-reinstall", str(wheel))
    (state.python_env / STAMP).write_text(json.dumps(wanted))
    say(f"the accounts' Python is ready ({time.monotonic() - start:.0f} s)")
    return state.python


def copy_course(state: HubState, repo: Path) -> Path:
    """STATE/course: the course's material as in the checkout now (homes are filled from it).

    Each version is a folder of its own (course-<hash>) and STATE/course a link to the latest,
    switched in one step: a hub running meanwhile (another test's, or one started before)
    that is filling a home from the previous version still finds all of it. Older versions
    than the previous one are removed.
    """
    for stale in state.env.glob(".course-new-*"):  # left by a setup that was stopped
        shutil.rmtree(stale, ignore_errors=True)
    fresh = Path(tempfile.mkdtemp(prefix=".course-new-", dir=state.env))
    for name in COPIED:
        if (repo / name).is_dir():
            shutil.copytree(repo / name, fresh / name, ignore=_GENERATED)
    files = (p for p in fresh.rglob("*") if p.is_file())
    version = state.env / f"course-{_digest(files, fresh)[:16]}"
    current = state.course.resolve() if state.course.is_symlink() else None
    if version.is_dir():
        shutil.rmtree(fresh)
    else:
        fresh.chmod(0o755)
        fresh.rename(version)
    if current != version:
        link = state.env / "course.link"
        link.unlink(missing_ok=True)
        link.symlink_to(version.name, target_is_directory=True)
        if state.course.is_dir() and not state.course.is_symlink():  # a copy of before links
            shutil.rmtree(state.course)
        os.replace(link, state.course)
    keep = {version, current}
    for old in state.env.glob("course-*"):
        if old.is_dir() and old not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return state.course


def prepare_environment(state: HubState, repo: Path) -> Path:
    """The course's copy and the accounts' Python under the state's environment folder."""
    old = os.umask(0o022)  # every account reads the course and runs the Python
    try:
        state.env.mkdir(parents=True, exist_ok=True)
        state.env.chmod(0o755)
        with locked(state.env):
            copy_course(state, repo)
            return install_python(state, repo)
    finally:
        os.umask(old)


def checkout() -> Path:
    """The course checkout this module runs from (make hub runs it from the checkout's venv)."""
    root = repo_root()
    if root is None:
        raise HubError("the hub is set up from a course checkout; this copy of the course "
                       f"runs from {sys.prefix}, outside one")
    return root

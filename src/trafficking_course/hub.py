"""A class on one machine: the JupyterHub's accounts, homes, exchange and the users' Python.

`make hub` (hub/jupyterhub_config.py) uses this module to set up, as root, what a real one-server
hub needs (as The Littlest JupyterHub does): one Linux user per account with a home of its own
(mode 0700, so no student reads another's files, nor the instructor's source/ and gradebook),
the password the hub checks through PAM, an nbgrader exchange every account can reach, and a
Python environment the accounts may run (the project's venv may sit under /root, which other
users cannot enter). Everything lives under one state folder, reused on the next start.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import HubError
from .paths import repo_root

INSTRUCTORS = ("instructor",)
STUDENTS = ("student1", "student2", "student3")
ACCOUNTS = INSTRUCTORS + STUDENTS


def students() -> tuple[str, ...]:
    """The class's students: $HUB_STUDENTS (comma-separated, e.g. the benchmark's) or STUDENTS."""
    listed = tuple(n.strip() for n in os.environ.get("HUB_STUDENTS", "").split(",") if n.strip())
    return listed or STUDENTS
COURSE_ID = "trafficking-course"
#: What every account finds in its home on first start (students never get the lecturers' notes).
STUDENT_CONTENT = ("course", "notebooks", "data")
#: What only the instructor gets besides: the nbgrader course root and the lecturers' notes.
INSTRUCTOR_CONTENT = ("exercises", "instructor")
_SKIP = shutil.ignore_patterns("*.progress.json", ".ipynb_checkpoints", "__pycache__",
                               "instructor", "release", "submitted", "autograded", "feedback",
                               "gradebook.db*", "reports", ".exchange", "cohort", "logs")
MARKER = ".course-copied"


@dataclass(frozen=True)
class HubState:
    """The folders of one hub under its state folder (git-ignored, reused between starts)."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())

    @property
    def private(self) -> Path:
        """The hub's own files (database, cookie secret, password): root only."""
        return self.root / "hub"

    @property
    def homes(self) -> Path:
        return self.root / "home"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def python_env(self) -> Path:
        return self.root / "python"

    @property
    def python(self) -> Path:
        return self.python_env / "bin" / "python"

    @property
    def python_base(self) -> Path:
        return self.root / "python-base"

    @property
    def password_file(self) -> Path:
        return self.private / "password"

    def home(self, name: str) -> Path:
        return self.homes / name


def _run(*cmd: str, stdin: str | None = None) -> None:
    proc = subprocess.run(cmd, input=stdin, text=True, capture_output=True)
    if proc.returncode != 0:
        raise HubError(f"`{' '.join(cmd)}` failed: {proc.stderr.strip()}")


def _require_root() -> None:
    if os.geteuid() != 0:
        raise HubError("the class hub creates Linux users: run it as root (sudo make hub)")


def password_for(state: HubState, given: str | None) -> tuple[str, bool]:
    """The accounts' password: given, else the one kept from last time, else a new one.

    Returns (password, generated) where generated says that it was made just now.
    """
    if given:
        return given, False
    if state.password_file.is_file():
        return state.password_file.read_text().strip(), False
    return secrets.token_urlsafe(12), True


def _reachable(path: Path) -> bool:
    return all(not d.is_dir() or d.stat().st_mode & 0o001 for d in [path, *path.parents])


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def base_python(state: HubState) -> Path:
    """The interpreter the environment was made from, where every account may run it.

    When it sits under a folder others cannot enter (pyenv under /root), its binary, shared
    library and standard library are linked (or copied) into STATE/python-base: the very same
    Python, so compiled packages and bytecode behave as for the lecturer.
    """
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    base = Path(sys.base_prefix)
    if _reachable(base):
        return base / "bin" / version
    target = state.python_base
    if not (target / "bin" / version).exists():
        (target / "bin").mkdir(parents=True, exist_ok=True)
        _link_or_copy(str(base / "bin" / version), str(target / "bin" / version))
        (target / "lib").mkdir(exist_ok=True)
        for lib in (base / "lib").glob("libpython*"):
            _link_or_copy(str(lib), str(target / "lib" / lib.name))
        shutil.copytree(base / "lib" / version, target / "lib" / version, symlinks=True,
                        copy_function=_link_or_copy,
                        ignore=shutil.ignore_patterns("site-packages", "test", "idlelib"))
        (target / "lib" / version / "site-packages").mkdir(exist_ok=True)
    return target / "bin" / version


def users_python(state: HubState, site_packages: Path | None = None) -> Path:
    """A venv that every account may run, seeing this environment's packages.

    The venv's site-packages holds one .pth line that adds the running environment's
    site-packages (and so its editable install of the course), so nothing is installed twice.
    """
    purelib = Path(site_packages or sysconfig.get_paths()["purelib"])
    if not state.python.exists():
        _run(str(base_python(state)), "-m", "venv", "--without-pip", str(state.python_env))
    lib = state.python_env / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    pth = lib / "site-packages" / "course-environment.pth"
    pth.write_text(f"import site; site.addsitedir({str(purelib)!r})\n")
    # Jupyter finds its extensions' config (etc/jupyter) and data (share/jupyter: JupyterLab's
    # application, lab extensions, kernel specs) under sys.prefix: the environment's own.
    for sub in ("etc", "share"):
        link, target = state.python_env / sub, Path(sys.prefix) / sub
        if link.is_symlink() and link.resolve() != target.resolve():
            link.unlink()
        if not link.exists() and target.is_dir():
            link.symlink_to(target, target_is_directory=True)
    _copy_scripts(Path(sys.prefix) / "bin", state.python_env / "bin", state.python)
    return state.python


def _copy_scripts(source: Path, target: Path, python: Path) -> None:
    """The environment's console scripts (nbgrader, alembic, jupyter ...) on the users' Python."""
    for script in sorted(source.iterdir()):
        dest = target / script.name
        if dest.exists() or script.is_dir() or not script.is_file():
            continue
        with script.open("rb") as fh:
            first = fh.readline()
        if not (first.startswith(b"#!") and b"python" in first):
            continue
        body = script.read_bytes().split(b"\n", 1)[1]
        dest.write_bytes(f"#!{python}\n".encode() + body)
        dest.chmod(0o755)


def _account_home(name: str) -> Path | None:
    try:
        return Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        return None


def ensure_account(state: HubState, name: str, password: str) -> None:
    """The Linux user `name` with its home under the state folder (mode 0700) and password."""
    home = state.home(name)
    existing = _account_home(name)
    if existing is None:
        _run("useradd", "--home-dir", str(home), "--no-create-home", "--user-group",
             "--shell", "/usr/sbin/nologin", "--comment", "trafficking-course hub", name)
    elif existing != home:
        raise HubError(f"a Linux user {name!r} already exists with home {existing}; "
                       "the hub will not take over an account it did not create", record=name)
    entry = pwd.getpwnam(name)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)
    _run("chpasswd", stdin=f"{name}:{password}\n")


def check_reachable(*paths: Path) -> None:
    """HubError unless every folder above each path lets other users through (o+x)."""
    for path in paths:
        for folder in [Path(path).resolve(), *Path(path).resolve().parents]:
            if folder.is_dir() and not folder.stat().st_mode & 0o001:
                raise HubError(f"the accounts cannot enter {folder} (mode "
                               f"{folder.stat().st_mode & 0o777:o}); the course, its Python "
                               "and the state folder must be under folders others may enter",
                               file=path)


def prepare(state: HubState, password: str | None = None,
            accounts: Iterable[str] = ACCOUNTS) -> tuple[str, bool]:
    """Set up (or reuse) the state folder, the accounts and the exchange; the password back."""
    _require_root()
    check_reachable(state.root.parent, Path(sys.prefix), Path(__file__))
    secret, generated = password_for(state, password)
    state.root.mkdir(parents=True, exist_ok=True)
    state.root.chmod(0o755)
    state.private.mkdir(exist_ok=True)
    state.private.chmod(0o700)
    state.password_file.write_text(secret + "\n")
    state.password_file.chmod(0o600)
    state.homes.mkdir(exist_ok=True)
    state.homes.chmod(0o755)
    # nbgrader's documented exchange: writable by all; sticky, so nobody removes another's files.
    # nbgrader itself makes inbound/ write-only for students and names feedback by a hash.
    state.exchange.mkdir(exist_ok=True)
    state.exchange.chmod(0o1777)
    users_python(state)
    for name in accounts:
        ensure_account(state, name, secret)
    return secret, generated


def remove_accounts(state: HubState, accounts: Iterable[str] = ACCOUNTS) -> list[str]:
    """Delete the Linux users this hub created (those whose home is under its state folder)."""
    _require_root()
    removed = []
    for name in accounts:
        if _account_home(name) == state.home(name):
            _run("userdel", name)
            removed.append(name)
    return removed


def _use_exchange(config: Path, exchange: Path) -> None:
    """Point the instructor's copy of the course config at the hub's shared exchange."""
    if config.is_file():
        with config.open("a") as fh:
            fh.write("\n# Added by the class hub (make hub): the exchange every account shares.\n"
                     f"c.Exchange.root = {str(exchange)!r}\n")


def copy_course(name: str, home: Path, source: Path | None = None,
                exchange: Path | None = None) -> bool:
    """Copy the course into a home on the account's first start; False when already there."""
    if (home / MARKER).exists():
        return False
    source = source or repo_root()
    if source is None:
        raise HubError("no course checkout to copy the course from")
    wanted = STUDENT_CONTENT + (INSTRUCTOR_CONTENT if name in INSTRUCTORS else ())
    for folder in wanted:
        src = source / folder
        if src.is_dir() and not (home / folder).exists():
            shutil.copytree(src, home / folder, ignore=_SKIP)
    if name in INSTRUCTORS and exchange is not None:
        _use_exchange(home / "exercises" / "nbgrader_config.py", exchange)
    (home / MARKER).write_text("the course was copied here on the first start\n")
    entry = pwd.getpwnam(name)
    for path in [home, *home.rglob("*")]:
        os.lchown(path, entry.pw_uid, entry.pw_gid)
    return True


def server_environment(state: HubState, name: str, repo: Path) -> dict[str, str]:
    """The environment of an account's server: its JupyterLab settings and nbgrader exchange."""
    jupyter = repo / "jupyter"
    extra: dict[str, str] = {}
    if name in INSTRUCTORS:
        config = [jupyter / "instructor"]
        extra.update(COURSE_NBGRADER_CONFIG=str(state.home(name) / "exercises/nbgrader_config.py"),
                     COURSE_GRADING_ROOT=str(state.home(name) / "exercises"))
    else:
        config = [jupyter / "hub-student", jupyter / "student"]
    if state.python_base.is_dir():  # the linked interpreter finds its shared library here
        extra["LD_LIBRARY_PATH"] = str(state.python_base / "lib")
    return {
        "JUPYTER_CONFIG_PATH": os.pathsep.join(str(p) for p in config),
        "NBGRADER_EXCHANGE": str(state.exchange),
        "NBGRADER_COURSE_ID": COURSE_ID,
        "MPLBACKEND": "Agg",
        "PATH": os.pathsep.join([str(state.python_env / "bin"), "/usr/local/bin", "/usr/bin",
                                 "/bin"]),
        **extra,
    }

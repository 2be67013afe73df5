"""The class hub's accounts, homes and exchange under its state folder.

`make hub` sets up, as root, what a real one-server hub needs (as The Littlest JupyterHub does):
one Linux user per account with a home of its own (mode 0700, so no student reads another's
files, nor the instructor's source/ and gradebook), the password the hub checks through PAM and
an nbgrader exchange every account can reach. Account names take a prefix (HUB_PREFIX), so that
two hubs, or a test hub beside a real one, run on one machine. The course and the accounts'
Python are set up by .environment; everything lives under one state folder, reused on the next
start.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import HubError

INSTRUCTORS = ("instructor",)
STUDENTS = ("student1", "student2", "student3")
COURSE_ID = "trafficking-course"
DEFAULT_STATE = Path("/srv/trafficking-course")
#: What every account finds in its home on first start (students never get the lecturers' notes).
STUDENT_CONTENT = ("course", "notebooks", "data")
#: What only the instructor gets besides: the nbgrader course root and the lecturers' notes.
INSTRUCTOR_CONTENT = ("exercises", "instructor")
MARKER = ".course-copied"
#: A Linux user name begins with a letter; with the prefix it stays within 32 characters.
_PREFIX = re.compile(r"[a-z][a-z0-9-]{0,15}")


@dataclass(frozen=True)
class Roster:
    """The hub's account names: the prefix (HUB_PREFIX) before each of the class's names."""

    prefix: str = ""
    student_names: tuple[str, ...] = STUDENTS

    def __post_init__(self) -> None:
        if self.prefix and not _PREFIX.fullmatch(self.prefix):
            raise HubError(f"HUB_PREFIX {self.prefix!r} is not usable in Linux user names: a "
                           "lower-case letter, then at most 15 of a-z, 0-9 and -",
                           field="HUB_PREFIX")

    @classmethod
    def from_environment(cls) -> Roster:
        """HUB_PREFIX and HUB_STUDENTS (comma-separated names, e.g. the benchmark's)."""
        listed = tuple(n.strip() for n in os.environ.get("HUB_STUDENTS", "").split(",")
                       if n.strip())
        return cls(os.environ.get("HUB_PREFIX", ""), listed or STUDENTS)

    @property
    def instructors(self) -> tuple[str, ...]:
        return tuple(self.prefix + n for n in INSTRUCTORS)

    @property
    def students(self) -> tuple[str, ...]:
        return tuple(self.prefix + n for n in self.student_names)

    @property
    def accounts(self) -> tuple[str, ...]:
        return self.instructors + self.students

    def is_instructor(self, name: str) -> bool:
        return name in self.instructors


@dataclass(frozen=True)
class HubState:
    """The folders of one hub under its state folder (reused between starts).

    env_root holds the course's copy and the accounts' Python: the state folder itself unless
    several hubs share one environment (the tests' hubs do).
    """

    root: Path
    env_root: Path | str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root).resolve())
        env = Path(self.env_root).resolve() if self.env_root else self.root
        object.__setattr__(self, "env_root", env)

    @property
    def env(self) -> Path:
        return Path(self.env_root or self.root)

    @property
    def private(self) -> Path:
        """The hub's own files (database, cookie secret, password, log): root only."""
        return self.root / "hub"

    @property
    def homes(self) -> Path:
        return self.root / "home"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def course(self) -> Path:
        """The hub's copy of the course, which each account's home is filled from."""
        return self.env / "course"

    @property
    def python_env(self) -> Path:
        return self.env / "python"

    @property
    def python(self) -> Path:
        return self.python_env / "bin" / "python"

    @property
    def password_file(self) -> Path:
        return self.private / "password"

    @property
    def prefix_file(self) -> Path:
        return self.private / "prefix"

    def home(self, name: str) -> Path:
        return self.homes / name


#: The LTI 1.3 roles claim and the LIS roles that make an LMS user one of the hub's instructors
#: (the course's instructors, its teaching assistants, and its administrators).
LTI_ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
_LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
INSTRUCTOR_ROLES = {f"{_LIS}membership#Instructor", f"{_LIS}membership#Administrator"}
LEARNER_ROLES = {f"{_LIS}membership#Learner"}


def _has_role(roles: list[str], principal: set[str]) -> bool:
    """One of the principal roles, or a sub-role of one (membership/Instructor#...)."""
    subs = tuple(r.replace("membership#", "membership/") + "#" for r in principal)
    return any(r in principal or r.startswith(subs) for r in roles)


def groups_for_lti_roles(roles: Iterable[str]) -> list[str]:
    """The hub's groups for an LMS user's roles in the course: instructors, students or none.

    An instructor's role wins over a learner's (a lecturer enrolled as both); a role of the
    institution only (not of this course) gives no group.
    """
    roles = list(roles)
    if _has_role(roles, INSTRUCTOR_ROLES):
        return ["instructors"]
    if _has_role(roles, LEARNER_ROLES):
        return ["students"]
    return []


def run(*cmd: str, stdin: str | None = None) -> None:
    proc = subprocess.run(cmd, input=stdin, text=True, capture_output=True)
    if proc.returncode != 0:
        raise HubError(f"`{' '.join(cmd)}` failed: {proc.stderr.strip()}")


def require_root() -> None:
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


def _account_home(name: str) -> Path | None:
    try:
        return Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        return None


def taken_message(name: str, existing: Path, roster: Roster) -> str:
    """Why the hub stops at an account it did not create, and the command that clears it."""
    other = existing.parent.parent  # <state>/home/<name> for an account a hub created
    prefix = roster.prefix
    retry = f"start this hub with another prefix, e.g. make hub HUB_PREFIX={prefix or 'class'}2-"
    if existing.parent.name == "home" and (other / "hub").is_dir():
        return (f"a Linux user {name!r} already exists, created by the hub whose state is "
                f"{other}; the hub will not take over an account it did not create. Remove "
                f"that hub's accounts with `make hub-remove HUB_STATE={other}`, or {retry}")
    return (f"a Linux user {name!r} already exists with home {existing}; the hub will not take "
            f"over an account it did not create: {retry}")


def ensure_account(state: HubState, name: str, password: str, roster: Roster) -> None:
    """The Linux user `name` with its home under the state folder (mode 0700) and password."""
    home = state.home(name)
    existing = _account_home(name)
    if existing is None:
        run("useradd", "--home-dir", str(home), "--no-create-home", "--user-group",
            "--shell", "/usr/sbin/nologin", "--comment", "trafficking-course hub", name)
    elif existing != home:
        raise HubError(taken_message(name, existing, roster), record=name)
    entry = pwd.getpwnam(name)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)
    run("chpasswd", stdin=f"{name}:{password}\n")


def check_reachable(*paths: Path) -> None:
    """HubError unless every folder above each path lets other users through (o+x)."""
    for path in paths:
        for folder in [Path(path).resolve(), *Path(path).resolve().parents]:
            if folder.is_dir() and not folder.stat().st_mode & 0o001:
                raise HubError(f"the accounts cannot enter {folder} (mode "
                               f"{folder.stat().st_mode & 0o777:o}); the hub's state folder "
                               "must be under folders others may enter (HUB_STATE, default "
                               f"{DEFAULT_STATE})", file=path)


def _check_prefix(state: HubState, roster: Roster) -> None:
    """One state folder, one prefix: HubError if it was set up with another."""
    if state.prefix_file.is_file():
        before = state.prefix_file.read_text().strip()
        if before != roster.prefix:
            raise HubError(f"{state.root} holds a hub whose accounts have the prefix "
                           f"{before!r}: start it with HUB_PREFIX={before}, or give this hub "
                           "another HUB_STATE", file=state.root, field="HUB_PREFIX")
    state.prefix_file.write_text(roster.prefix + "\n")


def prepare_folders(state: HubState) -> None:
    """The state folder, the hub's private folder, the homes' folder and the exchange."""
    check_reachable(state.root.parent)
    state.root.mkdir(parents=True, exist_ok=True)
    state.root.chmod(0o755)
    state.private.mkdir(exist_ok=True)
    state.private.chmod(0o700)
    state.homes.mkdir(exist_ok=True)
    state.homes.chmod(0o755)
    # nbgrader's documented exchange: writable by all; sticky, so nobody removes another's files.
    # nbgrader itself makes inbound/ write-only for students and names feedback by a hash.
    state.exchange.mkdir(exist_ok=True)
    state.exchange.chmod(0o1777)


def prepare_accounts(state: HubState, roster: Roster, password: str | None = None,
                     accounts: Iterable[str] | None = None) -> tuple[str, bool]:
    """The accounts (of roster, or those named) with their homes and password; it back."""
    require_root()
    _check_prefix(state, roster)
    secret, generated = password_for(state, password)
    state.password_file.write_text(secret + "\n")
    state.password_file.chmod(0o600)
    for name in roster.accounts if accounts is None else accounts:
        ensure_account(state, name, secret, roster)
    return secret, generated


def hub_accounts(state: HubState) -> list[str]:
    """The Linux users this hub created: those whose home is in its homes' folder."""
    return sorted(e.pw_name for e in pwd.getpwall() if Path(e.pw_dir).parent == state.homes)


def remove_accounts(state: HubState) -> list[str]:
    """Delete the Linux users this hub created (whatever their prefix); their names back."""
    require_root()
    removed = hub_accounts(state)
    for name in removed:
        run("userdel", name)
    return removed


def _use_exchange(config: Path, exchange: Path) -> None:
    """Point the instructor's copy of the course config at the hub's shared exchange."""
    if config.is_file():
        with config.open("a") as fh:
            fh.write("\n# Added by the class hub (make hub): the exchange every account shares.\n"
                     f"c.Exchange.root = {str(exchange)!r}\n")


#: The folders of notebooks kept up to date in every home at each start (the rest is copied once).
SYNCED = ("course", "notebooks")


def copy_course(name: str, home: Path, source: Path, roster: Roster,
                exchange: Path | None = None) -> bool:
    """Fill a home with the course on the account's first start, and at every start bring the
    course's corrections into its notebooks, keeping what the student changed (nbdime's
    three-way merge, as `make lab` does: trafficking_course.studentcopy). True on the first
    start."""
    from .. import studentcopy  # the hub's own Python has the course and nbdime installed

    first = not (home / MARKER).exists()
    instructor = roster.is_instructor(name)
    if first:
        wanted = STUDENT_CONTENT + (INSTRUCTOR_CONTENT if instructor else ())
        for folder in wanted:
            src = source / folder
            if folder not in SYNCED and src.is_dir() and not (home / folder).exists():
                # lecturers' notes inside the course folders stay out of every home
                shutil.copytree(src, home / folder, ignore=shutil.ignore_patterns("instructor"))
        if instructor and exchange is not None:
            _use_exchange(home / "exercises" / "nbgrader_config.py", exchange)
    studentcopy.sync(source, home, folders=SYNCED)
    if first:
        (home / MARKER).write_text("the course was copied here on the first start; its "
                                   "notebooks are brought up to date at every start\n")
    entry = pwd.getpwnam(name)
    for path in [home, *home.rglob("*")]:  # what was copied or merged in now belongs to root
        if path.lstat().st_uid != entry.pw_uid:
            os.lchown(path, entry.pw_uid, entry.pw_gid)
    return first


def server_environment(state: HubState, name: str, roster: Roster) -> dict[str, str]:
    """The environment of an account's server: its JupyterLab settings and nbgrader exchange."""
    jupyter = state.course / "jupyter"
    extra: dict[str, str] = {}
    if roster.is_instructor(name):
        config = [jupyter / "instructor"]
        extra.update(COURSE_NBGRADER_CONFIG=str(state.home(name) / "exercises/nbgrader_config.py"),
                     COURSE_GRADING_ROOT=str(state.home(name) / "exercises"))
    else:
        config = [jupyter / "hub-student", jupyter / "student"]
    return {
        "JUPYTER_CONFIG_PATH": os.pathsep.join(str(p) for p in config),
        "NBGRADER_EXCHANGE": str(state.exchange),
        "NBGRADER_COURSE_ID": COURSE_ID,
        "MPLBACKEND": "Agg",
        "PATH": os.pathsep.join([str(state.python_env / "bin"), "/usr/local/bin", "/usr/bin",
                                 "/bin"]),
        **extra,
    }

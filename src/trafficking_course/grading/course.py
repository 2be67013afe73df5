"""An nbgrader course root (exercises/ in this repository) and how to run nbgrader on it.

`Course` knows the root's folders and configuration; `Course.nbgrader(...)` runs a real
`nbgrader` command there, with the venv's bin folder on PATH (nbgrader calls `alembic` by name).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from trafficking_course.errors import GradingError
from trafficking_course.paths import repo_root

#: The folders nbgrader uses under a course root.
STEPS = ("source", "release", "submitted", "autograded", "feedback")


def tool_environ(extra: dict[str, str] | None = None) -> dict[str, str]:
    """os.environ with the running interpreter's bin folder first on PATH."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    parts = env.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        env["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p]])
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    if extra:
        env.update(extra)
    return env


def ensure_tools_on_path() -> None:
    """Put the interpreter's bin folder on this process's PATH (for nbgrader's `alembic`)."""
    os.environ["PATH"] = tool_environ()["PATH"]


@dataclass(frozen=True)
class Course:
    """An nbgrader course root: nbgrader_config.py, source/<assignment>/, and what is generated."""

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root).resolve())

    @classmethod
    def default(cls) -> Course:
        """exercises/ of this checkout (or $COURSE_GRADING_ROOT)."""
        override = os.environ.get("COURSE_GRADING_ROOT")
        if override:
            return cls(Path(override))
        root = repo_root()
        if root is None:
            raise GradingError("not in a course checkout; pass --root", file=Path.cwd())
        return cls(root / "exercises")

    # -- folders -------------------------------------------------------------------------
    @property
    def config_file(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.gradebook}"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def step_dir(self, step: str) -> Path:
        if step not in STEPS:
            raise GradingError(f"unknown nbgrader folder {step!r}", field="step")
        return self.root / step

    def assignments(self) -> list[str]:
        """Names of the assignments in source/, sorted."""
        src = self.step_dir("source")
        if not src.is_dir():
            return []
        return sorted(p.name for p in src.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

    def check_assignment(self, assignment: str) -> Path:
        """source/<assignment>/, or GradingError naming what exists."""
        path = self.step_dir("source") / assignment
        if not assignment or not path.is_dir():
            known = ", ".join(self.assignments()) or "none"
            raise GradingError(
                f"no assignment {assignment!r} in source/ (known: {known})",
                file=self.root / "source", field="assignment",
            )
        return path

    def source_notebooks(self, assignment: str) -> list[Path]:
        return sorted(self.check_assignment(assignment).glob("*.ipynb"))

    def notebook_ids(self, assignment: str) -> list[str]:
        return [p.stem for p in self.source_notebooks(assignment)]

    def only_notebook_id(self, assignment: str, who: str) -> str:
        """The assignment's one notebook; GradingError when `who` meets several."""
        ids = self.notebook_ids(assignment)
        if len(ids) != 1:
            raise GradingError(f"{who} supports one notebook per assignment",
                               file=self.check_assignment(assignment), field="notebooks")
        return ids[0]

    def read_source(self, assignment: str) -> dict[str, nbformat.NotebookNode]:
        return {p.stem: nbformat.read(str(p), as_version=4)
                for p in self.source_notebooks(assignment)}

    def students_with_submissions(self, assignment: str) -> list[str]:
        sub = self.step_dir("submitted")
        if not sub.is_dir():
            return []
        return sorted(p.name for p in sub.iterdir() if (p / assignment).is_dir())

    # -- configuration and commands -------------------------------------------------------
    def load_config(self, **overrides):
        """The traitlets Config of nbgrader_config.py with `Section__trait=value` overrides."""
        from traitlets.config import Config, PyFileConfigLoader

        if not self.config_file.is_file():
            raise GradingError("missing nbgrader configuration", file=self.config_file)
        cfg = PyFileConfigLoader(self.config_file.name, path=str(self.root)).load_config()
        cfg.CourseDirectory.root = str(self.root)
        extra = Config()
        for key, value in overrides.items():
            section, trait = key.split("__", 1)
            extra[section][trait] = value
        cfg.merge(extra)
        return cfg

    def nbgrader(self, *args: str, check: bool = True, capture: bool = True,
                 env: dict[str, str] | None = None, timeout: float | None = None):
        """Run `nbgrader ARGS` in the course root; GradingError with its log if it fails."""
        exe = Path(sys.executable).parent / "nbgrader"
        cmd = [str(exe) if exe.exists() else "nbgrader", *args]
        proc = subprocess.run(
            cmd, cwd=self.root, env=tool_environ(env), text=True, timeout=timeout,
            stdout=subprocess.PIPE if capture else None,
            stderr=subprocess.STDOUT if capture else None,
        )
        if check and proc.returncode != 0:
            tail = "\n".join((proc.stdout or "").strip().splitlines()[-15:])
            raise GradingError(f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n"
                               f"{tail}", file=self.root)
        return proc

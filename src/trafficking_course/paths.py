"""Where the course's files are, whether the package runs from the repository or a wheel."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def repo_root() -> Path | None:
    """The repository root when the package runs from a source checkout, else None."""
    candidate = _PACKAGE.parents[1]
    if (candidate / "pyproject.toml").is_file() and (candidate / "src").is_dir():
        return candidate
    return None


def data_dir() -> Path:
    """The data folder: $TRAFFICKING_COURSE_DATA, the checkout's data/, or the wheel's copy."""
    override = os.environ.get("TRAFFICKING_COURSE_DATA")
    if override:
        return Path(override)
    root = repo_root()
    if root is not None:
        return root / "data"
    return _PACKAGE / "_data"

"""A learner's answers, saved to a JSON file beside the notebook and restored on the next visit.

Writes are atomic: the new content goes to a temporary file in the same folder, which then
replaces the old file in one rename, so a crash never leaves half a file. A file that cannot be
read as progress is moved aside (never deleted) with a warning, and the learner starts afresh.
Only the standard library is used, so the same code runs on JupyterLite's in-browser file
system.

    store = ProgressStore.for_notebook("01-definitions")
    store.set("classifier:round-1", {"answers": {...}, "score": 3})
    store.get("classifier:round-1")
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from trafficking_course.errors import ProgressError

FORMAT = "trafficking-course-progress"
VERSION = 1
SUFFIX = ".progress.json"


class ProgressWarning(UserWarning):
    """A progress file was unreadable and has been moved aside."""


class ProgressStore:
    """Key -> JSON value, persisted in one file. Keys name activities, e.g. "quiz:01"."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self._data: dict[str, Any] = self._load()

    @classmethod
    def for_notebook(cls, name: str, folder: str | os.PathLike[str] | None = None
                     ) -> ProgressStore:
        """The store for a notebook: `<folder>/<name>.progress.json` (folder: the current one,
        which is the notebook's own folder in Jupyter)."""
        return cls(Path(folder or Path.cwd()) / f"{name}{SUFFIX}")

    # -- reading -------------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(doc, dict) or doc.get("format") != FORMAT \
                    or not isinstance(doc.get("answers"), dict):
                raise ValueError("not a course progress file")
            return doc["answers"]
        except (ValueError, UnicodeDecodeError) as exc:
            aside = self._move_aside()
            warnings.warn(
                f"{self.path}: could not read saved progress ({exc}); it was moved to "
                f"{aside.name} and this notebook starts afresh.",
                ProgressWarning, stacklevel=3,
            )
            return {}

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        os.replace(self.path, aside)
        return aside

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def keys(self) -> list[str]:
        return list(self._data)

    # -- writing -------------------------------------------------------------------------------
    def set(self, key: str, value: Any) -> None:
        """Store a JSON value under key and save the file atomically."""
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise ProgressError(f"value is not JSON-serialisable: {exc}", file=self.path,
                                record=key) from None
        self._data[key] = value
        self.save()

    def delete(self, key: str) -> None:
        """Forget one answer (also one saved as None) and save the file."""
        if key in self._data:
            del self._data[key]
            self.save()

    def clear(self) -> None:
        self._data = {}
        self.save()

    def save(self) -> None:
        doc = {"format": FORMAT, "version": VERSION, "answers": self._data}
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(doc, fh, indent=1, sort_keys=True)
                fh.flush()
                with contextlib.suppress(OSError):  # not every file system syncs (Pyodide)
                    os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

"""A student's own copy of the course, kept apart from the course's tracked files.

`make lab` (and each student's server on the hub) opens JupyterLab on a copy of the course's
notebooks, never on the files git tracks: what a student runs, types or saves stays in the copy,
and `git pull` of a corrected course never conflicts with it. Each time the copy is brought up
to date, every notebook the course changed is merged into the student's version with nbdime's
three-way notebook merge, against the course version the copy last received (kept in a hidden
folder beside it): the course's corrections arrive, the student's cells, edits and outputs stay.
Where the student and the course changed the same cell, the student's version is kept and the
report says so. Widget answers live in `*.progress.json` files beside the notebooks, which the
merge never touches.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from trafficking_course.errors import CourseError

#: The course's folders a student works in (the analysis notebooks read data through the package).
FOLDERS = ("course", "notebooks")
#: Where the copy keeps the course version each notebook last received (hidden in JupyterLab).
BASE = ".course-base"
#: A line in the copy's folder that says what it is (and that it is the student's own).
README = "README-my-course.md"
README_TEXT = """# Your copy of the course

This folder is yours: JupyterLab saves your work here, never into the course's own files.
When the course is corrected, `make lab` (or your class server) brings the corrections into
your copy and keeps your answers, edits and notes. Your activity answers are in the
`*.progress.json` files beside each notebook. The hidden `.course-base` folder is the course
version your copy last received: leave it as it is, so that updates can be merged.
"""


class StudentCopyError(CourseError):
    """The student's copy could not be made or brought up to date."""


@dataclass
class SyncReport:
    """What one update did, notebook by notebook (paths relative to the copy)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    kept_yours: dict[str, int] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"new: {p}" for p in self.created]
        out += [f"updated: {p}" for p in self.updated]
        out += [f"course corrections merged into your copy: {p}" for p in self.merged]
        out += [f"{p}: {n} cell(s) you changed were also corrected by the course; your version "
                f"is kept (the course's is in the course folder of the repository)"
                for p, n in self.kept_yours.items()]
        return out


def _read(path: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several kinds for a broken file
        raise StudentCopyError(f"not a readable notebook: {exc}", file=path) from None


def _same(a: nbformat.NotebookNode, b: nbformat.NotebookNode) -> bool:
    return bool(nbformat.writes(a) == nbformat.writes(b))


def with_kernel_info(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with the language_info this environment's kernel reports on connecting.

    JupyterLab writes the kernel's language_info into a notebook when it connects; a notebook
    that lacks it is marked modified as soon as it is opened, and asks to be saved on closing.
    The copy is made by the same environment that runs the kernel, so it can say it first.
    """
    try:
        from ipykernel.ipkernel import IPythonKernel
    except ImportError:  # no kernel in this environment: leave the notebook as it is
        return nb
    nb.metadata["language_info"] = nbformat.from_dict(dict(IPythonKernel.language_info))
    return nb


def course_notebooks(source: Path, folders: Iterable[str] = FOLDERS) -> list[Path]:
    """The course's notebooks below source, relative to it, checkpoints left out."""
    found: list[Path] = []
    for name in folders:
        top = source / name
        if top.is_dir():
            found += [p.relative_to(source) for p in top.rglob("*.ipynb")
                      if ".ipynb_checkpoints" not in p.parts]
    return sorted(found)


def merge_notebook(base: nbformat.NotebookNode, yours: nbformat.NotebookNode,
                   course: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """nbdime's three-way merge; a cell both sides changed keeps the student's whole source.

    Returns the merged notebook and how many cells kept the student's version over the
    course's (never a line-by-line mix of the two, which could leave code that does not run).
    """
    from nbdime.merging.decisions import apply_decisions
    from nbdime.merging.notebooks import decide_notebook_merge

    args = argparse.Namespace(merge_strategy="use-local", input_strategy=None,
                              output_strategy=None, ignore_transients=True, log_level="WARNING")
    merged = apply_decisions(base, decide_notebook_merge(base, yours, course, args))
    old = {c.get("id"): c.source for c in base.cells}
    mine = {c.get("id"): c.source for c in yours.cells}
    theirs = {c.get("id"): c.source for c in course.cells}
    kept = 0
    for cell in merged.cells:
        key = cell.get("id")
        if key in old and key in mine and key in theirs and \
                mine[key] != old[key] and theirs[key] != old[key] and mine[key] != theirs[key]:
            cell.source = mine[key]
            kept += 1
    nbformat.validate(merged)
    return merged, kept


def _update_one(rel: Path, source: Path, target: Path, report: SyncReport) -> None:
    course = with_kernel_info(_read(source / rel))
    mine_path, base_path = target / rel, target / BASE / rel
    name = rel.as_posix()
    if not mine_path.exists():
        report.created.append(name)
        new = course
    else:
        yours = _read(mine_path)
        base = _read(base_path) if base_path.exists() else yours
        if _same(base, course):
            report.unchanged.append(name)
            return
        if _same(base, yours):
            report.updated.append(name)
            new = course
        else:
            new, kept = merge_notebook(base, yours, course)
            report.merged.append(name)
            if kept:
                report.kept_yours[name] = kept
    for path, nb in ((mine_path, new), (base_path, course)):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".ipynb.tmp")
        nbformat.write(nb, tmp)
        tmp.replace(path)


def sync(source: Path, target: Path, *, folders: Iterable[str] = FOLDERS,
         progress: Callable[[str], None] | None = None) -> SyncReport:
    """Make or bring up to date the student's copy `target` of the course at `source`.

    A notebook the student never changed is replaced by the course's; one they changed gets the
    course's corrections merged in; one they deleted comes back; their own files are untouched.
    """
    source, target = Path(source).resolve(), Path(target).resolve()
    if target == source or source in target.parents and target.name in FOLDERS:
        raise StudentCopyError("the copy must not be the course itself", file=target)
    notebooks = course_notebooks(source, folders)
    if not notebooks:
        raise StudentCopyError(f"no course notebooks in {', '.join(folders)}", file=source)
    target.mkdir(parents=True, exist_ok=True)
    readme = target / README
    if not readme.exists():
        readme.write_text(README_TEXT, encoding="utf-8")
    report = SyncReport()
    for rel in notebooks:
        _update_one(rel, source, target, report)
        if progress:
            progress(rel.as_posix())
    return report

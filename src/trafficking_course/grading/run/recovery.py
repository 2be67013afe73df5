"""Recover what real editors do to a submitted notebook, before nbgrader grades it.

nbgrader finds a student's answers and tests by the `nbgrader` metadata of each cell. Real
editors damage that bookkeeping, and plain nbgrader then scores the student 0:

* Google Colab (and some other editors) save a notebook without any nbgrader metadata, or a
  student pastes answers into new cells and deletes the original answer cells;
* JupyterLab keeps a cell's metadata when it is copied and pasted, so two cells share a grade
  id (nbgrader's DeduplicateIds then fails with `KeyError: 'grade_id'`);
* with `OverwriteCells.add_missing_cells`, a deleted cell whose predecessor is a task cell
  raises `KeyError: '<task id>'`.

`recover_file` repairs one submitted notebook in place against the student version in
release/ (the notebook every student started from): each release cell is matched to a
submitted cell by its grade id, then its cell id, then its exact text (locked cells), then its
position between matched neighbours and the likeness of its text (answer cells); the matched
cell gets the release cell's nbgrader metadata back. A release cell that matches nothing was
deleted and is put back (empty for an answer, as released for anything else; nbgrader then
restores the hidden tests of a test cell from the gradebook). A second cell with the same
grade id keeps its text and runs as an ordinary cell: the first one is graded. Every repair is
returned as a note that names the cell.

The notebook as submitted is kept in logs/recovered/ so that a re-run repairs the same file
the same way (and gives the same notes); a new submission replaces it.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from trafficking_course.grading.course import Course
from trafficking_course.grading.markers import course_markers, markers_from_config


def _nbg(cell: NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _gid(cell: NotebookNode) -> str | None:
    return _nbg(cell).get("grade_id")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def kind_of(ref: NotebookNode) -> str:
    """How a release cell is named in the notes: test cell, answer cell, written answer ..."""
    m = _nbg(ref)
    if m.get("task"):
        return "task cell"
    if m.get("grade") and m.get("solution"):
        return "written answer"
    if m.get("grade"):
        return "test cell"
    if m.get("solution"):
        return "answer cell"
    return "read-only cell"


@dataclass
class Repair:
    """What was done to one notebook."""

    deduplicated: list[str] = field(default_factory=list)   # notes on copies
    recovered: dict[str, str] = field(default_factory=dict)  # grade id -> how it was matched
    restored: list[str] = field(default_factory=list)       # notes on deleted cells

    def notes(self) -> list[str]:
        out = list(self.deduplicated)
        if self.recovered:
            how = ", ".join(f"{gid} ({way})" for gid, way in self.recovered.items())
            out.append(f"nbgrader metadata missing from {len(self.recovered)} cell(s) (as saved "
                       f"by Google Colab or a copy and paste); recovered by matching them to "
                       f"the student version: {how}")
        return out + self.restored

    @property
    def changed(self) -> bool:
        return bool(self.deduplicated or self.recovered or self.restored)


# -- 1. copies of a graded cell -------------------------------------------------------------
def deduplicate(nb: NotebookNode, repair: Repair) -> None:
    """Keep the first cell of each grade id; a later copy becomes an ordinary cell."""
    seen: set[str] = set()
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {})
        if "nbgrader" in meta and not _gid(cell):
            del meta["nbgrader"]  # metadata without a grade id: nbgrader cannot use it
            continue
        gid = _gid(cell)
        if gid is None:
            continue
        if gid in seen:
            del meta["nbgrader"]
            repair.deduplicated.append(
                f"copied cell {gid!r} (cell {i + 1}): the first one is graded, the copy runs "
                f"as an ordinary cell")
        seen.add(gid)


# -- 2. matching release cells to submitted cells -------------------------------------------
def _refs(release: NotebookNode) -> list[NotebookNode]:
    return [c for c in release.cells if _gid(c)]


def _model_texts(source: NotebookNode | None, solution_marks: tuple[str, str]
                 ) -> dict[str, str]:
    """Each graded cell of the lecturer's notebook as a student's version is expected to look:
    the model answer without the solution markers (those of the course's configuration)."""
    if source is None:
        return {}
    return {str(_gid(c)): "\n".join(ln for ln in c.source.splitlines()
                                     if not any(m in ln for m in solution_marks))
            for c in source.cells if _gid(c)}


def _model_text(ref: NotebookNode, model_texts: dict[str, str]) -> str:
    """What a student's version of this cell is expected to look like."""
    return model_texts.get(_gid(ref) or "", ref.source)


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _norm(a), _norm(b), autojunk=False).ratio()


def _match_exact(refs: list[NotebookNode], nb: NotebookNode,
                 match: dict[int, int], repair: Repair) -> None:
    """By grade id (intact cells), then cell id, then identical text of a locked cell."""
    by_gid = {_gid(c): j for j, c in enumerate(nb.cells) if _gid(c)}
    for i, ref in enumerate(refs):
        if _gid(ref) in by_gid:
            match[i] = by_gid[_gid(ref)]
    free = [j for j, c in enumerate(nb.cells) if not _gid(c)]
    for i, ref in enumerate(refs):
        if i in match:
            continue
        taken = set(match.values())
        same_id = [j for j in free if j not in taken and nb.cells[j].get("id") == ref.get("id")
                   and nb.cells[j].cell_type == ref.cell_type]
        locked = _nbg(ref).get("locked") and not _nbg(ref).get("solution")
        same_text = [j for j in free if j not in taken and locked
                     and nb.cells[j].cell_type == ref.cell_type
                     and _norm(nb.cells[j].source) == _norm(ref.source)]
        if same_id:
            match[i] = same_id[0]
            repair.recovered[str(_gid(ref))] = "cell id"
        elif same_text:
            match[i] = same_text[0]
            repair.recovered[str(_gid(ref))] = "text"


def _gap(i: int, refs: list, match: dict[int, int], n_cells: int) -> tuple[int, int]:
    """Submitted positions strictly between the matched neighbours of release cell i."""
    before = max((match[k] for k in match if k < i), default=-1)
    after = min((match[k] for k in match if k > i), default=n_cells)
    return before, after


def _match_by_position(refs: list[NotebookNode], nb: NotebookNode,
                       source_by_id: dict[str, str], match: dict[int, int],
                       repair: Repair, release_cells: list[NotebookNode]) -> None:
    """Unmatched release cells: the likeliest free cell of the same type between neighbours."""
    released = {_norm(c.source) for c in release_cells}
    for i, ref in enumerate(refs):
        if i in match:
            continue
        before, after = _gap(i, refs, match, len(nb.cells))
        taken = set(match.values())
        want = _model_text(ref, source_by_id)
        solution = bool(_nbg(ref).get("solution"))
        best, best_score = None, 0.0
        for j in range(before + 1, after):
            cell = nb.cells[j]
            if j in taken or _gid(cell) or cell.cell_type != ref.cell_type:
                continue
            if _norm(cell.source) in released and _norm(cell.source) != _norm(ref.source):
                continue  # another cell of the student version, left as it was
            score = max(_likeness(cell.source, want), _likeness(cell.source, ref.source))
            if score > best_score:
                best, best_score = j, score
        # an answer may be anything the student wrote; a read-only cell must still look like it
        if best is not None and (solution or best_score >= 0.6):
            match[i] = best
            repair.recovered[str(_gid(ref))] = "position"


# -- 3. writing the repair into the notebook ------------------------------------------------
def _give_metadata(nb: NotebookNode, refs: list[NotebookNode], match: dict[int, int]) -> None:
    for i, j in match.items():
        cell, ref = nb.cells[j], refs[i]
        if _gid(cell):
            continue
        cell.setdefault("metadata", NotebookNode())["nbgrader"] = copy.deepcopy(
            ref.metadata["nbgrader"])


def _put_back(nb: NotebookNode, refs: list[NotebookNode], match: dict[int, int],
              repair: Repair) -> None:
    """Insert every unmatched release cell after the submitted cell of its predecessor."""
    for i, ref in enumerate(refs):
        if i in match:
            continue
        before = max((match[k] for k in match if k < i), default=-1)
        cell = copy.deepcopy(ref)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        nb.cells.insert(before + 1, cell)
        for k in match:
            if match[k] > before:
                match[k] += 1
        match[i] = before + 1
        kind = kind_of(ref)
        what = "put back empty" if _nbg(ref).get("solution") else "put back as released"
        if kind == "test cell":
            what += "; nbgrader restores its hidden tests"
        repair.restored.append(f"deleted {kind} {_gid(ref)!r} ({what})")


def _unique_ids(nb: NotebookNode, refs: list[NotebookNode]) -> None:
    """Cell ids: a graded cell gets its release id back; every other id is unique."""
    nb.nbformat_minor = max(int(nb.get("nbformat_minor", 0)), 5)
    ref_ids = {_gid(r): r.get("id") for r in refs}
    wanted = {j: ref_ids.get(_gid(c)) for j, c in enumerate(nb.cells)
              if ref_ids.get(_gid(c))}
    used = set(wanted.values())
    for j, cell in enumerate(nb.cells):
        if j in wanted:
            cell["id"] = wanted[j]
            continue
        cid = cell.get("id")
        if not cid or cid in used:
            cid = f"cell-{j}"
            while cid in used:
                cid += "x"
        cell["id"] = cid
        used.add(cid)


def repair(nb: NotebookNode, release: NotebookNode, source: NotebookNode | None = None,
           solution_marks: tuple[str, str] | None = None) -> Repair:
    """Repair `nb` in place against the student version `release` (see the module docstring).

    `source`, the lecturer's notebook, helps to recognise an answer by its likeness to the
    model answer (with `solution_marks` taken out: by default nbgrader's own); without it the
    release text is used."""
    result = Repair()
    deduplicate(nb, result)
    refs = _refs(release)
    marks = solution_marks or markers_from_config().solution
    source_by_id = _model_texts(source, marks)
    match: dict[int, int] = {}
    _match_exact(refs, nb, match, result)
    _match_by_position(refs, nb, source_by_id, match, result, release.cells)
    _give_metadata(nb, refs, match)
    _put_back(nb, refs, match, result)
    if result.changed:
        _unique_ids(nb, refs)
    return result


# -- 4. one submitted file, repeatably ------------------------------------------------------
def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _course_parts(path: Path) -> tuple[Path, str, str] | None:
    """(course root, student, assignment) of root/submitted/<student>/<assignment>/x.ipynb."""
    parts = path.resolve().parents
    if len(parts) < 4 or parts[2].name != "submitted":
        return None
    return parts[3], parts[1].name, parts[0].name


def _read_optional(path: Path) -> NotebookNode | None:
    if not path.is_file():
        return None
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception:
        return None


def recover_file(path: Path, notes: list[str] | None = None) -> list[str]:
    """Repair one submitted notebook in place (see the module docstring); the new notes,
    also appended to `notes` when given.

    Does nothing (and returns no note) when the notebook is intact or when the course has
    no student version to compare it with."""
    where = _course_parts(Path(path))
    if where is None:
        return []
    root, student, assignment = where
    release = _read_optional(root / "release" / assignment / path.name)
    if release is None:
        return []
    store = root / "logs" / "recovered" / assignment / student / f"{path.stem}.json"
    data = path.read_bytes()
    kept = json.loads(store.read_text()) if store.is_file() else {}
    if kept.get("repaired_sha256") == _digest(data):
        data = kept["original"].encode()  # the same submission: repair it the same way
    nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    source = _read_optional(root / "source" / assignment / path.name)
    course = Course(root)
    marks = course_markers(course).solution if course.config_file.is_file() else None
    result = repair(nb, release, source, marks)
    if not result.changed:
        return []
    text = nbformat.writes(nb)
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps({"original": data.decode("utf-8"),
                                 "repaired_sha256": _digest(text.encode())}))
    if path.exists():
        path.chmod(0o644)
    path.write_text(text, encoding="utf-8")
    found = result.notes()
    if notes is not None:
        notes.extend(found)
    return found


# -- 5. why nbgrader could not grade a notebook ---------------------------------------------
_EXC = re.compile(r"^\s*([A-Za-z_][\w.]*(?:Error|Exception|Interrupt)):?\s?(.*)$")
_CELL = re.compile(r"\bcell\b(?: with id)? '?([A-Za-z][\w-]*)'?", re.I)


def explain_log(log: str) -> str:
    """The real error in an nbgrader log, with the cell it names, or "" if none is found.

    nbgrader ends every failure with "NbGraderException: Please see the above traceback";
    the error that matters is the last other exception line before it."""
    lines = [ln for ln in log.splitlines() if ln.strip()]
    for k in range(len(lines) - 1, -1, -1):
        m = _EXC.match(lines[k])
        if not m or m.group(1).endswith("NbGraderException"):
            continue
        error = f"{m.group(1).rsplit('.', 1)[-1]}: {m.group(2)}".strip().rstrip(":")
        near = [ln for ln in lines[max(0, k - 40):k + 1] if "has changed!" not in ln]
        cells = [c.group(1) for ln in near for c in _CELL.finditer(ln)]
        where = f" (cell {cells[-1]!r})" if cells else ""
        return f"nbgrader failed{where}: {error}"[:300]
    return ""

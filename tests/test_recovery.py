"""Recovery of real editors' damage before grading (grading/recovery.py), without kernels.

Each test damages the student version of a course assignment the way a real editor does and
checks that the repaired notebook has exactly the student version's graded cells, in order,
with the student's own text kept, and that the notes name what was done. The kernel-level
proof (exact scores through nbgrader) is in test_grading_cycle.py.
"""

from __future__ import annotations

import copy
import shutil

import nbformat
import pytest

from trafficking_course.grading.reports import cohort
from trafficking_course.grading.run import recovery

from .conftest import ROOT

ASSIGNMENTS = ("definitions", "data", "case", "case_alternative")


def _release_of(source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version, made by nbgrader's own preprocessors (no kernel, no gradebook)."""
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearMarkScheme,
        ClearSolutions,
        ComputeChecksums,
        LockCells,
    )

    nb = copy.deepcopy(source)
    for pp in (LockCells(), ClearSolutions(), ClearHiddenTests(), ClearMarkScheme(),
               ComputeChecksums()):
        nb, _ = pp.preprocess(nb, {})
    return nb


def _answered(release, source):
    """The release with every answer cell holding the model answer (a correct student)."""
    nb = copy.deepcopy(release)
    model = {c.id: c for c in source.cells}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "\n".join(ln for ln in model[cell.id].source.splitlines()
                                    if "### " not in ln)
    return nb


def _graded_layout(nb):
    return [(c.metadata["nbgrader"]["grade_id"], c.cell_type) for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id")]


@pytest.fixture(params=ASSIGNMENTS)
def pair(request):
    name = request.param
    source = nbformat.read(str(ROOT / "exercises/source" / name / f"{name}.ipynb"), 4)
    release = _release_of(source)
    return name, source, release


def _colab(nb):
    """What Google Colab saves: no nbgrader metadata, no cell ids (the simulated cohort's)."""
    return cohort._colab(copy.deepcopy(nb), None)


def test_colab_stripped_notebook_gets_every_graded_cell_back(pair):
    _, source, release = pair
    student = _answered(release, source)
    damaged = nbformat.from_dict(nbformat.reads(nbformat.writes(_colab(student)), 4))
    fix = recovery.repair(damaged, release, source)
    assert _graded_layout(damaged) == _graded_layout(release)
    # the student's answers stay where they were, now with their metadata again
    for got, want in zip(damaged.cells, student.cells, strict=True):
        assert got.source == want.source
        assert got.metadata.get("nbgrader") == want.metadata.get("nbgrader")
    assert not fix.restored and not fix.deduplicated
    note = " ".join(fix.notes())
    assert "recovered by matching them to the student version" in note
    assert "(position)" in note and "(text)" in note
    nbformat.validate(damaged)


def test_only_answer_cells_stripped(pair):
    _, source, release = pair
    student = _answered(release, source)
    for cell in student.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            del cell.metadata["nbgrader"]
    fix = recovery.repair(student, release, source)
    assert _graded_layout(student) == _graded_layout(release)
    answers = [c.metadata["nbgrader"]["grade_id"] for c in release.cells
               if c.metadata.get("nbgrader", {}).get("solution")]
    assert set(fix.recovered) == set(answers)
    assert set(fix.recovered.values()) == {"cell id"}  # JupyterLab kept the cell ids


def test_deleted_written_answer_after_a_task_cell_is_put_back(pair):
    _, source, release = pair
    student = _answered(release, source)
    written = [i for i, c in enumerate(student.cells)
               if c.metadata.get("nbgrader", {}).get("grade")
               and c.metadata["nbgrader"].get("solution")]
    gid = student.cells[written[0]].metadata["nbgrader"]["grade_id"]
    task = student.cells[written[0] - 1].metadata["nbgrader"]
    assert task.get("task"), "the written answer follows its task cell"
    del student.cells[written[0]]
    fix = recovery.repair(student, release, source)
    assert _graded_layout(student) == _graded_layout(release)
    assert fix.notes() == [f"deleted written answer {gid!r} (put back empty)"]
    assert student.cells[written[0]].source == "YOUR ANSWER HERE"


def test_a_copied_cell_keeps_the_first_and_reports_the_copy(pair):
    _, source, release = pair
    student = _answered(release, source)
    i = next(i for i, c in enumerate(student.cells)
             if c.metadata.get("nbgrader", {}).get("solution"))
    copy_ = copy.deepcopy(student.cells[i])
    copy_["id"] = "pasted-copy"
    copy_.source = "# trying something else\n" + copy_.source
    student.cells.insert(i + 1, copy_)
    gid = copy_.metadata["nbgrader"]["grade_id"]
    fix = recovery.repair(student, release, source)
    assert fix.notes() == [f"copied cell {gid!r} (cell {i + 2}): the first one is graded, the "
                           "copy runs as an ordinary cell"]
    assert "nbgrader" not in student.cells[i + 1].metadata
    assert student.cells[i + 1].source.startswith("# trying something else")
    assert _graded_layout(student) == _graded_layout(release)


def test_an_intact_notebook_is_left_alone(pair):
    _, source, release = pair
    student = _answered(release, source)
    before = nbformat.writes(student)
    fix = recovery.repair(student, release, source)
    assert not fix.changed and nbformat.writes(student) == before


def test_recover_file_is_repeatable_and_a_new_submission_replaces_the_kept_one(tmp_path):
    name = "case"
    source = nbformat.read(str(ROOT / "exercises/source" / name / f"{name}.ipynb"), 4)
    release = _release_of(source)
    root = tmp_path / "course"
    for step in ("release", "source"):
        (root / step / name).mkdir(parents=True)
    nbformat.write(release, str(root / "release" / name / f"{name}.ipynb"))
    shutil.copy(ROOT / "exercises/source" / name / f"{name}.ipynb", root / "source" / name)
    folder = root / "submitted" / "s1" / name
    folder.mkdir(parents=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(_colab(_answered(release, source)), str(path))
    first = recovery.recover_file(path)
    repaired = path.read_bytes()
    assert first and "recovered by matching" in first[0]
    assert recovery.recover_file(path) == first          # a re-run: same notes, same file
    assert path.read_bytes() == repaired
    nbformat.write(_answered(release, source), str(path))  # resubmitted intact
    assert recovery.recover_file(path) == []
    outside = tmp_path / "elsewhere" / f"{name}.ipynb"    # not in a course: untouched
    outside.parent.mkdir()
    nbformat.write(_colab(release), str(outside))
    assert recovery.recover_file(outside) == []


def test_explain_log_names_the_cell_and_the_real_error():
    log = """[AutogradeApp | WARNING] Missing grade cell q6_answer encountered, adding to notebook
[AutogradeApp | ERROR] There was an error processing assignment: /x/submitted/s/case
[AutogradeApp | ERROR] Traceback (most recent call last):
  File "/nbgrader/preprocessors/overwritecells.py", line 131, in add_missing_grade_cells
    prev_cell_idx = submitted_cell_idxs[prev_cell_id] + added_count
                    ~~~~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^
KeyError: 'q6_task'
[AutogradeApp | ERROR] Please see the the above traceback for details on the specific errors
nbgrader.converters.base.NbGraderException: Please see the the above traceback for details
"""
    assert recovery.explain_log(log) == \
        "nbgrader failed (cell 'q6_answer'): KeyError: 'q6_task'"
    assert recovery.explain_log("all fine") == ""
    routine = "[WARNING] Attribute 'checksum' for cell q2_tests has changed! (should be: a)\n"
    assert recovery.explain_log(routine + "nbformat.reader.NotJSONError: Notebook does not "
                                "appear to be JSON: 'cells'") == \
        "nbgrader failed: NotJSONError: Notebook does not appear to be JSON: 'cells'"


def test_task_cells_are_called_task_cells_in_the_notes(tmp_path):
    from trafficking_course.grading.run.autograde import Layout, preflight

    source = nbformat.read(str(ROOT / "exercises/source/case/case.ipynb"), 4)
    student = _answered(_release_of(source), source)
    task = next(c for c in student.cells if c.metadata.get("nbgrader", {}).get("task"))
    student.cells.remove(task)
    nbformat.write(student, str(tmp_path / "case.ipynb"))   # not in a course: no recovery
    layout = Layout(grade={"case": []}, solution={"case": []},
                    task={"case": [task.metadata.nbgrader["grade_id"]]}, max_score=0.0)
    _, notes = preflight(tmp_path, layout)
    gid = task.metadata.nbgrader["grade_id"]
    assert notes == [f"deleted task cell {gid!r} (restored from the gradebook)"]

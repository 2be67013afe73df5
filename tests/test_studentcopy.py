"""A student's own copy of the course: made once, then brought up to date without losing work."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from trafficking_course import studentcopy
from trafficking_course.paths import repo_root

ROOT = repo_root()
MODULE = "course/01-definitions.ipynb"


@pytest.fixture
def course(tmp_path):
    """A course checkout with one real module and one analysis notebook."""
    src = tmp_path / "course-repo"
    for rel in (MODULE, "notebooks/01-how-much.ipynb"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, src / rel)
    return src


def _cells(nb):
    return {c.id: c for c in nb.cells}


def _first(nb, kind):
    return next(c for c in nb.cells if c.cell_type == kind and c.source.strip())


def test_first_copy_is_the_course_and_the_course_stays_untouched(course, tmp_path):
    before = (course / MODULE).read_bytes()
    report = studentcopy.sync(course, tmp_path / "mine")
    assert sorted(report.created) == [MODULE, "notebooks/01-how-much.ipynb"]
    mine = nbformat.read(tmp_path / "mine" / MODULE, as_version=4)
    assert mine.cells == nbformat.read(course / MODULE, as_version=4).cells
    # the kernel's own language_info, so that JupyterLab does not mark it modified on opening
    from ipykernel.ipkernel import IPythonKernel
    assert mine.metadata.language_info == IPythonKernel.language_info
    assert (tmp_path / "mine" / studentcopy.README).is_file()
    # a second run changes nothing
    again = studentcopy.sync(course, tmp_path / "mine")
    assert again.lines() == [] and len(again.unchanged) == 2
    assert (course / MODULE).read_bytes() == before


def test_a_course_correction_reaches_a_student_who_answered_and_their_work_survives(
        course, tmp_path):
    mine_dir = tmp_path / "mine"
    studentcopy.sync(course, mine_dir)
    # the student runs a cell, edits a code cell, adds notes, and answers an activity
    mine = nbformat.read(mine_dir / MODULE, as_version=4)
    code = _first(mine, "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="my run\n")]
    code.execution_count = 1
    code.source += "\n# my own comment"
    mine.cells.insert(2, nbformat.v4.new_markdown_cell("My notes: consent is irrelevant when..."))
    nbformat.write(mine, mine_dir / MODULE)
    progress = mine_dir / "course" / "01-definitions.progress.json"
    progress.write_text(json.dumps({"quiz:01": {"q1": "b"}}))
    # the lecturer corrects a paragraph and adds a section to the course
    fixed = nbformat.read(course / MODULE, as_version=4)
    para = _first(fixed, "markdown")
    para.source = "A corrected paragraph.\n\n" + para.source
    fixed.cells.append(nbformat.v4.new_markdown_cell("## A new section"))
    nbformat.write(fixed, course / MODULE)

    report = studentcopy.sync(course, mine_dir)

    assert report.merged == [MODULE] and report.kept_yours == {}
    merged = nbformat.read(mine_dir / MODULE, as_version=4)
    by_id = _cells(merged)
    assert by_id[para.id].source.startswith("A corrected paragraph.")       # the correction
    assert merged.cells[-1].source == "## A new section"
    assert by_id[code.id].source.endswith("# my own comment")                # the student's edit
    assert by_id[code.id].outputs[0]["text"] == "my run\n"                  # their output
    assert any(c.source.startswith("My notes:") for c in merged.cells)     # their own cell
    assert json.loads(progress.read_text()) == {"quiz:01": {"q1": "b"}}    # their answers
    # the next update starts from the corrected course: nothing more to merge
    assert studentcopy.sync(course, mine_dir).lines() == []


def test_when_both_changed_one_cell_the_students_version_is_kept_and_said(course, tmp_path):
    mine_dir = tmp_path / "mine"
    studentcopy.sync(course, mine_dir)
    mine = nbformat.read(mine_dir / MODULE, as_version=4)
    cell = _first(mine, "code")
    cell.source = "# the student's answer"
    nbformat.write(mine, mine_dir / MODULE)
    fixed = nbformat.read(course / MODULE, as_version=4)
    _cells(fixed)[cell.id].source += "\n# corrected by the lecturer"
    nbformat.write(fixed, course / MODULE)
    report = studentcopy.sync(course, mine_dir)
    assert report.kept_yours == {MODULE: 1}
    assert "your version is kept" in report.lines()[-1]
    merged = nbformat.read(mine_dir / MODULE, as_version=4)
    assert _cells(merged)[cell.id].source == "# the student's answer"


def test_an_untouched_notebook_is_replaced_and_a_deleted_one_comes_back(course, tmp_path):
    mine_dir = tmp_path / "mine"
    studentcopy.sync(course, mine_dir)
    (mine_dir / "notebooks" / "01-how-much.ipynb").unlink()
    fixed = nbformat.read(course / MODULE, as_version=4)
    fixed.cells[0].source += "\n\nCorrected."
    nbformat.write(fixed, course / MODULE)
    report = studentcopy.sync(course, mine_dir)
    assert report.updated == [MODULE] and report.created == ["notebooks/01-how-much.ipynb"]
    assert nbformat.read(mine_dir / MODULE, as_version=4).cells[0].source.endswith("Corrected.")


def test_a_broken_notebook_in_the_copy_is_named_and_nothing_is_overwritten(course, tmp_path):
    mine_dir = tmp_path / "mine"
    studentcopy.sync(course, mine_dir)
    broken = mine_dir / MODULE
    broken.write_text("{not json")
    fixed = nbformat.read(course / MODULE, as_version=4)
    fixed.cells[0].source += "\n\nCorrected."
    nbformat.write(fixed, course / MODULE)
    with pytest.raises(studentcopy.StudentCopyError, match="01-definitions.ipynb.*not a readable"):
        studentcopy.sync(course, mine_dir)
    assert broken.read_text() == "{not json"


def test_the_copy_cannot_be_the_course_itself(course):
    with pytest.raises(studentcopy.StudentCopyError, match="must not be the course itself"):
        studentcopy.sync(course, course / "course")


def test_command_line(course, tmp_path):
    run = [sys.executable, "-m", "trafficking_course", "student-copy", str(tmp_path / "m"),
           "--source", str(course)]
    first = subprocess.run(run, capture_output=True, text=True, check=True)
    assert f"new: {MODULE}" in first.stdout
    again = subprocess.run(run + ["--quiet"], capture_output=True, text=True, check=True)
    assert again.stdout == ""
    bad = subprocess.run(run[:4] + [str(course / "course"), "--source", str(course)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "must not be the course itself" in bad.stderr

"""Every notebook of the course runs top to bottom (papermill), and a failure names the cell.

New notebooks under course/, notebooks/ or exercises/source/ are picked up automatically.
"""

from __future__ import annotations

import pytest

from trafficking_course.dev.notebooks import NotebookFailure, find_notebooks, run_notebook

from .conftest import FIXTURES, ROOT

NOTEBOOKS = find_notebooks(ROOT)


def test_the_course_has_notebooks():
    assert any(p.parent.name == "course" for p in NOTEBOOKS), NOTEBOOKS


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_runs(path, tmp_path):
    try:
        run_notebook(path, output=tmp_path / path.name, cell_timeout=300, notebook_timeout=900)
    except NotebookFailure as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.mark.notebook
def test_harness_names_notebook_and_cell_of_a_failure(tmp_path):
    broken = FIXTURES / "broken.ipynb"
    with pytest.raises(NotebookFailure) as info:
        run_notebook(broken, output=tmp_path / "out.ipynb")
    exc = info.value
    assert exc.cell_index == 2
    assert exc.ename == "ZeroDivisionError"
    assert "broken.ipynb" in str(exc) and "cell 2" in str(exc)


@pytest.mark.notebook
def test_harness_enforces_the_notebook_timeout(tmp_path):
    with pytest.raises(NotebookFailure) as info:
        run_notebook(FIXTURES / "sleeps.ipynb", output=tmp_path / "out.ipynb",
                     notebook_timeout=12)
    assert "did not finish within 12 s" in str(info.value)
    assert "sleeps.ipynb" in str(info.value)

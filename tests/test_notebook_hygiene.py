"""Committed notebooks carry no outputs or execution counts and use the python3 kernel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from trafficking_course.dev.coursecheck import accidental_lists, notebook_markdown
from trafficking_course.dev.notebooks import clean_notebook, find_notebooks, notebook_problems

from .conftest import FIXTURES, ROOT

ALL = find_notebooks(ROOT) + sorted(FIXTURES.glob("*.ipynb"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_notebook_is_clean(path):
    assert notebook_problems(path) == [], f"{path}: run `make clean-notebooks`"


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_line_break_turns_a_number_into_a_list_item(path):
    """JupyterLab renders "CETS No.\\n197) ..." as a numbered list item "197."."""
    assert accidental_lists(notebook_markdown(path)) == [], \
        f"{path}: rewrap these lines so that no line starts with a number and '.' or ')'"


@pytest.mark.parametrize("path", [p for p in ALL if p.relative_to(ROOT).parts[0] in
                                  ("course", "notebooks")], ids=lambda p: str(p.relative_to(ROOT)))
def test_no_explanation_is_printed(path):
    """An explanation is shown as the cell's value (formatted, wrapping between words), never
    print()ed: JupyterLab breaks print() output's long lines in the middle of a word."""
    nb = nbformat.read(str(path), as_version=4)
    printed = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
               and re.search(r"print\([^\n]*(explain\(\)|explain_change\([^)]*\))\)", c.source)]
    assert not printed, f"{path}: cells {printed} print an explanation; show it instead"


def test_accidental_lists_are_found_and_real_lists_are_not():
    text = ("Council of Europe Convention (CETS No.\n197) and the Protocol.\n\n"
            "1. a real list\n2) another item\n\n- an item\n  1. nested\n  2. nested\n\n"
            "- Council of Europe (2005), *Convention* (CETS No.\n  197) a reading\n\n"
            "Steps:\n1. first\n\n```\nx = (1,\n2) \n```\n")
    assert accidental_lists(text) == [
        "'of Europe Convention (CETS No.' / '197) and the Protocol.'",
        "'(2005), *Convention* (CETS No.' / '197) a reading'"]


def test_clean_notebook_strips_outputs_and_counts(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1")
    cell.execution_count = 4
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"},
                                           execution_count=4)]
    cell.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "a"}
    nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python311", "display_name": "x", "language": "python"}
    path = tmp_path / "dirty.ipynb"
    nbformat.write(nb, str(path))
    assert notebook_problems(path)
    assert clean_notebook(path) is True
    assert notebook_problems(path) == []
    cleaned = nbformat.read(str(path), as_version=4)
    assert cleaned.cells[0].metadata["nbgrader"]["grade_id"] == "a"
    assert clean_notebook(path) is False  # idempotent


def test_clean_notebooks_command(tmp_path):
    path = tmp_path / "x.ipynb"
    shutil.copy(FIXTURES / "broken.ipynb", path)
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[1].execution_count = 1
    nbformat.write(nb, str(path))
    out = subprocess.run(
        [sys.executable, "-m", "trafficking_course", "clean-notebooks", str(path)],
        capture_output=True, text=True, check=True,
    )
    assert "1 of 1 notebooks changed" in out.stdout
    assert notebook_problems(path) == []

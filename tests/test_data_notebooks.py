"""The analysis notebooks run unchanged on a user's own CTDC file (papermill parameters), and
their figures then name that file, not the synthetic sample, as their source."""

from __future__ import annotations

import pytest

from trafficking_course.dev.notebooks import NotebookFailure, run_notebook

from .conftest import FIXTURES, ROOT


def outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.notebook
@pytest.mark.parametrize("notebook,fixture,expected", [
    ("02-who-and-what.ipynb", "ctdc_k_anonymised.csv", "Source: ctdc_k_anonymised.csv, "),
    ("03-norway.ipynb", "ctdc_sectorof.csv", "Source: ctdc_sectorof.csv, "),
    # the k-anonymised fixture has no case in Norway (ISO2 'NO'): the notebook says so
    ("03-norway.ipynb", "ctdc_k_anonymised.csv", "0 of 5 records have NO as country"),
])
def test_an_analysis_notebook_runs_on_a_downloaded_ctdc_file(tmp_path, notebook, fixture,
                                                             expected):
    path = FIXTURES / "data" / fixture
    try:
        nb = run_notebook(ROOT / "notebooks" / notebook, output=tmp_path / notebook,
                          parameters={"ctdc_path": str(path)}, notebook_timeout=300)
    except NotebookFailure as exc:
        pytest.fail(str(exc), pytrace=False)
    text = outputs_text(nb)
    assert expected in text
    assert "SYNTHETIC teaching data" not in text


def test_every_analysis_notebook_has_a_tagged_parameters_cell_and_a_content_note():
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        assert "data_dir = None" in tagged[0].source
        first = nb.cells[0].source
        assert "Content note" in first, path.name
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for heading in ("## Questions", "## Objectives", "## Key points", "## Sources"):
            assert heading in text, (path.name, heading)

"""Modules 8 and 9 say, in their reference lists, which works the course knows only from an
abstract or a summary (the project's rule for works not read in full), and module 9's attrition
table says what each of its columns counts."""

from __future__ import annotations

import nbformat
import pytest

from .conftest import ROOT

#: Works the course cites for findings it read only in an abstract or a summary.
KNOWN_FROM_SUMMARY = {
    "08-policy": ["Plambech, S. (2014)", "Skilbrei, M.-L. and Holmström, C. (2011)",
                  "Jahnsen, S. and Skilbrei, M.-L. (2018)", "Brunovskis, A. and Skilbrei, M.-L.",
                  "GAATW (2007)", "Amnesty International (2016)", "Rasmussen, I."],
    "09-case-nigeria-norway": ["Baarda, C. S. (2016)", "Dunkerley, A. W. (2017)",
                               "Plambech, S. (2014)", "Bjelland, H. F. (2016)",
                               "Christie, N. (1986)", "Brunovskis, A. and Skilbrei, M.-L."],
}


def _section(stem: str, heading: str) -> str:
    nb = nbformat.read(str(ROOT / "course" / f"{stem}.ipynb"), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith(heading):
            return cell.source
    raise AssertionError(f"{stem}: no cell starting with {heading!r}")


def _entries(text: str) -> list[str]:
    """The reference list's entries, each joined onto one line."""
    entries: list[str] = []
    for line in text.splitlines():
        if line.startswith("- "):
            entries.append(line[2:])
        elif line.startswith("  ") and entries:
            entries[-1] += " " + line.strip()
    return entries


@pytest.mark.parametrize("stem", KNOWN_FROM_SUMMARY)
def test_works_read_only_in_summary_are_marked_in_the_references(stem):
    entries = _entries(_section(stem, "## References"))
    unmarked = []
    for work in KNOWN_FROM_SUMMARY[stem]:
        found = [e for e in entries if e.startswith(work)]
        assert found, f"{stem}: {work} is not in the references"
        if not any("known from" in e.lower() for e in found):
            unmarked.append(work)
    assert not unmarked, f"{stem}: not marked as known from a summary: {unmarked}"


def test_the_attrition_table_says_what_each_column_counts():
    text = _section("09-case-nigeria-norway", "## How can their stories lead to prosecution?")
    header = next(line for line in text.splitlines() if line.startswith("| KOM report year"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    assert len(columns) == 4
    assert "counted by KOM" in columns[1]
    assert "reported to the police" in columns[2]
    assert "judgments" in columns[3]

"""The course's structure: every lecture slide is taught somewhere, every module is complete
and reachable from the start page."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from .conftest import ROOT

COURSE = ROOT / "course"
MODULES = sorted(COURSE.glob("[0-9][0-9]-*.ipynb"))
TEACHING = [p for p in MODULES if not p.name.startswith("00-")]

#: The lecture in shared/seed/, slide by slide (slide 4 has no title of its own).
SLIDES = {
    1: "Where does the definition come from?",
    2: "What is human trafficking?",
    3: "A more complex definition",
    4: None,
    5: "Forced to start and forced to stay on",
    6: "Who defines?",
    7: "Definition of people smuggling",
    8: "Definitions of globalisation",
    9: "What do we mean by gender?",
    10: "What does trafficking have to do with globalisation and gender?",
    11: "Globalisation, gender and the organisation of trafficking",
    12: "Globalisation, gender and trafficking policies",
    13: "What is the difference between human trafficking and people smuggling?",
    14: "Example of complexities",
    15: "Are they victims, and of what?",
    16: "How can they be assisted?",
    17: "How can their stories lead to prosecution?",
}

REQUIRED_HEADINGS = ["## Questions and objectives", "## Content note", "## Self-check",
                     "## Discussion questions", "## Key points", "## References"]


def headings(path: Path) -> list[str]:
    nb = nbformat.read(str(path), as_version=4)
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found += [line.strip() for line in cell.source.splitlines()
                      if re.match(r"^#{1,6} ", line.strip())]
    return found


def traceability():
    return yaml.safe_load((COURSE / "TRACEABILITY.yaml").read_text())["slides"]


def test_every_slide_is_mapped_once_with_its_title():
    entries = traceability()
    numbers = [e["slide"] for e in entries]
    assert sorted(numbers) == sorted(SLIDES), "each of the 17 slides exactly once"
    for e in entries:
        assert e.get("title") == SLIDES[e["slide"]], f"slide {e['slide']}: title differs"
        if SLIDES[e["slide"]] is None:
            assert e.get("continues"), f"slide {e['slide']} needs a 'continues' description"


@pytest.mark.parametrize("entry", traceability(), ids=lambda e: f"slide-{e['slide']}")
def test_mapped_heading_exists_in_its_notebook(entry):
    path = COURSE / entry["notebook"]
    assert path.is_file(), f"slide {entry['slide']}: {entry['notebook']} does not exist"
    found = headings(path)
    for heading in [entry["heading"], *entry.get("also", [])]:
        assert heading in found, \
            f"slide {entry['slide']}: heading {heading!r} not in {entry['notebook']}"


def test_every_teaching_module_covers_a_slide():
    mapped = {e["notebook"] for e in traceability()}
    assert {p.name for p in TEACHING} <= mapped


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_module_has_every_required_part(path):
    found = headings(path)
    assert found[0].startswith("# Module "), f"{path.name}: first heading {found[0]!r}"
    positions = []
    for h in REQUIRED_HEADINGS:
        assert h in found, f"{path.name}: missing {h!r}"
        positions.append(found.index(h))
    assert positions == sorted(positions), f"{path.name}: required sections out of order"
    assert (ROOT / "data" / "quizzes" / f"{path.stem}.yaml").is_file(), "self-check data"
    assert (COURSE.parent / "instructor" / f"{path.stem}.md").is_file(), "instructor notes"


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_student_notebook_carries_no_instructor_material(path):
    text = path.read_text().lower()
    assert "model answer" not in text and "instructor note" not in text


def test_start_page_links_every_module_and_every_link_resolves():
    nb = nbformat.read(str(COURSE / "00-start-here.ipynb"), as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    links = re.findall(r"\]\(([^)#\s]+\.ipynb)\)", text)
    for p in TEACHING:
        assert p.name in links, f"start page does not link {p.name}"
    for link in links:
        assert (COURSE / link).resolve().is_file(), f"broken link {link}"


def test_readme_lists_every_module():
    readme = (ROOT / "README.md").read_text()
    for p in TEACHING:
        assert f"course/{p.name}" in readme, f"README does not list {p.name}"

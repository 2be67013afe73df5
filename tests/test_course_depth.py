"""Depth and citations of the course (issue 14): every module is a chapter with enough prose,
ends with core and further reading, and no student-facing file cites the authors' internal
material ("the domain brief") instead of the source itself."""

from __future__ import annotations

import pytest

from trafficking_course.dev.coursecheck import (
    E4J_LINK,
    internal_references,
    module_prose_words,
    notebook_markdown,
    reading_list,
    reading_problems,
    student_facing_files,
)

from .conftest import ROOT

MODULES = sorted((ROOT / "course").glob("0[1-9]-*.ipynb"))
#: Modules that must be full chapters of at least 3,000 words (issue 14); the rest 2,500.
LONG_CHAPTERS = {"03-who-defines", "05-globalisation"}


def test_there_are_nine_teaching_modules():
    assert [p.name[:2] for p in MODULES] == [f"0{n}" for n in range(1, 10)]


@pytest.mark.parametrize("path", student_facing_files(ROOT),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_student_facing_file_cites_internal_material(path):
    hits = internal_references(path.read_text(encoding="utf-8"))
    assert hits == [], f"{path.relative_to(ROOT)} cites internal material: {sorted(set(hits))}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_module_has_enough_prose(path):
    minimum = 3000 if path.stem in LONG_CHAPTERS else 2500
    words = module_prose_words(path)
    assert words >= minimum, f"{path.name}: {words} words of prose, needs {minimum}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_module_ends_with_core_and_further_reading(path):
    markdown = notebook_markdown(path)
    core = reading_list(markdown, "Core reading")
    further = reading_list(markdown, "Further reading")
    assert core is not None, f"{path.name}: no 'Core reading' section"
    assert further is not None, f"{path.name}: no 'Further reading' section"
    assert 2 <= len(core) <= 4, f"{path.name}: {len(core)} core readings, needs 2 to 4"
    assert 3 <= len(further) <= 8, f"{path.name}: {len(further)} further readings, needs 3 to 8"
    assert E4J_LINK.search("\n".join(core + further)), \
        f"{path.name}: no link to the matching UNODC Education for Justice module"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_every_reading_gives_its_year_and_a_reason(path):
    """Each Core and Further reading: author(s), the year in parentheses, title and details,
    then a line starting "*Why:*" that says why to read it."""
    problems = reading_problems(notebook_markdown(path))
    assert problems == [], f"{path.name}: " + "; ".join(problems)

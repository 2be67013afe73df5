"""Modules 5-7 are chapters a student can learn from: enough prose, readings with full details,
the matching UNODC Education for Justice link, the contested question with both positions, and
no citation of an internal file. The counting is dev/coursecheck.py's (unit-tested in
tests/test_coursecheck.py), the same as tests/test_course_depth.py uses."""

from __future__ import annotations

import re

import pytest

from trafficking_course.dev.coursecheck import (
    E4J_LINK,
    module_prose_words,
    notebook_markdown,
    reading_list,
    reading_problems,
)
from trafficking_course.law.treaties import PARAGRAPHS

from .conftest import ROOT

#: module stem -> the least number of prose words (issue 14).
PROSE_MINIMUM = {"05-globalisation": 3000, "06-gender": 2500, "07-organisation": 2500}


def _path(stem: str):
    return ROOT / "course" / f"{stem}.ipynb"


def _markdown(stem: str) -> str:
    return notebook_markdown(_path(stem))


def section(markdown: str, heading: str) -> str:
    """The text under `heading` up to the next heading of the same or a higher level."""
    level = len(heading.split(" ", 1)[0])
    part = markdown.split(heading + "\n", 1)[1]
    return re.split(rf"^#{{1,{level}}} ", part, maxsplit=1, flags=re.M)[0]


@pytest.mark.parametrize("stem", PROSE_MINIMUM)
def test_module_has_enough_prose(stem):
    words = module_prose_words(_path(stem))
    assert words >= PROSE_MINIMUM[stem], f"{stem}: {words} words of prose"


@pytest.mark.parametrize("stem", PROSE_MINIMUM)
def test_core_and_further_reading_have_full_details_and_a_reason(stem):
    text = _markdown(stem)
    core = reading_list(text, "Core reading")
    further = reading_list(text, "Further reading")
    assert core is not None and further is not None, stem
    assert 2 <= len(core) <= 4, (stem, len(core))
    assert 3 <= len(further) <= 8, (stem, len(further))
    assert reading_problems(text) == [], stem
    assert E4J_LINK.search("\n".join(core + further)), f"{stem}: no Education for Justice link"
    assert text.rstrip().endswith(further[-1].split()[-1]), f"{stem}: readings are not last"


@pytest.mark.parametrize("stem", PROSE_MINIMUM)
def test_student_files_cite_no_internal_brief(stem):
    files = [ROOT / "course" / f"{stem}.ipynb", ROOT / "data" / "quizzes" / f"{stem}.yaml"]
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        assert "domain brief" not in text and "the brief" not in text, path.name


def test_module_5_paraphrases_held_and_is_honest_about_the_lectures_phrase():
    text = _markdown("05-globalisation")
    assert '"the widening, deepening' not in text, "Held et al. is not marked verbatim"
    phrase = section(text, '## Information both ways: demand for and supply of prostitution '
                           '("I wish I didn\'t know")')
    assert "the lecture's own" in phrase and "no published source" in phrase
    for heading in ("## Bordered globalisation", "## Crimmigration",
                    "## The feminisation of migration and global care chains"):
        assert f"\n{heading}" in text, heading


def test_module_6_states_both_positions_with_evidence_and_objections():
    text = section(_markdown("06-gender"),
                   "## The contested question: prostitution and sex work under the Protocol")
    assert "takes no side" in text
    law = section(text, "### What the Protocol says, and what it leaves open")
    assert "without prejudice" in law
    for position in ("### The abolitionist position", "### The sex-work position"):
        part = section(text, position)
        assert "**The argument.**" in part and "**Its strongest evidence.**" in part, position
        readings = part.split("**Readings.**", 1)[1].strip().rstrip(".").split("; ")
        assert len(readings) >= 3, position
    answers = reading_list(text, "How each side answers the other's evidence")
    assert answers is not None and len(answers) >= 3


def test_module_7_sets_prevalence_against_detection():
    text = _markdown("07-organisation")
    part = section(text, "## Prevalence against detection: the Global Estimates of Modern Slavery")
    for fact in ("49.6 million", "household surveys", "extrapolat", "detected"):
        assert fact in part, fact
    assert "46%" in text and "roughly five in ten" not in text


def test_module_5_teaches_feminisation_as_a_change_in_how_women_migrate():
    """Issue 22: women have been about half of international migrants since the 1960s (UN
    Population Division estimates), so the module must not teach feminisation as a rising share."""
    part = section(_markdown("05-globalisation"),
                   "## The feminisation of migration and global care chains")
    assert "1960" in part and "47" in part and "Zlotnik 2003" in part
    assert "*how* women migrate" in part
    text = _markdown("05-globalisation")
    assert "**impact**" in text
    for position in ("Hyperglobalists", "Sceptics", "Transformationalists"):
        assert f"**{position}**" in text, position
    assert "Hutton" in text and "On the Edge" in text, "Hochschild's chapter needs its book"


def test_module_6_cites_the_1949_convention_directly_and_dates_the_glotip_trend():
    text = _markdown("06-gender")
    history = section(text, '## A short history: from "white slavery" to the Protocol')
    for article in ("Art. 1", "Art. 2", "Art. 6"):
        assert PARAGRAPHS[f"1949 Convention, {article}"] in history, article
    assert "neither selling nor buying" in history
    assert "called on States to suppress prostitution" not in text
    assert "over two decades" not in text and "fourteen years" in text
    assert "Harding" in text and "Crenshaw" in text


def test_module_6_answers_alternate_and_end_with_what_the_evidence_cannot_settle():
    """Neither side has the last word by structure: the last subsection of the contested question
    is about the limits of the evidence, and the answers end on what is left standing."""
    contested = section(_markdown("06-gender"),
                        "## The contested question: prostitution and sex work under the Protocol")
    subsections = [h for h in re.findall(r"^### (.+)$", contested, flags=re.M)
                   if not h.startswith("Activity")]
    assert subsections[-1] == "What the evidence cannot settle", subsections
    answers = reading_list(contested, "How each side answers the other's evidence")
    assert answers is not None and len(answers) >= 5
    assert "appears in more than one data set" not in contested
    for named in ("Shannon et al.", "Vuolajärvi", "Amnesty International", "SPACE International",
                  "Raymond", "Pateman"):
        assert named in contested, named


def test_module_5_gives_zlotniks_table_and_the_latest_migrant_stock():
    """Review m56 round 1 (findings 1 and 5): 48.8 per cent in 2000 (Zlotnik, Table 1), not
    "about 48"; the latest UN edition (International Migrant Stock 2024), not the 2019 summary."""
    import nbformat

    from .conftest import ROOT

    nb = nbformat.read(str(ROOT / "course" / "05-globalisation.ipynb"), as_version=4)
    text = " ".join("\n".join(c.source for c in nb.cells if c.cell_type == "markdown").split())
    for figure in ("46.6 per cent in 1960", "48.8 per cent in 2000", "48.08 per cent",
                   "International Migrant Stock 2024", "52.4", "42.8"):
        assert figure in text, figure
    assert "about 48 per cent by 2000" not in text
    assert "47.9 per cent in 2019" not in text

"""Modules 1 and 2 apply the law to evidence (issue 26) and quote only what was read (issue 21).

Every passage the two modules quote in typographic quotation marks (“...”, the marks the course
keeps for quotations from judgments and commentary read beyond the treaty texts) must be found,
word for word, in an excerpt kept under tests/fixtures/sources with where and when it was read.
Each module reads one judgment and ends with a problem question, whose model answer and marking
guide are in instructor/."""

from __future__ import annotations

import re

import nbformat
import pytest

from .conftest import ROOT

MODULES = ["01-definitions", "02-forced-and-vulnerable"]
SOURCES = sorted((ROOT / "tests" / "fixtures" / "sources").glob("*.md"))
#: A quotation shorter than this is a term, not a passage, and is not checked.
MIN_WORDS = 6


def _squash(text: str) -> str:
    lines = [re.sub(r"^\s*(>|-)\s?", "", line).strip() for line in text.splitlines()]
    return re.sub(r"\s+", " ", " ".join(lines))


def quotations(markdown: str) -> list[str]:
    """Outermost “...” spans, nested quotation marks kept, whitespace squashed."""
    found, depth, start = [], 0, 0
    for i, ch in enumerate(markdown):
        if ch == "“":
            depth += 1
            if depth == 1:
                start = i + 1
        elif ch == "”" and depth:
            depth -= 1
            if depth == 0:
                found.append(re.sub(r"\s+", " ", markdown[start:i]).strip())
    return [q for q in found if len(q.split()) >= MIN_WORDS]


def unread(markdown: str, sources: str) -> list[str]:
    return [q for q in quotations(markdown) if q not in sources]


def _markdown(stem: str) -> str:
    nb = nbformat.read(str(ROOT / "course" / f"{stem}.ipynb"), as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _sources() -> str:
    return _squash("\n".join(p.read_text(encoding="utf-8") for p in SOURCES))


def test_the_check_finds_a_changed_or_unread_quotation():
    sources = _squash("> The Court held unanimously that there had been a violation of Article 4.")
    right = "It said: “The Court held unanimously that there had been a violation”."
    assert unread(right, sources) == []
    changed = right.replace("unanimously", "by a majority")
    assert unread(changed, sources) == [
        "The Court held by a majority that there had been a violation"]
    inner = "Notion of “forced labour” protecting against forced prostitution in every case"
    assert quotations(f"“{inner}”") == [inner]
    assert quotations("a “short term” only") == []


@pytest.mark.parametrize("stem", MODULES)
def test_every_quotation_from_a_judgment_or_commentary_was_read(stem):
    markdown = _markdown(stem)
    assert quotations(markdown), f"{stem}: no quotation found; the check would prove nothing"
    missing = unread(markdown, _sources())
    assert not missing, f"{stem}: quoted but not in tests/fixtures/sources: {missing[0][:100]}"


@pytest.mark.parametrize("stem", MODULES)
def test_the_module_reads_a_judgment_and_ends_with_a_problem_question(stem):
    markdown = _markdown(stem)
    headings = re.findall(r"^## (.+)$", markdown, flags=re.M)
    reading = [h for h in headings if h.startswith("Reading a judgment:")]
    assert reading, f"{stem}: no 'Reading a judgment' section"
    assert "Problem question" in headings, f"{stem}: no problem question"
    section = markdown.split("## Problem question", 1)[1].split("\n## ", 1)[0]
    for step in ("issue", "rule", "appl", "conclu"):
        assert step in section.lower(), f"{stem}: the problem question does not ask for {step}"
    guide = ROOT / "instructor" / f"{stem[:2]}-problem-question.md"
    assert guide.is_file(), f"{stem}: no model answer and marking guide at {guide.name}"
    text = guide.read_text(encoding="utf-8")
    assert "## Model answer" in text and "## Marking guide" in text, guide.name

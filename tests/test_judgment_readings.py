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


#: Paragraphs of each judgment that the course read (or read as a separate opinion quotes them),
#: as recorded in tests/fixtures/sources/echr-article-4-judgments.md and
#: modules-1-2-second-reading.md. A module may cite no other paragraph of these judgments.
READ_PARAGRAPHS = {
    "Rantsev": {1, 2, 3, 209, 210, 211, 249, 250, 251, 301, 302, 303, 304, 305},
    "S.M.": {277, 300, 301},
    "Chowdury": {1, 2, 3},
    "Siliadin": {3},
}
_NAMES = {
    "Rantsev": ("Rantsev",),
    "S.M.": ("S.M. v. Croatia", "Grand Chamber", "Pastor Vilanova"),
    "Chowdury": ("Chowdury",),
    "Siliadin": ("Siliadin",),
}


def cited_unread_paragraphs(markdown: str) -> list[str]:
    """"(para. N)"-style citations in a block (a paragraph or list item) that names exactly one
    of the judgments above, where N is not a paragraph of it that was read."""
    blocks = re.split(r"\n\s*\n|\n(?=\s*(?:-|\d+\.) )", markdown)
    wrong = []
    for block in blocks:
        named = [k for k, names in _NAMES.items() if any(n in block for n in names)]
        if len(named) != 1:
            continue
        for refs in re.findall(r"\((?:judgment, )?paras?\.? ([\d ,\-and]+)\)", block):
            for a, b in re.findall(r"(\d+)(?:-(\d+))?", refs):
                numbers = range(int(a), int(b or a) + 1)
                wrong += [f"{named[0]} para. {n}" for n in numbers
                          if n not in READ_PARAGRAPHS[named[0]]]
    return wrong


def test_the_paragraph_check_finds_a_paragraph_cited_from_memory():
    assert cited_unread_paragraphs("Rantsev: the operational duty (para. 286).") == [
        "Rantsev para. 286"]
    assert cited_unread_paragraphs("Rantsev: no failure of the framework (para. 303).") == []
    assert cited_unread_paragraphs("S.M. v. Croatia: forced prostitution (paras 300-302).") == [
        "S.M. para. 302"]
    assert cited_unread_paragraphs("Art. 6 asks States to protect privacy (para. 1).") == []


@pytest.mark.parametrize("stem", MODULES)
def test_every_paragraph_cited_from_a_judgment_was_read(stem):
    wrong = cited_unread_paragraphs(_markdown(stem))
    assert not wrong, f"{stem}: cites a paragraph the course has not read: {wrong}"


_RANTSEV_READ = re.compile(r"Rantsev v\. Cyprus and Russia\*?[^)]*?paras ([0-9][0-9, and-]*[0-9])")


def rantsev_paragraphs_listed(text: str) -> set[int]:
    """The paragraphs of Rantsev that a reading list says were read, as a set of numbers."""
    found = _RANTSEV_READ.search(text)
    assert found, "no list of the Rantsev paragraphs read"
    return {n for a, b in re.findall(r"(\d+)(?:-(\d+))?", found.group(1))
            for n in range(int(a), int(b or a) + 1)}


def test_the_rantsev_list_check_sees_a_missing_range():
    assert rantsev_paragraphs_listed("*Rantsev v. Cyprus and Russia*, no. 25965/04 (read: paras "
                                     "1-3 and 301-305, on Russia)") == {1, 2, 3, *range(301, 306)}


def test_students_and_lecturers_are_told_the_same_rantsev_paragraphs_were_read():
    """Module 1's References and its instructor notes list the same paragraphs, all of them read."""
    student = rantsev_paragraphs_listed(_markdown("01-definitions").split("## References", 1)[1])
    notes = (ROOT / "instructor" / "01-definitions.md").read_text(encoding="utf-8")
    lecturer = rantsev_paragraphs_listed(notes.split("**Read in part, word for word:**", 1)[1])
    assert student == lecturer, f"References list {sorted(student)}, notes {sorted(lecturer)}"
    assert student <= READ_PARAGRAPHS["Rantsev"]

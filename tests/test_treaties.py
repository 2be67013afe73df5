"""Treaty texts are quoted verbatim: every blockquote a student reads is an exact excerpt of a
text kept in treaties.PARAGRAPHS, and each of those texts is word for word the one the
reference briefs mark as verbatim. Blockquotes are for such quotations only; content notes and
callouts use bold lead-ins."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from trafficking_course.law.treaties import PARAGRAPHS, TRAFFICKING_ART3

from .conftest import ROOT

#: The briefs sit in shared/reference/ beside the checkout (or beside the worktrees' folder).
_REFERENCE = next((d for d in (ROOT.parent / "shared" / "reference",
                               ROOT.parent.parent / "shared" / "reference") if d.is_dir()),
                  ROOT.parent / "shared" / "reference")
BRIEFS = [_REFERENCE / name for name in ("domain-brief.md", "domain-brief-2.md")]
#: Texts read beyond the briefs, kept as excerpts with where and when they were read.
SOURCES = sorted((ROOT / "tests" / "fixtures" / "sources").glob("*.md"))
#: A blockquote shorter than this many words is too short to be checked as a quotation.
MIN_WORDS = 6


def blockquote_paragraphs(markdown: str) -> Iterator[str]:
    """Paragraphs of blockquotes, wrapped lines joined with single spaces."""
    paragraph: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith(">") and stripped[1:].strip():
            paragraph.append(stripped[1:].strip())
            continue
        if paragraph:
            yield " ".join(paragraph)
        paragraph = []


def student_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, markdown) for every markdown cell of a notebook, or the whole of a .md file."""
    if path.suffix == ".md":
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
        return
    nb = nbformat.read(str(path), as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            yield f"{path.relative_to(ROOT)}, cell {i}", cell.source


def not_verbatim(markdown: str) -> list[str]:
    """The blockquote paragraphs of markdown that are not an exact excerpt of a kept text."""
    texts = list(PARAGRAPHS.values())
    return [q for q in blockquote_paragraphs(markdown)
            if len(q.split()) < MIN_WORDS or not any(q in t for t in texts)]


def _files() -> list[Path]:
    found: list[Path] = []
    for folder in ("course", "notebooks", "instructor"):
        base = ROOT / folder
        if base.is_dir():
            found += [p for p in base.rglob("*") if p.suffix in (".ipynb", ".md")
                      and ".ipynb_checkpoints" not in p.parts]
    return sorted(found)


FILES = _files()


def test_the_check_finds_a_content_note_in_a_blockquote():
    note = "> **Content note.** This notebook is about people who have been trafficked."
    quote = "> " + PARAGRAPHS["Smuggling Protocol, Art. 6(4)"]
    excerpt = "> " + PARAGRAPHS["Trafficking Protocol, Art. 4"][:120]
    assert not_verbatim(note) == [note[2:]]
    assert not_verbatim(quote) == [] and not_verbatim(excerpt) == []
    assert not_verbatim(quote.replace("domestic law", "national law"))
    assert not_verbatim("> (a) Trafficking")  # too short to check


def test_the_files_checked_include_every_course_module_and_analysis_notebook():
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert "course/01-definitions.ipynb" in names and "course/04-smuggling.ipynb" in names
    assert any(n.startswith("notebooks/") for n in names)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_blockquote_is_a_verbatim_excerpt(path):
    for where, markdown in student_texts(path):
        wrong = not_verbatim(markdown)
        assert not wrong, (f"{where}: a blockquote that is not verbatim text of "
                           f"treaties.PARAGRAPHS (use a bold lead-in for notes): {wrong[0][:90]}")


def _quoted(path: Path) -> set[str]:
    return {q for _, md in student_texts(path) for q in blockquote_paragraphs(md)}


def test_the_definitions_module_quotes_both_articles_3():
    quoted = _quoted(ROOT / "course" / "01-definitions.ipynb")
    art3 = {v for k, v in PARAGRAPHS.items() if re.search(r"Protocol, Art\. 3\(", k)}
    assert set(TRAFFICKING_ART3.values()) <= art3
    assert art3 <= quoted


def test_the_smuggling_module_quotes_article_6_4_and_the_refugee_convention():
    quoted = _quoted(ROOT / "course" / "04-smuggling.ipynb")
    for name in ("Smuggling Protocol, Art. 6(4)", "Smuggling Protocol, Art. 19(1)",
                 "Refugee Convention, Art. 31(1)", "Refugee Convention, Art. 33(1)",
                 "Directive 2002/90/EC, Art. 1(1)"):
        assert PARAGRAPHS[name] in quoted, name


def _normalised(text: str) -> str:
    """The brief's text with blockquote markers and line breaks folded into single spaces."""
    lines = [re.sub(r"^\s*>\s?", "", line).strip() for line in text.splitlines()]
    return re.sub(r"\s+", " ", " ".join(lines))


@pytest.mark.skipif(not all(b.is_file() for b in BRIEFS),
                    reason="the reference briefs are not beside this checkout")
def test_paragraphs_match_the_reference_briefs_word_for_word():
    """Every quoted paragraph, word for word, in the briefs or in an excerpt of a source read
    beyond them (tests/fixtures/sources: the statute as a 2024 government report quotes it)."""
    briefs = _normalised("\n".join(b.read_text(encoding="utf-8") for b in [*BRIEFS, *SOURCES]))
    for name, text in PARAGRAPHS.items():
        assert text in briefs, name

"""Treaty texts are quoted verbatim: every quoted Art. 3 paragraph in the course is exact."""

from __future__ import annotations

import re

import nbformat
import pytest

from trafficking_course.dev.notebooks import find_notebooks
from trafficking_course.law.treaties import PARAGRAPHS

from .conftest import ROOT

BRIEF = ROOT.parent / "shared" / "reference" / "domain-brief.md"
# A quoted paragraph of Art. 3: a blockquote paragraph opening with "(a)".."(d)" that defines.
QUOTE = re.compile(r"^\([a-d]\) .*(shall mean|shall be|shall include)")


def blockquote_paragraphs(markdown: str):
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


def quotations(path):
    nb = nbformat.read(str(path), as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for text in blockquote_paragraphs(cell.source):
            if QUOTE.match(text):
                yield i, text


QUOTING = [p for p in find_notebooks(ROOT) if any(True for _ in quotations(p))]


def test_the_definitions_module_quotes_both_articles():
    quoted = {q for _, q in quotations(ROOT / "course" / "01-definitions.ipynb")}
    assert set(PARAGRAPHS.values()) <= quoted


@pytest.mark.parametrize("path", QUOTING, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_quotation_is_verbatim(path):
    for index, text in quotations(path):
        assert text in PARAGRAPHS.values(), \
            f"{path.relative_to(ROOT)}, cell {index}: not verbatim treaty text: {text[:80]}..."


@pytest.mark.skipif(not BRIEF.is_file(), reason="the domain brief is not beside this checkout")
def test_paragraphs_match_the_domain_brief():
    brief = BRIEF.read_text(encoding="utf-8")
    for name, text in PARAGRAPHS.items():
        assert text in brief, name

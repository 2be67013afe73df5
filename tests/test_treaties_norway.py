"""The Norwegian statute texts are kept verbatim, and modules 8 and 9 quote nothing else: every
blockquote in them is an exact excerpt of a kept text, and module 9 quotes each Norwegian text
(Penal Code 2005 ss. 257-258, Immigration Regulations ss. 8-3 and 8-4) in full."""

from __future__ import annotations

import nbformat
import pytest

from trafficking_course.law.treaties import NORWAY, PARAGRAPHS

from .conftest import ROOT
from .test_treaties import blockquote_paragraphs

MODULES = ["08-policy", "09-case-nigeria-norway"]
REFERENCE = next((d for d in (ROOT.parent / "shared" / "reference",
                              ROOT.parent.parent / "shared" / "reference") if d.is_dir()),
                 ROOT.parent / "shared" / "reference")
BRIEF_2 = REFERENCE / "domain-brief-2.md"


def _quotes(stem: str) -> list[tuple[int, str]]:
    nb = nbformat.read(str(ROOT / "course" / f"{stem}.ipynb"), as_version=4)
    return [(i, q) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
            for q in blockquote_paragraphs(c.source)]


def test_the_norwegian_texts_are_among_the_checked_paragraphs():
    assert set(NORWAY) <= set(PARAGRAPHS)
    assert all(PARAGRAPHS[name] == text for name, text in NORWAY.items())
    assert "straffes for menneskehandel med fengsel i inntil 6 år" in NORWAY[
        "Penal Code 2005, s. 257 (first paragraph)"]


@pytest.mark.parametrize("stem", MODULES)
def test_every_blockquote_in_the_module_is_an_excerpt_of_a_kept_text(stem):
    for index, text in _quotes(stem):
        assert any(text in kept for kept in PARAGRAPHS.values()), \
            f"{stem}, cell {index}: blockquote is not a kept verbatim text: {text[:80]}..."


def test_module_nine_quotes_every_norwegian_text_in_full():
    quoted = {q for _, q in _quotes("09-case-nigeria-norway")}
    missing = [name for name, text in NORWAY.items() if text not in quoted]
    assert not missing, missing


@pytest.mark.skipif(not BRIEF_2.is_file(), reason="the reference brief is not beside this checkout")
def test_the_norwegian_texts_match_the_reference_brief_word_for_word():
    brief = " ".join(line.lstrip("> ").strip()
                     for line in BRIEF_2.read_text(encoding="utf-8").splitlines())
    for name, text in NORWAY.items():
        assert text in brief, name

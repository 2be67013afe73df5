"""Modules 3 and 4 quote the texts their law rests on, and quote only what was read: the block
quotations (checked word for word by tests/test_treaties.py) are present in full, the short
quotations in running text are found word for word in the excerpts kept under
tests/fixtures/sources, and Penal Code s. 257(1)(b) is glossed in its wording as in force."""

from __future__ import annotations

import re

import nbformat
import pytest

from trafficking_course.law.treaties import PARAGRAPHS

from .conftest import ROOT
from .test_treaties import blockquote_paragraphs

SOURCES = ROOT / "tests" / "fixtures" / "sources"

QUOTED = {
    "03-who-defines": ["Penal Code 2005, s. 257 (first paragraph)",
                       "V.C.L. and A.N. v. the United Kingdom (2021), Information Note 248"],
    "04-smuggling": ["Smuggling Protocol, Art. 6(1)",
                     "Interpretative notes (A/55/383/Add.1), financial or other material benefit",
                     "Refugee Convention, Art. 33(2)", "UNCLOS, Art. 98(1)(a)-(b)",
                     "R v Asfaw [2008] UKHL 31, para. 1"],
}

#: Short quotations in running text, each with the excerpt it was read in.
INLINE = {
    "03-who-defines": [
        ("improperly issued or obtained through misrepresentation, corruption or duress or in any "
         "other unlawful manner", "smuggling-protocol-art-3c-6-1-and-benefit-note.md"),
        ("without the right to refuse, is promised or given in marriage on payment of a "
         "consideration in money or in kind to her parents, guardian, family or any other person "
         "or group", "supplementary-convention-1956-art-1.md"),
        ("failure to take operational measures in line with international standards to protect "
         "minors prosecuted despite credible suspicion they were trafficking victims",
         "decisions-modules-3-4.md"),
        ("No initial, prompt assessment of trafficking status", "decisions-modules-3-4.md"),
        ("child- and gender-sensitive issues", "trafficking-protocol-art-10-2.md"),
    ],
    "04-smuggling": [
        ("cannot be construed as a way to allow humanitarian activity that is mandated by law to "
         "be criminalised, such as search and rescue operations at sea, regardless how the "
         "Facilitation Directive is applied under national law",
         "rescue-at-sea-and-facilitation-guidance.md"),
        ("is bound to proceed with all speed to their assistance",
         "rescue-at-sea-and-facilitation-guidance.md"),
        ("improperly issued or obtained through misrepresentation, corruption or duress or in any "
         "other unlawful manner", "smuggling-protocol-art-3c-6-1-and-benefit-note.md"),
    ],
}


def _markdown(stem: str) -> str:
    nb = nbformat.read(str(ROOT / "course" / f"{stem}.ipynb"), as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("stem", QUOTED)
def test_the_module_quotes_each_of_its_texts_in_full(stem):
    quoted = set(blockquote_paragraphs(_markdown(stem)))
    missing = [name for name in QUOTED[stem] if PARAGRAPHS[name] not in quoted]
    assert not missing, f"{stem} does not quote in full: {missing}"


@pytest.mark.parametrize("stem", INLINE)
def test_short_quotations_are_word_for_word_what_was_read(stem):
    text = _flat(_markdown(stem))
    for phrase, source in INLINE[stem]:
        assert phrase in text, f"{stem}: the quotation is gone or changed: {phrase[:60]}"
        assert phrase in _flat((SOURCES / source).read_text(encoding="utf-8")), \
            f"{stem}: not found in {source}: {phrase[:60]}"


def test_section_257_letter_b_is_glossed_as_in_force_everywhere():
    """One wording of s. 257(1)(b), the one in force: forced labour or forced services."""
    stale = re.compile(r"\binto work or\s+services\b|\bwork or services,? including begging",
                       re.IGNORECASE)
    for path in sorted((ROOT / "course").glob("0[1-9]-*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert not stale.search(text), f"{path.name}: s. 257(1)(b) glossed as 'work or services'"

"""Modules 8 and 9 quote the texts their law rests on: module 9 every kept Norwegian statute text
(Penal Code 2005 ss. 3, 257-258, Immigration Regulations ss. 8-3 and 8-4) in full, module 8 the
Protocol's statement of purpose, the Council of Europe's residence permit and the EU's
non-punishment article. (tests/test_treaties.py checks that each quotation is verbatim.)"""

from __future__ import annotations

import nbformat
import pytest

from trafficking_course.law.treaties import NORWAY, PARAGRAPHS

from .conftest import ROOT
from .test_treaties import blockquote_paragraphs

QUOTED = {
    # every kept Norwegian text but s. 2 of the Penal Code, which is module 4's (Art. 31 in a
    # Norwegian criminal case)
    "09-case-nigeria-norway": sorted(set(NORWAY) - {"Penal Code 2005, s. 2"}),
    "08-policy": ["Trafficking Protocol, Art. 2", "Council of Europe Convention, Art. 14(1)",
                  "Directive 2011/36/EU, Art. 8"],
}


def _quotes(stem: str) -> set[str]:
    nb = nbformat.read(str(ROOT / "course" / f"{stem}.ipynb"), as_version=4)
    return {q for c in nb.cells if c.cell_type == "markdown"
            for q in blockquote_paragraphs(c.source)}


@pytest.mark.parametrize("stem", QUOTED)
def test_the_module_quotes_each_of_its_texts_in_full(stem):
    quoted = _quotes(stem)
    missing = [name for name in QUOTED[stem] if PARAGRAPHS[name] not in quoted]
    assert not missing, f"{stem} does not quote in full: {missing}"

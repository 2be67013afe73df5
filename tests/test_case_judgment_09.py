"""Module 9 reads one judgment (HR-2016-2491-A) and cites only what the course read of it: every
Norwegian phrase it quotes from the judgment is word for word in the excerpt kept under
tests/fixtures/sources, and no paragraph beyond those read is cited. The figures module 9 takes
from IOM, Landinfo and the US reports are the ones in the excerpts read."""

from __future__ import annotations

import re

import nbformat

from .conftest import ROOT

SOURCES = ROOT / "tests" / "fixtures" / "sources"
STEM = "09-case-nigeria-norway"


def _text() -> str:
    nb = nbformat.read(str(ROOT / "course" / f"{STEM}.ipynb"), as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _section(heading: str) -> str:
    part = _text().split(heading, 1)[1]
    return re.split(r"^## ", part, maxsplit=1, flags=re.M)[0]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _norwegian_quotes(text: str) -> list[str]:
    """Double-quoted phrases with a Norwegian letter or word in them."""
    quotes = [_flat(q) for q in re.findall(r'"([^"]+)"', text)]
    marker = re.compile(r"[æøå]|\b(og|av|til|ved|som|for|ikke|det)\b", re.I)
    return [q for q in quotes if marker.search(q)]


def test_the_judgment_is_quoted_only_from_what_was_read():
    read = _flat((SOURCES / "hr-2016-2491-a.md").read_text(encoding="utf-8"))
    quotes = _norwegian_quotes(_section("## Reading a judgment: HR-2016-2491-A"))
    assert len(quotes) >= 4, quotes
    assert [q for q in quotes if q not in read] == []


def test_no_paragraph_of_the_judgment_beyond_those_read_is_cited():
    text = _text()
    cited = {int(n) for n in re.findall(r"para(?:s|graphs?)?\.? \((\d+)\)", text)}
    assert cited and max(cited) <= 3, cited


def test_the_s_8_4_phrase_is_the_regulation_s_wording():
    from trafficking_course.law.treaties import NORWAY, PARAGRAPHS

    s84 = next(PARAGRAPHS[name] for name in NORWAY if "8-4" in name)
    assert "hvor det er tatt ut tiltale etter straffeloven § 257" in s84
    assert '"hvor det er tatt ut tiltale etter straffeloven § 257"' in _flat(_text())


def test_iom_landinfo_and_tip_figures_match_the_excerpts_read():
    read = _flat((SOURCES / "module-9-sources-read.md").read_text(encoding="utf-8"))
    text = _flat(_text())
    for figure in ("1,454 in 2014 to 11,009 in 2016", "80 per cent", "potential victims"):
        assert figure in read
    assert "from 1,454 in 2014 to 11,009 in" in text and "80 per cent" in text
    assert "*potential* victims" in text and "12,000" not in text
    assert "1 February 2017" in text and "2 March 2017" in text and "since 2004" in read
    assert "Tier 1 in every edition from 2016 to 2020 and in Tier 2 from 2021 to 2025" in text
    assert "Therefore Norway was downgraded to Tier 2." in read


def test_the_round_1_corrections_quote_only_what_was_read():
    """The time rule (s. 3), the 1902 pimping section, the 2023 and 2025 US reports, the
    Storting's summary of Vista and the Supreme Court's summary of HR-2005-00222-A are quoted
    word for word from the excerpts kept, and the problem question no longer has anyone charged
    under a Protocol."""
    read = _flat((SOURCES / "module-9-round1-review-sources.md").read_text(encoding="utf-8"))
    text = _flat(_text())
    for phrase in (
        "Straffelovgivningen på handlingstidspunktet anvendes. Likevel anvendes lovgivningen",
        "straffes med bøter eller fengsel inntil 5 år",
        "For the first time in five years, the government reported an official number of "
        "identified and assisted victims",
        "investigated the fewest number of trafficking cases in nearly two decades",
        "prosecuting and convicting more traffickers",
        "has granted compensation to victims of trafficking in a number of cases",
    ):
        assert phrase in read and phrase in text, phrase
    assert "22 pst." in read and "41–58 pst." in read
    nb03 = nbformat.read(str(ROOT / "notebooks" / "03-norway.ipynb"), as_version=4)
    vista = _flat(next(c.source for c in nb03.cells if c.get("id") == "cab598d8"))
    for estimate in ("22% smaller than in 2008", "45% smaller", "41-58% smaller", "10-20%"):
        assert estimate in vista, estimate
    problem = _flat(_section("## Problem question: three people and one journey"))
    assert "Smuggling Protocol's Art. 3(a) for the crossing" not in problem
    assert "no one is charged under the Smuggling Protocol" in problem
    assert "s. 108" in problem and "s. 5" in problem
    hint = _flat(_section("## Reading a judgment: HR-2016-2491-A"))
    assert "compare the date of the district court's judgment" not in hint
    assert "s. 3" in hint


def test_the_s_8_4_amendment_is_placed_in_the_second_paragraph_and_oath_research_is_read():
    read = _flat((SOURCES / "module-9-round1-review-sources.md").read_text(encoding="utf-8"))
    assert "§ 8-4 annet ledd" in read and "uavhengig av kva slags straffesak" in read
    law = _flat(_section("## Norwegian law: the sections that apply"))
    assert "That second paragraph was widened in June 2020" in law
    assert "The first paragraph was not changed by that amendment." in law
    oaths = _flat(_section("## Oaths: coercion, contract, or both?"))
    assert "rather than being attributed to brainwashing" in oaths
    assert "rather than being attributed to brainwashing" in read
